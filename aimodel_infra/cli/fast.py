"""A fast path for the two commands CI and editors run on every change: ``validate`` and ``cost``.

Importing typer (with click and rich) costs more than the rest of ``validate`` together, so
:func:`aimodel_infra.cli.main` first tries to read the command line here: exactly ``validate`` or
``cost``, one SPEC, and only ``--json`` / ``--catalog CSV`` (before or after the command). Anything
else (``--help``, another option, a usage error, a ``--catalog`` that is not a file) returns None and
the full typer app runs, so its help and error messages stay the one source of truth. Both paths run
the same command bodies (:mod:`aimodel_infra.cli.runs`) and report errors the same way.
"""

# No ``from __future__ import annotations``: typing.NamedTuple compiles each string annotation into a
# ForwardRef when the class is created, ~10 us per field on every cold start of ``validate`` and ``cost``.
import importlib
import os
import sys
import types
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple, NoReturn

from aimodel_infra.cli.common import EXIT_INVALID, Settings, report

FAST_COMMANDS = ("validate", "cost")
#: The exit status CPython gives a process whose last flush of stdout failed (a closed pipe).
EXIT_FLUSH_FAILED = 120
#: The environment variable ``--catalog`` reads (see aimodel_infra.catalog.CATALOG_ENV_VAR).
CATALOG_ENV_VAR = "AIMODEL_INFRA_CATALOG"


class Invocation(NamedTuple):
    """A command line the fast path runs: the command, its SPEC argument and the merged options."""

    command: str
    spec: str
    settings: Settings


def parse(argv: Sequence[str]) -> Invocation | None:
    """The invocation, when the command line is one the fast path answers exactly like typer; else None."""
    if any(name.startswith("_AIMODEL_INFRA_COMPLETE") for name in os.environ):
        return None  # shell completion is typer's
    command, spec, as_json, catalog = None, None, False, None
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--json":
            as_json = True
        elif arg == "--catalog" and args:
            catalog = args.pop(0)
        elif arg.startswith("--catalog="):
            catalog = arg.partition("=")[2]
        elif arg.startswith("-") or arg == "":
            return None  # --help, --version, anything else: typer's to answer
        elif command is None:
            command = arg
        elif spec is None:
            spec = arg
        else:
            return None
    if command not in FAST_COMMANDS or spec is None:
        return None
    catalog = catalog or os.environ.get(CATALOG_ENV_VAR) or None
    if catalog is not None and not Path(catalog).is_file():
        return None  # typer reports a missing or directory path as a usage error
    return Invocation(command, spec, Settings(json=as_json, catalog_path=Path(catalog) if catalog else None))


PYDANTIC_PLUGIN_LOADER = "pydantic.plugin._loader"


class _NoPydanticPlugins(types.ModuleType):
    """Stands in for pydantic's plugin loader: no plugins, and no ``importlib.metadata`` import.

    pydantic imports its loader when it builds the first model, and the loader imports
    ``importlib.metadata`` (with zipfile, email, ...) to scan entry points: about half of what
    ``import pydantic`` costs, for observability hooks a spec linter has no use for. Any other name
    the loader is asked for is served by the real module, so a pydantic that uses more of it still works.
    """

    def get_plugins(self) -> tuple[()]:
        return ()

    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):  # the import system probing (__path__, __file__): a plain module has none
            raise AttributeError(name)
        del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


def skip_pydantic_plugins() -> None:
    """Install the stand-in, unless pydantic already loaded its plugins in this process."""
    sys.modules.setdefault(PYDANTIC_PLUGIN_LOADER, _NoPydanticPlugins(PYDANTIC_PLUGIN_LOADER))


def run(invocation: Invocation) -> int:
    """Run it; bad input is reported like the typer app does (stderr, or JSON under --json) with exit 1."""
    skip_pydantic_plugins()
    from aimodel_infra.cli import runs
    from aimodel_infra.errors import AimodelError

    body = runs.run_validate if invocation.command == "validate" else runs.run_cost
    try:
        return body(invocation.spec, invocation.settings)
    except AimodelError as error:
        report(error, invocation.settings.json)
        return EXIT_INVALID


def leave_now(code: int) -> NoReturn:
    """End the process with ``code`` once what it wrote is out, skipping interpreter teardown.

    Teardown frees every module and object one by one, a tenth of the cold start of a command
    this short, for nothing: the operating system reclaims the memory, and nothing on this path
    registers atexit work. A flush that fails (the reader closed the pipe) exits 120, as CPython does.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or EXIT_FLUSH_FAILED
    os._exit(code)
