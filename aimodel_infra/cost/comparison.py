"""Where the same environment would be cheapest: every cloud and region of the catalog, priced.

A placement puts the WHOLE environment in one (cloud, region), because a training pool far from
its buckets and serving pool is not the same environment. Each pool or group keeps what it asks
for: the same accelerator and count (an instance-type pin counts as its instance's accelerator and
count), or for a CPU-only instance type the cheapest CPU shape with at least its vCPUs and memory.
In each region every compute takes the offering cheapest on the chosen ``basis``: at min, desired
or max nodes its capacity's expected price (spot for spot capacity when known, see
:mod:`aimodel_infra.cost.estimate`); at ``worst`` the number the budget gate uses, every scaling
group at its max at its own price (a ``spot_with_fallback`` pool's on-demand fallback group
counted at its max on top of the spot group). The choices are independent, so that is also the
cheapest placement in the region. The region's monthly cost is the compute on that basis plus
the fixed costs ``estimate`` would charge there: fees and the system pool. A system pool the
catalog cannot price there adds nothing (``estimate`` notes that case). Every node carries its root
disk as ``estimate`` prices it: the spec's ``disk_size_gb`` at the per-GB-month fee the cloud's
``root_disk_fee`` rule names for the chosen instance type (nothing where that cloud prices none).

Every placement also carries its worst case and, when the spec has a budget, whether that worst
case is within it (the rule ``cost`` judges by, on this placement's offerings). Each compute says
which price it rests on (``price_basis``: ``spot``, ``on_demand``, or ``spot_unknown`` for spot
capacity priced on-demand because the catalog has no spot price there) and the catalog's caveat
for its offering, if any.
With ``substitute=True`` a GPU pool may take an equivalent accelerator (:data:`EQUIVALENT_ACCELERATORS`,
same count) where that is cheaper or the only one offered; the row names what it replaced.

JSON shape of ``Comparison.to_dict()`` (money in USD, rounded to 6 decimals; dates ISO)::

    {
      "basis": "min" | "desired" | "max" | "worst",
      "budget_monthly": 200000.0 | null, "substitute": false,
      "placements": [                      # cheapest first; ties by cloud, then region
        {"cloud": "gcp", "region": "us-central1", "monthly": 65000.0,
         "compute": [{"name": "train", "instance_type": "a3-highgpu-8g", "shape": "8 x H100",
                      "unit_hourly": 20.19947, "nodes": 2, "monthly": 29491.23,   # monthly: root disks in
                      "root_disk_monthly": 50.0 | null,   # one node's root disk; null: not priced there
                      "worst_case_monthly": 88000.0, "price_basis": "spot" | "on_demand" | "spot_unknown",
                      "caveat": "" | "why the catalog's price is suspect", "substitutes": null | "A10G"}],
         "fees_monthly": 410.5,           # fees plus the system pool
         "worst_case_monthly": 90000.0, "within_budget": true | false | null,
         "is_current": false}
      ],
      "unplaced": [{"cloud": "azure", "region": "westus2", "reasons": ["train: 8 x H100 not offered"]}],
      "catalog_as_of": "2026-11-01"
    }

At ``worst`` a compute's ``nodes`` is its max nodes and ``monthly`` its worst case.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from aimodel_infra.catalog import HOURS_PER_MONTH, Catalog, Offering, default_catalog
from aimodel_infra.catalog.catalog import CLOUDS
from aimodel_infra.cost.estimate import MONEY_DECIMALS, JsonRecord, RootDisk, expected_hourly, fixed_costs, root_disk
from aimodel_infra.errors import AimodelError, CatalogError
from aimodel_infra.spec.models import Capacity, Cloud, Compute, Environment

Basis = Literal["min", "desired", "max", "worst"]
BASES: tuple[str, ...] = get_args(Basis)
PriceBasis = Literal["spot", "on_demand", "spot_unknown"]

#: Accelerators a user may let ``compare --substitute`` swap for each other: the 24 GB inference
#: class each cloud sells under its own GPU (AWS G5: A10G, Azure NVadsA10 v5: A10, GCP G2: L4).
#: Only with the flag: they are not the same chip, and a pinned CUDA build may care.
EQUIVALENT_ACCELERATORS: tuple[frozenset[str], ...] = (frozenset({"A10G", "A10", "L4"}),)


class CompareError(AimodelError):
    """A compare option (basis, clouds, regions) is not one of its allowed values."""


@dataclass(frozen=True)
class PlacedCompute(JsonRecord):
    """One pool or group on the offering chosen for it in a placement, at the comparison's basis."""

    name: str
    instance_type: str
    shape: str
    unit_hourly: float
    nodes: int
    monthly: float
    worst_case_monthly: float = 0.0
    price_basis: PriceBasis = "on_demand"
    #: Why the catalog's price for this offering is suspect ("" when it is not).
    caveat: str = ""
    #: The accelerator the spec asked for, when ``--substitute`` put an equivalent one here.
    substitutes: str | None = None
    #: One node's root disk per month there (in ``monthly`` and the worst case); None: not priced.
    root_disk_monthly: float | None = None


