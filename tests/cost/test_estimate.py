"""The monthly estimate: rules checked on the example stacks and on small variations of them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from aimodel_infra.catalog import HOURS_PER_MONTH, Catalog, load_catalog
from aimodel_infra.catalog.catalog import OFFERING_COLUMNS
from aimodel_infra.cost import ComputeCost, CostEstimate, estimate
from aimodel_infra.spec import Capacity, Encryption, Environment, NatMode, load_spec

#: The system pool's CPU shape per cloud, as each cloud's builder plans it (pinned literals).
SYSTEM_INSTANCE_TYPES = {"aws": "m6i.large", "gcp": "e2-standard-4", "azure": "Standard_D4s_v5"}
#: Each system node's root disk, GB, as each cloud's builder sizes it (pinned literals).
SYSTEM_DISK_GB = {"aws": 100, "gcp": 100, "azure": 128}
#: Root-disk list prices per GB-month of the example stacks' disks (fees.csv, pinned literals): gp3 in
#: us-east-1, pd-balanced in us-central1; Azure's tiered managed disks are not priced.
DISK_PRICE = {"aws": 0.08, "gcp": 0.10, "azure": 0.0}

REPO_ROOT = Path(__file__).resolve().parents[2]
STACKS = ("aws-dev", "gcp-dev", "azure-dev")
ESTIMATE_KEYS = {
    "environment", "cloud", "region", "compute", "fees", "min_monthly", "desired_monthly", "max_monthly",
    "worst_case_monthly", "budget_monthly", "over_budget", "catalog_as_of", "notes",
}  # fmt: skip
COMPUTE_KEYS = {
    "name", "kind", "instance_type", "shape", "capacity", "on_demand_hourly", "spot_hourly", "unit_hourly",
    "min", "desired", "max", "worst_case_monthly", "notes", "gpus_per_node", "gpu_hourly", "worst_case_nodes",
    "root_disk_gb", "root_disk_monthly", "root_disk_source",
}  # fmt: skip
FEE_KEYS = {"name", "quantity", "unit", "unit_price", "monthly", "source"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def stack(name: str, catalog: Catalog) -> Environment:
    return load_spec(name, catalog, root=REPO_ROOT)


def spec_compute(result: CostEstimate) -> list[ComputeCost]:
    return [c for c in result.compute if c.kind != "system_pool"]


def by_name(result: CostEstimate, name: str) -> ComputeCost:
    return next(c for c in result.compute if c.name == name and c.kind != "system_pool")


def fee_names(result: CostEstimate) -> list[str]:
    return [fee.name for fee in result.fees]


def disk_gb(env: Environment, cost: ComputeCost) -> int:
    """The root disk the spec gives each node of ``cost`` (the system pool's is the builder's own)."""
    if cost.kind == "system_pool":
        return SYSTEM_DISK_GB[env.cloud.value]
    return next(c.disk_size_gb for c in env.compute if c.name == cost.name)


def disk_hourly(env: Environment, cost: ComputeCost) -> float:
    """One node's root disk for an hour at the literal list price."""
    return disk_gb(env, cost) * DISK_PRICE[env.cloud.value] / HOURS_PER_MONTH


def without_fee(catalog: Catalog, cloud: str, name: str) -> Catalog:
    return Catalog(catalog.offerings, {k: f for k, f in catalog.fees.items() if k != (cloud, name)}, catalog.zones)


# -- rules on every example stack -------------------------------------------------------------
@pytest.mark.parametrize("name", STACKS)
def test_every_pool_and_group_is_priced_on_the_offering_the_catalog_resolves(name: str, catalog: Catalog) -> None:
    env = stack(name, catalog)
    result = estimate(env, catalog)
    assert [c.name for c in spec_compute(result)] == [c.name for c in env.compute]
    for compute, cost in zip(env.compute, spec_compute(result), strict=True):
        offering = catalog.offering_for(
            env.cloud.value, env.region, compute.accelerator, compute.accelerator_count, compute.instance_type
        )
        assert (cost.instance_type, cost.shape) == (offering.instance_type, offering.shape)
        assert (cost.on_demand_hourly, cost.spot_hourly) == (offering.price_per_hour, offering.spot_price_per_hour)
        assert cost.capacity == compute.capacity.value
        assert (cost.min.nodes, cost.desired.nodes, cost.max.nodes) == (
            compute.min_nodes,
            compute.desired,
            compute.max_nodes,
        )


