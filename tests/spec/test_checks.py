"""Rules that need the catalog or several fields: regions, zones, shapes, names and references.

The tiny catalog of conftest.py is the source of every expected region, zone and instance type,
so each assertion reads back a fact the catalog states rather than a number worked out by hand.
"""

from __future__ import annotations

import pytest

from aimodel_infra.spec import Environment, check_environment, physical_bucket_prefix
from aimodel_infra.spec.checks import AUTONAME_SUFFIX_LENGTH, BUCKET_NAME_MAX

EKS_MIN_ZONES = 2  # "Amazon EKS requires subnets in at least two Availability Zones"

# -- network ranges and zones ------------------------------------------------------------------


@pytest.mark.parametrize(
    "network,path,other",
    [
        ({"cidr": "10.0.0.0/16", "pod_cidr": "10.0.128.0/17"}, "network.pod_cidr", "network.cidr"),
        ({"cidr": "10.0.0.0/16", "service_cidr": "10.0.0.0/16"}, "network.service_cidr", "network.cidr"),
        ({"pod_cidr": "172.20.0.0/16", "service_cidr": "172.20.0.0/20"}, "network.service_cidr", "network.pod_cidr"),
    ],
)
def test_overlapping_network_ranges_are_refused_naming_both(make_doc, problem_at, network, path, other):
    message = problem_at(make_doc(network=network), path)
    assert f"overlaps {other}" in message and "must be disjoint" in message


def test_disjoint_network_ranges_are_accepted(make_doc, parse):
    network = {"cidr": "10.0.0.0/16", "pod_cidr": "10.1.0.0/16", "service_cidr": "10.2.0.0/16"}
    assert str(parse(make_doc(network=network)).network.service_cidr) == "10.2.0.0/16"


def test_zones_beyond_what_the_region_has_are_refused_listing_its_zones(make_doc, problem_at, tiny_catalog):
    zones = tiny_catalog.zones_of("aws", "us-west-2")
    doc = make_doc(region="us-west-2", network={"zones": len(zones) + 1})
    message = problem_at(doc, "network.zones")
    assert f"us-west-2 has {len(zones)} zone(s) ({' '.join(zones)}); got {len(zones) + 1}" in message


def test_zones_up_to_what_the_region_has_are_accepted(make_doc, parse, tiny_catalog):
    zones = tiny_catalog.zones_of("aws", "us-west-2")
    assert parse(make_doc(region="us-west-2", network={"zones": len(zones)})).network.zones == len(zones)


def test_region_without_availability_zones_allows_only_one_zone(make_doc, problem_at, parse):
    pool = [{"name": "infer", "accelerator": "T4", "max_nodes": 1}]
    doc = make_doc("azure", region="northcentralus", node_pools=pool, network={"zones": 2})
    assert "northcentralus has no availability zones; use zones: 1" in problem_at(doc, "network.zones")
    assert parse(make_doc("azure", region="northcentralus", node_pools=pool, network={"zones": 1})).network.zones == 1


def test_eks_needs_at_least_two_zones(make_doc, problem_at):
    message = problem_at(make_doc(network={"zones": EKS_MIN_ZONES - 1}), "network.zones")
    assert f"EKS needs subnets in at least {EKS_MIN_ZONES} zones" in message


def test_one_zone_is_fine_without_a_cluster_or_off_aws(make_doc, parse):
    group = [{"name": "batch", "accelerator": "H100:8", "max_nodes": 1}]
    assert parse(make_doc(cluster=None, node_pools=[], autoscaling_groups=group, network={"zones": 1})).cluster is None
    assert parse(make_doc("gcp", network={"zones": 1})).network.zones == 1


# -- region ------------------------------------------------------------------------------------


@pytest.mark.parametrize("typo", ["us-eats-1", "US-EAST-1", "us-east1"])
def test_unknown_region_suggests_the_closest_known_one(make_doc, problems, typo):
    found = problems(make_doc(region=typo))
    [message] = [p.message for p in found if p.path == "region"]
    assert f"unknown aws region {typo!r}" in message
    assert "did you mean us-east-1" in message


def test_unknown_region_without_a_close_match_lists_the_known_regions(make_doc, problems, tiny_catalog):
    [message] = [p.message for p in problems(make_doc(region="mars-north-9")) if p.path == "region"]
    assert "did you mean" not in message
    assert message.endswith(f"known: {', '.join(tiny_catalog.regions('aws'))}")


# -- accelerators and instance types -----------------------------------------------------------


def _pool(make_doc, cloud="aws", region=None, **fields):
    pool = {"name": "train", "max_nodes": 2, **fields}
    return make_doc(cloud, node_pools=[pool], **({"region": region} if region else {}))


