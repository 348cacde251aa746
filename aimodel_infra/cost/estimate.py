"""What an environment costs per month at the catalog's list prices, before anything is deployed.

The point is to see the bill while it is still a YAML file: every pool at its smallest, usual
and largest size, the worst case the autoscalers could reach, and the fixed fees (control plane,
NAT gateways, storage, keys) that are paid whatever the GPUs do. Prices are facts from the
catalog; where the catalog does not know one (a spot price, a system shape, a fee) the estimate
says so in ``notes`` instead of guessing.

Pricing rules
-------------
- A node-hour of ``spot`` or ``spot_with_fallback`` is expected at the spot price; when the
  catalog has no spot price it is priced on-demand and a note says so.
- The worst case is ``max_nodes`` at the highest price the capacity can be billed: on-demand for
  ``on_demand`` and ``spot_with_fallback`` (the fallback group runs on-demand), the spot price for
  ``spot`` (on-demand when unknown).
- Fixed costs: the control plane and a system pool of ``cluster.system_nodes`` x the cloud's
  system CPU shape (on-demand) when there is a cluster; NAT gateways per ``network.nat`` (none 0,
  single 1, per-zone one per zone); standard object storage for each bucket's
  ``expected_size_gb``; one key per ``customer-key`` bucket that does not bring its own key.
  A month is ``HOURS_PER_MONTH`` (730) hours.

JSON shape of ``CostEstimate.to_dict()`` (money in USD, rounded to 6 decimals; dates ISO)::

    {
      "environment": "aws-dev", "cloud": "aws", "region": "us-east-1",
      "compute": [
        {"name": "train", "kind": "node_pool" | "autoscaling_group" | "system_pool",
         "instance_type": "p5.48xlarge", "shape": "8 x H100" | "cpu",
         "capacity": "on_demand" | "spot" | "spot_with_fallback",
         "on_demand_hourly": 98.32, "spot_hourly": 30.326 | null, "unit_hourly": 30.326,
         "min": {"nodes": 0, "hourly": 0.0, "monthly": 0.0},
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

Every fee line satisfies ``monthly == quantity * unit_price``: hourly fees count their hours.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from aimodel_infra.catalog import HOURS_PER_MONTH, SYSTEM_INSTANCE_TYPES, Catalog, Offering, default_catalog
from aimodel_infra.errors import CatalogError
from aimodel_infra.spec.models import AutoscalingGroup, Capacity, Compute, Encryption, Environment, NatMode

ComputeKind = Literal["node_pool", "autoscaling_group", "system_pool"]
SYSTEM_POOL_NAME = "system"
MONEY_DECIMALS = 6
#: How many of a fee's units one month holds; a fee in any other unit cannot be priced per month.
UNITS_PER_MONTH: dict[str, float] = {"hour": HOURS_PER_MONTH, "month": 1.0, "gb_month": 1.0}
NOT_ESTIMATED_NOTE = (
    "not estimated: root disks, data transfer, public IPs and request charges; "
    "fixed fees are the cloud's list prices from the catalog's fees table, not region-specific"
)


class JsonRecord:
    """Mixin giving frozen result dataclasses a JSON-able ``to_dict`` that mirrors their fields."""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = _jsonable(self)
        return data


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_jsonable(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, MONEY_DECIMALS)
    return value


@dataclass(frozen=True)
class SizeCost(JsonRecord):
    """A pool at one node count, at its expected unit price."""

    nodes: int
    hourly: float
    monthly: float


@dataclass(frozen=True)
class ComputeCost(JsonRecord):
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


@dataclass(frozen=True)
class FeeCost(JsonRecord):
    """A fixed cost line; ``quantity`` is in ``unit`` so that ``monthly == quantity * unit_price``."""

    name: str
    quantity: float
    unit: str
    unit_price: float
    monthly: float
    source: str


@dataclass(frozen=True)
class CostEstimate(JsonRecord):
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


@dataclass(frozen=True)
class FixedCosts:
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


def _size(nodes: int, unit_hourly: float) -> SizeCost:
    hourly = nodes * unit_hourly
    return SizeCost(nodes=nodes, hourly=hourly, monthly=hourly * HOURS_PER_MONTH)


def _capacity_notes(offering: Offering, capacity: Capacity) -> tuple[str, ...]:
    notes = []
    if capacity is not Capacity.ON_DEMAND and offering.spot_price_per_hour is None:
        notes.append(
            f"no spot price for {offering.instance_type} in {offering.region} in the catalog; priced at on-demand"
        )
    if capacity is Capacity.SPOT_WITH_FALLBACK:
        notes.append("worst case assumes every node falls back to on-demand")
    return tuple(notes)


def compute_cost(
    name: str, kind: ComputeKind, offering: Offering, capacity: Capacity, nodes: tuple[int, int, int]
) -> ComputeCost:
    """Price one pool or group of ``offering`` at its (min, desired, max) node counts."""
    unit = expected_hourly(offering, capacity)
    low, usual, high = nodes
    return ComputeCost(
        name=name,
        kind=kind,
        instance_type=offering.instance_type,
        shape=offering.shape,
        capacity=capacity.value,
        on_demand_hourly=offering.price_per_hour,
        spot_hourly=offering.spot_price_per_hour,
        unit_hourly=unit,
        min=_size(low, unit),
        desired=_size(usual, unit),
        max=_size(high, unit),
        worst_case_monthly=high * worst_hourly(offering, capacity) * HOURS_PER_MONTH,
        notes=_capacity_notes(offering, capacity),
    )


def _spec_compute_cost(compute: Compute, catalog: Catalog, cloud: str, region: str) -> ComputeCost:
    offering = catalog.offering_for(
        cloud, region, compute.accelerator, compute.accelerator_count, compute.instance_type
    )
    kind: ComputeKind = "autoscaling_group" if isinstance(compute, AutoscalingGroup) else "node_pool"
    sizes = (compute.min_nodes, compute.desired, compute.max_nodes)
    return compute_cost(compute.name, kind, offering, compute.capacity, sizes)


# -- fixed costs ------------------------------------------------------------------------------
def _fee_line(
    catalog: Catalog, cloud: str, fee_name: str, label: str, count: float, notes: list[str]
) -> FeeCost | None:
    """``count`` of a fee per month (clusters, gateways, GB, keys) in the fee's own unit, or None + note."""
    fee = catalog.fee(cloud, fee_name)
    if fee is None:
        notes.append(f"{label}: the catalog has no {fee_name} price for {cloud}; not included")
        return None
    if fee.unit not in UNITS_PER_MONTH:
        known = ", ".join(UNITS_PER_MONTH)
        raise CatalogError(f"fee {cloud} {fee_name} has unit {fee.unit!r}; a monthly estimate knows {known}")
    quantity = count * UNITS_PER_MONTH[fee.unit]
    return FeeCost(label, quantity, fee.unit, fee.price_usd, quantity * fee.price_usd, fee.source)


