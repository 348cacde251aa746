"""The worst case we print equals the most the recorded aws-dev graph can run, priced from the graph alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from aimodel_infra.aws.billable import billable
from aimodel_infra.catalog import HOURS_PER_MONTH, Catalog, default_catalog
from aimodel_infra.cost import estimate
from aimodel_infra.testing import RecordedResource, ResourceGraph

from .example_stack import mocks_run

#: gp3 list price per GB-month in us-east-1 (fees.csv root_disk_gp3; pinned literal).
GP3_GB_MONTH = 0.08


def root_volume_gb(graph: ResourceGraph, template_id: str) -> int:
    (template,) = [t for t in graph.of_type("aws:ec2/launchTemplate:LaunchTemplate") if t.id == template_id]
    (root,) = template.inputs["blockDeviceMappings"]
    assert root["ebs"]["volumeType"] == "gp3"
    return int(root["ebs"]["volumeSize"])


def node_hour(catalog: Catalog, instance_type: str, spot: bool, disk_gb: int) -> float:
    """The instance at its capacity's price plus its gp3 root volume's share of a month."""
    offering = catalog.instance("aws", "us-east-1", instance_type)
    assert offering is not None
    price = offering.spot_price_per_hour if spot and offering.spot_price_per_hour else offering.price_per_hour
    return price + disk_gb * GP3_GB_MONTH / HOURS_PER_MONTH


def node_group_ceiling(graph: ResourceGraph, group: RecordedResource, catalog: Catalog) -> float:
    """maxSize nodes of the most expensive listed type at the group's capacity type, with their root disks."""
    disk = root_volume_gb(graph, group.inputs["launchTemplate"]["id"])
    spot = group.inputs["capacityType"] == "SPOT"
    worst = max(node_hour(catalog, t, spot, disk) for t in group.inputs["instanceTypes"])
    return group.inputs["scalingConfig"]["maxSize"] * worst


def asg_ceiling(graph: ResourceGraph, group: RecordedResource, catalog: Catalog) -> float:
    """The on-demand base at on-demand, everything above it up to maxSize at spot."""
    policy = group.inputs["mixedInstancesPolicy"]
    disk = root_volume_gb(graph, policy["launchTemplate"]["launchTemplateSpecification"]["launchTemplateId"])
    types = [o["instanceType"] for o in policy["launchTemplate"]["overrides"]]
    base = policy["instancesDistribution"]["onDemandBaseCapacity"]
    assert policy["instancesDistribution"]["onDemandPercentageAboveBaseCapacity"] == 0
    on_demand = max(node_hour(catalog, t, False, disk) for t in types)
    spot = max(node_hour(catalog, t, True, disk) for t in types)
    return base * on_demand + (group.inputs["maxSize"] - base) * spot


def test_the_printed_compute_worst_case_is_the_ceiling_of_the_recorded_graph(aws_env) -> None:
    catalog, graph = default_catalog(), mocks_run()
    hourly = sum(node_group_ceiling(graph, g, catalog) for g in graph.of_type("aws:eks/nodeGroup:NodeGroup"))
    hourly += sum(asg_ceiling(graph, g, catalog) for g in graph.of_type("aws:autoscaling/group:Group"))
    printed = estimate(aws_env, catalog)
    assert sum(c.worst_case_monthly for c in printed.compute) == pytest.approx(hourly * HOURS_PER_MONTH)
    # The fallback ceiling is in it: train's spot and on-demand groups both at max (2 + 2 p5.48xlarge).
    (train,) = [c for c in printed.compute if c.name == "train"]
    assert train.worst_case_monthly > 2 * 98.32 * HOURS_PER_MONTH + 2 * 30.0 * HOURS_PER_MONTH
    assert printed.worst_case_monthly <= printed.budget_monthly


def billed_label(group: RecordedResource) -> str:
    """The billable plan's label of a recorded group: its logical name without the environment."""
    return group.name.removeprefix("aws-dev-").replace("cluster-system", "system")


def recorded_groups(graph: ResourceGraph) -> dict[str, tuple[int, int]]:
    """Each recorded node group and ASG by its billed label: (maxSize, its launch template's root GB)."""
    groups = {}
    for group in graph.of_type("aws:eks/nodeGroup:NodeGroup"):
        disk = root_volume_gb(graph, group.inputs["launchTemplate"]["id"])
        groups[billed_label(group)] = (group.inputs["scalingConfig"]["maxSize"], disk)
    for group in graph.of_type("aws:autoscaling/group:Group"):
        spec = group.inputs["mixedInstancesPolicy"]["launchTemplate"]["launchTemplateSpecification"]
        groups[billed_label(group)] = (group.inputs["maxSize"], root_volume_gb(graph, spec["launchTemplateId"]))
    return groups


def test_every_billed_group_bills_the_root_volume_its_recorded_launch_template_creates(aws_env) -> None:
    catalog, graph = default_catalog(), mocks_run()
    billed = billable(aws_env, catalog).groups
    assert {g.label: (g.max_nodes, g.disk_gb) for g in billed} == recorded_groups(graph)
    assert {g.disk_fee for g in billed} == {"root_disk_gp3"}  # the templates' volumeType, checked as gp3 above
    for template in graph.of_type("aws:ec2/launchTemplate:LaunchTemplate"):
        (root,) = template.inputs["blockDeviceMappings"]
        assert "iops" not in root["ebs"] and "throughput" not in root["ebs"]  # gp3's included baseline only


def test_the_recorded_root_volumes_at_their_groups_max_add_their_gp3_price_to_the_worst_case(aws_env) -> None:
    base = default_catalog()
    without_disks = Catalog(base.offerings, {k: f for k, f in base.fees.items() if k[1] != "root_disk_gp3"}, base.zones)
    rise = estimate(aws_env, base).worst_case_monthly - estimate(aws_env, without_disks).worst_case_monthly
    gb_at_worst = sum(max_size * disk for max_size, disk in recorded_groups(mocks_run()).values())
    assert gb_at_worst == 3800  # train 2 + 2 x 500, infer 4 x 200, batch 4 x 200, system 2 x 100
    assert rise == pytest.approx(gb_at_worst * GP3_GB_MONTH)


@dataclass(frozen=True)
class VersionedCatalog(Catalog):
    """The bundled catalog plus the support-state lookup the catalog's version data provides."""

    def control_plane_fee_name(self, cloud: str, version: str, today: date) -> str:
        extended_from = {"1.33": date(2026, 7, 30)}.get(version)
        return "control_plane_extended" if extended_from and today >= extended_from else "control_plane"


@pytest.mark.parametrize(
    ("version", "fee", "hourly"), [("1.33", "control_plane_extended", 0.60), ("1.35", "control_plane", 0.10)]
)
def test_the_control_plane_is_billed_by_its_versions_support_state(
    env_variant, version: str, fee: str, hourly: float
) -> None:
    base = default_catalog()
    catalog = VersionedCatalog(offerings=base.offerings, fees=base.fees, zones=base.zones)
    env = env_variant(cluster={"kubernetes_version": version})
    (billed,) = [f for f in billable(env, catalog, today=date(2026, 12, 1)).fees if f.label == "control_plane"]
    assert billed.fee == fee  # priced at the catalog row of that name (extended: $0.60/h)
