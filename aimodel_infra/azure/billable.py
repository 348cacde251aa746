"""What the Azure builder runs, for the cost estimate, from the plan functions it builds with.

- Node pools: one billed group per agent pool :func:`plan_agent_pools` makes, each at its own
  maximum: a ``spot_with_fallback`` pool is a Spot pool *and* a Regular pool that can both reach
  ``max_nodes``, so its real ceiling is twice ``max_nodes`` nodes.
- VM groups: one VM scale set per capacity group, the same way.
- The system pool: ``cluster.system_nodes`` x ``SYSTEM_VM_SIZE`` (fixed size, on-demand).
- Fees: the AKS tier (Free: none; Standard: ``control_plane``; Premium: ``control_plane_premium``,
  which the catalog does not price yet, so the estimate notes it), one NAT gateway (a zonal
  resource: we create exactly one, regional, and refuse ``per-zone``), object storage per bucket,
  one Key Vault key per created customer key plus the cluster's secrets key (``kms_key``).
- Root disks: every group carries its nodes' OS disk size (``disk_size_gb``, ``SYSTEM_DISK_GB`` for the
  system pool) but no fee: managed disks bill per size tier, not per GB, and the tier prices are not in
  the stored sources, so the estimate leaves them out and :data:`ROOT_DISK_NOTE` says why.
"""

from __future__ import annotations

from aimodel_infra.azure.cluster_plan import SYSTEM_DISK_GB, SYSTEM_VM_SIZE
from aimodel_infra.azure.network_plan import nat_gateway_count
from aimodel_infra.azure.node_plan import plan_agent_pools
from aimodel_infra.catalog import Catalog
from aimodel_infra.plan.billing import BillablePlan, BilledFee, BilledGroup
from aimodel_infra.plan.capacity import capacity_groups
from aimodel_infra.plan.pools import system_group
from aimodel_infra.spec.cloud_settings import AksTier
from aimodel_infra.spec.models import Encryption, Environment

TIER_FEES = {AksTier.STANDARD: "control_plane", AksTier.PREMIUM: "control_plane_premium"}
ROOT_DISK_NOTE = (
    "root disks are not estimated on Azure: AKS managed OS disks and the scale sets' Premium_LRS OS disks "
    "bill per size tier (a 200 GB disk as a 256 GiB P15), the stored copies of the managed-disk pricing page "
    "hold no tier prices, and the SKU of an AKS pool's OS disk (Premium or Standard SSD) is AKS's choice by "
    "VM size"
)


def root_disk_fee(vm_size: str) -> None:
    """No per-GB fee prices an Azure OS disk (see :data:`ROOT_DISK_NOTE`)."""
    return None


def billable(env: Environment, catalog: Catalog) -> BillablePlan:
    groups: list[BilledGroup] = []
    notes: list[str] = []
    for pool in env.node_pools:
        for plan in plan_agent_pools(pool, catalog, env.region):
            g = plan.group
            groups.append(
                BilledGroup(
                    pool.name, "node_pool", plan.vm_size, g.capacity, g.min_nodes, g.desired_nodes, g.max_nodes,
                    label=plan.name, disk_gb=plan.disk_size_gb, disk_fee=root_disk_fee(plan.vm_size),
                )
            )  # fmt: skip
    for group in env.autoscaling_groups:
        offering = catalog.offering_for(
            "azure", env.region, group.accelerator, group.accelerator_count, group.instance_type
        )
        for g in capacity_groups(group):
            groups.append(
                BilledGroup(
                    group.name, "autoscaling_group", offering.instance_type, g.capacity, g.min_nodes,
                    g.desired_nodes, g.max_nodes, label=f"{group.name}-{g.suffix}", disk_gb=group.disk_size_gb,
                    disk_fee=root_disk_fee(offering.instance_type),
                )
            )  # fmt: skip
    groups += system_group(env, SYSTEM_VM_SIZE, disk_gb=SYSTEM_DISK_GB)
    if groups:
        notes.append(ROOT_DISK_NOTE)
    fees: list[BilledFee] = []
    if env.cluster is not None:
        tier = env.azure.cluster_tier if env.azure is not None else AksTier.STANDARD
        if tier in TIER_FEES:
            fees.append(BilledFee(TIER_FEES[tier], TIER_FEES[tier], 1))
            notes.append(f"control plane: AKS {tier.value} tier")
        else:
            notes.append("AKS Free tier: no control-plane fee (and no uptime SLA)")
        fees.append(BilledFee("kms_key", "kms_key:cluster-secrets", 1))
    gateways = nat_gateway_count(env.network)
    if gateways:
        fees.append(BilledFee("nat_gateway", "nat_gateway", gateways))
        notes.append("the NAT gateway's Standard static public IP is billed separately and not estimated")
    for bucket in env.buckets:
        fees.append(BilledFee("object_storage", f"object_storage:{bucket.name}", bucket.expected_size_gb))
        if bucket.encryption is Encryption.CUSTOMER_KEY and bucket.customer_key_id is None:
            fees.append(BilledFee("kms_key", f"kms_key:{bucket.name}", 1))
    return BillablePlan(tuple(groups), tuple(fees), tuple(notes))
