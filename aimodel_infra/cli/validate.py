"""``aimodel-infra validate SPEC``: is the spec buildable, with every problem listed at once."""

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
    from aimodel_infra.spec import Environment


def command(
    ctx: typer.Context, spec: SpecArgument, json_output: JsonOption = False, catalog_path: CatalogOption = None
) -> None:
    """Check a spec: its structure and the catalog's rules.

    Prints "SOURCE: valid (CLOUD REGION, N node pools, M autoscaling
    groups, K buckets)", or every problem with its field path and exit 1.

    --json prints {"schema_version", "spec", "source", "valid": true, "environment",
    "cloud", "region", "node_pools", "autoscaling_groups", "buckets",
    "placement", "warnings"} (node_pools..buckets: lists of names;
    placement: the type and zones each pool would use; warnings: unpriced
    types, suspect prices, Kubernetes support windows). An invalid spec prints
    {"valid": false, "error", "kind", "source",
    "problems": [{"path", "message"}]}.
    """
    options = settings(ctx, json_output, catalog_path)
    catalog = load_catalog_for(options)
    env, source = load_environment(spec, catalog)
    from aimodel_infra.cli.placement import placement_lines, warning_lines

    placement, warnings = placement_lines(env, catalog), warning_lines(env, catalog)
    if options.json:
        emit_json({**validation_payload(spec, source, env), "placement": placement, "warnings": warnings})
        return
    from aimodel_infra.cli.text import validation_summary

    typer.echo(validation_summary(env, source))
    for line in placement:
        typer.echo(f"  {line}")
    for line in warnings:
        typer.echo(f"  warning: {line}")


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
