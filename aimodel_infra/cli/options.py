"""What every command shares: the ``--json`` and ``--catalog`` options, and loading a spec.

``--json`` and ``--catalog`` are accepted both before the command (``aimodel-infra --json cost
aws-dev``) and after it (``aimodel-infra cost aws-dev --json``), because users type both. The
settings live on the click context object, which the root and every command share, so the one
error handler (:mod:`aimodel_infra.cli.errors`) knows whether to answer in JSON.

This module stays cheap to import (no spec models, no rich): it is loaded to build the app,
even for ``--help`` and ``--version``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from aimodel_infra.catalog import CATALOG_ENV_VAR
from aimodel_infra.catalog.catalog import CLOUDS

if TYPE_CHECKING:
    from aimodel_infra.catalog import Catalog
    from aimodel_infra.spec import Environment

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


@dataclass
class Settings:
    """Options the root and the commands both accept, merged: set anywhere means set."""

    json: bool = False
    catalog_path: Path | None = None


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


def load_catalog_for(options: Settings) -> Catalog:
    """The bundled catalog, with the user's CSV over it when one was given (flag or env var)."""
    from aimodel_infra.catalog import default_catalog, load_catalog

    return load_catalog(options.catalog_path) if options.catalog_path else default_catalog()


def display_path(path: Path) -> str:
    """A path as a user would type it: relative to the working directory when inside it, and printable
    (a name with bytes that are not UTF-8 shows them as ``\\xff``)."""
    from aimodel_infra.errors import printable

    try:
        return printable(str(path.resolve().relative_to(Path.cwd().resolve())))
    except (ValueError, OSError):
        return printable(str(path))


def load_environment(spec: str, catalog: Catalog) -> tuple[Environment, str]:
    """The checked environment of a stack name, YAML path or ``-`` (stdin), and where it was read from."""
    from aimodel_infra.spec import load_spec, resolve_spec_path
    from aimodel_infra.spec.loader import STDIN, STDIN_SOURCE

    if spec == STDIN:
        return load_spec(STDIN, catalog), STDIN_SOURCE
    path = resolve_spec_path(spec)
    source = display_path(path)
    return load_spec(path, catalog, source=source), source


#: Version of every ``--json`` document's shape: raised when a key is renamed or removed (new keys
#: are additive and keep it).
SCHEMA_VERSION = 1


def emit_json(payload: Any) -> None:
    """Write one JSON document to stdout (nothing else may go there in ``--json`` mode), the
    schema version first.

    Strict JSON: a number that is not finite has no JSON form (``Infinity`` is not JSON), so it is
    an error here rather than a document no parser reads; strings are made printable first.
    """
    from aimodel_infra.errors import AimodelError

    payload = {"schema_version": SCHEMA_VERSION, **payload}
    try:
        text = json.dumps(_printable(payload), indent=2, allow_nan=False)
    except ValueError as exc:
        raise AimodelError(f"the result holds a number JSON cannot represent ({exc}); check the inputs") from None
    sys.stdout.write(text + "\n")


def _printable(value: Any) -> Any:
    from aimodel_infra.errors import printable

    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {_printable(k) if isinstance(k, str) else k: _printable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_printable(v) for v in value]
    return value
