"""compare: the cheapest placement is the true minimum, checked against brute force.

The brute force below is deliberately naive and shares no code with ``compare``: it scans the
catalog's rows for every (cloud, region), tries every combination of matching offerings with
``itertools.product``, and prices each combination from first principles.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aimodel_infra.catalog import HOURS_PER_MONTH, Catalog, Fee, Offering, load_catalog
from aimodel_infra.cost import BASES, CompareError, Comparison, compare, estimate
from aimodel_infra.errors import AimodelError
from aimodel_infra.spec import AutoscalingGroup, Capacity, Cloud, Compute, Environment, load_spec

#: The system pool's CPU shape per cloud, as each cloud's builder plans it (pinned literals).
SYSTEM_INSTANCE_TYPES = {"aws": "m6i.large", "gcp": "e2-standard-4", "azure": "Standard_D4s_v5"}
#: Each system node's root disk, GB, as each cloud's builder sizes it (pinned literals).
SYSTEM_DISK_GB = {"aws": 100, "gcp": 100, "azure": 128}
#: GCP families whose boot disk is hyperdisk-balanced (not priced: no sourced price); Azure prices no root disk.
HYPERDISK_FAMILIES = ("a3-ultragpu-", "a4-", "a4x-")

REPO_ROOT = Path(__file__).resolve().parents[2]
STACKS = ("aws-dev", "gcp-dev", "azure-dev")
BUNDLED = load_catalog()
REGIONS = sorted({(o.cloud, o.region) for o in BUNDLED.offerings})
#: Regions where the generator can pin both a GPU and a CPU instance type.
MIXED_REGIONS = sorted(
    {(o.cloud, o.region) for o in BUNDLED.offerings if o.accelerator}
    & {(o.cloud, o.region) for o in BUNDLED.offerings if not o.accelerator}
)


def stack(name: str) -> Environment:
    return load_spec(name, BUNDLED, root=REPO_ROOT)


# -- the brute force --------------------------------------------------------------------------
def requirement(compute: Compute, env: Environment, catalog: Catalog) -> tuple[Any, ...]:
    """("gpu", accelerator, count) or ("cpu", vcpus, memory), read straight from the rows."""
    if compute.accelerator is not None:
        return ("gpu", compute.accelerator, compute.accelerator_count)
    # A GCP N1 host is offered with 0, 1, 2 or 4 T4s; pinned alone it means the host with the fewest.
    pinned = min(
        (o for o in catalog.offerings
         if (o.cloud, o.region, o.instance_type) == (env.cloud.value, env.region, compute.instance_type)),
        key=lambda o: o.accelerator_count,
    )  # fmt: skip
    if pinned.accelerator:
        return ("gpu", pinned.accelerator, pinned.accelerator_count)
    return ("cpu", pinned.vcpus, pinned.memory_gib)


def matches(offering: Offering, need: tuple[Any, ...]) -> bool:
    if need[0] == "gpu":
        return offering.accelerator == need[1] and offering.accelerator_count == need[2]
    return offering.accelerator is None and offering.vcpus >= need[1] and offering.memory_gib >= need[2]


def node_hour(offering: Offering, capacity: Capacity) -> float:
    wants_spot = capacity in (Capacity.SPOT, Capacity.SPOT_WITH_FALLBACK)
    return (
        offering.spot_price_per_hour
        if wants_spot and offering.spot_price_per_hour is not None
        else offering.price_per_hour
    )


def root_disk_fee(cloud: str, instance_type: str) -> str | None:
    """The catalog fee a node's root disk bills at: the AWS launch templates' gp3, GCP's pd-balanced."""
    if cloud == "aws":
        return "root_disk_gp3"
    if cloud == "gcp" and not instance_type.startswith(HYPERDISK_FAMILIES):
        return "root_disk_pd_balanced"
    return None


def disk_hour(catalog: Catalog, offering: Offering, disk_gb: int) -> float:
    """One node's root disk for an hour: its GB at the catalog's per-GB-month price, over 730 hours."""
    fee = root_disk_fee(offering.cloud, offering.instance_type)
    row = catalog.fees.get((offering.cloud, fee)) if fee else None
    return disk_gb * row.price_usd / 730 if row else 0.0


