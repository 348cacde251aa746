"""What an environment costs per month at the catalog's list prices, before anything is deployed.

The point is to see the bill while it is still a YAML file: every pool at its smallest, usual
and largest size, the worst case the autoscalers could reach, and the fixed fees (control plane,
NAT gateways, storage, keys) that are paid whatever the GPUs do. Prices are facts from the
catalog; where the catalog does not know one (a spot price, a system shape, a fee) the estimate
says so in ``notes`` instead of guessing.

Pricing rules
-------------
- The estimate prices the cloud's own billable plan (:mod:`aimodel_infra.plan.billing`): the
  scaling groups, system pool and fee-bearing resources its builder creates, so what is priced is
  what is built.
- A node-hour of a spot group is expected at the spot price; when the catalog has no spot price
  it is priced on-demand and a note says so. On-demand groups at the on-demand price.
- Every node-hour also carries its root disk: ``disk_gb`` x the catalog's per-GB-month price of the
  group's ``disk_fee``, over ``HOURS_PER_MONTH``. A disk bills while its node exists, spot or not,
  so min / desired / max and the worst case all include one disk per node. Where the cloud prices
  no root disk (``disk_fee`` None, the plan's notes say why) or the catalog lacks the fee (a note
  says so) the nodes are priced without it.
- min / desired / max are the expected sizes of the groups the spec's sizes are on; an on-demand
  fallback group behind a spot group is expected at 0.
- The worst case is every group at its maximum at its own price: for ``spot_with_fallback`` the
  spot group and the on-demand fallback group together (the ceiling the built groups allow).
- Fixed costs are the plan's fees (control plane, NAT, storage for each bucket's
  ``expected_size_gb``, keys, ...) in each fee's unit, and the system pool at on-demand.
  A month is ``HOURS_PER_MONTH`` (730) hours.

JSON shape of ``CostEstimate.to_dict()`` (money in USD, rounded to 6 decimals; dates ISO)::

    {
      "environment": "aws-dev", "cloud": "aws", "region": "us-east-1",
      "compute": [
        {"name": "train", "kind": "node_pool" | "autoscaling_group" | "system_pool",
         "instance_type": "p5.48xlarge", "shape": "8 x H100" | "cpu",
         "capacity": "on_demand" | "spot" | "spot_with_fallback",
         "on_demand_hourly": 98.32, "spot_hourly": 30.326 | null, "unit_hourly": 30.326,
         "gpus_per_node": 8 | 0, "gpu_hourly": 3.79075 | null,   # unit_hourly per GPU; null for CPU
         "root_disk_gb": 500,                                    # each node's root disk
         "root_disk_monthly": 40.0 | null,                       # one node's root disk per month; null: not priced
         "root_disk_source": "where the disk price comes from" | "",
         "worst_case_nodes": 4,                                  # every scaling group at its max
         "min": {"nodes": 0, "hourly": 0.0, "monthly": 0.0},   # instances and their root disks
         "desired": {"nodes": ..., "hourly": ..., "monthly": ...},
         "max": {"nodes": ..., "hourly": ..., "monthly": ...},
         "worst_case_monthly": 143547.2,
         "notes": ["..."]}
      ],
      "fees": [
        {"name": "control_plane" | "nat_gateway" | "object_storage:<bucket>" | "kms_key:<bucket>",
         "quantity": 730.0, "unit": "hour" | "gb_month" | "month", "unit_price": 0.1,
         "monthly": 73.0, "source": "where the price comes from"}
      ],
      "min_monthly": ..., "desired_monthly": ..., "max_monthly": ..., "worst_case_monthly": ...,
      "budget_monthly": 160000.0 | null, "over_budget": false,
      "catalog_as_of": "2026-11-01",
      "notes": ["..."]
    }

Every fee line satisfies ``monthly == quantity * unit_price``: hourly fees count their hours. Every
size satisfies ``monthly == nodes * (unit_hourly * HOURS_PER_MONTH + root_disk_monthly)`` for a
compute whose groups share one price (on-demand, or spot alone).
"""

