"""Hand-built resource graphs, for testing policy checks and diffs without running a program.

    builder = GraphBuilder()
    builder.add("aws:s3/bucket:Bucket", "data", {"bucket": "data-1"})
    graph = builder.graph()

Each resource gets the URN, parent and id the recorder would give it; ``graph()`` returns the
:class:`~aimodel_infra.graph.ResourceGraph` a check reads.
"""

from __future__ import annotations

from typing import Any, Final

from aimodel_infra.graph import RecordedResource, ResourceGraph

STACK_URN: Final = "urn:pulumi:test::aimodel-infra::pulumi:pulumi:Stack::aimodel-infra-test"


class GraphBuilder:
    """Adds RecordedResources with URNs, parents and ids the way the recorder would record them."""

    def __init__(self) -> None:
        self.resources: list[RecordedResource] = []

    def add(self, type_: str, name: str, inputs: dict[str, Any] | None = None, **fields: Any) -> RecordedResource:
        parent = fields.pop("parent", None)
        resource = RecordedResource(
            urn=f"urn:pulumi:test::aimodel-infra::{type_}::{name}",
            type=type_,
            name=name,
            custom=fields.pop("custom", True),
            parent=parent.urn if parent is not None else STACK_URN,
            dependencies=tuple(fields.pop("dependencies", ())),
            inputs=inputs or {},
            outputs=fields.pop("outputs", {}),
            id=fields.pop("id", f"{name}-id"),
            provider=fields.pop("provider", None),
            protect=fields.pop("protect", False),
            retain_on_delete=fields.pop("retain_on_delete", False),
            delete_before_replace=False,
            ignore_changes=tuple(fields.pop("ignore_changes", ())),
        )
        if fields:
            raise TypeError(f"unknown fields {sorted(fields)}")
        self.resources.append(resource)
        return resource

    def graph(self) -> ResourceGraph:
        return ResourceGraph(list(self.resources), {}, set(), [], stack_urn=STACK_URN)