def nodes_at(compute: Compute, basis: str) -> int:
    desired = compute.min_nodes if compute.desired_nodes is None else compute.desired_nodes
    return {"min": compute.min_nodes, "desired": desired, "max": compute.max_nodes, "worst": compute.max_nodes}[basis]


def basis_node_hour(offering: Offering, compute: Compute, basis: str, catalog: Catalog) -> float:
    """A node with its root disk; at the worst case a spot_with_fallback pool also runs its on-demand
    fallback group (nodes with disks too) at max."""
    disk = disk_hour(catalog, offering, compute.disk_size_gb)
    node = node_hour(offering, compute.capacity) + disk
    fallback = basis == "worst" and compute.capacity is Capacity.SPOT_WITH_FALLBACK
    return node + (offering.price_per_hour + disk if fallback else 0.0)


def fixed_monthly(env: Environment, catalog: Catalog, cloud: str, region: str) -> float:
    def price(name: str) -> float:
        fee = catalog.fees.get((cloud, name))
        return fee.price_usd if fee else 0.0

    total = 0.0
    if env.cluster is not None:
        # EKS bills a version past standard support at the extended-support rate (the AWS billable asks the
        # catalog which fee applies today); GKE and AKS bill the standard fee here.
        version = env.cluster.kubernetes_version
        fee = catalog.control_plane_fee_name("aws", version, date.today()) if cloud == "aws" else "control_plane"
        total += price(fee) * 730
        if cloud in ("aws", "gcp"):  # EKS and GKE secrets are encrypted with a key of the environment's own
            total += price("kms_key")
        for o in catalog.offerings:
            if (o.cloud, o.region, o.instance_type) == (cloud, region, SYSTEM_INSTANCE_TYPES[cloud]):
                node_hour = o.price_per_hour + disk_hour(catalog, o, SYSTEM_DISK_GB[cloud])
                total += env.cluster.system_nodes * node_hour * 730
    # Cloud NAT is regional (one gateway whatever the mode); AWS and Azure NAT gateways are zonal.
    per_zone = 1 if cloud == "gcp" else env.network.zones
    gateways = {"none": 0, "single": 1, "per-zone": per_zone}[env.network.nat.value]
    total += gateways * price("nat_gateway") * 730
    for bucket in env.buckets:
        total += bucket.expected_size_gb * price("object_storage")
        if bucket.encryption.value == "customer-key" and not bucket.customer_key_id:
            total += price("kms_key")
    return total


@dataclasses.dataclass
class BruteForce:
    totals: dict[tuple[str, str], float]  # cheapest total of every placeable region
    missing: dict[tuple[str, str], list[str]]  # names of the computes a region cannot hold


def brute_force(env: Environment, catalog: Catalog, basis: str) -> BruteForce:
    needs = [requirement(c, env, catalog) for c in env.compute]
    result = BruteForce({}, {})
    for cloud, region in sorted({(o.cloud, o.region) for o in catalog.offerings}):
        here = [o for o in catalog.offerings if (o.cloud, o.region) == (cloud, region)]
        options = [[o for o in here if matches(o, need)] for need in needs]
        if not all(options):
            result.missing[(cloud, region)] = [c.name for c, opts in zip(env.compute, options, strict=True) if not opts]
            continue
        compute = min(
            sum(
                nodes_at(c, basis) * basis_node_hour(o, c, basis, catalog) * 730
                for c, o in zip(env.compute, combo, strict=True)
            )
            for combo in itertools.product(*options)
        )
        result.totals[(cloud, region)] = compute + fixed_monthly(env, catalog, cloud, region)
    return result