def test_unknown_accelerator_suggests_close_names_and_lists_the_known_ones(make_doc, problem_at, tiny_catalog):
    message = problem_at(_pool(make_doc, accelerator="H10", accelerator_count=8), "node_pools[0].accelerator")
    assert "unknown accelerator 'H10'; did you mean H100" in message
    assert message.endswith(f"known: {', '.join(tiny_catalog.accelerator_names())}")


@pytest.mark.parametrize(
    "typed", ["h100", "H100", " h100 ", "nvidia-h100-80gb", "NVIDIA-H100-80GB", "H100-SXM", "h100-80gb"]
)
def test_accelerator_names_forgive_case_and_aliases_and_come_back_canonical(make_doc, parse, typed):
    env = parse(_pool(make_doc, accelerator=typed, accelerator_count=8))
    assert env.node_pools[0].accelerator == "H100"


def test_canonical_names_apply_to_autoscaling_groups_too(make_doc, parse):
    group = {"name": "batch", "accelerator": "nvidia-l4", "max_nodes": 1}
    env = parse(make_doc("gcp", autoscaling_groups=[group]))
    assert env.autoscaling_groups[0].accelerator == "L4"


def test_shape_not_offered_in_the_region_lists_the_regions_of_the_cloud_offering_it(make_doc, problem_at, tiny_catalog):
    offered_in = [r for c, r in tiny_catalog.placements("A10G", 1) if c == "aws"]
    message = problem_at(_pool(make_doc, accelerator="A10G"), "node_pools[0].accelerator")
    assert "1 x A10G is not offered on aws in us-east-1" in message
    assert f"on aws it is offered in {', '.join(offered_in)}" in message


def test_shape_the_cloud_lacks_names_the_clouds_and_regions_that_have_it(make_doc, problem_at, tiny_catalog):
    elsewhere = ", ".join(f"{c} {r}" for c, r in tiny_catalog.placements("T4", 1))
    message = problem_at(_pool(make_doc, accelerator="T4"), "node_pools[0].accelerator")
    assert f"aws does not offer it; offered in {elsewhere}" in message


def test_count_offered_nowhere_lists_the_counts_the_cloud_has(make_doc, problem_at, tiny_catalog):
    counts = ", ".join(map(str, tiny_catalog.counts_offered("H100", "aws")))
    message = problem_at(_pool(make_doc, accelerator="H100:4"), "node_pools[0].accelerator")
    assert f"4 x H100 is not offered on aws in us-east-1; H100 comes in counts of {counts} on aws" in message


def test_pinned_instance_type_must_have_the_requested_accelerator(make_doc, problem_at, tiny_catalog):
    fitting = ", ".join(o.instance_type for o in tiny_catalog.find("aws", "us-east-1", "H100", 8))
    doc = _pool(make_doc, accelerator="H100:8", instance_type="g6.xlarge")
    message = problem_at(doc, "node_pools[0].instance_type")
    assert f"g6.xlarge does not have 8 x H100; in us-east-1 that is {fitting}" in message


def test_pinned_instance_type_matching_the_accelerator_is_accepted(make_doc, parse):
    pool = parse(_pool(make_doc, accelerator="H100:8", instance_type="p5.48xlarge")).node_pools[0]
    assert (pool.instance_type, pool.accelerator, pool.accelerator_count) == ("p5.48xlarge", "H100", 8)


def test_pinned_gpu_instance_supplies_the_count_when_none_is_given(make_doc, parse, tiny_catalog):
    pool = parse(_pool(make_doc, accelerator="h100", instance_type="p5.48xlarge")).node_pools[0]
    assert pool.accelerator_count == tiny_catalog.instance("aws", "us-east-1", "p5.48xlarge").accelerator_count


def test_pinned_gpu_instance_alone_is_a_gpu_pool(make_doc, parse, tiny_catalog):
    pool = parse(_pool(make_doc, instance_type="p5.48xlarge")).node_pools[0]
    offering = tiny_catalog.instance("aws", "us-east-1", "p5.48xlarge")
    assert pool.is_gpu
    assert (pool.accelerator, pool.accelerator_count) == (offering.accelerator, offering.accelerator_count)


def test_pinned_cpu_instance_stays_a_cpu_pool(make_doc, parse):
    pool = parse(_pool(make_doc, instance_type="m6i.large")).node_pools[0]
    assert not pool.is_gpu and pool.accelerator_count is None


def test_instance_type_offered_only_elsewhere_names_where(make_doc, problem_at, tiny_catalog):
    regions = ", ".join(tiny_catalog.instance_regions("aws", "g5.xlarge"))
    message = problem_at(_pool(make_doc, instance_type="g5.xlarge"), "node_pools[0].instance_type")
    assert f"g5.xlarge: not offered in us-east-1; offered in {regions}" in message


