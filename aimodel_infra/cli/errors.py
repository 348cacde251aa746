"""The one place where the project's own errors become a message and exit code 1.

Bad input (:class:`~aimodel_infra.errors.AimodelError`: an invalid spec, an unreadable catalog, an
unknown accelerator) is the user's to fix, so it is reported as plain text on stderr, or as a JSON
document on stdout under ``--json``; never as a traceback. Anything else is our bug and keeps
its traceback. Usage errors (unknown option, a value outside a fixed set) stay click's: exit 2.

JSON error shape::

    {"valid": false, "error": "<one-line summary>", "kind": "SpecError",
     "source": "stacks/Pulumi.aws-dev.yaml" | null,
     "problems": [{"path": "node_pools[0].max_nodes", "message": "..."}]}
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from aimodel_infra.cli.options import Settings, emit_json
from aimodel_infra.errors import AimodelError, SpecError

EXIT_INVALID = 1


def error_payload(error: AimodelError) -> dict[str, Any]:
    """The JSON form of an error; ``problems`` is never empty, so clients can always list it."""
    if isinstance(error, SpecError):
        headline = error.render().splitlines()[0].rstrip(":")
        problems = [{"path": p.path, "message": p.message} for p in error.problems]
        source = error.source
    else:
        headline = str(error)
        problems = [{"path": "", "message": str(error)}]
        source = None
    return {"valid": False, "error": headline, "kind": type(error).__name__, "source": source, "problems": problems}


def report(error: AimodelError, as_json: bool) -> None:
    if as_json:
        emit_json(error_payload(error))
    else:
        typer.echo(f"error: {error}", err=True)


class ReportingGroup(TyperGroup):
    """The app's root group: runs the command, turning an AimodelError into exit code 1."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        if not isinstance(ctx.obj, Settings):
            ctx.obj = Settings()  # made here so the command's context shares it (children copy ctx.obj)
        try:
            return super().invoke(ctx)
        except AimodelError as error:
            report(error, ctx.obj.json)
            raise typer.Exit(EXIT_INVALID) from None