@pytest.mark.parametrize("name", STACKS)
def test_unit_price_is_spot_for_spot_capacities_when_known_else_on_demand_with_a_note(
    name: str, catalog: Catalog
) -> None:
    for cost in estimate(stack(name, catalog), catalog).compute:
        buys_spot = cost.capacity != Capacity.ON_DEMAND.value
        spot_known = cost.spot_hourly is not None
        expected = cost.spot_hourly if buys_spot and spot_known else cost.on_demand_hourly
        assert cost.unit_hourly == expected
        assert any("no spot price" in note for note in cost.notes) == (buys_spot and not spot_known)


@pytest.mark.parametrize("name", STACKS)
def test_each_size_is_its_nodes_at_the_unit_price_plus_their_root_disks_for_730_hours(
    name: str, catalog: Catalog
) -> None:
    env = stack(name, catalog)
    for cost in estimate(env, catalog).compute:
        node_hour = cost.unit_hourly + disk_hourly(env, cost)
        for size in (cost.min, cost.desired, cost.max):
            assert size.hourly == pytest.approx(size.nodes * node_hour)
            assert size.monthly == pytest.approx(size.nodes * node_hour * HOURS_PER_MONTH)


@pytest.mark.parametrize("name", STACKS)
def test_worst_case_is_every_built_group_at_its_max_at_its_own_price(name: str, catalog: Catalog) -> None:
    env = stack(name, catalog)
    specs = {c.name: c for c in env.compute}
    for cost in estimate(env, catalog).compute:
        spot = cost.spot_hourly if cost.spot_hourly is not None else cost.on_demand_hourly
        spec = specs.get(cost.name)
        if spec is None or cost.kind == "autoscaling_group":
            continue  # the system pool (on-demand, fixed size) and ASGs (their own split) are tested apart
        high, disk = spec.max_nodes, disk_hourly(env, cost)
        expected = {
            "on_demand": high * (cost.on_demand_hourly + disk),
            "spot": high * (spot + disk),
            # the spot group and the on-demand fallback group, both at max_nodes, every node with its disk
            "spot_with_fallback": high * (spot + disk) + high * (cost.on_demand_hourly + disk),
        }[cost.capacity]
        assert cost.worst_case_monthly == pytest.approx(expected * HOURS_PER_MONTH), cost.name
        assert cost.worst_case_monthly >= cost.max.monthly


@pytest.mark.parametrize("name", STACKS)
def test_spot_with_fallback_expects_spot_and_counts_the_fallback_only_in_the_worst_case(
    name: str, catalog: Catalog
) -> None:
    train = by_name(estimate(stack(name, catalog), catalog), "train")
    assert train.capacity == Capacity.SPOT_WITH_FALLBACK.value
    assert train.max.nodes == 2  # the spot group at max; the fallback group is expected at 0
    assert train.worst_case_monthly > train.max.monthly
    assert any("fallback" in note for note in train.notes)


@pytest.mark.parametrize("name", STACKS)
def test_pools_that_scale_from_zero_cost_nothing_at_min(name: str, catalog: Catalog) -> None:
    env = stack(name, catalog)
    result = estimate(env, catalog)
    from_zero = [c.name for c in env.compute if c.min_nodes == 0]
    assert from_zero, "each example stack has a scale-from-zero pool"
    for name_ in from_zero:
        assert by_name(result, name_).min.monthly == 0
        assert by_name(result, name_).min.nodes == 0


