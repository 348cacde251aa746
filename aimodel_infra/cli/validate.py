"""``aimodel-infra validate SPEC``: is the spec buildable, with every problem listed at once."""

from __future__ import annotations

import typer

from aimodel_infra.cli.options import CatalogOption, JsonOption, SpecArgument, settings
from aimodel_infra.cli.runs import run_validate, validation_payload  # noqa: F401  (validation_payload: API)


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
    code = run_validate(spec, options)
    if code:
        raise typer.Exit(code)
