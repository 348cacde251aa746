"""The one place where the project's own errors become a message and exit code 1.

Bad input (:class:`~aimodel_infra.errors.AimodelError`: an invalid spec, an unreadable catalog, an
unknown accelerator) is the user's to fix, so it is reported as plain text on stderr, or as a JSON
document on stdout under ``--json``; never as a traceback. Anything else is our bug and keeps
its traceback. Usage errors (unknown option, a value outside a fixed set) stay click's: exit 2,
and under ``--json`` they too are one JSON document on stdout.

JSON error shape (``schema_version`` first, as in every document)::

    {"schema_version": 1, "valid": false, "error": "<one-line summary>", "kind": "SpecError",
     "source": "stacks/Pulumi.aws-dev.yaml" | null,
     "problems": [{"path": "node_pools[0].max_nodes", "message": "..."}]}

``valid`` says whether the spec is valid: true for a valid spec the command cannot go on with
(its cloud has no builder, or the builder's SDK is not installed), null for a usage error (the
spec was not read). A usage error has ``"kind": "usage"``, ``"usage"`` (the command's usage line)
and one problem whose ``path`` is the option or argument at fault (``"--at"``), or "".
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup

try:  # typer vendors click as typer._click (0.2x); older typer uses click itself
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - depends on the installed typer
    from click import exceptions as click_exceptions  # type: ignore[no-redef]

from aimodel_infra.cli.common import (  # noqa: F401  (error_payload: API)
    EXIT_INVALID,
    Settings,
    emit_json,
    error_payload,
    report,
)
from aimodel_infra.errors import AimodelError

EXIT_USAGE = 2


def usage_payload(error: click_exceptions.UsageError) -> dict[str, Any]:
    """The JSON form of a malformed command line (exit 2)."""
    param = getattr(error, "param", None)
    path = param.opts[0] if param is not None and getattr(param, "opts", None) else ""
    if param is not None and param.param_type_name == "argument":
        path = (param.metavar or param.name or "").upper()
    usage = error.ctx.get_usage() if error.ctx is not None else ""
    message = error.format_message()
    return {
        "valid": None,
        "error": message,
        "kind": "usage",
        "source": None,
        "usage": usage,
        "problems": [{"path": path, "message": message}],
    }


def wants_json(args: Sequence[str]) -> bool:
    """``--json`` anywhere before a ``--`` (options are accepted before and after the command)."""
    words = list(args)
    return "--json" in (words[: words.index("--")] if "--" in words else words)


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

    def main(self, args: Sequence[str] | None = None, *rest: Any, **options: Any) -> Any:  # type: ignore[override]
        """click's main; under ``--json`` a usage error is one JSON document too (still exit 2)."""
        argv = list(sys.argv[1:] if args is None else args)
        if not wants_json(argv) or not options.get("standalone_mode", True):
            return super().main(argv, *rest, **options)
        options["standalone_mode"] = False
        try:
            code = super().main(argv, *rest, **options)
        except click_exceptions.UsageError as error:
            emit_json(usage_payload(error))
            sys.exit(EXIT_USAGE)
        except click_exceptions.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click_exceptions.Abort:
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)