def test_unknown_instance_type_lists_the_clouds_known_families(make_doc, problem_at, tiny_catalog):
    message = problem_at(_pool(make_doc, instance_type="p9.bogus"), "node_pools[0].instance_type")
    families = ", ".join(sorted(tiny_catalog.families("aws")))
    assert f"p9.bogus: unknown aws instance type; known families: {families}" in message


def test_a_misspelt_instance_type_gets_a_did_you_mean(make_doc, problem_at):
    message = problem_at(_pool(make_doc, instance_type="m6x.large"), "node_pools[0].instance_type")
    assert "m6x.large: unknown aws instance type; did you mean m6i.large" in message


def test_an_unlisted_size_of_a_known_family_is_accepted_as_unpriced(make_doc, parse):
    pool = parse(_pool(make_doc, instance_type="m6i.2xlarge")).node_pools[0]
    assert pool.instance_type == "m6i.2xlarge" and not pool.is_gpu


def test_a_shape_in_a_region_outside_the_data_is_no_data_not_not_offered(make_doc, problem_at):
    doc = make_doc(region="us-west-1")  # listed in regions.csv of the tiny catalog, no offerings there
    message = problem_at(doc, "node_pools[0].accelerator")
    assert message.startswith("the catalog has no data for us-west-1 (it covers ")
    assert "pass --catalog with your own prices" in message


def test_machine_problems_of_autoscaling_groups_have_their_own_path(make_doc, problem_at):
    doc = make_doc(autoscaling_groups=[{"name": "batch", "accelerator": "B300", "max_nodes": 1}])
    assert "unknown accelerator 'B300'" in problem_at(doc, "autoscaling_groups[0].accelerator")


# -- autoscaling group images ------------------------------------------------------------------