@pytest.mark.parametrize("name", STACKS)
def test_totals_add_every_compute_and_every_fee(name: str, catalog: Catalog) -> None:
    result = estimate(stack(name, catalog), catalog)
    fees = sum(f.monthly for f in result.fees)
    assert result.min_monthly == pytest.approx(sum(c.min.monthly for c in result.compute) + fees)
    assert result.desired_monthly == pytest.approx(sum(c.desired.monthly for c in result.compute) + fees)
    assert result.max_monthly == pytest.approx(sum(c.max.monthly for c in result.compute) + fees)
    assert result.worst_case_monthly == pytest.approx(sum(c.worst_case_monthly for c in result.compute) + fees)
    assert result.min_monthly <= result.desired_monthly <= result.max_monthly <= result.worst_case_monthly


@pytest.mark.parametrize("name", STACKS)
def test_every_fee_is_quantity_times_the_catalog_unit_price(name: str, catalog: Catalog) -> None:
    env = stack(name, catalog)
    for line in estimate(env, catalog).fees:
        catalog_fee = catalog.fee(env.cloud.value, line.name.split(":")[0])
        assert catalog_fee is not None
        assert (line.unit_price, line.unit, line.source) == (
            catalog_fee.price_usd,
            catalog_fee.unit,
            catalog_fee.source,
        )
        assert line.monthly == pytest.approx(line.quantity * line.unit_price)


@pytest.mark.parametrize("name", STACKS)
def test_cluster_pays_control_plane_all_month_and_a_system_pool_on_demand(name: str, catalog: Catalog) -> None:
    env = stack(name, catalog)
    assert env.cluster is not None
    result = estimate(env, catalog)
    control_plane = next(f for f in result.fees if f.name == "control_plane")
    assert control_plane.quantity == HOURS_PER_MONTH
    (system,) = [c for c in result.compute if c.kind == "system_pool"]
    assert system.instance_type == SYSTEM_INSTANCE_TYPES[env.cloud.value]
    assert system.unit_hourly == system.on_demand_hourly
    assert system.min.nodes == system.desired.nodes == system.max.nodes == env.cluster.system_nodes


@pytest.mark.parametrize("name", STACKS)
def test_to_dict_is_json_with_the_documented_keys(name: str, catalog: Catalog) -> None:
    result = estimate(stack(name, catalog), catalog)
    data = json.loads(json.dumps(result.to_dict()))
    assert set(data) == ESTIMATE_KEYS
    assert all(set(c) == COMPUTE_KEYS for c in data["compute"])
    assert all(set(c["max"]) == {"nodes", "hourly", "monthly"} for c in data["compute"])
    assert all(set(f) == FEE_KEYS for f in data["fees"])
    assert data["catalog_as_of"] is None is catalog.as_of
    assert data["worst_case_monthly"] == pytest.approx(result.worst_case_monthly)


# -- root disks -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["aws-dev", "gcp-dev"])
def test_every_node_carries_its_root_disk_at_the_list_price_per_gb_month(name: str, catalog: Catalog) -> None:
    env = stack(name, catalog)
    result = estimate(env, catalog)
    for cost in result.compute:
        assert cost.root_disk_gb == disk_gb(env, cost)
        assert cost.root_disk_monthly == pytest.approx(disk_gb(env, cost) * DISK_PRICE[env.cloud.value])
        assert cost.root_disk_source.strip()
    assert not any("root disk" in note for note in result.notes)


