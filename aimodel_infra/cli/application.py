"""The typer app of the ``aimodel-infra`` command line (the entry point is :func:`aimodel_infra.cli.main`).

Each command lives in its own module exposing a function named ``command``; registering one is
the single ``app.command(...)`` line below. Command modules import only typer at the top and
load the spec, cost and rendering code inside the command, so ``--help``, ``--version`` and
each command pay only for what they use. Nothing reached from here imports Pulumi.

Exit codes: 0 success; 1 invalid input (spec, catalog, option values the data rejects) or the
worst-case cost over budget; 2 a malformed command line (click's usage errors).
"""

from __future__ import annotations

from typing import Annotated

import typer

from aimodel_infra.cli import catalog, compare, cost, diff, preview, schema, validate
from aimodel_infra.cli.errors import ReportingGroup
from aimodel_infra.cli.options import CatalogOption, JsonOption, settings

PROG_NAME = "aimodel-infra"
DISTRIBUTION = "aimodel-infra"

app = typer.Typer(
    name=PROG_NAME,
    cls=ReportingGroup,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

app.command("validate")(validate.command)
app.command("cost")(cost.command)
app.command("compare")(compare.command)
app.command("catalog")(catalog.command)
app.command("schema")(schema.command)
app.command("preview")(preview.command)
app.command("diff")(diff.command)


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"{PROG_NAME} {version(DISTRIBUTION)}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    json_output: JsonOption = False,
    catalog_path: CatalogOption = None,
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """GPU environments on AWS, GCP and Azure from one typed spec: validate, price and compare them offline."""
    settings(ctx, json_output, catalog_path)


def run_app() -> None:
    app(prog_name=PROG_NAME)


__all__ = ["app", "run_app"]
