"""What every command shares and what needs neither typer nor rich: settings, loading, JSON, errors.

Kept free of typer, click and rich so that the fast path (:mod:`aimodel_infra.cli.fast`) can run
``validate`` and ``cost`` without importing them; the typer commands use the same functions.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aimodel_infra.errors import AimodelError, SpecError

if TYPE_CHECKING:
    from aimodel_infra.catalog import Catalog
    from aimodel_infra.spec import Environment

EXIT_INVALID = 1


class Settings:
    """Options the root and the commands both accept, merged: set anywhere means set.

    A plain class, not a dataclass: it is defined on every cold start of ``validate`` and ``cost``,
    where a dataclass costs ~0.4 ms to define (see README, Development).
    """

    __slots__ = ("json", "catalog_path")

    def __init__(self, json: bool = False, catalog_path: Path | None = None) -> None:
        self.json = json
        self.catalog_path = catalog_path

    def __repr__(self) -> str:
        return f"Settings(json={self.json!r}, catalog_path={self.catalog_path!r})"


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
    import json  # here: the text output of validate and cost starts without it

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


def echo(line: str) -> None:
    sys.stdout.write(line + "\n")


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
    from aimodel_infra.cloud import CloudNotSupported

    valid = isinstance(error, CloudNotSupported)  # raised after the spec was read and checked
    return {"valid": valid, "error": headline, "kind": type(error).__name__, "source": source, "problems": problems}


def report(error: AimodelError, as_json: bool) -> None:
    if as_json:
        emit_json(error_payload(error))
    else:
        sys.stderr.write(f"error: {error}\n")
