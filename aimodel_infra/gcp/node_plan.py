"""What spec compute becomes on GCP, as plain data: GKE node pools, the system pool, GCE groups.

Pure functions over the spec and the catalog (no Pulumi): the components only turn these plans
into resources, and :mod:`aimodel_infra.gcp.spec_rules` and :mod:`aimodel_infra.gcp.billing` call
the same functions, so ``validate``, the cost estimate and the build agree.

Capacity: ``on_demand`` and ``spot`` are one GKE node pool (or one managed instance group) each.
``spot_with_fallback`` is two: a spot pool with the spec's sizes and an on-demand pool from 0 to
the same maximum. GKE's cluster autoscaler expands "the least expensive possible node group, taking
into account the reduced cost of spot VMs" (hsbc/cost-manager README; not confirmed in a GKE page),
so spot grows first and on-demand when spot does not arrive; an explicit ordering is a GKE
ComputeClass with priorities, which this builder does not create.
Both pools can reach ``max_nodes``, so the worst case prices both at their maximum.

Sizes: GKE limits are pool totals (``total_min_node_count``/``total_max_node_count``), which keep
the spec's meaning whatever the zone count, and ``location_policy="ANY"`` lets the autoscaler use
whichever zone has capacity (GKE: it "reduces preemption risk for Spot VMs"). The initial size,
however, is per zone (``initial_node_count``): a pool starts with the same count in each of its
zones, ``ceil(desired / zones)`` when that stays within ``max_nodes`` and ``floor`` otherwise
(:func:`initial_per_zone`), and the autoscaler moves it within the totals from there. The cost
estimate prices "desired" at the spec's size and notes a start that differs.

Zones: a pool's ``node_locations`` are the first ``network.zones`` zones of the region that offer
its machine type (catalog zone data), so GKE never tries a zone without the machine.
"""

# No ``from __future__ import annotations``: typing.NamedTuple compiles each string annotation into a
# ForwardRef when the class is created, ~10 us per field on every cold start of ``validate`` and ``cost``.
import math
from typing import Final, NamedTuple

from aimodel_infra.catalog import Catalog, Offering, gcp_accelerator_type
from aimodel_infra.errors import CatalogError, Problem, SpecError
from aimodel_infra.gcp.catalog_data import region_zones, zones_offering
from aimodel_infra.plan.capacity import CapacityGroup, capacity_groups
from aimodel_infra.plan.scheduling import node_labels, node_taints
from aimodel_infra.spec.models import Compute, Environment, Taint, TaintEffect

#: The CPU shape of the system pool: e2-standard-4 (4 vCPU, 16 GB), cluster-toolkit's default for
#: GKE system pools, enough for CoreDNS, metrics, GKE's own agents and the add-ons issue's
#: controllers on two nodes; E2 is the cheapest general-purpose family (and needs no GPU quota).
SYSTEM_INSTANCE_TYPE: Final = "e2-standard-4"
#: The GKE API's spelling of a taint effect (``NodePoolNodeConfigTaintArgs.effect``).
GKE_TAINT_EFFECTS: Final = {
    TaintEffect.NO_SCHEDULE: "NO_SCHEDULE",
    TaintEffect.PREFER_NO_SCHEDULE: "PREFER_NO_SCHEDULE",
    TaintEffect.NO_EXECUTE: "NO_EXECUTE",
}
#: Machine families whose GPUs are fixed by the machine type (A2, A3, A4, G2); any other family
#: (N1) takes GPUs as attached ``guest_accelerators`` (Compute Engine "GPU machine types").
BUNDLED_GPU_FAMILIES: Final = ("a2-", "a3-", "a4-", "g2-", "g4-")
#: Families whose boot disk must be Hyperdisk (no Persistent Disk): A3 Ultra and A4
#: (Compute Engine "Accelerator-optimized machine family", supported disk types).
HYPERDISK_ONLY_PREFIXES: Final = ("a3-ultragpu-", "a4-", "a4x-")
SYSTEM_POOL: Final = "system"
#: Boot disk of each system node, GB.
SYSTEM_DISK_GB: Final = 100


def boot_disk_type(machine_type: str) -> str:
    """The boot disk type a machine gets: the one we set on instance templates, and the one GKE picks for
    a node pool that leaves ``disk_type`` unset (hyperdisk-balanced only where pd-balanced is unsupported)."""
    return "hyperdisk-balanced" if machine_type.startswith(HYPERDISK_ONLY_PREFIXES) else "pd-balanced"


class Machine(NamedTuple):
    """The machine a compute item runs on and the GPUs that come with it."""

    offering: Offering
    accelerator_type: str | None
    accelerator_count: int

    @property
    def machine_type(self) -> str:
        return self.offering.instance_type

    @property
    def attaches_gpus(self) -> bool:
        """True when GPUs are attached to the host (N1 + T4), False when the machine type bundles them."""
        return self.accelerator_type is not None and not self.machine_type.startswith(BUNDLED_GPU_FAMILIES)

    @property
    def boot_disk_type(self) -> str:
        return boot_disk_type(self.machine_type)