def test_aws_dev_sizes_include_their_disks_in_numbers_worked_by_hand(catalog: Catalog) -> None:
    result = estimate(stack("aws-dev", catalog), catalog)
    # infer: g6.xlarge on-demand $0.8048/h, 1..4 nodes, 200 GB gp3 each at $0.08/GB-month = $16/node-month.
    infer = by_name(result, "infer")
    assert (infer.min.monthly, infer.desired.monthly) == (pytest.approx(0.8048 * 730 + 16), pytest.approx(603.504))
    assert infer.max.monthly == pytest.approx(4 * (0.8048 * 730 + 16))
    assert infer.worst_case_monthly == pytest.approx(infer.max.monthly)
    # train: spot group and on-demand fallback group, 2 + 2 p5.48xlarge at max, each with 500 GB ($40/month).
    train = by_name(result, "train")
    assert train.min.monthly == 0 and train.max.monthly == pytest.approx(2 * (train.unit_hourly * 730 + 40))
    assert train.worst_case_monthly == pytest.approx(2 * (train.unit_hourly * 730 + 40) + 2 * (98.32 * 730 + 40))
    # system: 2 x m6i.large on-demand ($0.096/h) with 100 GB each ($8/month), at every size.
    (system,) = [c for c in result.compute if c.kind == "system_pool"]
    assert system.desired.monthly == pytest.approx(2 * (0.096 * 730 + 8)) == system.worst_case_monthly


def test_aws_dev_worst_case_rises_by_every_groups_max_nodes_times_disk_times_the_gp3_price(catalog: Catalog) -> None:
    env = stack("aws-dev", catalog)
    with_disks, without_disks = estimate(env, catalog), estimate(env, without_fee(catalog, "aws", "root_disk_gp3"))
    # train: spot 2 + fallback 2 nodes x 500 GB; infer 4 x 200 GB; batch 4 x 200 GB; system 2 x 100 GB.
    gb_at_worst = (2 + 2) * 500 + 4 * 200 + 4 * 200 + 2 * 100
    assert with_disks.worst_case_monthly - without_disks.worst_case_monthly == pytest.approx(gb_at_worst * 0.08)
    assert with_disks.worst_case_monthly - without_disks.worst_case_monthly == pytest.approx(304.0)
    # min and desired: infer's 1 node (200 GB) and the system pool's 2 (100 GB each); max: every spec size at max.
    assert with_disks.desired_monthly - without_disks.desired_monthly == pytest.approx((200 + 2 * 100) * 0.08)
    assert with_disks.min_monthly - without_disks.min_monthly == pytest.approx((200 + 2 * 100) * 0.08)
    max_gb = 2 * 500 + 4 * 200 + 4 * 200 + 2 * 100
    assert with_disks.max_monthly - without_disks.max_monthly == pytest.approx(max_gb * 0.08)


def test_a_disk_fee_missing_from_the_catalog_leaves_the_disks_out_with_a_note(catalog: Catalog) -> None:
    result = estimate(stack("gcp-dev", catalog), without_fee(catalog, "gcp", "root_disk_pd_balanced"))
    assert all(c.root_disk_monthly is None for c in result.compute)
    for name in ("train", "infer", "batch", "system"):
        assert any(note.startswith(f"{name}: root disks") and "root_disk_pd_balanced" in note for note in result.notes)


def test_azure_root_disks_are_not_estimated_and_the_notes_say_why(catalog: Catalog) -> None:
    result = estimate(stack("azure-dev", catalog), catalog)
    assert all(c.root_disk_monthly is None and c.root_disk_gb > 0 for c in result.compute)
    assert any(note.startswith("root disks are not estimated on Azure") and "tier" in note for note in result.notes)


def test_a_gcp_hyperdisk_boot_disk_is_not_estimated_and_the_notes_say_why(catalog: Catalog) -> None:
    env = stack("gcp-dev", catalog).model_copy(update={"region": "asia-south1"})
    pinned = env.node_pools[0].model_copy(
        update={"accelerator": None, "accelerator_count": None, "instance_type": "a3-ultragpu-8g"}
    )
    env = env.model_copy(update={"node_pools": [pinned], "autoscaling_groups": []})
    result = estimate(env, catalog)
    train = by_name(result, "train")
    assert train.root_disk_gb == 500 and train.root_disk_monthly is None
    (system,) = [c for c in result.compute if c.kind == "system_pool"]
    assert system.root_disk_monthly == pytest.approx(100 * 0.10)  # e2-standard-4 boots from pd-balanced
    assert any("hyperdisk-balanced boot disks are not estimated" in note and "train-" in note for note in result.notes)