@dataclass(frozen=True)
class Placement(JsonRecord):
    """The whole environment in one region; ``fees_monthly`` is fees plus the system pool."""

    cloud: str
    region: str
    monthly: float
    compute: tuple[PlacedCompute, ...]
    fees_monthly: float
    is_current: bool
    worst_case_monthly: float = 0.0
    #: The budget verdict ``cost`` would give here (worst case <= budget); None without a budget.
    within_budget: bool | None = None


@dataclass(frozen=True)
class Unplaced(JsonRecord):
    """A region that cannot hold the environment, with one reason per compute it lacks."""

    cloud: str
    region: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Comparison(JsonRecord):
    """Every selected region, priced (``placements``, cheapest first) or explained (``unplaced``)."""

    basis: Basis
    placements: tuple[Placement, ...]
    unplaced: tuple[Unplaced, ...]
    catalog_as_of: date
    budget_monthly: float | None = None
    substitute: bool = False


@dataclass(frozen=True)
class Need:
    """What one compute requires of any region: a GPU shape, or a CPU floor."""

    compute: Compute
    accelerator: str | None
    count: int
    min_vcpus: float = 0.0
    min_memory_gib: float = 0.0

    def describe(self) -> str:
        if self.accelerator is not None:
            return f"{self.count} x {self.accelerator}"
        return f"a CPU shape with >= {self.min_vcpus:g} vCPUs and >= {self.min_memory_gib:g} GiB"


@dataclass(frozen=True)
class RegionIndex:
    """Per-call lookups the catalog does not index: regions with offerings and CPU shapes per region."""

    regions: tuple[tuple[str, str], ...]
    cpu: Mapping[tuple[str, str], tuple[Offering, ...]]

    @classmethod
    def of(cls, catalog: Catalog) -> RegionIndex:
        cpu: dict[tuple[str, str], list[Offering]] = defaultdict(list)
        regions: set[tuple[str, str]] = set()
        for offering in catalog.offerings:
            regions.add((offering.cloud, offering.region))
            if offering.accelerator is None:
                cpu[(offering.cloud, offering.region)].append(offering)
        return cls(tuple(sorted(regions)), {key: tuple(rows) for key, rows in cpu.items()})


# -- options ----------------------------------------------------------------------------------
def _checked_basis(basis: str) -> Basis:
    if basis not in BASES:
        raise CompareError(f"basis must be one of {', '.join(BASES)}; got {basis!r}")
    return basis  # type: ignore[return-value]