def assert_matches_brute_force(env: Environment, catalog: Catalog, basis: str) -> Comparison:
    result = compare(env, catalog=catalog, basis=basis)
    truth = brute_force(env, catalog, basis)
    placed = {(p.cloud, p.region): p.monthly for p in result.placements}
    assert set(placed) == set(truth.totals)
    for where, monthly in placed.items():
        assert monthly == pytest.approx(truth.totals[where], rel=1e-9, abs=1e-6), where
    unplaced = {(u.cloud, u.region): u.reasons for u in result.unplaced}
    assert set(unplaced) == set(truth.missing)
    for where, reasons in unplaced.items():
        assert [r.split(":")[0] for r in reasons] == truth.missing[where]
    if truth.totals:
        cheapest = min(truth.totals.values())
        tied = sorted(
            w for w, total in truth.totals.items() if math.isclose(total, cheapest, rel_tol=1e-9, abs_tol=1e-6)
        )
        first = result.placements[0]
        assert first.monthly == pytest.approx(cheapest, rel=1e-9, abs=1e-6)
        assert (first.cloud, first.region) == tied[0]
    return result


# -- brute force on the example stacks --------------------------------------------------------
@pytest.mark.parametrize("basis", BASES)
@pytest.mark.parametrize("name", STACKS)
def test_first_placement_is_the_true_minimum_for_the_example_stacks(name: str, basis: str) -> None:
    assert_matches_brute_force(stack(name), BUNDLED, basis)


# -- brute force on generated environments and catalogs ---------------------------------------
@st.composite
def computes(draw: st.DrawFn, index: int, cloud: str, region: str) -> dict[str, Any]:
    here = [o for o in BUNDLED.offerings if (o.cloud, o.region) == (cloud, region)]
    kind = draw(st.sampled_from(["shape", "gpu-instance", "cpu-instance", "gpu-instance-and-shape"]))
    if kind == "shape":
        shapes = sorted({(o.accelerator, o.accelerator_count) for o in BUNDLED.offerings if o.accelerator})
        accelerator, count = draw(st.sampled_from(shapes))
        machine: dict[str, Any] = {"accelerator": accelerator, "accelerator_count": count}
    else:
        wants_gpu = kind != "cpu-instance"
        pinned = draw(st.sampled_from([o for o in here if bool(o.accelerator) == wants_gpu]))
        machine = {"instance_type": pinned.instance_type}
        if kind == "gpu-instance-and-shape":
            machine |= {"accelerator": pinned.accelerator, "accelerator_count": pinned.accelerator_count}
    low = draw(st.integers(0, 3))
    usual = draw(st.integers(low, low + 3))
    high = draw(st.integers(max(usual, 1), usual + 5))
    capacity = draw(st.sampled_from([c.value for c in Capacity]))
    return {
        "name": f"c{index}",
        **machine,
        "capacity": capacity,
        "min_nodes": low,
        "desired_nodes": usual,
        "max_nodes": high,
    }


@st.composite
def environments(draw: st.DrawFn) -> Environment:
    cloud, region = draw(st.sampled_from(MIXED_REGIONS))
    pieces = [draw(computes(i, cloud, region)) for i in range(draw(st.integers(0, 4)))]
    has_cluster = draw(st.booleans())
    as_pool = [has_cluster and draw(st.booleans()) for _ in pieces]
    buckets = [
        {
            "name": f"bucket{i}",
            "purpose": "datasets",
            "expected_size_gb": draw(st.floats(0, 100_000, allow_nan=False)),
            "encryption": draw(st.sampled_from(["provider-managed", "customer-key"])),
            "lifecycle": {"cold_after_days": draw(st.none() | st.integers(1, 365))},
        }
        for i in range(draw(st.integers(0, 3)))
    ]
    return Environment.model_validate({
        "name": "generated", "cloud": cloud, "region": region,
        "network": {"zones": draw(st.integers(1, 3)), "nat": draw(st.sampled_from(["none", "single", "per-zone"]))},
        "cluster": {"system_nodes": draw(st.integers(1, 4))} if has_cluster else None,
        "node_pools": [p for p, pool in zip(pieces, as_pool, strict=True) if pool],
        "autoscaling_groups": [p for p, pool in zip(pieces, as_pool, strict=True) if not pool],
        "buckets": buckets,
    })  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(env=environments(), basis=st.sampled_from(BASES))
def test_first_placement_is_the_true_minimum_for_generated_environments(env: Environment, basis: str) -> None:
    assert_matches_brute_force(env, BUNDLED, basis)