@pytest.mark.parametrize(
    "cloud,image",
    [
        ("aws", "deep-learning"),
        ("aws", "ami-0123456789abcdef0"),
        ("aws", "resolve:ssm:/aws/service/ami/x"),
        ("gcp", "projects/deeplearning-platform-release/global/images/family/common-cu124"),
        ("gcp", "projects/my-proj/global/images/my-image"),
        ("azure", "microsoft-dsvm:ubuntu-hpc:2204:latest"),
        ("azure", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/images/img"),
    ],
)
def test_autoscaling_group_images_in_the_clouds_format_are_accepted(make_doc, parse, cloud, image):
    group = {"name": "batch", "accelerator": "H100:8", "max_nodes": 1, "image": image}
    assert parse(make_doc(cloud, autoscaling_groups=[group])).autoscaling_groups[0].image == image


@pytest.mark.parametrize(
    "cloud,image",
    [
        ("aws", "ami-XYZ"),
        ("aws", "projects/p/global/images/i"),
        ("gcp", "ami-0123456789abcdef0"),
        ("gcp", "projects/P/global/images/i"),
        ("azure", "ami-0123456789abcdef0"),
        ("azure", "ubuntu"),
    ],
)
def test_autoscaling_group_images_of_another_format_are_refused(make_doc, problem_at, cloud, image):
    group = {"name": "batch", "accelerator": "H100:8", "max_nodes": 1, "image": image}
    message = problem_at(make_doc(cloud, autoscaling_groups=[group]), "autoscaling_groups[0].image")
    assert f"{image!r} is not a valid {cloud} image; use 'deep-learning' or" in message


# -- names and references ----------------------------------------------------------------------


def test_pool_and_group_names_must_be_unique_across_both(make_doc, problem_at):
    group = {"name": "train", "accelerator": "H100:8", "max_nodes": 1}
    assert "duplicate name 'train'" in problem_at(make_doc(autoscaling_groups=[group]), "autoscaling_groups[0].name")


def test_duplicate_pool_names_are_reported_at_the_repeat(make_doc, problem_at):
    pool = {"name": "train", "accelerator": "H100:8", "max_nodes": 1}
    assert "duplicate name 'train'" in problem_at(make_doc(node_pools=[pool, pool]), "node_pools[1].name")


def test_duplicate_bucket_names_are_reported_at_the_repeat(make_doc, problem_at):
    bucket = {"name": "data", "purpose": "datasets"}
    assert "duplicate bucket name 'data'" in problem_at(make_doc(buckets=[bucket, bucket]), "buckets[1].name")


@pytest.mark.parametrize("role", ["readers", "writers"])
def test_bucket_readers_and_writers_must_be_pools_or_groups(make_doc, problem_at, role):
    doc = make_doc(buckets=[{"name": "data", "purpose": "datasets", role: ["train", "ghost"]}])
    assert problem_at(doc, f"buckets[0].{role}") == "ghost not a node pool or autoscaling group; known: train"


def test_bucket_readers_may_be_autoscaling_groups(make_doc, parse):
    group = {"name": "batch", "accelerator": "H100:8", "max_nodes": 1}
    doc = make_doc(autoscaling_groups=[group], buckets=[{"name": "data", "purpose": "datasets", "readers": ["batch"]}])
    assert parse(doc).buckets[0].readers == ["batch"]


def test_node_pools_need_a_cluster(make_doc, problem_at):
    assert "node_pools need a cluster" in problem_at(make_doc(cluster=None), "cluster")


# -- physical bucket names ---------------------------------------------------------------------


def test_bucket_name_with_the_environment_and_suffix_must_fit_63_characters(make_doc, problem_at, parse):
    env_name = "e" * 20
    room = BUCKET_NAME_MAX - AUTONAME_SUFFIX_LENGTH - len(env_name) - 1
    too_long = make_doc(name=env_name, buckets=[{"name": "b" * (room + 1), "purpose": "logs"}])
    message = problem_at(too_long, "buckets[0].name")
    assert f"exceeds {BUCKET_NAME_MAX} characters; use at most {room} characters" in message
    env = parse(make_doc(name=env_name, buckets=[{"name": "b" * room, "purpose": "logs"}]))
    assert len(physical_bucket_prefix(env, env.buckets[0])) + AUTONAME_SUFFIX_LENGTH == BUCKET_NAME_MAX


@pytest.mark.parametrize(
    "env_name,reserved", [("sthree", "sthree-"), ("amzn-s3-demo", "amzn-s3-demo-"), ("xn--ml", "xn--")]
)
def test_s3_reserved_prefixes_are_refused_on_aws_only(make_doc, problem_at, parse, env_name, reserved):
    bucket = [{"name": "data", "purpose": "datasets"}]
    message = problem_at(make_doc(name=env_name, buckets=bucket), "buckets[0].name")
    assert f"S3 bucket names must not start with {reserved!r}" in message
    assert parse(make_doc("gcp", name=env_name, buckets=bucket)).buckets[0].name == "data"


@pytest.mark.parametrize("env_name,bucket_name", [("goog-ml", "data"), ("ml", "google-data"), ("ml", "my-google")])
def test_gcs_reserved_words_are_refused_on_gcp_only(make_doc, problem_at, parse, env_name, bucket_name):
    bucket = [{"name": bucket_name, "purpose": "datasets"}]
    message = problem_at(make_doc("gcp", name=env_name, buckets=bucket), "buckets[0].name")
    assert "must not contain 'google' or start with 'goog'" in message
    assert parse(make_doc("aws", name=env_name, buckets=bucket)).buckets[0].name == bucket_name


def test_double_hyphen_from_the_environment_name_is_refused_on_azure(make_doc, problem_at, parse):
    bucket = [{"name": "data", "purpose": "datasets"}]
    assert "Azure container names allow only single hyphens" in problem_at(
        make_doc("azure", name="ml--dev", buckets=bucket), "buckets[0].name"
    )
    assert parse(make_doc("azure", name="ml-dev", buckets=bucket)).buckets[0].name == "data"


# -- collecting ---------------------------------------------------------------------------------


def test_catalog_rules_report_every_problem_in_one_pass(make_doc, problems):
    doc = make_doc(
        network={"cidr": "10.0.0.0/16", "pod_cidr": "10.0.0.0/16"},
        node_pools=[
            {"name": "train", "accelerator": "B300", "max_nodes": 1},
            {"name": "train", "instance_type": "m6i.large"},
        ],
        buckets=[{"name": "data", "purpose": "datasets", "readers": ["ghost"]}],
    )
    found = problems(doc)
    assert sorted(p.path for p in found) == sorted(
        ["network.pod_cidr", "node_pools[0].accelerator", "node_pools[1].name", "buckets[0].readers"]
    )
    assert len(found) == 4


def test_check_environment_returns_problems_instead_of_raising(make_doc, tiny_catalog):
    env = Environment.model_validate(make_doc(region="eu-west-1"))
    found = check_environment(env, tiny_catalog)
    assert [p.path for p in found] == ["node_pools[0].accelerator"]
    assert check_environment(Environment.model_validate(make_doc()), tiny_catalog) == []


def test_kubernetes_versions_the_data_lacks_are_undocumented_not_refused_by_the_shared_rule(make_doc, bundled_catalog):
    """The shared rule refuses only what no source documents; a cloud's own rules may be stricter."""

    def version_problems(version: str) -> list[str]:
        env = Environment.model_validate(make_doc(cloud="aws", cluster={"kubernetes_version": version}))
        return [p.message for p in check_environment(env, bundled_catalog) if p.path == "cluster.kubernetes_version"]

    assert version_problems("1.26") == []  # older than the EKS data
    assert version_problems("1.36") == []  # newer than the EKS data, but AKS documents 1.37
    [message] = version_problems("1.99")
    assert message.startswith("Kubernetes 1.99 is newer than any version the catalog's sources document")
