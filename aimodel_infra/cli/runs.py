"""The bodies of ``validate`` and ``cost``: one implementation behind the typer commands and the fast path.

Each returns the exit code (0, or 1 for over budget) and raises AimodelError for bad input.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aimodel_infra.cli.common import Settings, echo, emit_json, load_catalog_for, load_environment

if TYPE_CHECKING:
    from aimodel_infra.catalog import Catalog
    from aimodel_infra.spec import Environment

#: Exit code when the worst case exceeds the budget, so CI can gate a change on it.
EXIT_OVER_BUDGET = 1


def run_validate(spec: str, options: Settings) -> int:
    from aimodel_infra.cli.placement import placement_lines, warning_lines

    catalog = load_catalog_for(options)
    env, source = load_environment(spec, catalog)
    placement, warnings = placement_lines(env, catalog), warning_lines(env, catalog)
    if options.json:
        emit_json({**validation_payload(spec, source, env), "placement": placement, "warnings": warnings})
        return 0
    from aimodel_infra.cli.text import validation_summary

    echo(validation_summary(env, source))
    for line in placement:
        echo(f"  {line}")
    for line in warnings:
        echo(f"  warning: {line}")
    return 0


def validation_payload(spec: str, source: str, env: Environment) -> dict[str, Any]:
    return {
        "spec": spec,
        "source": source,
        "valid": True,
        "environment": env.name,
        "cloud": env.cloud.value,
        "region": env.region,
        "node_pools": [p.name for p in env.node_pools],
        "autoscaling_groups": [g.name for g in env.autoscaling_groups],
        "buckets": [b.name for b in env.buckets],
    }


def run_cost(spec: str, options: Settings, duration: float | None = None, at: str = "max") -> int:
    """The monthly bill (or a job of ``duration`` hours at size ``at``); 1 when over budget."""
    import dataclasses

    catalog = load_catalog_for(options)
    env, source = load_environment(spec, catalog)
    from aimodel_infra.cost import estimate

    result = estimate(env, catalog)
    job, fit = None, None
    if duration is not None or result.over_budget:  # cost.job only when asked: the plain run starts without it
        from aimodel_infra.cost.job import budget_fit, cheapest_fitting_placement, job_cost

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
    return EXIT_OVER_BUDGET if result.over_budget else 0


def catalog_info(catalog: Catalog) -> dict[str, Any]:
    """Where prices come from and how old they are: part of every JSON answer that holds prices."""
    return {
        "as_of": catalog.as_of.isoformat() if catalog.as_of else None,
        "age_days": catalog.age_days(),
        "source": catalog.source,
        "age_note": catalog.age_note,
        "sources": [{"cloud": s.cloud, "source": s.source, "commit": s.commit} for s in catalog.sources],
    }
