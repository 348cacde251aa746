"""The whole example program (root ``__main__.py``, stack azure-dev) under recording mocks, once per session.

``run_document(doc)`` runs the same program on a variant of the azure-dev document (cached by its
JSON text), so the tests of each component read one recorded graph instead of building their own.
"""

from __future__ import annotations

import json
import runpy
from functools import cache
from pathlib import Path
from typing import Any

from aimodel_infra.spec.loader import CONFIG_KEY, environment_document, read_document
from aimodel_infra.testing import ResourceGraph, run_program

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "__main__.py"
STACK = "azure-dev"
STACK_FILE = ROOT / "stacks" / f"Pulumi.{STACK}.yaml"
#: The subscription the example stack names (a placeholder: literal here, as the contract string it is).
SUBSCRIPTION = "8f3c2a1e-5b7d-4c9e-a2f1-6d4b8e0c7a35"
SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLEKEYONLYFORTESTS ml@example.com"


def stack_document() -> dict[str, Any]:
    return environment_document(read_document(STACK_FILE), source=str(STACK_FILE))


def run_main() -> None:
    runpy.run_path(str(MAIN), run_name="__main__")


@cache
def _run(document_json: str, preview: bool) -> ResourceGraph:
    return run_program(run_main, stack=STACK, config={CONFIG_KEY: json.loads(document_json)}, preview=preview)


def run_document(document: dict[str, Any], preview: bool = False) -> ResourceGraph:
    return _run(json.dumps(document, sort_keys=True), preview)


def mocks_run(preview: bool = False) -> ResourceGraph:
    """The azure-dev program, as `pulumi up` (or, with ``preview``, `pulumi preview`) would run it."""
    return run_document(stack_document(), preview)