# No ``from __future__ import annotations``: typing.NamedTuple compiles each string annotation into a
# ForwardRef when the class is created, ~10 us per field on every cold start of ``cost``.
import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple

from aimodel_infra.catalog import HOURS_PER_MONTH, Catalog, Offering, default_catalog
from aimodel_infra.errors import CatalogError
from aimodel_infra.plan.billing import BillablePlan, BilledFee, BilledGroup, ComputeKind
from aimodel_infra.spec.models import Capacity, Environment

SYSTEM_POOL_NAME = "system"
MONEY_DECIMALS = 6
#: How many of a fee's units one month holds; a fee in any other unit cannot be priced per month.
UNITS_PER_MONTH: dict[str, float] = {"hour": HOURS_PER_MONTH, "month": 1.0, "gb_month": 1.0}
#: What no estimate includes. Root disks are priced per node wherever the cloud's billable names a
#: sourced fee; where it cannot (Azure's tiered managed disks, GCP's hyperdisk) the plan's notes say so.
NOT_ESTIMATED_NOTE = (
    "not estimated: data transfer, public IPs and request charges; "
    "fixed fees and root-disk prices are the cloud's list prices from the catalog's fees table, not region-specific"
)


def record_dict(record: Any) -> dict[str, Any]:
    """The JSON form of a result record (a dataclass or a NamedTuple): its fields in order, nested
    records as objects, tuples as lists, dates ISO, money rounded. Records on the ``cost`` path are
    NamedTuples (cheap to define at start-up) and take it as ``to_dict = record_dict``."""
    data: dict[str, Any] = _jsonable(record)
    return data


class JsonRecord:
    """Mixin giving frozen result dataclasses a JSON-able ``to_dict`` that mirrors their fields."""

    def to_dict(self) -> dict[str, Any]:
        return record_dict(self)


