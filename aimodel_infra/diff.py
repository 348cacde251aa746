"""What a change to a spec does: resources added, removed and changed, and the money it moves.

Both sides are recorded by the same offline preview, so the diff is of the resources the
program would really register, keyed the way Pulumi keys them (type chain and logical name),
not of the YAML text.

JSON shape (``SpecDiff.to_dict()``, stable)::

    {"base": {"environment", "source"}, "head": {"environment", "source"},
     "resources": {"add": [{"type", "name"}], "remove": [{"type", "name", "protected", "retained"}],
                   "change": [{"type", "name", "keys": [..]}],
                   "replace": [{"type", "name", "keys", "replaced_by", "protected", "retained"}]},
     "cost": {"compute": [{"name", "base_desired", "head_desired", "base_max", "head_max",
                           "delta_desired", "delta_max"}],
              "total": {"base_desired", "head_desired", "delta_desired", "base_max", "head_max",
                        "delta_max", "base_worst_case", "head_worst_case", "delta_worst_case"}},
     "head_passed": bool}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from aimodel_infra.catalog import Catalog, default_catalog
from aimodel_infra.cloud import ReplacementKeys
from aimodel_infra.cost import CostEstimate
from aimodel_infra.preview import Preview, run_preview
from aimodel_infra.registry import replacement_keys
from aimodel_infra.spec.models import Environment

if TYPE_CHECKING:
    from aimodel_infra.graph import RecordedResource

ChangeKind = Literal["add", "remove", "change", "replace"]
KINDS: tuple[ChangeKind, ...] = ("add", "remove", "change", "replace")


@dataclass(frozen=True)
class ResourceChange:
    kind: ChangeKind
    type: str
    name: str
    keys: tuple[str, ...] = ()
    #: A removal or replacement of a protected resource: `pulumi up` refuses it until protection
    #: is lifted; a retained one stays in the cloud (and on the bill) after it leaves the stack.
    protected: bool = False
    retained: bool = False
    #: For a replacement: the changed inputs that force it (the cloud deletes and recreates).
    replaced_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class ComputeCostChange:
    """One pool or group's monthly cost before and after (0 where it does not exist on a side)."""

    name: str
    base_desired: float
    head_desired: float
    base_max: float
    head_max: float

    @property
    def delta_desired(self) -> float:
        return self.head_desired - self.base_desired

    @property
    def delta_max(self) -> float:
        return self.head_max - self.base_max


@dataclass(frozen=True)
class SpecDiff:
    base: Preview
    head: Preview
    base_source: str
    head_source: str
    resources: tuple[ResourceChange, ...]
    compute: tuple[ComputeCostChange, ...]

    def changes(self, kind: ChangeKind) -> list[ResourceChange]:
        return [c for c in self.resources if c.kind == kind]

    def to_dict(self) -> dict[str, Any]:
        base_cost, head_cost = self.base.cost, self.head.cost
        return {
            "base": {"environment": self.base.env.name, "source": self.base_source},
            "head": {"environment": self.head.env.name, "source": self.head_source},
            "resources": {
                kind: [
                    {
                        "type": c.type,
                        "name": c.name,
                        **({"keys": list(c.keys)} if kind in ("change", "replace") else {}),
                        **({"replaced_by": list(c.replaced_by)} if kind == "replace" else {}),
                        **({"protected": c.protected, "retained": c.retained} if kind in ("remove", "replace") else {}),
                    }
                    for c in self.changes(kind)
                ]
                for kind in KINDS
            },
            "cost": {
                "compute": [
                    {
                        "name": c.name,
                        "base_desired": round(c.base_desired, 2),
                        "head_desired": round(c.head_desired, 2),
                        "base_max": round(c.base_max, 2),
                        "head_max": round(c.head_max, 2),
                        "delta_desired": round(c.delta_desired, 2),
                        "delta_max": round(c.delta_max, 2),
                    }
                    for c in self.compute
                ],
                "total": {
                    "base_desired": round(base_cost.desired_monthly, 2),
                    "head_desired": round(head_cost.desired_monthly, 2),
                    "delta_desired": round(head_cost.desired_monthly - base_cost.desired_monthly, 2),
                    "base_max": round(base_cost.max_monthly, 2),
                    "head_max": round(head_cost.max_monthly, 2),
                    "delta_max": round(head_cost.max_monthly - base_cost.max_monthly, 2),
                    "base_worst_case": round(base_cost.worst_case_monthly, 2),
                    "head_worst_case": round(head_cost.worst_case_monthly, 2),
                    "delta_worst_case": round(head_cost.worst_case_monthly - base_cost.worst_case_monthly, 2),
                },
            },
            "head_passed": self.head.passed,
        }