@st.composite
def reshuffled_catalogs(draw: st.DrawFn) -> Catalog:
    """The bundled rows with some GPU rows dropped, plus rival GPU and CPU instance types at random prices.

    One seed drives the reshuffle: drawing a value per row made generation the slowest part of the suite.
    """
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    kept = [o for o in BUNDLED.offerings if o.accelerator is None or rng.random() < 0.75]
    rivals = []
    for i, base in enumerate(o for o in kept if rng.random() < 0.5):
        on_demand = base.price_per_hour * rng.uniform(0.3, 2.0)  # close enough to compete
        spot = None if rng.random() < 0.3 else rng.uniform(0.001, on_demand * 0.99)
        rival = base._replace(instance_type=f"rival-{i}", price_per_hour=on_demand, spot_price_per_hour=spot)
        if base.accelerator is None:  # a CPU rival also gets a different host size
            vcpus, memory = rng.choice([1.0, 2.0, 4.0, 8.0]), rng.choice([4.0, 8.0, 16.0, 32.0])
            rival = rival._replace(vcpus=vcpus, memory_gib=memory)
        rivals.append(rival)
    return Catalog(offerings=tuple(kept + rivals), fees=BUNDLED.fees, zones=BUNDLED.zones)


@settings(max_examples=150, deadline=None)
@given(env=environments(), catalog=reshuffled_catalogs(), basis=st.sampled_from(BASES))
def test_first_placement_is_the_true_minimum_when_shapes_have_rival_offerings(
    env: Environment, catalog: Catalog, basis: str
) -> None:
    pinned_everywhere = all(
        c.instance_type is None or catalog.instance(env.cloud.value, env.region, c.instance_type) for c in env.compute
    )
    if pinned_everywhere:  # a pin the reshuffled catalog dropped is a CatalogError, tested separately
        assert_matches_brute_force(env, catalog, basis)


# -- a hand-built catalog whose answer no single price gives away -----------------------------
def _row(
    cloud: str, region: str, instance: str, shape: tuple[str, int] | None, price: float, spot: float | None
) -> Offering:
    accelerator, count = shape or (None, 0)
    return Offering(
        cloud, region, instance, accelerator, count, 80.0 if accelerator else 0.0, 8.0, 32.0, price, spot, "test"
    )


def hand_built_catalog() -> Catalog:
    h100, h100_x4, l4 = ("H100", 8), ("H100", 4), ("L4", 1)
    gpu_rows = [
        _row("aws", "r-a", "p5", h100, 50.0, 10.0),  # cheapest train, dearest infer
        _row("aws", "r-a", "g6", l4, 20.0, 5.0),
        _row("aws", "r-b", "p5", h100, 45.0, None),  # no spot price: the spot pool pays on-demand
        _row("aws", "r-b", "g6", l4, 1.0, 0.5),
        _row("aws", "r-f", "p5", h100, 80.0, 39.0),  # cheapest compute overall, lost to aws fees
        _row("aws", "r-f", "g6", l4, 0.25, 0.2),
        _row("gcp", "r-c", "a3-cheap-od", h100, 35.0, 33.0),  # cheaper on-demand, dearer spot
        _row("gcp", "r-c", "a3-cheap-spot", h100, 40.0, 30.0),
        _row("gcp", "r-c", "g2", l4, 5.0, 1.0),
        _row("gcp", "r-d", "a3-half", h100_x4, 1.0, 0.5),  # everything cheap, but no 8 x H100
        _row("gcp", "r-d", "g2", l4, 0.1, 0.05),
    ]
    regions = {("aws", "r-a"), ("aws", "r-b"), ("aws", "r-f"), ("gcp", "r-c"), ("gcp", "r-d")}
    system_rows = [_row(c, r, SYSTEM_INSTANCE_TYPES[c], None, 0.1, 0.05) for c, r in sorted(regions)]
    fees = {
        ("aws", "control_plane"): Fee("aws", "control_plane", "hour", 5.0, "test"),
        ("gcp", "control_plane"): Fee("gcp", "control_plane", "hour", 0.1, "test"),
    }
    return Catalog(offerings=tuple(gpu_rows + system_rows), fees=fees)


