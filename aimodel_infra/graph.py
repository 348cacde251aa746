"""What a `run_program` call recorded: resources with their options, stack outputs, invokes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RecordedResource:
    """One registered resource as the engine would have seen it."""

    urn: str
    type: str
    name: str
    custom: bool
    parent: str | None
    dependencies: tuple[str, ...]
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    id: str | None
    provider: str | None
    protect: bool
    retain_on_delete: bool
    delete_before_replace: bool
    ignore_changes: tuple[str, ...]
    secret_inputs: frozenset[str] = field(default_factory=frozenset)  # input keys that were secrets
    read: bool = False  # True for `Resource.get(...)` lookups (ReadResource), not managed resources

    def __str__(self) -> str:
        return f"{self.type} {self.name!r}"


@dataclass
class ResourceGraph:
    """Everything one `run_program` call produced."""

    resources: list[RecordedResource]
    stack_outputs: dict[str, Any]
    secret_outputs: set[str]
    invokes: list[tuple[str, dict]]
    unapplied: dict[str, str] = field(default_factory=dict)
    stack_urn: str | None = None

    def __post_init__(self) -> None:
        self._by_urn = {r.urn: r for r in self.resources}

    def of_type(self, type_: str) -> list[RecordedResource]:
        return [r for r in self.resources if r.type == type_]

    def one(self, type_: str, name: str | None = None) -> RecordedResource:
        """The single resource of `type_` (named `name` if given); AssertionError otherwise."""
        found = [r for r in self.of_type(type_) if name is None or r.name == name]
        if len(found) == 1:
            return found[0]
        wanted = f"{type_} named {name!r}" if name is not None else type_
        if found:
            names = ", ".join(repr(r.name) for r in found)
            raise AssertionError(f"expected one {wanted}, found {len(found)}: {names}")
        same_type = [r.name for r in self.of_type(type_)]
        if same_type:
            detail = f"resources of that type: {same_type}"
        else:
            detail = "types registered: " + ", ".join(sorted({r.type for r in self.resources}))
        raise AssertionError(f"no {wanted}; {detail}")

    def by_urn(self, urn: str) -> RecordedResource:
        try:
            return self._by_urn[urn]
        except KeyError:
            raise AssertionError(f"no resource with URN {urn!r}") from None

    def children(self, parent: RecordedResource) -> list[RecordedResource]:
        return [r for r in self.resources if r.parent == parent.urn]

    def descendants(self, parent: RecordedResource) -> list[RecordedResource]:
        """All resources below `parent`, in registration order."""
        below: set[str] = {parent.urn}
        changed = True
        while changed:  # registration order does not guarantee parents come first
            changed = False
            for r in self.resources:
                if r.urn not in below and r.parent in below:
                    below.add(r.urn)
                    changed = True
        return [r for r in self.resources if r.urn in below and r.urn != parent.urn]

    def parent_of(self, r: RecordedResource) -> RecordedResource | None:
        """The parent resource, or None for top-level resources (parented by the stack)."""
        if r.parent is None or r.parent == self.stack_urn:
            return None
        return self._by_urn.get(r.parent)


def needs_api_reach(resource: RecordedResource) -> bool:
    """Kubernetes objects (not the provider itself) are created by calling the cluster's API, so
    `pulumi up` must be able to reach its endpoint."""
    return resource.custom and resource.type.startswith("kubernetes:")
