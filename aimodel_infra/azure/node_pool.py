"""A spec node pool as AKS agent pools (see :mod:`aimodel_infra.azure.node_plan` for the plan).

Each agent pool: ``mode="User"``, the catalog's VM size, Ubuntu, a managed OS disk of
``disk_size_gb`` (platform-encrypted; ephemeral disks would be the default where the size's cache
fits, and ``os_disk_type`` "May not be changed after creation" [SDK]), the cluster autoscaler on
from ``min_nodes`` (0 allowed for user pools) to ``max_nodes``, the GPU driver installed by AKS
(``gpu_profile.driver="Install"``), no node public IPs, in the node subnet.

After creation the autoscaler owns ``count``; Pulumi ignores changes to it, so a deploy never
undoes a scale-up.

The NVIDIA device plugin (what makes nodes advertise ``nvidia.com/gpu``) is a Kubernetes object:
it comes with the cluster add-ons (issue 12). Until then GPU nodes join but pods cannot request GPUs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import pulumi
import pulumi_azure_native.containerservice as containerservice

from aimodel_infra.azure.context import AzureContext
from aimodel_infra.azure.node_plan import SPOT_EVICTION_POLICY, SPOT_MAX_PRICE, AgentPoolPlan, plan_agent_pools
from aimodel_infra.spec.models import NodePool

if TYPE_CHECKING:
    from aimodel_infra.azure.cluster import Cluster
    from aimodel_infra.azure.network import Network

TYPE_TOKEN: Final = "aimodel:azure:GpuNodePool"
COUNT_PATH: Final = "count"


@dataclass(frozen=True)
class GpuNodePoolArgs:
    pool: NodePool
    context: AzureContext
    network: Network
    cluster: Cluster


class GpuNodePool(pulumi.ComponentResource):
    """One spec node pool. Exposes ``agent_pools``, ``agent_pool_names`` and ``plans``."""

    agent_pools: list[containerservice.AgentPool]
    agent_pool_names: list[pulumi.Output[str]]
    plans: tuple[AgentPoolPlan, ...]

    def __init__(self, name: str, args: GpuNodePoolArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        pool, context = args.pool, args.context
        self.plans = plan_agent_pools(pool, context.catalog, context.location)
        super().__init__(TYPE_TOKEN, name, None, opts)
        self.agent_pools = [self._agent_pool(name, plan, args) for plan in self.plans]
        self.agent_pool_names = [p.name for p in self.agent_pools]
        self.register_outputs({"agent_pool_names": self.agent_pool_names})

    def _agent_pool(self, name: str, plan: AgentPoolPlan, args: GpuNodePoolArgs) -> containerservice.AgentPool:
        group = plan.group
        spot = plan.spot
        return containerservice.AgentPool(
            f"{name}-{group.suffix}",
            agent_pool_name=plan.name,
            resource_group_name=args.context.resource_group_name,
            resource_name_=args.cluster.name,
            mode="User",
            type="VirtualMachineScaleSets",
            vm_size=plan.vm_size,
            os_type="Linux",
            os_sku="Ubuntu",
            os_disk_type="Managed",
            os_disk_size_gb=plan.disk_size_gb,
            orchestrator_version=args.cluster.version,
            enable_auto_scaling=True,
            min_count=group.min_nodes,
            max_count=group.max_nodes,
            count=group.desired_nodes,
            vnet_subnet_id=args.network.node_subnet_id,
            enable_node_public_ip=False,
            node_labels=plan.labels,
            node_taints=plan.aks_taints,
            availability_zones=list(plan.zones) or None,
            gpu_profile=containerservice.GPUProfileArgs(driver="Install") if plan.gpu else None,
            scale_set_priority=plan.priority,
            scale_set_eviction_policy=SPOT_EVICTION_POLICY if spot else None,
            spot_max_price=SPOT_MAX_PRICE if spot else None,
            tags=args.context.tags_for(**{"aimodel-compute": args.pool.name, "aimodel-capacity": group.suffix}),
            opts=pulumi.ResourceOptions(parent=self, ignore_changes=[COUNT_PATH]),
        )