def hand_built_env() -> Environment:
    return Environment.model_validate({
        "name": "hand", "cloud": "aws", "region": "r-a",
        "node_pools": [
            {"name": "train", "accelerator": "H100", "accelerator_count": 8, "capacity": "spot", "max_nodes": 2},
            {"name": "infer", "accelerator": "L4", "capacity": "on_demand", "min_nodes": 1, "max_nodes": 4},
        ],
    })  # fmt: skip


def test_cheapest_region_is_found_when_no_single_price_points_to_it() -> None:
    catalog, env = hand_built_catalog(), hand_built_env()
    result = assert_matches_brute_force(env, catalog, "max")
    first = result.placements[0]
    assert (first.cloud, first.region) == ("gcp", "r-c")
    assert {c.name: c.instance_type for c in first.compute} == {"train": "a3-cheap-spot", "infer": "g2"}
    assert [(u.cloud, u.region, u.reasons) for u in result.unplaced] == [
        ("gcp", "r-d", ("train: 8 x H100 not offered",))
    ]


# -- placing rules ----------------------------------------------------------------------------
@pytest.mark.parametrize("name", STACKS)
def test_placements_are_sorted_cheapest_first_then_by_cloud_and_region(name: str) -> None:
    placements = compare(stack(name), catalog=BUNDLED).placements
    keys = [(round(p.monthly, 6), p.cloud, p.region) for p in placements]
    assert keys == sorted(keys)


def test_equal_prices_are_ordered_by_cloud_then_region() -> None:
    env = stack("gcp-dev")  # us-central1 and us-west1 carry identical prices in the snapshot
    placements = compare(env, clouds=["gcp"], regions=["us-west1", "us-central1"], catalog=BUNDLED).placements
    assert [p.region for p in placements] == ["us-central1", "us-west1"]
    assert placements[0].monthly == placements[1].monthly


@pytest.mark.parametrize("basis", BASES)
@pytest.mark.parametrize("name", STACKS)
def test_a_placement_is_its_compute_at_the_basis_plus_the_fixed_costs(name: str, basis: str) -> None:
    env = stack(name)
    sizes = {c.name: nodes_at(c, basis) for c in env.compute}
    for placement in compare(env, catalog=BUNDLED, basis=basis).placements:
        assert {c.name: c.nodes for c in placement.compute} == sizes
        for placed in placement.compute:
            if basis == "worst":
                assert placed.monthly == placed.worst_case_monthly
            else:
                node_month = placed.unit_hourly * HOURS_PER_MONTH + (placed.root_disk_monthly or 0.0)
                assert placed.monthly == pytest.approx(placed.nodes * node_month)
        assert placement.monthly == pytest.approx(sum(c.monthly for c in placement.compute) + placement.fees_monthly)


@pytest.mark.parametrize("name", STACKS)
def test_the_current_region_costs_no_more_than_the_estimate_and_has_its_fixed_costs(name: str) -> None:
    env = stack(name)
    cost = estimate(env, BUNDLED)
    (current,) = [p for p in compare(env, catalog=BUNDLED).placements if p.is_current]
    assert (current.cloud, current.region) == (env.cloud.value, env.region)
    fixed = sum(f.monthly for f in cost.fees) + sum(c.desired.monthly for c in cost.compute if c.kind == "system_pool")
    assert current.fees_monthly == pytest.approx(fixed)
    estimated = {c.name: c.unit_hourly for c in cost.compute}
    assert all(placed.unit_hourly <= estimated[placed.name] for placed in current.compute)


@pytest.mark.parametrize("name", STACKS)
def test_the_current_region_places_each_compute_on_the_type_the_estimate_prices(name: str) -> None:
    """On a price tie (GCP sells a3-edgegpu-8g at a3-highgpu-8g's price) both answers pick the same type."""
    env = stack(name)
    cost = estimate(env, BUNDLED)
    (current,) = [p for p in compare(env, catalog=BUNDLED).placements if p.is_current]
    estimated = {c.name: c.instance_type for c in cost.compute if c.kind != "system_pool"}
    assert {placed.name: placed.instance_type for placed in current.compute} == estimated
    if name == "gcp-dev":
        assert estimated["train"] == "a3-highgpu-8g"


