"""What a spec node pool becomes on AKS, as plain data: agent pools, sizes, labels, taints, zones.

Pure functions over the spec and the catalog; :class:`aimodel_infra.azure.node_pool.GpuNodePool`
only turns an :class:`AgentPoolPlan` into ``containerservice.AgentPool`` resources.

- One agent pool per capacity group (:func:`capacity_groups`): ``spot_with_fallback`` is a Spot
  pool with the spec's sizes plus a Regular pool from 0 to the same maximum.
- GPU pools carry ``nvidia.com/gpu=present:NoSchedule`` explicitly: AKS adds no GPU taint
  [ISSUE Azure/AKS#1449], so GPU pods need a matching toleration.
- Spot pools declare AKS's own label ``kubernetes.azure.com/scalesetpriority=spot`` and taint
  ``kubernetes.azure.com/scalesetpriority=spot:NoSchedule``: AKS sets them anyway, and a pool whose
  declared taints omit it fails later updates with "Changing property 'properties.nodeTaints' is not
  allowed" [ISSUE pulumi/pulumi-azure-native#959; doc quoted in hashicorp/terraform-provider-azurerm#14024].
- Zones only where the data says the VM size is offered in them: GPU sizes are often not zonal
  ("The requested size ... is currently not available in location 'eastus' zones '1,2,3'"
  [ISSUE Azure/AKS#1444]). Region zone lists do not say that, so without per-size zone data a pool
  gets no zones (regional placement), which always deploys.
- Scale to zero: with no node, the autoscaler builds a node template from the pool's API
  properties [ISSUE Azure/AKS#2586], which is why labels and taints are set on the pool, not by kubectl.
"""

# No ``from __future__ import annotations``: typing.NamedTuple compiles each string annotation into a
# ForwardRef when the class is created, ~10 us per field on every cold start of ``validate`` and ``cost``.
from typing import Final, NamedTuple

from aimodel_infra.azure.names import agent_pool_name
from aimodel_infra.catalog import Catalog, Offering
from aimodel_infra.plan import scheduling
from aimodel_infra.plan.capacity import CapacityGroup, GroupCapacity, capacity_groups
from aimodel_infra.spec.models import NodePool, Taint, TaintEffect

SPOT_PRIORITY_KEY: Final = "kubernetes.azure.com/scalesetpriority"
SPOT_TAINT: Final = Taint(key=SPOT_PRIORITY_KEY, value="spot", effect=TaintEffect.NO_SCHEDULE)
#: Label and taint prefix AKS reserves for what it sets itself.
AKS_RESERVED_PREFIX: Final = "kubernetes.azure.com/"
#: ``spot_max_price`` -1: "default price to be up-to on-demand" [SDK AgentPool docstring].
SPOT_MAX_PRICE: Final = -1.0
SPOT_EVICTION_POLICY: Final = "Delete"
SCALE_SET_PRIORITY: Final[dict[GroupCapacity, str]] = {"spot": "Spot", "on_demand": "Regular"}


class AgentPoolPlan(NamedTuple):
    """One AKS agent pool of a spec pool."""

    name: str
    group: CapacityGroup
    vm_size: str
    vcpus: float
    gpu: bool
    disk_size_gb: int
    labels: dict[str, str]
    taints: tuple[Taint, ...]
    zones: tuple[str, ...]

    @property
    def priority(self) -> str:
        return SCALE_SET_PRIORITY[self.group.capacity]

    @property
    def spot(self) -> bool:
        return self.group.capacity == "spot"

    @property
    def aks_taints(self) -> list[str]:
        """Taints in the AKS API's ``key=value:Effect`` form."""
        return [taint_string(t) for t in self.taints]


def taint_string(taint: Taint) -> str:
    return f"{taint.key}={taint.value}:{taint.effect.value}"


def zones_offering(catalog: Catalog, region: str, vm_size: str) -> tuple[str, ...]:
    """Zones the data says ``vm_size`` is offered in; () when there is no per-size zone data.

    Uses ``Catalog.zones_offering`` (issue 8) when the catalog has it. Without it there is no
    per-size data for Azure (regions.csv lists a region's zones, not which sizes they hold), so
    the answer is () rather than every zone of the region.
    """
    lookup = getattr(catalog, "zones_offering", None)
    if lookup is None:
        return ()
    return tuple(lookup("azure", region, vm_size) or ())


def node_labels(pool: NodePool, offering: Offering, group: CapacityGroup) -> dict[str, str]:
    """The shared labels (:func:`aimodel_infra.plan.scheduling.node_labels`), plus AKS's spot label on spot pools."""
    labels = scheduling.node_labels(pool, offering, group.suffix)
    if group.capacity == "spot":
        labels[SPOT_PRIORITY_KEY] = "spot"
    return labels


def node_taints(pool: NodePool, offering: Offering, group: CapacityGroup) -> tuple[Taint, ...]:
    """The shared taints (GPU taint first), then AKS's spot taint on spot pools."""
    taints = list(scheduling.node_taints(pool, offering))
    if group.capacity == "spot" and SPOT_TAINT not in taints:
        taints.append(SPOT_TAINT)
    return tuple(taints)


def pool_offering(pool: NodePool, catalog: Catalog, region: str) -> Offering:
    return catalog.offering_for("azure", region, pool.accelerator, pool.accelerator_count, pool.instance_type)


def plan_agent_pools(pool: NodePool, catalog: Catalog, region: str) -> tuple[AgentPoolPlan, ...]:
    """The agent pools of ``pool`` (see module doc). Raises CatalogError when the size is not offered."""
    offering = pool_offering(pool, catalog, region)
    zones = zones_offering(catalog, region, offering.instance_type)
    return tuple(
        AgentPoolPlan(
            name=agent_pool_name(pool.name, group.capacity),
            group=group,
            vm_size=offering.instance_type,
            vcpus=offering.vcpus,
            gpu=offering.accelerator is not None,
            disk_size_gb=pool.disk_size_gb,
            labels=node_labels(pool, offering, group),
            taints=node_taints(pool, offering, group),
            zones=zones,
        )
        for group in capacity_groups(pool)
    )
