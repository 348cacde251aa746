"""What the AWS builder runs, as a :class:`~aimodel_infra.plan.billing.BillablePlan` for cost.

Built from the builder's own plans: the node groups :func:`plan_node_groups` creates (the
on-demand fallback group of ``spot_with_fallback`` included), the autoscaling groups' on-demand
base and spot remainder, the EKS system node group, one NAT gateway per zone in :func:`nat_zones`,
the control
plane at the fee of its Kubernetes version's support state (extended support costs six times the
standard fee), and one KMS key per key the builder creates (the cluster's secrets key, each ``customer-key``
bucket without its own key).

Every node's root volume is the launch template's: ``disk_size_gb`` (``SYSTEM_DISK_GB`` for the system
nodes) of ``ROOT_VOLUME_TYPE`` at its included IOPS and throughput, billed per GB-month at the catalog fee
``root_disk_gp3`` while the node exists.
"""

from __future__ import annotations

from datetime import date

from aimodel_infra.aws.node_plan import ROOT_VOLUME_TYPE, SYSTEM_DISK_GB, SYSTEM_INSTANCE_TYPE, plan_node_groups
from aimodel_infra.aws.subnets import nat_zones
from aimodel_infra.catalog import Catalog
from aimodel_infra.plan.billing import BillablePlan, BilledFee, BilledGroup
from aimodel_infra.spec.models import AutoscalingGroup, Capacity, Encryption, Environment
from aimodel_infra.spec.paths import compute_path

SYSTEM_POOL = "system"
ROOT_DISK_FEE = f"root_disk_{ROOT_VOLUME_TYPE}"


def root_disk_fee(instance_type: str) -> str:
    """Every instance we launch gets the same EBS root volume type, whatever its instance type."""
    return ROOT_DISK_FEE


def billable(env: Environment, catalog: Catalog, today: date | None = None) -> BillablePlan:
    today = today or date.today()
    groups = [*_node_groups(env, catalog), *_autoscaling_groups(env, catalog), *_system_pool(env)]
    fees = [*_cluster_fees(env, catalog, today), *_network_fees(env), *_bucket_fees(env)]
    return BillablePlan(tuple(groups), tuple(fees))


def control_plane_fee(catalog: Catalog, version: str, today: date) -> str:
    """``control_plane_extended`` while ``version`` is past EKS standard support on ``today`` (the cluster
    is still created there: upgrade_policy STANDARD only upgrades it at the end of standard support)."""
    fee_name = getattr(catalog, "control_plane_fee_name", None)
    return fee_name("aws", version, today) if fee_name is not None else "control_plane"


def _node_groups(env: Environment, catalog: Catalog) -> list[BilledGroup]:
    billed = []
    for pool in env.node_pools:
        for plan in plan_node_groups(pool, catalog, env.region, compute_path(env, pool.name)):
            billed.append(
                BilledGroup(
                    compute=pool.name,
                    kind="node_pool",
                    instance_type=plan.instance_types[0],
                    capacity="spot" if plan.capacity_type == "SPOT" else "on_demand",
                    min_nodes=plan.min_size,
                    desired_nodes=plan.desired_size,
                    max_nodes=plan.max_size,
                    label=f"{pool.name}-{plan.suffix}",
                    disk_gb=pool.disk_size_gb,
                    disk_fee=root_disk_fee(plan.instance_types[0]),
                )
            )
    return billed


def _autoscaling_groups(env: Environment, catalog: Catalog) -> list[BilledGroup]:
    """One ASG each; with spot, its on-demand base (``min_nodes`` for spot_with_fallback) and the
    spot remainder are billed apart (see ``autoscaling_group.instances_distribution``)."""
    billed = []
    for group in env.autoscaling_groups:
        offering = catalog.offering_for(
            "aws", env.region, group.accelerator, group.accelerator_count, group.instance_type
        )
        billed += _asg_parts(group, offering.instance_type)
    return billed


def _asg_parts(group: AutoscalingGroup, instance_type: str) -> list[BilledGroup]:
    def part(capacity: str, low: int, desired: int, high: int, suffix: str) -> BilledGroup:
        return BilledGroup(group.name, "autoscaling_group", instance_type, capacity, low, desired, high,  # type: ignore[arg-type]
                           label=f"{group.name}{suffix}", disk_gb=group.disk_size_gb,
                           disk_fee=root_disk_fee(instance_type))  # fmt: skip

    if group.capacity is Capacity.ON_DEMAND:
        return [part("on_demand", group.min_nodes, group.desired, group.max_nodes, "")]
    if group.capacity is Capacity.SPOT:
        return [part("spot", group.min_nodes, group.desired, group.max_nodes, "")]
    base = group.min_nodes
    return [
        part("spot", 0, group.desired - base, group.max_nodes - base, " (spot above the base)"),
        part("on_demand", base, base, base, " (on-demand base)"),
    ]


def _system_pool(env: Environment) -> list[BilledGroup]:
    if env.cluster is None:
        return []
    n = env.cluster.system_nodes
    return [
        BilledGroup(
            SYSTEM_POOL,
            "system_pool",
            SYSTEM_INSTANCE_TYPE,
            "on_demand",
            n,
            n,
            n,
            label=SYSTEM_POOL,
            disk_gb=SYSTEM_DISK_GB,
            disk_fee=root_disk_fee(SYSTEM_INSTANCE_TYPE),
        )
    ]


def _cluster_fees(env: Environment, catalog: Catalog, today: date) -> list[BilledFee]:
    if env.cluster is None:
        return []
    fee = control_plane_fee(catalog, env.cluster.kubernetes_version, today)
    return [BilledFee(fee, "control_plane", 1), BilledFee("kms_key", "kms_key:cluster-secrets", 1)]


def _network_fees(env: Environment) -> list[BilledFee]:
    gateways = len(nat_zones(env.network.nat, env.network.zones))
    return [BilledFee("nat_gateway", "nat_gateway", gateways)] if gateways else []


def _bucket_fees(env: Environment) -> list[BilledFee]:
    fees = []
    for bucket in env.buckets:
        fees.append(BilledFee("object_storage", f"object_storage:{bucket.name}", bucket.expected_size_gb))
        if bucket.encryption is Encryption.CUSTOMER_KEY and bucket.customer_key_id is None:
            fees.append(BilledFee("kms_key", f"kms_key:{bucket.name}", 1))
    return fees