def _selected_regions(
    index: RegionIndex, clouds: Iterable[str] | None, regions: Iterable[str] | None
) -> list[tuple[str, str]]:
    """The (cloud, region) pairs to price; ``None`` or an empty filter means all of them."""
    wanted_clouds = [str(c).strip().lower() for c in clouds or ()] or list(CLOUDS)
    unknown = [c for c in wanted_clouds if c not in CLOUDS]
    if unknown:
        raise CompareError(f"unknown cloud(s) {', '.join(map(repr, unknown))} in clouds; allowed: {', '.join(CLOUDS)}")
    pairs = [(c, r) for c, r in index.regions if c in wanted_clouds]
    wanted_regions = [str(r).strip() for r in regions or ()]
    known = sorted({r for _, r in pairs})
    missing = [r for r in wanted_regions if r not in known]
    if missing:
        raise CompareError(
            f"region(s) {', '.join(map(repr, missing))} have no offerings in the catalog on "
            f"{', '.join(wanted_clouds)}; allowed: {', '.join(known)}"
        )
    return [(c, r) for c, r in pairs if not wanted_regions or r in wanted_regions]


# -- needs and offers -------------------------------------------------------------------------
def _need(compute: Compute, env: Environment, catalog: Catalog) -> Need:
    if compute.accelerator is not None:
        return Need(compute, compute.accelerator, compute.accelerator_count or 1)
    pinned = catalog.offering_for(env.cloud.value, env.region, None, None, compute.instance_type)
    if pinned.accelerator is not None:
        return Need(compute, pinned.accelerator, pinned.accelerator_count)
    return Need(compute, None, 0, pinned.vcpus, pinned.memory_gib)


def equivalents(accelerator: str) -> tuple[str, ...]:
    """The accelerator and those ``--substitute`` may put in its place, the asked-for one first."""
    others = sorted(next((group for group in EQUIVALENT_ACCELERATORS if accelerator in group), frozenset()))
    return (accelerator, *(a for a in others if a != accelerator))


def _candidates(
    need: Need, catalog: Catalog, index: RegionIndex, cloud: str, region: str, substitute: bool = False
) -> Iterable[Offering]:
    if need.accelerator is not None:
        wanted = equivalents(need.accelerator) if substitute else (need.accelerator,)
        return [o for accelerator in wanted for o in catalog.find(cloud, region, accelerator, need.count)]
    return (
        o
        for o in index.cpu.get((cloud, region), ())
        if o.vcpus >= need.min_vcpus and o.memory_gib >= need.min_memory_gib
    )


def worst_node_hourly(offering: Offering, capacity: Capacity) -> float:
    """What one step of max_nodes can bill per hour at the worst case, as the builders build it:
    a spot_with_fallback pool is a spot group and an on-demand group, both up to max_nodes."""
    expected = expected_hourly(offering, capacity)
    return expected + offering.price_per_hour if capacity is Capacity.SPOT_WITH_FALLBACK else expected


def nodes_per_max_node(capacity: Capacity) -> int:
    """Nodes one step of max_nodes can run at the worst case (see :func:`worst_node_hourly`)."""
    return 2 if capacity is Capacity.SPOT_WITH_FALLBACK else 1


def node_root_disk(compute: Compute, offering: Offering, catalog: Catalog) -> RootDisk:
    """The root disk a node of ``compute`` gets on ``offering``'s cloud, at that cloud's fee for it."""
    from aimodel_infra.registry import support

    fee = support(Cloud(offering.cloud)).load_root_disk_fee()(offering.instance_type)
    return root_disk(catalog, offering.cloud, compute.disk_size_gb, fee)


def cheapest_offering(
    need: Need,
    catalog: Catalog,
    index: RegionIndex,
    cloud: str,
    region: str,
    basis: str = "max",
    substitute: bool = False,
) -> Offering | None:
    """The offering in that region cheapest on ``basis`` for the need's capacity, or None."""
    capacity = need.compute.capacity
    hourly = worst_node_hourly if basis == "worst" else expected_hourly
    offers = _candidates(need, catalog, index, cloud, region, substitute)
    return min(offers, key=lambda o: (hourly(o, capacity), *catalog.tie_break(o)), default=None)