def test_an_instance_type_pinned_gpu_pool_moves_as_its_accelerator_and_count() -> None:
    env = stack("gcp-dev")
    pinned = env.node_pools[0].model_copy(
        update={"accelerator": None, "accelerator_count": None, "instance_type": "a3-highgpu-8g"}
    )
    env = env.model_copy(update={"node_pools": [pinned, *env.node_pools[1:]]})
    result = assert_matches_brute_force(env, BUNDLED, "max")
    trains = {(p.cloud, p.region): next(c for c in p.compute if c.name == "train") for p in result.placements}
    assert {cloud for cloud, _ in trains} == {"aws", "gcp"}
    assert all(train.shape == "8 x H100" for train in trains.values())
    assert trains[("aws", "us-east-1")].instance_type == "p5.48xlarge"


def test_a_cpu_instance_type_moves_to_the_cheapest_cpu_shape_at_least_as_large() -> None:
    env = stack("aws-dev").model_copy(update={"node_pools": [], "autoscaling_groups": [], "buckets": []})
    cpu = AutoscalingGroup.model_validate({"name": "cpu", "instance_type": "m6i.xlarge", "max_nodes": 3})
    env = env.model_copy(update={"autoscaling_groups": [cpu]})
    reference = BUNDLED.instance("aws", "us-east-1", "m6i.xlarge")
    assert reference is not None
    result = assert_matches_brute_force(env, BUNDLED, "max")
    assert {p.cloud for p in result.placements} == {"aws", "gcp", "azure"}
    for placement in result.placements:
        (placed,) = placement.compute
        chosen = BUNDLED.instance(placement.cloud, placement.region, placed.instance_type)
        assert placed.shape == "cpu" and chosen is not None
        assert chosen.vcpus >= reference.vcpus and chosen.memory_gib >= reference.memory_gib


def test_a_cpu_shape_short_of_vcpus_or_memory_is_never_chosen_however_cheap() -> None:
    cpu_rows = [
        _row("aws", "r-a", "m-ref", None, 0.5, None),  # the pinned shape: 8 vCPUs, 32 GiB
        _row("gcp", "r-c", "low-memory", None, 0.01, None)._replace(vcpus=16.0, memory_gib=16.0),
        _row("gcp", "r-c", "few-vcpus", None, 0.02, None)._replace(vcpus=4.0, memory_gib=64.0),
        _row("gcp", "r-c", "larger-and-cheaper", None, 0.3, None)._replace(vcpus=16.0, memory_gib=64.0),
        _row("gcp", "r-c", "same-size", None, 0.4, None),
    ]
    env = Environment.model_validate({
        "name": "cpu-only", "cloud": "aws", "region": "r-a", "cluster": None,
        "autoscaling_groups": [{"name": "web", "instance_type": "m-ref", "max_nodes": 2}],
    })  # fmt: skip
    result = assert_matches_brute_force(env, Catalog(offerings=tuple(cpu_rows)), "max")
    chosen = {(p.cloud, p.region): p.compute[0].instance_type for p in result.placements}
    assert chosen == {("aws", "r-a"): "m-ref", ("gcp", "r-c"): "larger-and-cheaper"}


def test_each_compute_a_region_cannot_hold_is_one_reason() -> None:
    result = compare(stack("aws-dev"), clouds=["gcp"], catalog=BUNDLED)
    assert result.placements == ()
    assert {u.region for u in result.unplaced} == {r for c, r in REGIONS if c == "gcp"}
    # A10G is AWS-only: every GCP region lacks it, and says so once, next to whatever else it lacks.
    assert all("batch: 1 x A10G not offered" in u.reasons for u in result.unplaced)
    assert all(len(set(u.reasons)) == len(u.reasons) for u in result.unplaced)
    assert any(u.reasons == ("batch: 1 x A10G not offered",) for u in result.unplaced)


