"""What the GCP builder runs, as a :class:`~aimodel_infra.plan.billing.BillablePlan` for cost.

Built from the builder's own plans, so the estimate is of what :class:`GcpEnvironment` creates:

- one billed group per GKE node pool of :func:`plan_node_pools` (both pools of
  ``spot_with_fallback``, each up to ``max_nodes``: together they can run twice that), with the
  pool's real starting size (GKE starts a regional pool with the same count in every zone);
- one per managed instance group of :func:`plan_groups`;
- the system pool of :func:`system_pool_plan` (``cluster.system_nodes`` x e2-standard-4, on-demand);
- the GKE cluster management fee (one regional cluster), at the extended-support rate
  (``control_plane_extended``) for a cluster on the Extended channel whose version is past standard
  support: GKE bills that period's fee then (other channels do not offer such a version);
- one Cloud NAT gateway whatever ``network.nat`` says (it is regional; ``per-zone`` builds the
  same single gateway), none with ``nat: none``;
- one Cloud KMS key per key the builder creates: the cluster's secrets key and each
  ``customer-key`` bucket's key (a bucket with ``customer_key_id`` uses the user's key);
- standard storage for each bucket's ``expected_size_gb``;
- each node's boot disk: ``disk_size_gb`` (``SYSTEM_DISK_GB`` for the system pool) of
  :func:`boot_disk_type` (what the instance template sets, and what GKE picks for a node pool that
  leaves ``disk_type`` unset), billed per GB-month at the catalog fee ``root_disk_<type>``. The
  catalog prices pd-balanced only: a hyperdisk-balanced boot disk (A3 Ultra, A4) bills no fee here, so
  the estimate leaves it out and :data:`HYPERDISK_NOTE` says why.
"""

from __future__ import annotations

from datetime import date

from aimodel_infra.catalog import Catalog
from aimodel_infra.gcp.catalog_data import CLOUD, cluster_version
from aimodel_infra.gcp.network_plan import builds_nat
from aimodel_infra.gcp.node_plan import (
    SYSTEM_POOL,
    NodePoolPlan,
    boot_disk_type,
    plan_groups,
    plan_node_pools,
    system_pool_plan,
)
from aimodel_infra.plan.billing import BillablePlan, BilledFee, BilledGroup
from aimodel_infra.spec.cloud_settings import GkeReleaseChannel
from aimodel_infra.spec.models import Encryption, Environment, NatMode
from aimodel_infra.spec.paths import compute_path

#: Cloud NAT pricing (catalog fee ``nat_gateway``): $0.0014 per VM-hour using the gateway, capped
#: at $0.044 per gateway-hour from 32 VMs; the catalog holds only the cap.
NAT_NOTE = (
    "Cloud NAT is billed per VM using it ($0.0014 per VM-hour up to the $0.044 gateway-hour cap at 32+ VMs); "
    "priced at the cap, an upper bound for up to {vms} VMs"
)
PER_ZONE_NOTE = "network.nat per-zone: Cloud NAT is regional, so it builds the same single gateway as 'single'"
START_NOTE = (
    "{label}: GKE creates a regional pool with the same count in each zone, so it starts with {start} nodes "
    "over {zones} zones (desired {desired}); the autoscaler then keeps it within min..max"
)
KEY_VERSIONS_NOTE = (
    "Cloud KMS keys rotate every 90 days and bill each active key version; priced at one version per key"
)
HYPERDISK_NOTE = (
    "{labels}: hyperdisk-balanced boot disks are not estimated: their capacity price is unconfirmed in the "
    "stored pricing copies, and Compute Engine gives them default IOPS and throughput of which only "
    "3,000 IOPS and 140 MiB/s are included (the rest bills on top)"
)


def root_disk_fee(machine_type: str) -> str | None:
    """The catalog fee of a machine's boot disk type (``root_disk_pd_balanced``); None for
    hyperdisk-balanced, whose price is not sourced (:data:`HYPERDISK_NOTE`)."""
    disk_type = boot_disk_type(machine_type)
    return None if disk_type == "hyperdisk-balanced" else "root_disk_" + disk_type.replace("-", "_")


def billable(env: Environment, catalog: Catalog, today: date | None = None) -> BillablePlan:
    pools = _pool_plans(env, catalog)
    groups = [*(billed for billed, _ in pools), *_instance_groups(env, catalog), *_system_pool(env, catalog)]
    fees, notes = _fees(env, groups, control_plane_fee(env, catalog, today or date.today()))
    notes += _start_notes(pools)
    hyperdisk = [g.label for g in groups if boot_disk_type(g.instance_type) == "hyperdisk-balanced"]
    if hyperdisk:
        notes.append(HYPERDISK_NOTE.format(labels=", ".join(hyperdisk)))
    return BillablePlan(tuple(groups), tuple(fees), tuple(notes))


