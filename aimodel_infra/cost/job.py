"""A job priced as a job, and what fits a budget: the questions a monthly estimate leaves open.

An ML engineer plans "a two-week fine-tune on 2 nodes", not a month; and when the estimate is over
budget, "by how much" is less useful than "what would fit". Both are arithmetic on a
:class:`~aimodel_infra.cost.estimate.CostEstimate`, so they price exactly what ``cost`` prices.

Rules
-----
- A job runs every pool and group at the chosen size (``min``, ``desired``, ``max``, or ``worst``:
  every scaling group at its maximum at its own price, the fallback on-demand group included) for
  its hours; the fixed fees and the system pool accrue per hour of the month (monthly / 730).
- The hours a budget buys are ``budget.monthly_usd`` divided by that hourly rate: the budget is a
  monthly amount, so more than 730 hours means the job fits in a month with room to spare.
- What fits an over-budget estimate: for each pool or group with nodes, the largest ``max_nodes``
  that brings the worst case within budget while the rest stays as it is (None when even 0 does
  not), the hours of a month the budget covers at the worst case, and the cheapest placement
  (cloud and region, :func:`aimodel_infra.cost.compare` at ``worst``) whose worst case fits.

JSON shape of ``JobCost.to_dict()`` (money in USD, rounded like every other amount)::

    {"hours": 336.0, "at": "max",
     "compute": [{"name", "nodes", "gpus", "hourly", "cost"}],
     "fixed_hourly": 1.02, "fixed_cost": 343.0, "hourly": 132.1, "cost": 44382.5,
     "gpu_hours": 5376.0, "cost_per_gpu_hour": 8.25 | null,
     "budget_monthly": 200000.0 | null, "budget_hours": 1514.1 | null, "within_budget": true | null}

JSON shape of ``BudgetFit.to_dict()``::

    {"budget_monthly": 200000.0, "worst_case_monthly": 250000.0, "over_by": 50000.0,
     "hours_at_worst_case": 584.0,
     "max_nodes": [{"name", "max_nodes", "fits_max_nodes": int | null, "worst_case_monthly"}],
     "placement": {"cloud", "region", "worst_case_monthly"} | null}
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, get_args

from aimodel_infra.catalog import HOURS_PER_MONTH, Catalog
from aimodel_infra.cost.estimate import ComputeCost, CostEstimate, JsonRecord
from aimodel_infra.errors import AimodelError
from aimodel_infra.spec.models import Environment

JobSize = Literal["min", "desired", "max", "worst"]
JOB_SIZES: tuple[str, ...] = get_args(JobSize)


class JobError(AimodelError):
    """A job option (duration, size) outside what can be priced."""


@dataclass(frozen=True)
class JobCompute(JsonRecord):
    name: str
    nodes: int
    gpus: int
    hourly: float
    cost: float


@dataclass(frozen=True)
class JobCost(JsonRecord):
    hours: float
    at: JobSize
    compute: tuple[JobCompute, ...]
    fixed_hourly: float
    fixed_cost: float
    hourly: float
    cost: float
    gpu_hours: float
    cost_per_gpu_hour: float | None
    budget_monthly: float | None
    budget_hours: float | None
    within_budget: bool | None


@dataclass(frozen=True)
class MaxNodesFit(JsonRecord):
    name: str
    max_nodes: int
    fits_max_nodes: int | None
    worst_case_monthly: float | None


@dataclass(frozen=True)
class FittingPlacement(JsonRecord):
    cloud: str
    region: str
    worst_case_monthly: float


@dataclass(frozen=True)
class BudgetFit(JsonRecord):
    budget_monthly: float
    worst_case_monthly: float
    over_by: float
    hours_at_worst_case: float
    max_nodes: tuple[MaxNodesFit, ...]
    #: The cheapest cloud and region whose worst case fits (None: none does, or not looked for).
    placement: FittingPlacement | None = None


def _at_size(compute: ComputeCost, at: JobSize) -> tuple[int, float]:
    """Nodes and hourly price of a pool at a job size."""
    if at == "worst":
        return compute.worst_case_nodes, compute.worst_case_monthly / HOURS_PER_MONTH
    size = {"min": compute.min, "desired": compute.desired, "max": compute.max}[at]
    return size.nodes, size.hourly


def job_cost(estimate: CostEstimate, hours: float, at: str = "max") -> JobCost:
    """What running every pool at ``at`` for ``hours`` costs, and how many hours the budget buys."""
    if not math.isfinite(hours) or hours <= 0:
        raise JobError(f"a job's duration must be a positive number of hours; got {hours!r}")
    if at not in JOB_SIZES:
        raise JobError(f"a job runs at one of {', '.join(JOB_SIZES)}; got {at!r}")
    size: JobSize = at  # type: ignore[assignment]
    gpu_pools = [c for c in estimate.compute if c.kind != "system_pool"]
    system = [c for c in estimate.compute if c.kind == "system_pool"]
    lines = []
    for c in gpu_pools:
        nodes, hourly = _at_size(c, size)
        lines.append(JobCompute(c.name, nodes, nodes * c.gpus_per_node, hourly, hourly * hours))
    fixed_hourly = (sum(f.monthly for f in estimate.fees) + sum(c.desired.monthly for c in system)) / HOURS_PER_MONTH
    hourly = sum(line.hourly for line in lines) + fixed_hourly
    gpu_hours = sum(line.gpus for line in lines) * hours
    budget = estimate.budget_monthly
    total = hourly * hours
    return JobCost(
        hours=hours,
        at=size,
        compute=tuple(lines),
        fixed_hourly=fixed_hourly,
        fixed_cost=fixed_hourly * hours,
        hourly=hourly,
        cost=total,
        gpu_hours=gpu_hours,
        cost_per_gpu_hour=total / gpu_hours if gpu_hours else None,
        budget_monthly=budget,
        budget_hours=budget / hourly if budget is not None and hourly > 0 else None,
        within_budget=None if budget is None else total <= budget,
    )


def budget_fit(estimate: CostEstimate) -> BudgetFit | None:
    """What would fit the budget when the worst case is over it; None when within it (or no budget)."""
    budget = estimate.budget_monthly
    if budget is None or not estimate.over_budget:
        return None
    worst = estimate.worst_case_monthly
    fits = []
    for c in estimate.compute:
        if c.kind == "system_pool" or c.max.nodes == 0:
            continue
        per_node = c.worst_case_per_node_monthly
        room = budget - (worst - c.worst_case_monthly)
        nodes = math.floor(room / per_node + 1e-9) if per_node > 0 and room >= 0 else None
        nodes = None if nodes is None or nodes >= c.max.nodes else nodes
        fits.append(
            MaxNodesFit(c.name, c.max.nodes, nodes, None if nodes is None else worst - (c.max.nodes - nodes) * per_node)
        )
    hourly = worst / HOURS_PER_MONTH
    return BudgetFit(budget, worst, worst - budget, budget / hourly if hourly else 0.0, tuple(fits))


def cheapest_fitting_placement(env: Environment, catalog: Catalog) -> FittingPlacement | None:
    """The cheapest (cloud, region) whose worst case is within the budget, ranked the budget's way."""
    from aimodel_infra.cost.comparison import compare

    fitting = (p for p in compare(env, catalog=catalog, basis="worst").placements if p.within_budget)
    best = next(fitting, None)
    return None if best is None else FittingPlacement(best.cloud, best.region, best.worst_case_monthly)
