"""Rules of the spec's structure: each one accepted once and refused once, with the path and the words users read."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from aimodel_infra.errors import SpecError
from aimodel_infra.spec import BucketPurpose, Cloud, Environment, NodePool, TaintEffect, parse_environment

# -- unknown and missing fields ----------------------------------------------------------------


def test_unknown_top_level_field_is_named_with_a_suggestion_and_the_allowed_fields(make_doc, problem_at):
    doc = make_doc(regoin="us-east-1")
    message = problem_at(doc, "regoin")
    assert "unknown field" in message
    assert "did you mean 'region'" in message
    for field in Environment.model_fields:
        assert field in message


def test_unknown_nested_field_is_named_by_its_path_with_the_nested_models_fields(make_doc, problem_at):
    doc = make_doc()
    doc["node_pools"][0]["max_node"] = 3
    message = problem_at(doc, "node_pools[0].max_node")
    assert "did you mean 'max_nodes'" in message
    assert message.split("allowed: ")[1].split(", ") == sorted(NodePool.model_fields)


def test_unknown_field_without_a_close_match_still_lists_what_is_allowed(make_doc, problem_at):
    message = problem_at(make_doc(cluster={"zzzz": 1}), "cluster.zzzz")
    assert "did you mean" not in message
    assert (
        "allowed: allowed_cidrs, deletion_protection, in_cluster, kubernetes_version, public_endpoint, system_nodes"
        in message
    )


@pytest.mark.parametrize("field", ["name", "cloud", "region"])
def test_required_top_level_fields_are_reported_missing(make_doc, problem_at, field):
    doc = make_doc()
    del doc[field]
    assert problem_at(doc, field) == "required field is missing"


def test_unknown_cloud_lists_the_clouds(make_doc, problem_at):
    doc = make_doc()
    doc["cloud"] = "oracle"
    message = problem_at(doc, "cloud")
    assert all(cloud.value in message for cloud in Cloud)


@pytest.mark.parametrize("name", ["A-dev", "1dev", "dev-", "d", "a" * 21, "ml_dev"])
def test_environment_name_is_lowercase_short_and_hyphenated(make_doc, problem_at, name):
    assert problem_at(make_doc(name=name), "name")


# -- network -----------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["cidr", "pod_cidr", "service_cidr"])
def test_network_ranges_must_be_private(make_doc, problem_at, field):
    message = problem_at(make_doc(network={field: "8.8.0.0/16"}), f"network.{field}")
    assert "not private" in message
    assert "10.0.0.0/8" in message and "172.16.0.0/12" in message and "192.168.0.0/16" in message


ELSEWHERE_IN_192_168 = {"pod_cidr": "192.168.0.0/20", "service_cidr": "192.168.16.0/20"}


@pytest.mark.parametrize(
    "network",
    [
        {"cidr": "10.0.0.0/8", **ELSEWHERE_IN_192_168},
        {"cidr": "172.16.0.0/12", **ELSEWHERE_IN_192_168},
        {"cidr": "192.168.0.0/16"},
        {"cidr": "10.0.0.0/20"},
    ],
)
def test_network_cidr_accepts_private_prefixes_from_8_to_20(make_doc, parse, network):
    # The cloud-neutral range; AWS narrows it to /16 or smaller (tests/test_registry.py). GKE's
    # control plane /28 moves out of the way of a 172.16.0.0/12 network.
    control_plane = "10.255.255.240/28" if network["cidr"].startswith(("172.", "192.")) else "172.16.0.32/28"
    gcp = {"project": "ml-dev-project", "control_plane_cidr": control_plane}
    assert str(parse(make_doc(cloud="gcp", network=network, gcp=gcp)).network.cidr) == network["cidr"]


@pytest.mark.parametrize("cidr", ["10.0.0.0/21", "10.0.0.0/24", "192.168.0.0/28"])
def test_network_cidr_prefix_outside_8_to_20_is_refused(make_doc, problem_at, cidr):
    message = problem_at(make_doc(network={"cidr": cidr}), "network.cidr")
    assert "/8 to /20" in message


@pytest.mark.parametrize(
    "cidr,says",
    [
        ("10.0.0.1/16", "must be an IPv4 network like 10.0.0.0/16 (10.0.0.1/16 has host bits set)"),
        ("10.0.0.0/33", "must be an IPv4 network like 10.0.0.0/16"),
        ("ten/8", "must be an IPv4 network like 10.0.0.0/16"),
        ("10.0.0.0", "'10.0.0.0' has no prefix length; write the network as 10.0.0.0/16"),
    ],
)
def test_network_cidr_must_be_a_network_without_host_bits(make_doc, problem_at, cidr, says):
    assert says in problem_at(make_doc(network={"cidr": cidr}), "network.cidr")


def test_network_defaults_are_private_and_disjoint(make_doc, parse):
    net = parse(make_doc()).network
    ranges = [net.cidr, net.pod_cidr, net.service_cidr]
    assert all(r.is_private for r in ranges)
    assert not any(a.overlaps(b) for i, a in enumerate(ranges) for b in ranges[i + 1 :])


@pytest.mark.parametrize("zones", [0, 7])
def test_network_zones_are_between_1_and_6(make_doc, problem_at, zones):
    assert "should be" in problem_at(make_doc(network={"zones": zones}), "network.zones")


# -- cluster endpoint --------------------------------------------------------------------------


def test_public_endpoint_needs_allowed_cidrs(make_doc, problem_at):
    message = problem_at(make_doc(cluster={"public_endpoint": True}), "cluster")
    assert "public_endpoint is true but allowed_cidrs is empty" in message


def test_allowed_cidrs_need_a_public_endpoint(make_doc, problem_at):
    message = problem_at(make_doc(cluster={"allowed_cidrs": ["203.0.113.0/24"]}), "cluster")
    assert "allowed_cidrs only applies to a public endpoint" in message


def test_public_endpoint_with_allowed_cidrs_is_accepted(make_doc, parse):
    env = parse(make_doc(cluster={"public_endpoint": True, "allowed_cidrs": ["203.0.113.0/24"]}))
    assert env.cluster is not None and [str(c) for c in env.cluster.allowed_cidrs] == ["203.0.113.0/24"]


def test_kubernetes_version_is_a_minor_version(make_doc, problem_at, parse):
    assert parse(make_doc(cluster={"kubernetes_version": "1.33"})).cluster.kubernetes_version == "1.33"
    message = problem_at(make_doc(cluster={"kubernetes_version": "1.33.2"}), "cluster.kubernetes_version")
    assert message.startswith('must be a Kubernetes minor version as the cloud names it, like "1.33"')
    assert message.endswith("got '1.33.2'")


# -- compute: machine and scaling -------------------------------------------------------------


def _pool(make_doc, **fields):
    return make_doc(node_pools=[{"name": "train", "max_nodes": 4, **fields}])


def _scaling(min_nodes: int, desired: int | None, max_nodes: int) -> dict[str, int]:
    desired_field = {"desired_nodes": desired} if desired is not None else {}
    return {"min_nodes": min_nodes, "max_nodes": max_nodes, **desired_field}


@pytest.mark.parametrize("min_nodes,desired,max_nodes", [(0, 0, 1), (0, 2, 4), (2, 2, 2), (1, None, 3)])
def test_scaling_accepts_min_le_desired_le_max(make_doc, parse, min_nodes, desired, max_nodes):
    fields = _scaling(min_nodes, desired, max_nodes)
    pool = parse(make_doc(node_pools=[{"name": "train", "accelerator": "H100:8", **fields}])).node_pools[0]
    assert pool.min_nodes <= pool.desired_nodes <= pool.max_nodes


@pytest.mark.parametrize("min_nodes,desired,max_nodes", [(3, None, 2), (0, 5, 4), (2, 1, 4)])
def test_scaling_refuses_anything_but_min_le_desired_le_max(make_doc, problem_at, min_nodes, desired, max_nodes):
    fields = _scaling(min_nodes, desired, max_nodes)
    message = problem_at(make_doc(node_pools=[{"name": "train", "accelerator": "H100:8", **fields}]), "node_pools[0]")
    assert "min_nodes <= desired_nodes <= max_nodes" in message
    assert f"{min_nodes} <= {min_nodes if desired is None else desired} <= {max_nodes}" in message


def test_desired_nodes_defaults_to_min_nodes(make_doc, parse):
    pool = parse(_pool(make_doc, accelerator="H100:8", min_nodes=3)).node_pools[0]
    assert pool.desired_nodes == pool.desired == 3


@pytest.mark.parametrize(
    "field,value",
    [("min_nodes", -1), ("max_nodes", 0), ("max_nodes", 1001), ("disk_size_gb", 49), ("disk_size_gb", 16385)],
)
def test_scaling_and_disk_numbers_have_ranges(make_doc, problem_at, field, value):
    message = problem_at(_pool(make_doc, accelerator="H100:8", **{field: value}), f"node_pools[0].{field}")
    assert "should be" in message


def test_compute_needs_an_accelerator_or_an_instance_type(make_doc, problem_at):
    assert "give an accelerator" in problem_at(_pool(make_doc), "node_pools[0]")


def test_accelerator_count_needs_an_accelerator(make_doc, problem_at):
    message = problem_at(_pool(make_doc, instance_type="m6i.large", accelerator_count=2), "node_pools[0]")
    assert "accelerator_count needs an accelerator" in message


def test_accelerator_count_defaults_to_one(make_doc, parse):
    assert parse(_pool(make_doc, accelerator="L4")).node_pools[0].accelerator_count == 1


@pytest.mark.parametrize("shorthand", ["H100:8", "H100 x 8", "h100:8", "H100×8"])
def test_accelerator_shorthand_sets_name_and_count(make_doc, parse, shorthand):
    pool = parse(_pool(make_doc, accelerator=shorthand)).node_pools[0]
    assert (pool.accelerator, pool.accelerator_count) == ("H100", 8)


@pytest.mark.parametrize("count", [8, "8"])
def test_accelerator_shorthand_with_the_same_count_repeated_is_accepted(make_doc, parse, count):
    assert parse(_pool(make_doc, accelerator="H100:8", accelerator_count=count)).node_pools[0].accelerator_count == 8


def test_accelerator_shorthand_conflicting_with_accelerator_count_is_refused(make_doc, problem_at):
    message = problem_at(_pool(make_doc, accelerator="H100:8", accelerator_count=4), "node_pools[0]")
    assert "'H100:8' says 8 GPUs but accelerator_count is 4" in message
    assert "give the count once" in message


@pytest.mark.parametrize("count", [0, 17])
def test_accelerator_count_is_between_1_and_16(make_doc, problem_at, count):
    assert problem_at(_pool(make_doc, accelerator="H100", accelerator_count=count), "node_pools[0].accelerator_count")


# -- labels and taints -------------------------------------------------------------------------


@pytest.mark.parametrize("effect", list(TaintEffect))
def test_taint_effects_are_the_kubernetes_ones(make_doc, parse, effect):
    taint = {"key": "dedicated", "value": "training", "effect": effect.value}
    assert parse(_pool(make_doc, accelerator="H100:8", taints=[taint])).node_pools[0].taints[0].effect is effect


def test_unknown_taint_effect_lists_the_allowed_effects(make_doc, problem_at):
    doc = _pool(make_doc, accelerator="H100:8", taints=[{"key": "dedicated", "effect": "NoSchedul"}])
    message = problem_at(doc, "node_pools[0].taints[0].effect")
    assert all(effect.value in message for effect in TaintEffect)


@pytest.mark.parametrize("field,value", [("key", "has space"), ("key", "-lead"), ("value", "x y"), ("value", "v" * 64)])
def test_taint_keys_and_values_follow_kubernetes_label_syntax(make_doc, problem_at, field, value):
    taint = {"key": "dedicated", field: value}
    assert problem_at(_pool(make_doc, accelerator="H100:8", taints=[taint]), f"node_pools[0].taints[0].{field}")


@pytest.mark.parametrize("key,value", [("workload", "training"), ("example.com/team", "ml_platform-1.0"), ("a", "")])
def test_labels_accept_kubernetes_keys_and_values(make_doc, parse, key, value):
    assert parse(_pool(make_doc, accelerator="H100:8", labels={key: value})).node_pools[0].labels == {key: value}


@pytest.mark.parametrize("key", ["Bad Key", "-lead", "trail-", "Example.com/x", "k" * 64])
def test_label_keys_outside_kubernetes_syntax_are_refused(make_doc, problem_at, key):
    message = problem_at(_pool(make_doc, accelerator="H100:8", labels={key: "v"}), f"node_pools[0].labels.{key}")
    assert message.startswith(f"key {key!r}: ")
    assert "must be a Kubernetes label key" in message or "at most 63" in message


@pytest.mark.parametrize("value", ["has space", "-lead", "v" * 64])
def test_label_values_outside_kubernetes_syntax_are_refused(make_doc, problem_at, value):
    doc = _pool(make_doc, accelerator="H100:8", labels={"workload": value})
    assert problem_at(doc, "node_pools[0].labels.workload")


# -- tags --------------------------------------------------------------------------------------


@pytest.mark.parametrize("key,value", [("team", "ml-platform"), ("cost_center", "r_and_d-2"), ("x", "")])
def test_tags_accept_the_portable_subset(make_doc, parse, key, value):
    assert parse(make_doc(tags={key: value})).tags == {key: value}


@pytest.mark.parametrize(
    "key,value",
    [
        ("Team", "ml"),
        ("1team", "ml"),
        ("team.name", "ml"),
        ("t" * 64, "ml"),
        ("team", "ML"),
        ("team", "a b"),
        ("team", "v" * 64),
    ],  # fmt: skip
)
def test_tags_outside_the_portable_subset_are_refused(make_doc, problems, key, value):
    found = problems(make_doc(tags={key: value}))
    assert found and all(p.path == f"tags.{key}" for p in found)


# -- buckets -----------------------------------------------------------------------------------


def _bucket(make_doc, **fields):
    return make_doc(buckets=[{"name": "data", "purpose": "datasets", **fields}])


@pytest.mark.parametrize("name", ["Data", "da_ta", "data-", "-data", "9data", "da--ta", "da.ta", "ab", "d" * 41])
def test_bucket_names_are_portable_across_s3_gcs_and_azure(make_doc, problem_at, name):
    message = problem_at(_bucket(make_doc, name=name), "buckets[0].name")
    assert "valid on S3, GCS and Azure" in message or "at least 3" in message or "at most 40" in message


def test_customer_key_id_needs_customer_key_encryption(make_doc, problem_at, parse):
    key = "arn:aws:kms:us-east-1:123456789012:key/abc"
    message = problem_at(_bucket(make_doc, customer_key_id=key), "buckets[0]")
    assert "customer_key_id needs encryption: customer-key" in message
    assert parse(_bucket(make_doc, customer_key_id=key, encryption="customer-key")).buckets[0].customer_key_id == key


@pytest.mark.parametrize("purpose", list(BucketPurpose))
def test_versioning_is_on_by_default_exactly_for_checkpoints_and_models(make_doc, parse, purpose):
    bucket = parse(_bucket(make_doc, purpose=purpose.value)).buckets[0]
    assert bucket.versioning is None
    assert bucket.versioned is (purpose in (BucketPurpose.CHECKPOINTS, BucketPurpose.MODELS))


@pytest.mark.parametrize("purpose", list(BucketPurpose))
@pytest.mark.parametrize("versioning", [True, False])
def test_explicit_versioning_overrides_the_default(make_doc, parse, purpose, versioning):
    assert parse(_bucket(make_doc, purpose=purpose.value, versioning=versioning)).buckets[0].versioned is versioning


def test_expiring_noncurrent_versions_needs_versioning(make_doc, problem_at, parse):
    lifecycle = {"expire_noncurrent_after_days": 30}
    message = problem_at(_bucket(make_doc, purpose="datasets", lifecycle=lifecycle), "buckets[0]")
    assert "needs versioning" in message
    unversioned = _bucket(make_doc, purpose="checkpoints", versioning=False, lifecycle=lifecycle)
    assert "needs versioning" in problem_at(unversioned, "buckets[0]")
    assert parse(_bucket(make_doc, purpose="checkpoints", lifecycle=lifecycle)).buckets[0].versioned


def test_deletion_protection_is_on_by_default(make_doc, parse):
    assert parse(_bucket(make_doc)).buckets[0].deletion_protection is True


@pytest.mark.parametrize("size", [-1, float("inf"), float("nan")])
def test_expected_bucket_size_is_a_finite_non_negative_number(make_doc, problem_at, size):
    assert problem_at(_bucket(make_doc, expected_size_gb=size), "buckets[0].expected_size_gb")


# -- budget ------------------------------------------------------------------------------------


def _budget(make_doc, **fields):
    return make_doc(budget={"monthly_usd": 1000, "alert_emails": ["ops@example.com"], **fields})


def test_budget_has_default_alert_thresholds(make_doc, parse):
    assert parse(_budget(make_doc)).budget.alert_thresholds_percent == [50.0, 80.0, 100.0]


@pytest.mark.parametrize("thresholds,path", [([0], "[0]"), ([50, 501], "[1]"), ([], "")])
def test_budget_thresholds_are_a_non_empty_list_of_percentages_up_to_500(make_doc, problem_at, thresholds, path):
    assert problem_at(_budget(make_doc, alert_thresholds_percent=thresholds), f"budget.alert_thresholds_percent{path}")


@pytest.mark.parametrize("emails,path", [(["not-an-email"], "[0]"), (["a@example.com", "b @x.io"], "[1]"), ([], "")])
def test_budget_alert_emails_are_a_non_empty_list_of_addresses(make_doc, problem_at, emails, path):
    assert problem_at(_budget(make_doc, alert_emails=emails), f"budget.alert_emails{path}")


@pytest.mark.parametrize("limit", [0, -5, float("inf"), float("nan")])
def test_budget_limit_is_a_positive_finite_amount(make_doc, problem_at, limit):
    assert problem_at(_budget(make_doc, monthly_usd=limit), "budget.monthly_usd")


# -- several problems at once ------------------------------------------------------------------


def test_spec_error_collects_every_structural_problem_at_once(make_doc, problems):
    doc = make_doc(name="Bad_Name", network={"cidr": "8.8.0.0/16"}, tags={"Team": "x"})
    doc["node_pools"][0]["max_node"] = 2
    found = problems(doc)
    assert len(found) == 4
    assert {p.path for p in found} == {"name", "network.cidr", "tags.Team", "node_pools[0].max_node"}


def test_spec_error_message_counts_and_lists_each_problem(make_doc, tiny_catalog):
    with pytest.raises(SpecError) as caught:
        parse_environment(make_doc(name="X", network={"zones": 9}), tiny_catalog, source="env.yaml")
    error = caught.value
    assert len(error.problems) == 2
    assert str(error).splitlines()[0] == "invalid environment spec in env.yaml (2 problems):"
    assert all(f"  - {problem}" in str(error) for problem in error.problems)


def test_models_are_frozen_so_a_validated_spec_cannot_drift(make_doc, parse):
    env = parse(make_doc())
    with pytest.raises(ValidationError, match="frozen"):
        env.name = "other"  # type: ignore[misc]