class NodePoolPlan(NamedTuple):
    """One GKE node pool of a spec pool."""

    pool: str
    group: CapacityGroup
    machine: Machine
    zones: tuple[str, ...]
    initial_per_zone: int
    disk_size_gb: int
    labels: dict[str, str]
    taints: tuple[Taint, ...]

    @property
    def suffix(self) -> str:
        return self.group.suffix

    @property
    def initial_nodes(self) -> int:
        """Nodes the pool starts with: GKE's initial count is per zone."""
        return self.initial_per_zone * len(self.zones)

    @property
    def gke_taints(self) -> list[dict[str, str]]:
        return [{"key": t.key, "value": t.value, "effect": GKE_TAINT_EFFECTS[t.effect]} for t in self.taints]


class SystemPoolPlan(NamedTuple):
    """The on-demand CPU pool for cluster add-ons: ``per_zone`` nodes in each of ``zones``."""

    machine_type: str
    zones: tuple[str, ...]
    per_zone: int
    disk_size_gb: int = SYSTEM_DISK_GB

    @property
    def nodes(self) -> int:
        return self.per_zone * len(self.zones)


class GroupPlan(NamedTuple):
    """One managed instance group of a spec autoscaling group."""

    group_name: str
    group: CapacityGroup
    machine: Machine
    zones: tuple[str, ...]
    disk_size_gb: int


# -- shared pieces ------------------------------------------------------------------------------
def machine_for(compute: Compute, catalog: Catalog, region: str) -> Machine:
    """The catalog's machine for a request, with GCP's accelerator type name; CatalogError if none."""
    offering = catalog.offering_for(
        "gcp", region, compute.accelerator, compute.accelerator_count, compute.instance_type
    )
    if offering.accelerator is None:
        return Machine(offering, None, 0)
    try:
        accelerator_type = gcp_accelerator_type(offering.accelerator)
    except KeyError as exc:
        raise CatalogError(str(exc.args[0])) from None
    return Machine(offering, accelerator_type, offering.accelerator_count)


def compute_zones(env: Environment, catalog: Catalog, machine: Machine, path: str) -> tuple[str, ...]:
    """The first ``network.zones`` zones offering the machine; SpecError naming ``path`` if none do.

    Without per-offering zone data (a user's catalog row) every zone of the region is a candidate,
    and GKE reports a zone that lacks the machine when it creates nodes there.
    """
    count = machine.accelerator_count if machine.attaches_gpus else None
    offered = zones_offering(catalog, env.region, machine.machine_type, count)
    if offered == ():
        raise SpecError(
            [Problem(path, f"no zone of {env.region} offers {machine.machine_type}; choose another region")]
        )
    if offered is None:
        offered = region_zones(catalog, env.region)
    if not offered:
        raise SpecError([Problem(path, f"the catalog knows no zones of {env.region} to place {machine.machine_type}")])
    return tuple(offered[: env.network.zones])


def initial_per_zone(desired: int, zones: int, max_nodes: int) -> int:
    """Nodes per zone at creation: the spec's desired size rounded up to a multiple of the zone count,
    or down when rounding up would pass ``max_nodes``."""
    up = math.ceil(desired / zones)
    return up if up * zones <= max_nodes else desired // zones


# -- node pools ---------------------------------------------------------------------------------
def plan_node_pools(env: Environment, pool: Compute, catalog: Catalog, path: str) -> tuple[NodePoolPlan, ...]:
    """The GKE node pools of ``pool``; SpecError naming ``path`` when GKE would refuse them."""
    machine = _machine(pool, catalog, env.region, path)
    zones = compute_zones(env, catalog, machine, f"{path}.instance_type")
    return tuple(
        NodePoolPlan(
            pool=pool.name,
            group=group,
            machine=machine,
            zones=zones,
            initial_per_zone=initial_per_zone(group.desired_nodes, len(zones), group.max_nodes),
            disk_size_gb=pool.disk_size_gb,
            labels=node_labels(pool, machine.offering, group.suffix),
            taints=node_taints(pool, machine.offering),
        )
        for group in capacity_groups(pool)
    )


def system_pool_plan(env: Environment, catalog: Catalog) -> SystemPoolPlan:
    """Exactly ``cluster.system_nodes`` nodes: spread over as many zones as divide that count evenly
    (2 nodes: two zones with one each), because a regional pool's size is per zone."""
    assert env.cluster is not None
    nodes = env.cluster.system_nodes
    zones = region_zones(catalog, env.region)[: env.network.zones] or (f"{env.region}-a",)
    spread = max(k for k in range(1, len(zones) + 1) if nodes % k == 0)
    return SystemPoolPlan(SYSTEM_INSTANCE_TYPE, zones[:spread], nodes // spread)


# -- managed instance groups --------------------------------------------------------------------
def plan_groups(env: Environment, group: Compute, catalog: Catalog, path: str) -> tuple[GroupPlan, ...]:
    """The managed instance groups of a spec autoscaling group (one per capacity group)."""
    machine = _machine(group, catalog, env.region, path)
    zones = compute_zones(env, catalog, machine, f"{path}.instance_type")
    return tuple(GroupPlan(group.name, g, machine, zones, group.disk_size_gb) for g in capacity_groups(group))


def _machine(compute: Compute, catalog: Catalog, region: str, path: str) -> Machine:
    try:
        return machine_for(compute, catalog, region)
    except CatalogError as exc:
        raise SpecError([Problem(f"{path}.accelerator", str(exc))]) from None
