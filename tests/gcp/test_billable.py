"""What the GCP builder bills, from its own plans: every pool and group, the system pool, one
regional NAT, the cluster fee and every key it creates."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from aimodel_infra.catalog import default_catalog
from aimodel_infra.catalog.catalog import Lazy
from aimodel_infra.cost import estimate
from aimodel_infra.gcp.billable import billable
from aimodel_infra.graph import ResourceGraph
from aimodel_infra.spec.loader import parse_environment
from aimodel_infra.spec.models import Environment

from .conftest import Variant
from .example_stack import machine


def test_the_bill_lists_what_the_builder_creates(gcp_env: Environment) -> None:
    plan = billable(gcp_env, default_catalog())
    groups = [(g.label, g.instance_type, g.capacity, g.min_nodes, g.desired_nodes, g.max_nodes) for g in plan.groups]
    assert groups == [
        ("train-spot", machine("H100", 8), "spot", 0, 0, 2),
        ("train-on-demand", machine("H100", 8), "on_demand", 0, 0, 2),
        ("infer-on-demand", machine("L4", 1), "on_demand", 1, 1, 4),
        ("batch-spot", machine("T4", 1), "spot", 0, 0, 4),
        ("system", "e2-standard-4", "on_demand", 2, 2, 2),
    ]
    fees = [(f.fee, f.label, f.count) for f in plan.fees]
    assert fees == [
        ("control_plane", "control_plane", 1),
        ("kms_key", "kms_key:cluster-secrets", 1),
        ("nat_gateway", "nat_gateway", 1),
        ("object_storage", "object_storage:checkpoints", 2000),
        ("kms_key", "kms_key:checkpoints", 1),
        ("object_storage", "object_storage:models", 500),
    ]


def test_the_pool_that_starts_above_desired_says_so(gcp_env: Environment) -> None:
    notes = billable(gcp_env, default_catalog()).notes
    assert any(
        n.startswith("infer-on-demand: GKE creates a regional pool") and "starts with 3 nodes" in n for n in notes
    )


def test_per_zone_nat_is_one_regional_gateway_and_none_is_no_gateway(env_variant: Variant) -> None:
    per_zone = billable(env_variant(network={"nat": "per-zone"}), default_catalog())
    assert [f.count for f in per_zone.fees if f.fee == "nat_gateway"] == [1]
    assert any("per-zone" in n and "same single gateway" in n for n in per_zone.notes)
    assert not [
        f for f in billable(env_variant(network={"nat": "none"}), default_catalog()).fees if f.fee == "nat_gateway"
    ]


def test_the_worst_case_is_every_group_at_max_at_its_highest_price(gcp_env: Environment) -> None:
    catalog = default_catalog()
    h100 = catalog.instance("gcp", "us-central1", machine("H100", 8))
    l4 = catalog.instance("gcp", "us-central1", machine("L4", 1))
    t4 = catalog.instance("gcp", "us-central1", machine("T4", 1), 1)  # an N1 host with 1 T4, not the bare host
    system = catalog.instance("gcp", "us-central1", "e2-standard-4")
    assert h100 and l4 and t4 and system and h100.spot_price_per_hour and t4.spot_price_per_hour
    compute = 730 * (
        2 * h100.spot_price_per_hour + 2 * h100.price_per_hour + 4 * l4.price_per_hour
        + 4 * t4.spot_price_per_hour + 2 * system.price_per_hour
    )  # fmt: skip
    fees = 730 * (0.10 + 0.044) + 2 * 0.06 + 2500 * 0.020
    # every node's pd-balanced boot disk at $0.10/GiB-month: train 2 + 2 x 500, infer 4 x 200, batch 4 x 200,
    # system 2 x 100
    disks = ((2 + 2) * 500 + 4 * 200 + 4 * 200 + 2 * 100) * 0.10
    assert estimate(gcp_env, catalog).worst_case_monthly == pytest.approx(compute + fees + disks, abs=1e-6)


def test_every_billed_group_bills_the_boot_disk_its_recorded_pool_or_template_creates(
    gcp_env: Environment, graph: ResourceGraph
) -> None:
    recorded = {}
    for pool in graph.of_type("gcp:container/nodePool:NodePool"):
        config = pool.inputs["nodeConfig"]
        assert "diskType" not in config  # left to GKE: pd-balanced on these machines (no Hyperdisk-only family)
        recorded[pool.name.removeprefix("gcp-dev-").replace("cluster-system", "system")] = config["diskSizeGb"]
    for template in graph.of_type("gcp:compute/regionInstanceTemplate:RegionInstanceTemplate"):
        (boot,) = template.inputs["disks"]
        assert boot["boot"] is True and boot["diskType"] == "pd-balanced"
        recorded[template.name.removeprefix("gcp-dev-")] = boot["diskSizeGb"]
    billed = billable(gcp_env, default_catalog()).groups
    assert {g.label: g.disk_gb for g in billed} == recorded
    assert {g.disk_fee for g in billed} == {"root_disk_pd_balanced"}


def test_a_hyperdisk_only_machine_bills_no_boot_disk_fee_and_says_why(env_variant: Variant) -> None:
    env = env_variant(region="asia-south1")
    pinned = env.node_pools[0].model_copy(
        update={"accelerator": None, "accelerator_count": None, "instance_type": "a3-ultragpu-8g"}
    )
    plan = billable(env.model_copy(update={"node_pools": [pinned], "autoscaling_groups": []}), default_catalog())
    disks = {g.label: (g.disk_gb, g.disk_fee) for g in plan.groups}
    assert disks == {
        "train-spot": (500, None),
        "train-on-demand": (500, None),
        "system": (100, "root_disk_pd_balanced"),
    }
    assert any(n.startswith("train-spot, train-on-demand: hyperdisk-balanced boot disks") for n in plan.notes)


def test_the_extended_channel_bills_the_extended_rate_once_standard_support_has_ended(document_variant) -> None:
    """GKE 1.34 left standard support on 2026-10-01 (the catalog's dates). The bundled data has no end for
    the Extended channel's period, so validation refuses 1.34 there; a catalog that dates it (here to
    2027-08-01) lets it build, and the cluster then bills the extended rate."""
    bundled, day = default_catalog(), date(2026, 12, 2)
    dated = tuple(
        v._replace(extended_support_end=date(2027, 8, 1)) if (v.cloud, v.version) == ("gcp", "1.34") else v
        for v in bundled.versions.get()
    )
    catalog = dataclasses.replace(bundled, versions=Lazy.of(dated))

    def cluster_fee(version: str, channel: str) -> str:
        document = document_variant(cluster={"kubernetes_version": version}, gcp={"release_channel": channel})
        env = parse_environment(document, catalog)
        (fee,) = [f for f in billable(env, catalog, today=day).fees if f.label == "control_plane"]
        return fee.fee

    assert cluster_fee("1.34", "EXTENDED") == "control_plane_extended"
    assert cluster_fee("1.35", "EXTENDED") == "control_plane"
    assert cluster_fee("1.35", "REGULAR") == "control_plane"
    extended = catalog.fee("gcp", "control_plane_extended")
    assert extended is not None and (extended.price_usd, extended.unit) == (0.60, "hour")