def diff_environments(
    base: Environment,
    head: Environment,
    catalog: Catalog | None = None,
    base_source: str = "base",
    head_source: str = "head",
) -> SpecDiff:
    """Preview both specs and compare what they would create and cost."""
    catalog = catalog or default_catalog()
    base_preview, head_preview = run_preview(base, catalog), run_preview(head, catalog)
    return SpecDiff(
        base=base_preview,
        head=head_preview,
        base_source=base_source,
        head_source=head_source,
        resources=tuple(resource_changes(base_preview.resources, head_preview.resources, replacement_keys(head.cloud))),
        compute=tuple(compute_cost_changes(base_preview.cost, head_preview.cost)),
    )


def resource_key(resource: RecordedResource) -> str:
    """Pulumi's identity of a resource without the stack and project: type chain and name.

    URNs are ``urn:pulumi:<stack>::<project>::<type chain>::<name>``; two stacks of the same
    spec produce the same key, so comparing main's stack to a branch's works.
    """
    return resource.urn.split("::", 2)[-1]


def resource_changes(
    base: list[RecordedResource], head: list[RecordedResource], replaced_on: ReplacementKeys | None = None
) -> list[ResourceChange]:
    """Adds, removes, updates and (where ``replaced_on`` says a changed input forces it) replacements."""
    replaced_on = replaced_on or {}
    before = {resource_key(r): r for r in base}
    after = {resource_key(r): r for r in head}
    changes = [ResourceChange("add", after[k].type, after[k].name) for k in after.keys() - before.keys()]
    changes += [
        ResourceChange("remove", r.type, r.name, protected=r.protect, retained=r.retain_on_delete)
        for r in (before[k] for k in before.keys() - after.keys())
    ]
    for key in before.keys() & after.keys():
        old, new = before[key], after[key]
        keys = changed_inputs(old.inputs, new.inputs)
        forcing = tuple(k for k in keys if k in replaced_on.get(new.type, ()))
        if forcing:
            changes.append(
                ResourceChange("replace", new.type, new.name, keys, old.protect, old.retain_on_delete, forcing)
            )
        elif keys:
            changes.append(ResourceChange("change", new.type, new.name, keys))
    order = {"remove": 0, "replace": 1, "change": 2, "add": 3}
    return sorted(changes, key=lambda c: (order[c.kind], c.type, c.name))


def changed_inputs(before: dict[str, Any], after: dict[str, Any]) -> tuple[str, ...]:
    """Top-level input keys whose values differ (added, removed or changed)."""
    return tuple(sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k)))


def compute_cost_changes(base: CostEstimate, head: CostEstimate) -> list[ComputeCostChange]:
    """Per pool, group and system pool; keyed by kind too, so a pool named 'system' is its own line."""
    before = {(c.kind, c.name): c for c in base.compute}
    after = {(c.kind, c.name): c for c in head.compute}
    keys = list(after) + [k for k in before if k not in after]
    return [
        ComputeCostChange(
            name=key[1],
            base_desired=before[key].desired.monthly if key in before else 0.0,
            head_desired=after[key].desired.monthly if key in after else 0.0,
            base_max=before[key].max.monthly if key in before else 0.0,
            head_max=after[key].max.monthly if key in after else 0.0,
        )
        for key in keys
    ]
