"""The whole example program (root ``__main__.py``, stack gcp-dev) under recording mocks, run once.

The mocks answer with the GCP package's own tables (:mod:`aimodel_infra.gcp.testing`): zones,
project number, service agents, GKE versions, the Deep Learning VM image. Tests read the graph.
"""

from __future__ import annotations

import runpy
from functools import cache
from pathlib import Path
from typing import Any

from aimodel_infra.spec.loader import CONFIG_KEY, environment_document, read_document
from aimodel_infra.testing import RecordedResource, ResourceGraph, run_program

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "__main__.py"
STACK = "gcp-dev"
STACK_FILE = ROOT / "stacks" / f"Pulumi.{STACK}.yaml"


def stack_document() -> dict[str, Any]:
    return environment_document(read_document(STACK_FILE), source=str(STACK_FILE))


def stack_config(document: dict[str, Any] | None = None) -> dict[str, Any]:
    """Stack config as `pulumi up -s gcp-dev` passes it: the environment under its config key."""
    return {CONFIG_KEY: document if document is not None else stack_document()}


def run_main() -> None:
    runpy.run_path(str(MAIN), run_name="__main__")


@cache
def mocks_run(preview: bool = False) -> ResourceGraph:
    return run_program(run_main, stack=STACK, config=stack_config(), preview=preview)


def run_document(document: dict[str, Any], preview: bool = False) -> ResourceGraph:
    return run_program(run_main, stack=document["name"], config=stack_config(document), preview=preview)


def named(graph: ResourceGraph, type_: str, fragment: str) -> RecordedResource:
    """The one resource of ``type_`` whose logical name contains ``fragment``."""
    found = [r for r in graph.of_type(type_) if fragment in r.name]
    assert len(found) == 1, f"{type_} with {fragment!r}: {[r.name for r in graph.of_type(type_)]}"
    return found[0]


def machine(accelerator: str, count: int) -> str:
    """The machine type the catalog resolves ``count`` x ``accelerator`` to in us-central1 (the builder's
    choice follows the catalog's prices, so tests ask it rather than pin a size)."""
    from aimodel_infra.catalog import default_catalog

    return default_catalog().offering_for("gcp", "us-central1", accelerator, count, None).instance_type