# -- options ----------------------------------------------------------------------------------
def test_cloud_and_region_filters_limit_what_is_priced() -> None:
    env = stack("gcp-dev")
    by_cloud = compare(env, clouds=[Cloud.GCP, "aws"], catalog=BUNDLED)
    seen = {(p.cloud, p.region) for p in by_cloud.placements} | {(u.cloud, u.region) for u in by_cloud.unplaced}
    assert seen == {w for w in REGIONS if w[0] in ("gcp", "aws")}
    by_region = compare(env, regions=["us-west-2", "eastus"], catalog=BUNDLED)
    seen = {(p.cloud, p.region) for p in by_region.placements} | {(u.cloud, u.region) for u in by_region.unplaced}
    assert seen == {("aws", "us-west-2"), ("azure", "eastus")}


@pytest.mark.parametrize(
    ("options", "names"),
    [
        ({"basis": "peak"}, ["'peak'", "min, desired, max"]),
        ({"clouds": ["oracle"]}, ["'oracle'", "aws, gcp, azure"]),
        ({"regions": ["mars-1"]}, ["'mars-1'", "us-east-1", "us-central1", "eastus"]),
        ({"regions": ["sa-east-1"]}, ["'sa-east-1'", "us-east-1"]),  # a real region with no offerings
        ({"clouds": ["gcp"], "regions": ["us-east-1"]}, ["'us-east-1'", "us-central1"]),
    ],
)
def test_bad_options_raise_an_error_naming_what_is_allowed(options: dict[str, Any], names: list[str]) -> None:
    with pytest.raises(CompareError) as caught:
        compare(stack("aws-dev"), catalog=BUNDLED, **options)
    assert isinstance(caught.value, AimodelError)
    assert all(name in str(caught.value) for name in names)


def test_an_instance_pin_the_catalog_lacks_is_a_catalog_error() -> None:
    env = stack("aws-dev")
    pinned = env.node_pools[1].model_copy(
        update={"accelerator": None, "accelerator_count": None, "instance_type": "g6.bogus"}
    )
    with pytest.raises(AimodelError, match=r"g6\.bogus"):
        compare(env.model_copy(update={"node_pools": [pinned]}), catalog=BUNDLED)


def test_to_dict_is_json_with_the_documented_keys() -> None:
    result = compare(stack("aws-dev"), catalog=BUNDLED, basis="desired")
    data = json.loads(json.dumps(result.to_dict()))
    assert set(data) == {"basis", "placements", "unplaced", "catalog_as_of", "budget_monthly", "substitute"}
    assert data["basis"] == "desired" and data["catalog_as_of"] is None is BUNDLED.as_of
    placement_keys = {
        "cloud", "region", "monthly", "compute", "fees_monthly", "is_current", "worst_case_monthly", "within_budget",
    }  # fmt: skip
    assert all(set(p) == placement_keys for p in data["placements"])
    compute_keys = {
        "name", "instance_type", "shape", "unit_hourly", "nodes", "monthly", "worst_case_monthly", "price_basis",
        "caveat", "substitutes", "root_disk_monthly",
    }  # fmt: skip
    assert all(set(c) == compute_keys for p in data["placements"] for c in p["compute"])
    # aws-dev's train pool (500 GB) on gp3 at $0.08/GB-month; Azure prices no root disk.
    (here,) = [p for p in data["placements"] if (p["cloud"], p["region"]) == ("aws", "us-east-1")]
    assert next(c for c in here["compute"] if c["name"] == "train")["root_disk_monthly"] == pytest.approx(40.0)
    azure_dev = compare(stack("azure-dev"), catalog=BUNDLED).placements
    azure = [c for p in azure_dev if p.cloud == "azure" for c in p.compute]
    assert azure and all(c.root_disk_monthly is None for c in azure)
    assert all(set(u) == {"cloud", "region", "reasons"} for u in data["unplaced"])
    assert [p["region"] for p in data["placements"]] == [p.region for p in result.placements]