def _pool_plans(env: Environment, catalog: Catalog) -> list[tuple[BilledGroup, NodePoolPlan]]:
    """Each GKE node pool's billed group with the plan it comes from (planned once: the notes read it too)."""
    if env.cluster is None:
        return []
    return [
        (
            BilledGroup(
                compute=pool.name,
                kind="node_pool",
                instance_type=plan.machine.machine_type,
                capacity=plan.group.capacity,
                min_nodes=plan.group.min_nodes,
                desired_nodes=plan.group.desired_nodes,
                max_nodes=plan.group.max_nodes,
                label=f"{pool.name}-{plan.suffix}",
                disk_gb=plan.disk_size_gb,
                disk_fee=root_disk_fee(plan.machine.machine_type),
            ),
            plan,
        )
        for pool in env.node_pools
        for plan in plan_node_pools(env, pool, catalog, compute_path(env, pool.name))
    ]


def _start_notes(pools: list[tuple[BilledGroup, NodePoolPlan]]) -> list[str]:
    """Pools whose creation size differs from desired_nodes (GKE starts the same count per zone)."""
    return [
        START_NOTE.format(
            label=billed.label, start=plan.initial_nodes, zones=len(plan.zones), desired=billed.desired_nodes
        )
        for billed, plan in pools
        if plan.initial_nodes != billed.desired_nodes
    ]


def _instance_groups(env: Environment, catalog: Catalog) -> list[BilledGroup]:
    return [
        BilledGroup(
            compute=group.name,
            kind="autoscaling_group",
            instance_type=plan.machine.machine_type,
            capacity=plan.group.capacity,
            min_nodes=plan.group.min_nodes,
            desired_nodes=plan.group.desired_nodes,
            max_nodes=plan.group.max_nodes,
            label=f"{group.name}-{plan.group.suffix}",
            disk_gb=plan.disk_size_gb,
            disk_fee=root_disk_fee(plan.machine.machine_type),
        )
        for group in env.autoscaling_groups
        for plan in plan_groups(env, group, catalog, compute_path(env, group.name))
    ]


def _system_pool(env: Environment, catalog: Catalog) -> list[BilledGroup]:
    if env.cluster is None:
        return []
    plan = system_pool_plan(env, catalog)
    n = plan.nodes
    return [
        BilledGroup(
            SYSTEM_POOL, "system_pool", plan.machine_type, "on_demand", n, n, n, label=SYSTEM_POOL,
            disk_gb=plan.disk_size_gb, disk_fee=root_disk_fee(plan.machine_type),
        )
    ]  # fmt: skip


def control_plane_fee(env: Environment, catalog: Catalog, today: date) -> str:
    """The catalog's fee for the cluster's version on ``today`` (``control_plane_extended`` past standard
    support) when the cluster is on the Extended channel, the only one that keeps such a version; else
    ``control_plane``."""
    channel = env.gcp.release_channel if env.gcp is not None else GkeReleaseChannel.REGULAR
    if env.cluster is None or channel is not GkeReleaseChannel.EXTENDED:
        return "control_plane"
    version = cluster_version(env, catalog, today)
    fee_name = getattr(catalog, "control_plane_fee_name", None)
    return fee_name(CLOUD, version, today) if version and fee_name is not None else "control_plane"


def _fees(env: Environment, groups: list[BilledGroup], cluster_fee: str) -> tuple[list[BilledFee], list[str]]:
    fees: list[BilledFee] = []
    notes: list[str] = []
    if env.cluster is not None:
        fees.append(BilledFee(cluster_fee, "control_plane", 1))
        fees.append(BilledFee("kms_key", "kms_key:cluster-secrets", 1))
    if builds_nat(env.network.nat):
        fees.append(BilledFee("nat_gateway", "nat_gateway", 1))
        notes.append(NAT_NOTE.format(vms=sum(g.max_nodes for g in groups)))
        if env.network.nat is NatMode.PER_ZONE:
            notes.append(PER_ZONE_NOTE)
    for bucket in env.buckets:
        fees.append(BilledFee("object_storage", f"object_storage:{bucket.name}", bucket.expected_size_gb))
        if bucket.encryption is Encryption.CUSTOMER_KEY and bucket.customer_key_id is None:
            fees.append(BilledFee("kms_key", f"kms_key:{bucket.name}", 1))
    if any(f.fee == "kms_key" for f in fees):
        notes.append(KEY_VERSIONS_NOTE)
    return fees, notes
