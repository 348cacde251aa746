"""``aimodel-infra compare SPEC``: what the same environment would cost in every other region."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from aimodel_infra.catalog.catalog import CLOUDS
from aimodel_infra.cli.cost import catalog_info
from aimodel_infra.cli.options import (
    CatalogOption,
    JsonOption,
    SpecArgument,
    cloud_name,
    emit_json,
    load_catalog_for,
    load_environment,
    settings,
)

if TYPE_CHECKING:
    from aimodel_infra.catalog import Catalog
    from aimodel_infra.cost import Comparison
    from aimodel_infra.spec import Environment

DEFAULT_TOP = 10


def _known_clouds(values: list[str] | None) -> list[str]:
    return [cloud_name(value) for value in values or []]


def _known_basis(value: str) -> str:
    from aimodel_infra.cost import BASES  # here, not at the top: it loads the spec models

    if value not in BASES:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(BASES)}")
    return value


CloudsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--cloud",
        metavar="CLOUD",
        callback=_known_clouds,
        autocompletion=lambda: list(CLOUDS),
        help=f"Only this cloud ({', '.join(CLOUDS)}); repeatable.",
    ),
]
RegionsOption = Annotated[
    list[str] | None,
    typer.Option("--region", metavar="REGION", help="Only this region (repeatable); must have offerings."),
]
BasisOption = Annotated[
    str,
    typer.Option(
        "--at",
        metavar="BASIS",
        callback=_known_basis,
        autocompletion=lambda: ["min", "desired", "max", "worst"],
        help="Rank by pools at min, desired or max nodes, or by worst: the worst case the budget gate uses.",
    ),
]
SubstituteOption = Annotated[
    bool,
    typer.Option(
        "--substitute",
        help="Allow equivalent accelerators (A10G / A10 / L4) where the one asked for is not offered or costs more.",
    ),
]
TopOption = Annotated[
    int, typer.Option("--top", metavar="N", min=1, help="How many of the cheapest placements to show.")
]


def command(
    ctx: typer.Context,
    spec: SpecArgument,
    clouds: CloudsOption = None,
    regions: RegionsOption = None,
    basis: BasisOption = "max",
    top: TopOption = DEFAULT_TOP,
    substitute: SubstituteOption = False,
    json_output: JsonOption = False,
    catalog_path: CatalogOption = None,
) -> None:
    """Rank regions offering all of a spec's shapes by monthly cost.

    The whole environment moves together: same accelerators and counts
    (or equivalent ones with --substitute), its fees and system pool. Each
    row says the price basis of each pool (spot, on-demand, or spot
    unknown priced on-demand), flags suspect catalog prices, and gives the
    budget verdict on its worst case. Regions lacking a shape are listed
    with the reason. Deltas are against the spec's own cloud and region.

    --json prints {"schema_version", "spec", "source", "valid", "catalog":
    {"as_of" (null: unknown), "age_days", "source", "age_note",
    "sources": [{"cloud", "source", "commit"}]}, "current": {"cloud", "region",
    "monthly"} or null, "basis", "budget_monthly", "substitute",
    "placements_total", "placements": [{"cloud", "region", "monthly",
    "delta_monthly", "worst_case_monthly", "within_budget", "fees_monthly",
    "is_current", "compute": [{"name", "instance_type", "shape",
    "unit_hourly", "nodes", "monthly", "worst_case_monthly", "price_basis",
    "caveat", "substitutes", "root_disk_monthly" (null: not priced)}]}],
    "unplaced": [{"cloud", "region",
    "reasons"}], "catalog_as_of"}. "placements" is cut to --top;
    "delta_monthly" is null without a current placement.
    """
    options = settings(ctx, json_output, catalog_path)
    catalog = load_catalog_for(options)
    env, source = load_environment(spec, catalog)
    from aimodel_infra.cost import compare

    comparison = compare(env, clouds=clouds, regions=regions, catalog=catalog, basis=basis, substitute=substitute)
    current = current_monthly(env, comparison, catalog)
    if options.json:
        payload = {"spec": spec, "source": source, "valid": True, "catalog": catalog_info(catalog)}
        emit_json({**payload, **comparison_payload(env, comparison, current, top)})
        return
    from aimodel_infra.cli.render import comparison_report, print_all

    print_all(comparison_report(comparison, current, top))


def current_monthly(env: Environment, comparison: Comparison, catalog: Catalog) -> float | None:
    """The spec's own placement on the same basis, even when the filters left its region out."""
    from aimodel_infra.cost import CompareError, compare

    listed = next((p for p in comparison.placements if p.is_current), None)
    if listed is not None:
        return listed.monthly
    try:
        own = compare(
            env, clouds=[env.cloud.value], regions=[env.region], catalog=catalog, basis=comparison.basis,
            substitute=comparison.substitute,
        )  # fmt: skip
    except CompareError:  # a spec without compute may sit in a region with no offerings: no delta then
        return None
    return own.placements[0].monthly if own.placements else None


def comparison_payload(env: Environment, comparison: Comparison, current: float | None, top: int) -> dict[str, Any]:
    data = comparison.to_dict()
    data["placements_total"] = len(data["placements"])
    data["placements"] = [
        {**placement, "delta_monthly": None if current is None else round(placement["monthly"] - current, 6)}
        for placement in data["placements"][:top]
    ]
    own = None if current is None else {"cloud": env.cloud.value, "region": env.region, "monthly": round(current, 6)}
    return {"current": own, **data}
