"""``aimodel-infra cost SPEC``: the monthly bill of a spec before it is deployed, against its budget."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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


def command(
    ctx: typer.Context, spec: SpecArgument, json_output: JsonOption = False, catalog_path: CatalogOption = None
) -> None:
    """Price a spec per month: pools, fees, totals, budget.

    Every node pool, autoscaling group and the system pool at min, desired
    and max nodes; the worst case the autoscalers could reach; the fixed
    fees; totals; the budget verdict and how old the prices are.
    Exits 1 when the worst case exceeds budget.monthly_usd.

    --json prints CostEstimate.to_dict() with "spec", "source", "valid"
    and "catalog": {"as_of", "age_days", "source"} added. Its keys:
    "compute", "fees", "min_monthly", "desired_monthly", "max_monthly",
    "worst_case_monthly", "budget_monthly", "over_budget", "notes".
    """
    options = settings(ctx, json_output, catalog_path)
    catalog = load_catalog_for(options)
    env, source = load_environment(spec, catalog)
    from aimodel_infra.cost import estimate

    result = estimate(env, catalog)
    if options.json:
        emit_json({"spec": spec, "source": source, "valid": True, "catalog": catalog_info(catalog), **result.to_dict()})
    else:
        from aimodel_infra.cli.render import cost_report, print_all

        print_all(cost_report(result))
    if result.over_budget:
        raise typer.Exit(EXIT_OVER_BUDGET)


def catalog_info(catalog: Catalog) -> dict[str, Any]:
    """Where prices come from and how old they are: part of every JSON answer that holds prices."""
    return {"as_of": catalog.as_of.isoformat(), "age_days": catalog.age_days(), "source": catalog.source}
