"""The Azure cost plan is what the builder creates: agent pools at their own ceilings, tier fee, one NAT."""

from __future__ import annotations

import pytest

from aimodel_infra.azure.billable import billable
from aimodel_infra.catalog import Catalog
from aimodel_infra.cost import estimate
from aimodel_infra.spec.models import Environment

AGENT_POOL = "azure-native:containerservice:AgentPool"


def test_every_agent_pool_is_billed_at_its_own_maximum(azure_env: Environment, catalog: Catalog) -> None:
    groups = {(g.compute, g.capacity): g for g in billable(azure_env, catalog).groups}
    assert (groups["train", "spot"].max_nodes, groups["train", "on_demand"].max_nodes) == (2, 2)
    assert groups["train", "on_demand"].min_nodes == 0
    assert groups["infer", "on_demand"].instance_type == "Standard_NC4as_T4_v3"
    system = groups["system", "on_demand"]
    assert (system.instance_type, system.min_nodes, system.max_nodes, system.kind) == (
        "Standard_D4s_v5",
        2,
        2,
        "system_pool",
    )


def test_billed_group_labels_are_the_agent_pool_names(azure_env: Environment, catalog: Catalog, dev) -> None:
    built = {r.inputs["agentPoolName"] for r in dev.of_type("azure-native:containerservice:AgentPool")}
    billed = {g.label for g in billable(azure_env, catalog).groups if g.kind == "node_pool"}
    assert billed == built == {"trainspot", "trainreg", "inferreg"}


def test_fees_are_the_standard_tier_one_nat_gateway_storage_and_keys(azure_env: Environment, catalog: Catalog) -> None:
    fees = {f.label: f.count for f in billable(azure_env, catalog).fees}
    assert fees == {
        "control_plane": 1,
        "kms_key:cluster-secrets": 1,
        "nat_gateway": 1,
        "object_storage:checkpoints": 2000,
        "kms_key:checkpoints": 1,
        "object_storage:models": 500,
    }


def test_the_free_tier_has_no_control_plane_fee_and_premium_its_own(env_variant, catalog: Catalog) -> None:
    free = billable(env_variant(azure={"cluster_tier": "Free"}), catalog)
    premium = billable(env_variant(azure={"cluster_tier": "Premium"}), catalog)
    assert not [f for f in free.fees if f.fee.startswith("control_plane")]
    assert [f.fee for f in premium.fees if f.fee.startswith("control_plane")] == ["control_plane_premium"]


def test_the_premium_tier_is_priced_into_every_total_at_its_hourly_fee(env_variant, catalog: Catalog) -> None:
    """A Premium (LTS) cluster's worst case includes its tier: $0.60 a cluster-hour against Standard's $0.10."""
    standard = estimate(env_variant(azure={"cluster_tier": "Standard"}), catalog)
    premium = estimate(env_variant(azure={"cluster_tier": "Premium"}), catalog)
    (tier,) = [f for f in premium.fees if f.name.startswith("control_plane")]
    assert (tier.name, tier.quantity, tier.unit, tier.unit_price) == ("control_plane_premium", 730, "hour", 0.60)
    assert tier.monthly == 438.0 and "unconfirmed" in tier.source
    assert premium.worst_case_monthly - standard.worst_case_monthly == pytest.approx(438.0 - 73.0)
    assert not [n for n in premium.notes if "control_plane_premium" in n and "not included" in n]


def test_the_worst_case_counts_spot_and_regular_pools_both_full(azure_env: Environment, catalog: Catalog) -> None:
    cost = estimate(azure_env, catalog)
    h100 = catalog.instance("azure", "eastus", "Standard_ND96isr_H100_v5")
    assert h100 is not None
    train = next(c for c in cost.compute if c.name == "train")
    assert train.worst_case_monthly == 4 * h100.price_per_hour * 730
    assert not cost.over_budget


def test_every_group_carries_its_recorded_os_disk_but_no_fee_and_the_notes_say_why(
    azure_env: Environment, catalog: Catalog, dev
) -> None:
    recorded = {r.inputs["agentPoolName"]: r.inputs["osDiskSizeGB"] for r in dev.of_type(AGENT_POOL)}
    (cluster,) = dev.of_type("azure-native:containerservice:ManagedCluster")
    recorded |= {p["name"]: p["osDiskSizeGB"] for p in cluster.inputs["agentPoolProfiles"]}
    plan = billable(azure_env, catalog)
    assert {g.label: g.disk_gb for g in plan.groups} == recorded == {
        "trainspot": 500, "trainreg": 500, "inferreg": 200, "system": 128,
    }  # fmt: skip
    assert {g.disk_fee for g in plan.groups} == {None}  # tiered managed disks: no sourced per-GB price
    assert any(n.startswith("root disks are not estimated on Azure") for n in plan.notes)
    assert all(c.root_disk_monthly is None for c in estimate(azure_env, catalog).compute)