def _nodes(compute: Compute, basis: Basis) -> int:
    return {"min": compute.min_nodes, "desired": compute.desired, "max": compute.max_nodes, "worst": compute.max_nodes}[
        basis
    ]


def _price_basis(offering: Offering, capacity: Capacity) -> PriceBasis:
    if capacity is Capacity.ON_DEMAND:
        return "on_demand"
    return "spot" if offering.spot_price_per_hour is not None else "spot_unknown"


def _placed(need: Need, offering: Offering, basis: Basis, catalog: Catalog) -> PlacedCompute:
    capacity = need.compute.capacity
    unit = expected_hourly(offering, capacity)
    disk = node_root_disk(need.compute, offering, catalog)
    nodes = _nodes(need.compute, basis)
    worst_hourly = worst_node_hourly(offering, capacity) + nodes_per_max_node(capacity) * disk.hourly
    worst = need.compute.max_nodes * worst_hourly * HOURS_PER_MONTH
    monthly = worst if basis == "worst" else nodes * (unit + disk.hourly) * HOURS_PER_MONTH
    substitutes = need.accelerator if need.accelerator and offering.accelerator != need.accelerator else None
    return PlacedCompute(
        need.compute.name, offering.instance_type, offering.shape, unit, nodes, monthly, worst,
        _price_basis(offering, capacity), str(getattr(offering, "caveat", "") or ""), substitutes, disk.monthly,
    )  # fmt: skip


# -- placing ----------------------------------------------------------------------------------
def _place(
    env: Environment,
    needs: list[Need],
    where: tuple[str, str],
    catalog: Catalog,
    index: RegionIndex,
    basis: Basis,
    substitute: bool = False,
) -> Placement | Unplaced:
    cloud, region = where
    chosen = [(need, cheapest_offering(need, catalog, index, cloud, region, basis, substitute)) for need in needs]
    reasons = tuple(f"{need.compute.name}: {need.describe()} not offered" for need, o in chosen if o is None)
    if reasons:
        return Unplaced(cloud, region, reasons)
    compute = tuple(_placed(need, offering, basis, catalog) for need, offering in chosen if offering is not None)
    fees = fixed_costs(env, catalog, cloud, region).monthly
    worst = sum(c.worst_case_monthly for c in compute) + fees
    budget = env.budget.monthly_usd if env.budget is not None else None
    return Placement(
        cloud=cloud,
        region=region,
        monthly=sum(c.monthly for c in compute) + fees,
        compute=compute,
        fees_monthly=fees,
        is_current=(cloud, region) == (env.cloud.value, env.region),
        worst_case_monthly=worst,
        within_budget=None if budget is None else worst <= budget,
    )


def compare(
    env: Environment,
    clouds: Iterable[str] | None = None,
    regions: Iterable[str] | None = None,
    catalog: Catalog | None = None,
    basis: str = "max",
    substitute: bool = False,
) -> Comparison:
    """Price ``env`` moved whole into every selected (cloud, region); cheapest placement first."""
    checked_basis = _checked_basis(basis)
    catalog = catalog if catalog is not None else default_catalog()
    index = RegionIndex.of(catalog)
    selected = _selected_regions(index, clouds, regions)
    try:
        needs = [_need(compute, env, catalog) for compute in env.compute]
    except CatalogError as exc:
        raise CatalogError(f"cannot compare {env.name}: {exc}") from None
    results = [_place(env, needs, where, catalog, index, checked_basis, substitute) for where in selected]
    placements = [r for r in results if isinstance(r, Placement)]
    placements.sort(key=lambda p: (round(p.monthly, MONEY_DECIMALS), p.cloud, p.region))
    return Comparison(
        basis=checked_basis,
        placements=tuple(placements),
        unplaced=tuple(r for r in results if isinstance(r, Unplaced)),
        catalog_as_of=catalog.as_of,
        budget_monthly=env.budget.monthly_usd if env.budget is not None else None,
        substitute=substitute,
    )