@pytest.mark.parametrize("name", STACKS)
def test_root_disks_are_no_longer_in_the_not_estimated_note(name: str, catalog: Catalog) -> None:
    (note,) = [n for n in estimate(stack(name, catalog), catalog).notes if n.startswith("not estimated:")]
    assert "root disk" not in note and "data transfer" in note


# -- particular rules -------------------------------------------------------------------------
def test_azure_h100_has_no_spot_price_so_the_spot_pool_is_priced_on_demand(catalog: Catalog) -> None:
    train = by_name(estimate(stack("azure-dev", catalog), catalog), "train")
    assert train.shape == "8 x H100" and train.spot_hourly is None
    assert train.unit_hourly == train.on_demand_hourly
    assert any("no spot price" in note and train.instance_type in note for note in train.notes)


@pytest.mark.parametrize(
    ("nat", "zones", "gateways"),
    [(NatMode.NONE, 3, 0), (NatMode.SINGLE, 3, 1), (NatMode.PER_ZONE, 3, 3), (NatMode.PER_ZONE, 2, 2)],
)
def test_nat_gateways_follow_the_nat_mode(nat: NatMode, zones: int, gateways: int, catalog: Catalog) -> None:
    env = stack("aws-dev", catalog)
    env = env.model_copy(update={"network": env.network.model_copy(update={"nat": nat, "zones": zones})})
    result = estimate(env, catalog)
    nat_lines = [f for f in result.fees if f.name == "nat_gateway"]
    data_note = any("NAT data processing" in note for note in result.notes)
    if gateways == 0:
        assert nat_lines == [] and not data_note
    else:
        assert [f.quantity for f in nat_lines] == [gateways * HOURS_PER_MONTH]
        assert data_note


def test_without_a_cluster_there_is_no_control_plane_and_no_system_pool(catalog: Catalog) -> None:
    env = stack("aws-dev", catalog).model_copy(update={"cluster": None, "node_pools": []})
    result = estimate(env, catalog)
    assert "control_plane" not in fee_names(result)
    assert all(c.kind != "system_pool" for c in result.compute)
    assert [c.name for c in result.compute] == [g.name for g in env.autoscaling_groups]


def test_system_pool_without_a_catalog_price_is_left_out_with_a_note(catalog: Catalog) -> None:
    system_type = SYSTEM_INSTANCE_TYPES["aws"]
    without = Catalog(
        offerings=tuple(o for o in catalog.offerings if o.instance_type != system_type),
        fees=catalog.fees,
        zones=catalog.zones,
    )
    result = estimate(stack("aws-dev", catalog), without)
    assert all(c.kind != "system_pool" for c in result.compute)
    assert any("system pool" in note and system_type in note for note in result.notes)


def test_a_fee_missing_from_the_catalog_is_left_out_with_a_note(catalog: Catalog) -> None:
    fees = {key: fee for key, fee in catalog.fees.items() if key != ("aws", "control_plane")}
    result = estimate(stack("aws-dev", catalog), Catalog(catalog.offerings, fees, catalog.zones))
    assert "control_plane" not in fee_names(result)
    assert any("control_plane" in note for note in result.notes)


def test_each_bucket_is_priced_at_standard_storage_for_its_expected_size(catalog: Catalog) -> None:
    env = stack("aws-dev", catalog)
    storage = {f.name: f for f in estimate(env, catalog).fees if f.name.startswith("object_storage:")}
    standard = catalog.fee("aws", "object_storage")
    assert standard is not None
    assert set(storage) == {f"object_storage:{b.name}" for b in env.buckets}
    for bucket in env.buckets:
        line = storage[f"object_storage:{bucket.name}"]
        assert (line.quantity, line.unit_price) == (bucket.expected_size_gb, standard.price_usd)