def nat_gateway_count(env: Environment) -> int:
    return {NatMode.NONE: 0, NatMode.SINGLE: 1, NatMode.PER_ZONE: env.network.zones}[env.network.nat]


def _network_fees(env: Environment, catalog: Catalog, cloud: str, notes: list[str]) -> Iterable[FeeCost | None]:
    if env.cluster is not None:
        yield _fee_line(catalog, cloud, "control_plane", "control_plane", 1, notes)
    gateways = nat_gateway_count(env)
    if gateways:
        yield _fee_line(catalog, cloud, "nat_gateway", "nat_gateway", gateways, notes)
        data = catalog.fee(cloud, "nat_data")
        price = f" (${data.price_usd:g}/{data.unit})" if data else ""
        notes.append(f"NAT data processing{price} is not estimated: it depends on traffic")


def _bucket_fees(env: Environment, catalog: Catalog, cloud: str, notes: list[str]) -> Iterable[FeeCost | None]:
    for bucket in env.buckets:
        yield _fee_line(
            catalog, cloud, "object_storage", f"object_storage:{bucket.name}", bucket.expected_size_gb, notes
        )
        if bucket.lifecycle.cold_after_days is not None:
            notes.append(
                f"bucket {bucket.name}: priced as standard storage; objects older than "
                f"{bucket.lifecycle.cold_after_days} days move to the cold class, so the real cost is lower"
            )
        if bucket.encryption is Encryption.CUSTOMER_KEY and bucket.customer_key_id is None:
            yield _fee_line(catalog, cloud, "kms_key", f"kms_key:{bucket.name}", 1, notes)


def _system_pool(env: Environment, catalog: Catalog, cloud: str, region: str, notes: list[str]) -> ComputeCost | None:
    if env.cluster is None:
        return None
    nodes = env.cluster.system_nodes
    shape = catalog.system_shape(cloud, region)
    if shape is None:
        notes.append(
            f"system pool ({nodes} x {SYSTEM_INSTANCE_TYPES[cloud]}) not priced: "
            f"the catalog has no price for it in {cloud} {region}"
        )
        return None
    return compute_cost(SYSTEM_POOL_NAME, "system_pool", shape, Capacity.ON_DEMAND, (nodes, nodes, nodes))


def fixed_costs(env: Environment, catalog: Catalog, cloud: str, region: str) -> FixedCosts:
    """The environment's fixed costs as if it ran in ``cloud`` ``region`` (``compare`` moves it around)."""
    notes: list[str] = []
    lines = [*_network_fees(env, catalog, cloud, notes), *_bucket_fees(env, catalog, cloud, notes)]
    system_pool = _system_pool(env, catalog, cloud, region, notes)
    return FixedCosts(tuple(line for line in lines if line is not None), system_pool, tuple(notes))


# -- the estimate -----------------------------------------------------------------------------
def estimate(env: Environment, catalog: Catalog | None = None) -> CostEstimate:
    """Monthly cost of a validated environment where its spec puts it."""
    catalog = catalog if catalog is not None else default_catalog()
    cloud, region = env.cloud.value, env.region
    fixed = fixed_costs(env, catalog, cloud, region)
    spec_compute = tuple(_spec_compute_cost(c, catalog, cloud, region) for c in env.compute)
    compute = spec_compute + ((fixed.system_pool,) if fixed.system_pool else ())
    fees_monthly = sum(fee.monthly for fee in fixed.fees)

    def total(part: Callable[[ComputeCost], float]) -> float:
        return sum(part(c) for c in compute) + fees_monthly

    worst = total(lambda c: c.worst_case_monthly)
    budget = env.budget.monthly_usd if env.budget is not None else None
    return CostEstimate(
        environment=env.name,
        cloud=cloud,
        region=region,
        compute=compute,
        fees=fixed.fees,
        min_monthly=total(lambda c: c.min.monthly),
        desired_monthly=total(lambda c: c.desired.monthly),
        max_monthly=total(lambda c: c.max.monthly),
        worst_case_monthly=worst,
        budget_monthly=budget,
        over_budget=budget is not None and worst > budget,
        catalog_as_of=catalog.as_of,
        notes=(*fixed.notes, NOT_ESTIMATED_NOTE),
    )