# -- the budget's number, price basis, verdicts, substitution ----------------------------------
@pytest.mark.parametrize("name", STACKS)
def test_ranked_at_worst_the_current_placement_costs_what_the_budget_gate_reads(name: str) -> None:
    env = stack(name)
    cost = estimate(env, BUNDLED)

    (current,) = [p for p in compare(env, catalog=BUNDLED, basis="worst").placements if p.is_current]

    assert current.monthly == pytest.approx(cost.worst_case_monthly)
    assert current.worst_case_monthly == pytest.approx(cost.worst_case_monthly)
    assert current.within_budget is (not cost.over_budget)


def test_every_placement_has_a_budget_verdict_on_its_worst_case() -> None:
    env = stack("gcp-dev")
    worst_cases = sorted(p.worst_case_monthly for p in compare(env, catalog=BUNDLED).placements)
    budget = worst_cases[len(worst_cases) // 2]
    env = env.model_copy(update={"budget": env.budget.model_copy(update={"monthly_usd": budget})})
    placements = compare(env, catalog=BUNDLED).placements

    assert all(p.within_budget is (p.worst_case_monthly <= budget) for p in placements)
    assert {p.within_budget for p in placements} == {True, False}, "a median budget fits some regions, not others"
    unbudgeted = env.model_copy(update={"budget": None})
    assert env.budget is not None
    assert all(p.within_budget is None for p in compare(unbudgeted, catalog=BUNDLED).placements)


def test_each_row_says_which_price_it_rests_on() -> None:
    env = stack("aws-dev")
    spot_unknown = Offering(
        cloud="aws", region="us-east-1", instance_type="p5.48xlarge", accelerator="H100", accelerator_count=8,
        accelerator_memory_gib=80, vcpus=192, memory_gib=2048, price_per_hour=98.32, spot_price_per_hour=None,
        source="test",
    )  # fmt: skip
    catalog = dataclasses.replace(
        BUNDLED, offerings=tuple(o for o in BUNDLED.offerings if o.instance_type != "p5.48xlarge") + (spot_unknown,)
    )

    (placement,) = compare(env, clouds=["aws"], regions=["us-east-1"], catalog=catalog).placements

    bases = {c.name: c.price_basis for c in placement.compute}
    assert bases == {"train": "spot_unknown", "infer": "on_demand", "batch": "spot"}


def test_substitution_is_only_with_the_flag_and_names_what_it_replaced() -> None:
    env = stack("aws-dev")
    only_infer = env.model_copy(update={"node_pools": [p for p in env.node_pools if p.name == "infer"],
                                        "autoscaling_groups": []})  # fmt: skip
    (infer,) = only_infer.node_pools
    assert infer.accelerator == "L4"

    strict = compare(only_infer, clouds=["azure"], catalog=BUNDLED)
    allowed = compare(only_infer, clouds=["azure"], catalog=BUNDLED, substitute=True)

    assert not strict.placements, "Azure sells no L4 in the bundled catalog"
    assert allowed.placements and allowed.substitute
    for placement in allowed.placements:
        (placed,) = placement.compute
        assert placed.shape in ("1 x A10", "1 x A10G") and placed.substitutes == "L4"


def test_a_row_resting_on_a_suspect_price_carries_the_catalogs_caveat() -> None:
    env = stack("aws-dev")
    suspect = {"p5.48xlarge": "spot price below 30% of on-demand in the source"}
    catalog = dataclasses.replace(
        BUNDLED,
        offerings=tuple(
            o._replace(caveat=suspect[o.instance_type]) if o.instance_type in suspect else o
            for o in BUNDLED.offerings
        ),
    )  # fmt: skip

    (placement,) = compare(env, clouds=["aws"], regions=["us-east-1"], catalog=catalog).placements

    caveats = {c.name: c.caveat for c in placement.compute}
    assert caveats == {"train": suspect["p5.48xlarge"], "infer": "", "batch": ""}
    from aimodel_infra.cli.render import comparison_report
    from aimodel_infra.cli.terminal import to_text

    only_there = compare(env, clouds=["aws"], regions=["us-east-1"], catalog=catalog)
    text = to_text(comparison_report(only_there, None, 5), width=250)
    assert "train: 2 x p5.48xlarge (spot) [1]" in text
    assert f"[1] caveat: aws us-east-1 p5.48xlarge: {suspect['p5.48xlarge']}" in text
