"""``aimodel-infra cost SPEC``: the monthly bill of a spec before it is deployed, against its budget."""

from __future__ import annotations

from typing import Annotated

import typer

from aimodel_infra.cli.options import CatalogOption, JsonOption, SpecArgument, settings
from aimodel_infra.cli.runs import EXIT_OVER_BUDGET, catalog_info, run_cost  # noqa: F401  (re-exported)

JOB_SIZES = ("min", "desired", "max", "worst")  # aimodel_infra.cost.job.JOB_SIZES, without importing it


def _job_size(value: str) -> str:
    if value not in JOB_SIZES:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(JOB_SIZES)}")
    return value


HoursOption = Annotated[
    float | None,
    typer.Option("--hours", metavar="H", min=0.01, help="Price a job of H hours (e.g. 336 for two weeks)."),
]
DaysOption = Annotated[
    float | None, typer.Option("--days", metavar="D", min=0.01, help="Price a job of D days (24 h each).")
]
AtOption = Annotated[
    str,
    typer.Option(
        "--at",
        metavar="SIZE",
        callback=_job_size,
        autocompletion=lambda: list(JOB_SIZES),
        help="The job's size: every pool at min, desired or max nodes, or worst (max, fallback included).",
    ),
]


def command(
    ctx: typer.Context,
    spec: SpecArgument,
    hours: HoursOption = None,
    days: DaysOption = None,
    at: AtOption = "max",
    json_output: JsonOption = False,
    catalog_path: CatalogOption = None,
) -> None:
    """Price a spec per month, or a job of --hours/--days: pools, fees, totals, budget.

    Every node pool, autoscaling group and the system pool at min, desired
    and max nodes, each node with its root disk, with $/h per node, $/GPU-h
    per GPU and a node's root disk per month; the worst case the
    autoscalers could reach; the fixed fees; totals; the budget verdict and,
    over budget, what would fit. With --hours or --days: the job's cost at
    --at sizes and the hours the monthly budget buys. Exits 1 when the
    worst case exceeds budget.monthly_usd.

    --json prints {"schema_version", "spec", "source", "valid", "catalog":
    {"as_of" (null: unknown), "age_days", "source", "age_note",
    "sources": [{"cloud", "source", "commit"}]}, "environment", "cloud", "region",
    "compute": [{"name", "kind", "instance_type", "shape", "capacity",
    "on_demand_hourly", "spot_hourly", "unit_hourly", "gpus_per_node",
    "gpu_hourly", "root_disk_gb", "root_disk_monthly" (null: not priced),
    "root_disk_source", "min", "desired", "max": {"nodes", "hourly", "monthly"},
    "worst_case_monthly", "worst_case_nodes", "notes"}], "fees": [{"name", "quantity", "unit",
    "unit_price", "monthly", "source"}], "min_monthly", "desired_monthly",
    "max_monthly", "worst_case_monthly", "budget_monthly", "over_budget",
    "catalog_as_of", "notes", "budget_fit": null or {"budget_monthly",
    "worst_case_monthly", "over_by", "hours_at_worst_case", "max_nodes":
    [{"name", "max_nodes", "fits_max_nodes", "worst_case_monthly"}],
    "placement": null or {"cloud", "region", "worst_case_monthly"}},
    "job": null or {"hours", "at", "compute": [{"name", "nodes", "gpus",
    "hourly", "cost"}], "fixed_hourly", "fixed_cost", "hourly", "cost",
    "gpu_hours", "cost_per_gpu_hour", "budget_monthly", "budget_hours",
    "within_budget"}}. Money in USD, rounded to 6 decimals.
    """
    options = settings(ctx, json_output, catalog_path)
    if hours is not None and days is not None:
        raise typer.BadParameter("give the job's length once: --hours or --days", param_hint="'--hours' / '--days'")
    duration = hours if hours is not None else days * 24 if days is not None else None
    code = run_cost(spec, options, duration, at)
    if code:
        raise typer.Exit(code)
