"""``aimodel-infra cost SPEC``: the monthly bill of a spec before it is deployed, against its budget."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from aimodel_infra.cli.options import (
    CatalogOption,
    JsonOption,
    SpecArgument,
    emit_json,
    load_catalog_for,
    load_environment,
    settings,
)

if TYPE_CHECKING:
    from aimodel_infra.catalog import Catalog

#: Exit code when the worst case exceeds the budget, so CI can gate a change on it.
EXIT_OVER_BUDGET = 1
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
    and max nodes, with $/h per node and $/GPU-h per GPU; the worst case the
    autoscalers could reach; the fixed fees; totals; the budget verdict and,
    over budget, what would fit. With --hours or --days: the job's cost at
    --at sizes and the hours the monthly budget buys. Exits 1 when the
    worst case exceeds budget.monthly_usd.

    --json prints {"schema_version", "spec", "source", "valid", "catalog":
    {"as_of", "age_days", "source"}, "environment", "cloud", "region",
    "compute": [{"name", "kind", "instance_type", "shape", "capacity",
    "on_demand_hourly", "spot_hourly", "unit_hourly", "gpus_per_node",
    "gpu_hourly", "min", "desired", "max": {"nodes", "hourly", "monthly"},
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
    catalog = load_catalog_for(options)
    env, source = load_environment(spec, catalog)
    import dataclasses

    from aimodel_infra.cost import estimate
    from aimodel_infra.cost.job import budget_fit, cheapest_fitting_placement, job_cost

    result = estimate(env, catalog)
    duration = hours if hours is not None else days * 24 if days is not None else None
    job = job_cost(result, duration, at) if duration is not None else None
    fit = budget_fit(result)
    if fit is not None:
        fit = dataclasses.replace(fit, placement=cheapest_fitting_placement(env, catalog))
    if options.json:
        emit_json(
            {
                "spec": spec, "source": source, "valid": True, "catalog": catalog_info(catalog), **result.to_dict(),
                "budget_fit": fit.to_dict() if fit else None, "job": job.to_dict() if job else None,
            }
        )  # fmt: skip
    else:
        from aimodel_infra.cli.render import cost_report, print_all

        print_all(cost_report(result, job=job, fit=fit))
    if result.over_budget:
        raise typer.Exit(EXIT_OVER_BUDGET)


def catalog_info(catalog: Catalog) -> dict[str, Any]:
    """Where prices come from and how old they are: part of every JSON answer that holds prices."""
    return {
        "as_of": catalog.as_of.isoformat() if catalog.as_of else None,
        "age_days": catalog.age_days(),
        "source": catalog.source,
        "age_note": catalog.age_note,
        "sources": [{"cloud": s.cloud, "source": s.source, "commit": s.commit} for s in catalog.sources],
    }
