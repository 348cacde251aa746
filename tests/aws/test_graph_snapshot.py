"""The aws-dev graph, resource by resource, against a reviewed snapshot.

A refactor must not change what `pulumi up -s aws-dev` creates; an intended change to the AWS
builder shows up here as a reviewable diff of ``tests/snapshots/aws-dev-graph.json``. Regenerate
it on purpose with ``UPDATE_SNAPSHOTS=1 pytest tests/aws/test_graph_snapshot.py`` and review the
diff before committing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from aimodel_infra.testing import ResourceGraph

from .example_stack import mocks_run

SNAPSHOT = Path(__file__).resolve().parents[1] / "snapshots" / "aws-dev-graph.json"


def graph_snapshot(graph: ResourceGraph) -> list[dict[str, Any]]:
    """What the engine would be asked to create: each resource's place, inputs and options."""

    def where(urn: str | None) -> str | None:
        if urn is None or urn == graph.stack_urn:
            return None
        parent = graph.by_urn(urn)
        return f"{parent.type}::{parent.name}"

    rows = [
        {
            "type": r.type,
            "name": r.name,
            "parent": where(r.parent),
            "custom": r.custom,
            "inputs": r.inputs,
            "protect": r.protect,
            "retain_on_delete": r.retain_on_delete,
            "ignore_changes": sorted(r.ignore_changes),
            "dependencies": sorted(f"{graph.by_urn(d).type}::{graph.by_urn(d).name}" for d in r.dependencies),
        }
        for r in graph.resources
    ]
    return sorted(rows, key=lambda row: (row["type"], row["name"]))


def test_the_aws_dev_graph_matches_the_reviewed_snapshot() -> None:
    current = graph_snapshot(mocks_run())
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n")
    expected = json.loads(SNAPSHOT.read_text())
    by_key = {(r["type"], r["name"]): r for r in expected}
    for resource in current:
        key = (resource["type"], resource["name"])
        assert key in by_key, f"new resource {key} not in the snapshot"
        assert resource == by_key[key], f"{key} differs from the snapshot"
    assert len(current) == len(expected), "resources were removed: " + ", ".join(
        f"{t}::{n}" for t, n in sorted(set(by_key) - {(r["type"], r["name"]) for r in current})
    )
