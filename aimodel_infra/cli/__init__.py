"""The ``aimodel-infra`` command line: check, price and compare environments before deploying.

Each command lives in its own module exposing a function named ``command``, registered on the typer
app in :mod:`aimodel_infra.cli.application`. ``validate`` and ``cost`` run on every commit in CI and
in editors, so :func:`main` first offers the command line to :mod:`aimodel_infra.cli.fast`, which runs
those two without importing typer, click or rich (rich only for the cost table); everything else,
including help and usage errors, goes to the typer app. Nothing reached from here imports Pulumi.

Exit codes: 0 success; 1 invalid input (spec, catalog, option values the data rejects) or the
worst-case cost over budget; 2 a malformed command line (click's usage errors).
"""

from __future__ import annotations

import sys
from typing import Any

PROG_NAME = "aimodel-infra"


def main() -> None:
    """Console-script entry point (``aimodel-infra``, ``python -m aimodel_infra``)."""
    from aimodel_infra.cli.fast import parse, run

    invocation = parse(sys.argv[1:])
    if invocation is not None:
        sys.exit(run(invocation))
    from aimodel_infra.cli.application import run_app

    run_app()


def __getattr__(name: str) -> Any:
    """``from aimodel_infra.cli import app`` still works, and only then pays for typer."""
    if name == "app":
        from aimodel_infra.cli.application import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["PROG_NAME", "app", "main"]