def test_cold_lifecycle_keeps_the_standard_price_but_says_so(catalog: Catalog) -> None:
    env = stack("aws-dev", catalog)
    result = estimate(env, catalog)
    cold = {b.name for b in env.buckets if b.lifecycle.cold_after_days is not None}
    assert cold, "aws-dev has a bucket with cold_after_days"
    noted = {b.name for b in env.buckets if any(f"bucket {b.name}:" in note for note in result.notes)}
    assert noted == cold


@pytest.mark.parametrize(
    ("encryption", "key_id", "keys"),
    [(Encryption.CUSTOMER_KEY, None, 1), (Encryption.CUSTOMER_KEY, "arn:aws:kms:us-east-1:1:key/x", 0),
     (Encryption.PROVIDER_MANAGED, None, 0)],
)  # fmt: skip
def test_a_key_is_paid_only_when_one_is_created_for_a_bucket(
    encryption: Encryption, key_id: str | None, keys: int, catalog: Catalog
) -> None:

    env = stack("aws-dev", catalog)
    bucket = env.buckets[0].model_copy(update={"encryption": encryption, "customer_key_id": key_id})
    result = estimate(env.model_copy(update={"buckets": [bucket]}), catalog)
    assert fee_names(result).count(f"kms_key:{bucket.name}") == keys


@pytest.mark.parametrize("name", STACKS)
def test_over_budget_flips_when_the_budget_drops_below_the_worst_case(name: str, catalog: Catalog) -> None:
    env = stack(name, catalog)
    worst = estimate(env, catalog).worst_case_monthly

    def with_budget(limit: float) -> CostEstimate:
        assert env.budget is not None
        return estimate(
            env.model_copy(update={"budget": env.budget.model_copy(update={"monthly_usd": limit})}), catalog
        )

    above, below = with_budget(worst + 1), with_budget(worst - 1)
    assert (above.over_budget, below.over_budget) == (False, True)
    assert below.budget_monthly == worst - 1


def test_without_a_budget_nothing_is_over_budget(catalog: Catalog) -> None:
    result = estimate(stack("aws-dev", catalog).model_copy(update={"budget": None}), catalog)
    assert result.budget_monthly is None and result.over_budget is False


def _write_override(path: Path, row: dict[str, str]) -> None:
    path.write_text(",".join(OFFERING_COLUMNS) + "\n" + ",".join(row[c] for c in OFFERING_COLUMNS) + "\n")


def test_a_user_csv_overrides_the_price_and_dates_the_estimate(tmp_path: Path, catalog: Catalog) -> None:
    env = stack("aws-dev", catalog)
    bundled = by_name(estimate(env, catalog), "train")
    negotiated = {"price": bundled.on_demand_hourly / 2, "spot": bundled.spot_hourly / 2}  # type: ignore[operator]
    csv_path = tmp_path / "negotiated.csv"
    _write_override(csv_path, {
        "cloud": "aws", "region": env.region, "instance_type": bundled.instance_type, "accelerator": "H100",
        "accelerator_count": "8", "accelerator_memory_gib": "80", "vcpus": "192", "memory_gib": "2048",
        "price_usd_per_hour": str(negotiated["price"]), "spot_price_usd_per_hour": str(negotiated["spot"]),
        "source_commit": "negotiated",
    })  # fmt: skip
    old = date(2026, 1, 15)
    stamp = datetime(old.year, old.month, old.day, 12).timestamp()
    os.utime(csv_path, (stamp, stamp))
    result = estimate(env, load_catalog(csv_path))
    train = by_name(result, "train")
    assert (train.on_demand_hourly, train.unit_hourly) == (negotiated["price"], negotiated["spot"])
    assert result.worst_case_monthly < estimate(env, catalog).worst_case_monthly
    # The bundled part's date is unknown, so the merged catalog's is too (only as fresh as its stalest part).
    assert result.catalog_as_of is None


def test_estimating_imports_no_pulumi() -> None:
    code = (
        "import sys; from aimodel_infra.cost import estimate, compare; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0].startswith('pulumi')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
