"""What every command shares: the ``--json`` and ``--catalog`` options, and loading a spec.

``--json`` and ``--catalog`` are accepted both before the command (``aimodel-infra --json cost
aws-dev``) and after it (``aimodel-infra cost aws-dev --json``), because users type both. The
settings live on the click context object, which the root and every command share, so the one
error handler (:mod:`aimodel_infra.cli.errors`) knows whether to answer in JSON.

This module stays cheap to import (no spec models, no rich): it is loaded to build the app,
even for ``--help`` and ``--version``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aimodel_infra.catalog import CATALOG_ENV_VAR
from aimodel_infra.catalog.catalog import CLOUDS
from aimodel_infra.cli.common import (  # noqa: F401  (re-exported: the commands import them from here)
    SCHEMA_VERSION,
    Settings,
    display_path,
    emit_json,
    load_catalog_for,
    load_environment,
)

JsonOption = Annotated[
    bool,
    typer.Option(
        "--json",
        help='Machine output: one JSON document on stdout, its first key "schema_version"; also for errors '
        "(exit 1) and usage errors (exit 2).",
    ),
]
CatalogOption = Annotated[
    Path | None,
    typer.Option(
        "--catalog",
        metavar="CSV",
        envvar=CATALOG_ENV_VAR,
        help="CSV of offerings (bundled columns) whose rows replace or add to the bundled prices.",
        dir_okay=False,
    ),
]


def complete_spec(incomplete: str) -> list[str]:
    """Shell completion of SPEC: the project's stack names, found the way the loader finds them
    (``stacks/`` beside the nearest Pulumi.yaml), without loading the spec models on every key press."""
    here = Path.cwd().resolve()
    root = next((d for d in (here, *here.parents) if (d / "Pulumi.yaml").is_file()), here)
    stacks = root / "stacks"
    names = sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in stacks.glob("Pulumi.*.yaml"))
    return [name for name in names if name.startswith(incomplete)]


SpecArgument = Annotated[
    str,
    typer.Argument(
        metavar="SPEC",
        autocompletion=complete_spec,
        help="A stack name (aws-dev reads stacks/Pulumi.aws-dev.yaml from the project root), a YAML file, "
        "or - to read the spec from standard input.",
        show_default=False,
    ),
]


def cloud_name(value: str) -> str:
    """A ``--cloud`` value, lower-cased. Cloud names are a fixed set, so a wrong one is a usage
    error (exit 2) like any other choice, not invalid input."""
    name = value.strip().lower()
    if name not in CLOUDS:
        raise typer.BadParameter(f"unknown cloud {value!r}; choose from {', '.join(CLOUDS)}")
    return name


def settings(ctx: typer.Context, json_output: bool = False, catalog_path: Path | None = None) -> Settings:
    """The shared settings, updated with the command's own ``--json``/``--catalog``.

    Called first thing in every command, so an error raised afterwards is reported in the
    format the user asked for.
    """
    if not isinstance(ctx.obj, Settings):
        ctx.obj = Settings()
    ctx.obj.json = ctx.obj.json or json_output
    ctx.obj.catalog_path = catalog_path or ctx.obj.catalog_path
    return ctx.obj
