"""The ``aimodel-infra`` command line: check, price and compare environments before deploying.

Each command lives in its own module exposing a function named ``command``, registered on the typer
app in :mod:`aimodel_infra.cli.application`. ``validate`` and ``cost`` run on every commit in CI and
in editors, so :func:`main` first offers the command line to :mod:`aimodel_infra.cli.fast`, which runs
those two without importing typer, click or rich (rich only when ``cost`` draws for a terminal);
everything else, including help and usage errors, goes to the typer app. Nothing reached from here
imports Pulumi.

Exit codes: 0 success; 1 invalid input (spec, catalog, option values the data rejects) or the
worst-case cost over budget; 2 a malformed command line (click's usage errors).
"""

from __future__ import annotations

import gc
import sys
from typing import Any

PROG_NAME = "aimodel-infra"


def main() -> None:
    """``aimodel-infra`` as a function (tests, ``python -c``): leaves through ``SystemExit``."""
    from aimodel_infra.cli.fast import parse, run

    invocation = parse(sys.argv[1:])
    if invocation is not None:
        sys.exit(run(invocation))
    from aimodel_infra.cli.application import run_app

    run_app()


def console_main() -> None:
    """The ``aimodel-infra`` script and ``python -m aimodel_infra``: :func:`main`, with a quicker exit.

    ``validate`` and ``cost`` are short, bounded processes whose start-up builds many objects
    (pydantic models, the catalog, rich) and frees few, so they run with the cyclic garbage
    collector off and leave through :func:`aimodel_infra.cli.fast.leave_now` instead of tearing
    the interpreter down (mypy exits the same way); together a fifth of their cold start
    (``benchmarks/importtime.py``). Every other command (preview records whole resource graphs,
    Pulumi runs threads) exits normally with the collector on.
    """
    from aimodel_infra.cli.fast import leave_now, parse, run

    invocation = parse(sys.argv[1:])
    if invocation is None:
        main()
        return
    gc.disable()
    leave_now(run(invocation))


def __getattr__(name: str) -> Any:
    """``from aimodel_infra.cli import app`` still works, and only then pays for typer."""
    if name == "app":
        from aimodel_infra.cli.application import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["PROG_NAME", "app", "console_main", "main"]
