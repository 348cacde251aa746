"""Billed groups of the spec's pools and groups when a cloud builds each capacity group as its own
scaling unit (GKE node pools, AKS agent pools): the shared capacity split, priced per group."""

from __future__ import annotations

from aimodel_infra.catalog import Catalog
from aimodel_infra.plan.billing import BilledGroup, ComputeKind
from aimodel_infra.plan.capacity import capacity_groups
from aimodel_infra.spec.models import AutoscalingGroup, Environment


def billed_capacity_groups(env: Environment, catalog: Catalog) -> list[BilledGroup]:
    billed = []
    for compute in env.compute:
        offering = catalog.offering_for(
            env.cloud.value, env.region, compute.accelerator, compute.accelerator_count, compute.instance_type
        )
        kind: ComputeKind = "autoscaling_group" if isinstance(compute, AutoscalingGroup) else "node_pool"
        for group in capacity_groups(compute):
            billed.append(
                BilledGroup(
                    compute=compute.name,
                    kind=kind,
                    instance_type=offering.instance_type,
                    capacity=group.capacity,
                    min_nodes=group.min_nodes,
                    desired_nodes=group.desired_nodes,
                    max_nodes=group.max_nodes,
                    label=f"{compute.name}-{group.suffix}",
                )
            )
    return billed


def system_group(
    env: Environment, instance_type: str, disk_gb: int = 0, disk_fee: str | None = None
) -> list[BilledGroup]:
    """The Kubernetes system pool: ``cluster.system_nodes`` on-demand CPU nodes with their root disks."""
    if env.cluster is None:
        return []
    n = env.cluster.system_nodes
    return [
        BilledGroup(
            "system", "system_pool", instance_type, "on_demand", n, n, n, label="system", disk_gb=disk_gb,
            disk_fee=disk_fee,
        )
    ]  # fmt: skip
