"""Zones by zone ID: EKS-refused zones left out, zones offering the spec's GPUs preferred, and each group
given only the subnets of zones that offer its instance type."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from aimodel_infra.aws import AwsEnvironment
from aimodel_infra.aws.spec_rules import aws_problems
from aimodel_infra.aws.testing.state import zone_id
from aimodel_infra.aws.zones import choose_zones, eks_excluded_zone_ids, zones_for_type, zones_offering
from aimodel_infra.catalog import Catalog, default_catalog
from aimodel_infra.errors import SpecError
from aimodel_infra.testing import ResourceGraph, run_program

AZ_INVOKE = "aws:index/getAvailabilityZones:getAvailabilityZones"
#: Zone data as the catalog gives it for us-east-1 (p5 everywhere, g6 and g5 not in az3/az5 here).
OFFERED = {
    "p5.48xlarge": ("use1-az1", "use1-az2", "use1-az4", "use1-az5", "use1-az6"),
    "g6.xlarge": ("use1-az1", "use1-az4", "use1-az6"),
    "g5.xlarge": ("use1-az2", "use1-az4", "use1-az6"),
}


@dataclass(frozen=True)
class ZoneCatalog(Catalog):
    """The bundled prices plus per-zone data, the shape the catalog's zone API has."""

    def zones_offering(self, cloud: str, region: str, instance_type: str) -> tuple[str, ...] | None:
        return OFFERED.get(instance_type)

    def eks_unsupported_zone_ids(self, region: str) -> frozenset[str]:
        return frozenset({"us-east-1": {"use1-az3"}, "us-west-1": {"usw1-az2"}}.get(region, ()))


def zone_catalog() -> ZoneCatalog:
    base = default_catalog()
    return ZoneCatalog(offerings=base.offerings, fees=base.fees, zones=base.zones)


# -- the plan -----------------------------------------------------------------------------------
def test_zones_offering_more_of_the_specs_types_win_and_keep_the_providers_order() -> None:
    ids = ["use1-az1", "use1-az2", "use1-az4", "use1-az5", "use1-az6"]
    offered = [frozenset(OFFERED["g6.xlarge"]), frozenset(OFFERED["g5.xlarge"]), None]
    assert choose_zones(ids, 3, offered) == ["use1-az1", "use1-az4", "use1-az6"]


def test_asking_for_more_zones_than_usable_ones_names_them() -> None:
    with pytest.raises(ValueError, match=r"asks for 3 zones but this account has 2 usable ones \(use1-az1, use1-az2"):
        choose_zones(["use1-az1", "use1-az2"], 3, [])


def test_a_group_gets_the_zones_offering_its_type_or_all_when_unknown() -> None:
    chosen = ["use1-az1", "use1-az2", "use1-az4"]
    assert zones_for_type(chosen, frozenset(OFFERED["g5.xlarge"])) == [1, 2]
    assert zones_for_type(chosen, None) == [0, 1, 2]


def test_a_catalog_without_zone_data_excludes_nothing_and_offers_everywhere() -> None:
    class Bare:
        pass

    assert eks_excluded_zone_ids(Bare(), "us-east-1") == ()  # type: ignore[arg-type]
    assert zones_offering(Bare(), "us-east-1", "p5.48xlarge") is None  # type: ignore[arg-type]


# -- the aws-dev graph with zone data -------------------------------------------------------------
@pytest.fixture(scope="module")
def graph(aws_env) -> ResourceGraph:
    return run_program(lambda: AwsEnvironment(aws_env.name, aws_env, zone_catalog()))


def subnet_zone_ids(graph: ResourceGraph) -> dict[str, str]:
    """subnet id -> zone ID, as the recording mocks map this account's zone names (us-east-1c is use1-az3)."""
    subnets = graph.of_type("aws:ec2/subnet:Subnet")
    return {s.id: zone_id("us-east-1", s.inputs["availabilityZone"][-1]) for s in subnets}


def test_the_provider_is_asked_to_leave_out_the_zone_ids_eks_refuses(graph: ResourceGraph) -> None:
    (args,) = [a for token, a in graph.invokes if token == AZ_INVOKE]
    assert args["excludeZoneIds"] == ["use1-az3"]
    assert "use1-az3" not in subnet_zone_ids(graph).values()


def test_each_node_group_and_asg_launches_only_in_zones_offering_its_type(graph: ResourceGraph) -> None:
    zone_of = subnet_zone_ids(graph)
    groups = [
        (g.inputs["instanceTypes"][0], g.inputs["subnetIds"]) for g in graph.of_type("aws:eks/nodeGroup:NodeGroup")
    ]
    for asg in graph.of_type("aws:autoscaling/group:Group"):
        overrides = asg.inputs["mixedInstancesPolicy"]["launchTemplate"]["overrides"]
        groups.append((overrides[0]["instanceType"], asg.inputs["vpcZoneIdentifiers"]))
    checked = [t for t, _ in groups if t in OFFERED]
    assert sorted(set(checked)) == ["g5.xlarge", "g6.xlarge", "p5.48xlarge"]
    for instance_type, subnets in groups:
        zones = {zone_of[s] for s in subnets}
        assert zones, instance_type
        if instance_type in OFFERED:
            assert zones <= set(OFFERED[instance_type]), instance_type


# -- validate -----------------------------------------------------------------------------------
def test_validate_reports_a_region_left_with_fewer_than_two_zones_eks_accepts(env_variant) -> None:
    # The bundled catalog carries EKS's zone exclusions (usw1-az2), so the spec is refused as it is read.
    with pytest.raises(SpecError) as caught:
        env_variant(region="us-west-1", network={"zones": 2}, node_pools=[], autoscaling_groups=[], buckets=[])
    problems = caught.value.problems
    assert [p.path for p in problems if "usable zones" in p.message] == ["region"]
    assert "EKS refuses usw1-az2" in str([p.message for p in problems])


def test_validate_accepts_us_east_1_minus_use1_az3(aws_env) -> None:
    assert not [p for p in aws_problems(aws_env, zone_catalog()) if p.path in ("region", "network.zones")]


@pytest.mark.parametrize("key", ["node-role.kubernetes.io/gpu", "k8s.io/x", "eks.amazonaws.com/nodegroup"])
def test_node_labels_with_prefixes_eks_reserves_are_rejected_naming_the_label(env_variant, key: str) -> None:
    env = env_variant()
    pool = env.node_pools[0].model_copy(update={"labels": {key: "true"}})
    problems = aws_problems(env.model_copy(update={"node_pools": [pool, *env.node_pools[1:]]}), default_catalog())
    assert [p.path for p in problems] == ["node_pools[0].labels"] and key in problems[0].message


def test_the_autoscalers_gpu_label_domain_is_not_reserved(aws_env) -> None:
    from aimodel_infra.aws.spec_rules import reserved_label_problems

    assert reserved_label_problems({"k8s.amazonaws.com/accelerator": "nvidia-h100", "workload": "x"}, "p") == []