def round_money(amount: float) -> float:
    """Every USD amount in every JSON document, rounded the same way (unit prices need the decimals)."""
    return round(amount, MONEY_DECIMALS)


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a NamedTuple record, not a list
        return {name: _jsonable(item) for name, item in zip(value._fields, value, strict=True)}
    if isinstance(value, (tuple, list)):
        return [_jsonable(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round_money(value)
    return value


class SizeCost(NamedTuple):
    """A pool at one node count, at its expected unit price."""

    nodes: int
    hourly: float
    monthly: float

    to_dict = record_dict


class ComputeCost(NamedTuple):
    """One pool or group (or the system pool): its prices, its three sizes and its worst case."""

    name: str
    kind: ComputeKind
    instance_type: str
    shape: str
    capacity: str
    on_demand_hourly: float
    spot_hourly: float | None
    unit_hourly: float
    min: SizeCost
    desired: SizeCost
    max: SizeCost
    worst_case_monthly: float
    notes: tuple[str, ...]
    #: GPUs on one node (0 for a CPU shape) and the expected price of one GPU-hour on it.
    gpus_per_node: int = 0
    gpu_hourly: float | None = None
    #: Nodes at the worst case: every scaling group at its max (spot and fallback groups both).
    worst_case_nodes: int = 0
    #: Each node's root disk, GB, and what one of them costs per month (None: not priced, see notes);
    #: every size and the worst case include one per node.
    root_disk_gb: int = 0
    root_disk_monthly: float | None = None
    root_disk_source: str = ""

    @property
    def node_hourly(self) -> float:
        """What one node of the primary group bills per hour: its instance and its root disk."""
        return self.unit_hourly + (self.root_disk_monthly or 0.0) / HOURS_PER_MONTH

    @property
    def worst_case_per_node_monthly(self) -> float:
        """What one more node of max_nodes adds to the worst case (every group scales with max_nodes)."""
        return self.worst_case_monthly / self.max.nodes if self.max.nodes else 0.0  # fallback max == spot max

    to_dict = record_dict


class FeeCost(NamedTuple):
    """A fixed cost line; ``quantity`` is in ``unit`` so that ``monthly == quantity * unit_price``."""

    name: str
    quantity: float
    unit: str
    unit_price: float
    monthly: float
    source: str

    to_dict = record_dict


class CostEstimate(NamedTuple):
    """The whole bill; every total includes the fees, and ``over_budget`` compares the worst case."""

    environment: str
    cloud: str
    region: str
    compute: tuple[ComputeCost, ...]
    fees: tuple[FeeCost, ...]
    min_monthly: float
    desired_monthly: float
    max_monthly: float
    worst_case_monthly: float
    budget_monthly: float | None
    over_budget: bool
    catalog_as_of: date
    notes: tuple[str, ...]

    to_dict = record_dict


class FixedCosts(NamedTuple):
    """What an environment pays in a region whatever its GPU pools do (shared with ``compare``)."""

    fees: tuple[FeeCost, ...]
    system_pool: ComputeCost | None
    notes: tuple[str, ...]

    @property
    def monthly(self) -> float:
        system = self.system_pool.desired.monthly if self.system_pool else 0.0
        return sum(fee.monthly for fee in self.fees) + system


# -- unit prices ------------------------------------------------------------------------------
def expected_hourly(offering: Offering, capacity: Capacity) -> float:
    """The price a node-hour is expected to cost: spot whenever the capacity buys spot and it is known."""
    if capacity is not Capacity.ON_DEMAND and offering.spot_price_per_hour is not None:
        return offering.spot_price_per_hour
    return offering.price_per_hour


def worst_hourly(offering: Offering, capacity: Capacity) -> float:
    """The highest price a node can be billed: only pure spot never runs on-demand."""
    if capacity is Capacity.SPOT and offering.spot_price_per_hour is not None:
        return offering.spot_price_per_hour
    return offering.price_per_hour


# -- pricing a billable plan --------------------------------------------------------------------
class RootDisk(NamedTuple):
    """One node's root disk at its catalog price (``monthly`` None: not priced)."""

    gb: int
    monthly: float | None = None
    source: str = ""

    @property
    def hourly(self) -> float:
        return (self.monthly or 0.0) / HOURS_PER_MONTH


def root_disk(catalog: Catalog, cloud: str, disk_gb: int, disk_fee: str | None) -> RootDisk:
    """``disk_gb`` at the catalog's per-GB-month price of ``disk_fee``; unpriced when either is missing."""
    fee = catalog.fee(cloud, disk_fee) if disk_fee else None
    if fee is None or not disk_gb:
        return RootDisk(disk_gb)
    if fee.unit != "gb_month":
        raise CatalogError(f"fee {cloud} {disk_fee} has unit {fee.unit!r}; a root disk is priced per gb_month")
    return RootDisk(disk_gb, disk_gb * fee.price_usd, fee.source)


def _instance_hourly(offering: Offering, group: BilledGroup) -> float:
    """A spot group's node-hour at the spot price (on-demand when unknown); on-demand otherwise."""
    if group.capacity == "spot" and offering.spot_price_per_hour is not None:
        return offering.spot_price_per_hour
    return offering.price_per_hour


PricedGroup = tuple[BilledGroup, Offering, RootDisk]


def _node_hourly(offering: Offering, group: BilledGroup, disk: RootDisk) -> float:
    return _instance_hourly(offering, group) + disk.hourly


def priced_compute(name: str, kind: ComputeKind, capacity: Capacity, groups: list[PricedGroup]) -> ComputeCost:
    """One spec pool or group from the scaling groups it is built as, each node with its root disk.

    min / desired / max are the expected sizes: a fallback group (on-demand behind spot) is at 0
    while spot capacity comes, so they count the groups the spec's sizes are on. The worst case is
    every group at its maximum at its own price: the ceiling of what was built.
    """
    primary_group, offering, disk = groups[0]
    unit = _instance_hourly(offering, primary_group)

    worst = sum(g.max_nodes * _node_hourly(o, g, d) for g, o, d in groups) * HOURS_PER_MONTH
    primary = [(g, o, d) for g, o, d in groups if not _is_fallback(g, groups)]
    notes = list(_capacity_notes(offering, capacity))
    fallback_nodes = sum(g.max_nodes for g, _, _ in groups if _is_fallback(g, groups))
    if fallback_nodes:
        notes.append(
            f"worst case counts the on-demand fallback group at its maximum ({fallback_nodes} nodes) "
            "on top of the spot group's"
        )

    def primary_size(size: Callable[[BilledGroup], int]) -> SizeCost:
        hourly = sum(size(g) * _node_hourly(o, g, d) for g, o, d in primary)
        return SizeCost(nodes=sum(size(g) for g, _, _ in primary), hourly=hourly, monthly=hourly * HOURS_PER_MONTH)

    return ComputeCost(
        name=name,
        kind=kind,
        instance_type=offering.instance_type,
        shape=offering.shape,
        capacity=capacity.value,
        on_demand_hourly=offering.price_per_hour,
        spot_hourly=offering.spot_price_per_hour,
        unit_hourly=unit,
        min=primary_size(lambda g: g.min_nodes),
        desired=primary_size(lambda g: g.desired_nodes),
        max=primary_size(lambda g: g.max_nodes),
        worst_case_monthly=worst,
        notes=tuple(notes),
        gpus_per_node=offering.accelerator_count if offering.accelerator else 0,
        worst_case_nodes=sum(g.max_nodes for g, _, _ in groups),
        gpu_hourly=unit / offering.accelerator_count if offering.accelerator and offering.accelerator_count else None,
        root_disk_gb=disk.gb,
        root_disk_monthly=disk.monthly,
        root_disk_source=disk.source,
    )


def _is_fallback(group: BilledGroup, groups: list[PricedGroup]) -> bool:
    """An on-demand group beside a spot group of the same pool only runs when spot does not come."""
    return group.capacity == "on_demand" and group.min_nodes == 0 and any(g.capacity == "spot" for g, _, _ in groups)


def _capacity_notes(offering: Offering, capacity: Capacity) -> tuple[str, ...]:
    if capacity is not Capacity.ON_DEMAND and offering.spot_price_per_hour is None:
        return (f"no spot price for {offering.instance_type} in {offering.region} in the catalog; priced at on-demand",)
    return ()


# -- fixed costs ------------------------------------------------------------------------------
def _fee_line(catalog: Catalog, cloud: str, billed: BilledFee, notes: list[str]) -> FeeCost | None:
    """``billed.count`` of a fee per month in the fee's own unit, or None and a note."""
    fee = catalog.fee(cloud, billed.fee)
    if fee is None:
        notes.append(f"{billed.label}: the catalog has no {billed.fee} price for {cloud}; not included")
        return None
    if fee.unit not in UNITS_PER_MONTH:
        known = ", ".join(UNITS_PER_MONTH)
        raise CatalogError(f"fee {cloud} {billed.fee} has unit {fee.unit!r}; a monthly estimate knows {known}")
    quantity = billed.count * UNITS_PER_MONTH[fee.unit]
    return FeeCost(billed.label, quantity, fee.unit, fee.price_usd, quantity * fee.price_usd, fee.source)


def billable_plan(env: Environment, catalog: Catalog) -> BillablePlan:
    """What the cloud's builder will build for ``env``, from the cloud's own plan."""
    from aimodel_infra.registry import support

    return support(env.cloud).load_billable()(env, catalog)


def _resolved_offerings(env: Environment, catalog: Catalog) -> dict[tuple[str, str], Offering]:
    """What each spec pool or group resolves to in the catalog, keyed by (name, instance type).

    A group's instance type alone can be ambiguous: GCP's ``n1-standard-4`` is offered bare and with
    1, 2 or 4 T4s, so the price must be the offering the request resolves to (as the builder does).
    """
    found = {}
    for compute in env.compute:
        try:
            offering = catalog.offering_for(
                env.cloud.value, env.region, compute.accelerator, compute.accelerator_count, compute.instance_type
            )
        except CatalogError:
            continue
        found[(compute.name, offering.instance_type)] = offering
    return found


def _price_plan(
    env: Environment, plan: BillablePlan, catalog: Catalog
) -> tuple[tuple[ComputeCost, ...], tuple[FeeCost, ...], list[str]]:
    cloud, region = env.cloud.value, env.region
    notes = list(plan.notes)
    fees = tuple(line for line in (_fee_line(catalog, cloud, f, notes) for f in plan.fees) if line is not None)
    notes += _usage_notes(env, plan, catalog)
    by_compute: dict[str, list[PricedGroup]] = {}
    kinds: dict[str, ComputeKind] = {}
    resolved = _resolved_offerings(env, catalog)
    for group in plan.groups:
        offering = resolved.get((group.compute, group.instance_type)) or catalog.instance(
            cloud, region, group.instance_type
        )
        if offering is not None and not offering.priced:
            offering = None
        if offering is None:
            kind = group.kind.replace("_", " ")
            notes.append(
                f"{kind} {group.compute} ({group.instance_type}) not priced: "
                f"the catalog has no price for it in {cloud} {region}"
            )
            continue
        disk = root_disk(catalog, cloud, group.disk_gb, group.disk_fee)
        if group.disk_fee and group.disk_gb and disk.monthly is None:
            note = (
                f"{group.compute}: root disks ({group.disk_gb} GB) not priced: "
                f"the catalog has no {group.disk_fee} price for {cloud}"
            )
            notes += [] if note in notes else [note]
        by_compute.setdefault(group.compute, []).append((group, offering, disk))
        kinds[group.compute] = group.kind
    capacities = {c.name: c.capacity for c in env.compute}
    compute = tuple(
        priced_compute(name, kinds[name], capacities.get(name, Capacity.ON_DEMAND), groups)
        for name, groups in by_compute.items()
    )
    return compute, fees, notes


def _usage_notes(env: Environment, plan: BillablePlan, catalog: Catalog) -> list[str]:
    """What the bill will also hold that depends on use, not on what is built."""
    notes = []
    if any(f.fee == "nat_gateway" for f in plan.fees):
        data = catalog.fee(env.cloud.value, "nat_data")
        price = f" (${data.price_usd:g}/{data.unit})" if data else ""
        notes.append(f"NAT data processing{price} is not estimated: it depends on traffic")
    for bucket in env.buckets:
        if bucket.lifecycle.cold_after_days is not None:
            notes.append(
                f"bucket {bucket.name}: priced as standard storage; objects older than "
                f"{bucket.lifecycle.cold_after_days} days move to the cold class, so the real cost is lower"
            )
    return notes


def fixed_costs(env: Environment, catalog: Catalog, cloud: str, region: str) -> FixedCosts:
    """The environment's fixed costs as if it ran in ``cloud`` ``region`` (``compare`` moves it around):
    the moved environment's billable plan without its pools and groups."""
    moved = env.model_copy(
        update={"cloud": type(env.cloud)(cloud), "region": region, "node_pools": [], "autoscaling_groups": []}
    )
    compute, fees, notes = _price_plan(moved, billable_plan(moved, catalog), catalog)
    system = next((c for c in compute if c.kind == "system_pool"), None)
    return FixedCosts(fees, system, tuple(notes))


# -- the estimate -----------------------------------------------------------------------------
def estimate(env: Environment, catalog: Catalog | None = None) -> CostEstimate:
    """Monthly cost of a validated environment where its spec puts it, as its cloud builds it."""
    catalog = catalog if catalog is not None else default_catalog()
    compute, fees, notes = _price_plan(env, billable_plan(env, catalog), catalog)
    compute = tuple(sorted(compute, key=lambda c: c.kind == "system_pool"))
    fees_monthly = sum(fee.monthly for fee in fees)

    def total(part: Callable[[ComputeCost], float]) -> float:
        return sum(part(c) for c in compute) + fees_monthly

    worst = total(lambda c: c.worst_case_monthly)
    budget = env.budget.monthly_usd if env.budget is not None else None
    return CostEstimate(
        environment=env.name,
        cloud=env.cloud.value,
        region=env.region,
        compute=compute,
        fees=fees,
        min_monthly=total(lambda c: c.min.monthly),
        desired_monthly=total(lambda c: c.desired.monthly),
        max_monthly=total(lambda c: c.max.monthly),
        worst_case_monthly=worst,
        budget_monthly=budget,
        over_budget=budget is not None and worst > budget,
        catalog_as_of=catalog.as_of,
        notes=(*notes, NOT_ESTIMATED_NOTE),
    )
