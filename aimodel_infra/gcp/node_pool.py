"""A spec node pool as GKE node pools (see :mod:`aimodel_infra.gcp.node_plan` for the plan).

Per capacity group one ``gcp.container.NodePool`` in the zones that offer its machine type:

- the machine type from the catalog, with its GPUs declared as ``guest_accelerators`` and
  ``gpu_driver_installation_config.gpu_driver_version = "DEFAULT"``, so GKE installs the NVIDIA
  driver and runs its device plugin (N1 hosts need the entry to get a T4 at all; A2/A3/G2 carry
  their GPUs and the entry sets the driver);
- ``spot`` for spot groups; autoscaling on pool totals with ``location_policy="ANY"``;
- the ``nvidia.com/gpu=present:NoSchedule`` taint and our labels set explicitly;
- the shared hardened node settings (:mod:`aimodel_infra.gcp.nodes`) and a boot disk of
  ``disk_size_gb``;
- upgrades with ``max_surge=0, max_unavailable=1`` for GPU pools: an upgrade never needs a spare
  GPU node (quota, stockouts), at the cost of one node less while it runs.

``initial_node_count`` (per zone) only matters at creation, and changing it would recreate the
pool; it is ignored afterwards, and the autoscaler owns the size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import pulumi
import pulumi_gcp as gcp

from aimodel_infra.gcp.context import COMPUTE_LABEL, GcpContext
from aimodel_infra.gcp.names import GKE_NAME_MAX, fit_name
from aimodel_infra.gcp.node_plan import NodePoolPlan, plan_node_pools
from aimodel_infra.gcp.nodes import hardened_node_settings
from aimodel_infra.spec.models import NodePool

if TYPE_CHECKING:
    from aimodel_infra.gcp.cluster import Cluster

TYPE_TOKEN: Final = "aimodel:gcp:GpuNodePool"
GPU_DRIVER_VERSION: Final = "DEFAULT"
LOCATION_POLICY: Final = "ANY"
INITIAL_COUNT_PATH: Final = "initialNodeCount"


def pool_path(context: GcpContext, pool: NodePool) -> str:
    index = next((i for i, p in enumerate(context.env.node_pools) if p.name == pool.name), None)
    return f"node_pools[{index}]" if index is not None else f"node_pools[name={pool.name}]"


def node_config(plan: NodePoolPlan, context: GcpContext, service_account: pulumi.Input[str]) -> dict[str, Any]:
    """The pool's ``node_config``: hardened settings plus this plan's machine, GPUs, labels and taints."""
    config: dict[str, Any] = {
        **hardened_node_settings(service_account),
        "machine_type": plan.machine.machine_type,
        "disk_size_gb": plan.disk_size_gb,
        "spot": plan.group.capacity == "spot",
        "labels": dict(plan.labels),
        "taints": plan.gke_taints,
        "resource_labels": context.labels_for(**{COMPUTE_LABEL: plan.pool, "aimodel-capacity": plan.suffix}),
    }
    if plan.machine.accelerator_type:
        config["guest_accelerators"] = [
            {
                "type": plan.machine.accelerator_type,
                "count": plan.machine.accelerator_count,
                "gpu_driver_installation_config": {"gpu_driver_version": GPU_DRIVER_VERSION},
            }
        ]
    return config


def upgrade_settings(plan: NodePoolPlan) -> dict[str, Any]:
    if plan.machine.accelerator_type:
        return {"strategy": "SURGE", "max_surge": 0, "max_unavailable": 1}
    return {"strategy": "SURGE", "max_surge": 1, "max_unavailable": 0}


@dataclass(frozen=True)
class GpuNodePoolArgs:
    pool: NodePool
    context: GcpContext
    cluster: Cluster


class GpuNodePool(pulumi.ComponentResource):
    """One spec node pool (GPU or CPU). Exposes ``node_pools``, ``node_pool_names`` and ``plans``."""

    node_pools: list[gcp.container.NodePool]
    node_pool_names: list[pulumi.Output[str]]
    plans: tuple[NodePoolPlan, ...]

    def __init__(self, name: str, args: GpuNodePoolArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        pool, context, cluster = args.pool, args.context, args.cluster
        self.plans = plan_node_pools(context.env, pool, context.catalog, pool_path(context, pool))
        super().__init__(TYPE_TOKEN, name, None, opts)
        self.node_pools = [
            gcp.container.NodePool(
                fit_name(name, plan.suffix, GKE_NAME_MAX),
                project=context.project,
                cluster=cluster.id,
                location=context.region,
                node_locations=list(plan.zones),
                initial_node_count=plan.initial_per_zone,
                autoscaling={
                    "total_min_node_count": plan.group.min_nodes,
                    "total_max_node_count": plan.group.max_nodes,
                    "location_policy": LOCATION_POLICY,
                },
                node_config=node_config(plan, context, cluster.node_service_account),
                management={"auto_repair": True, "auto_upgrade": True},
                upgrade_settings=upgrade_settings(plan),
                opts=pulumi.ResourceOptions(
                    parent=self, depends_on=cluster.node_roles_ready, ignore_changes=[INITIAL_COUNT_PATH]
                ),
            )
            for plan in self.plans
        ]
        self.node_pool_names = [p.name for p in self.node_pools]
        self.register_outputs({"node_pool_names": self.node_pool_names})
