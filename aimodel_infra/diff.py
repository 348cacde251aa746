"""What a change to a spec does: resources added, removed and changed, and the money it moves.

Both sides are recorded by the same offline preview, so the diff is of the resources the
program would really register, keyed the way Pulumi keys them (type chain and logical name),
not of the YAML text. It reports only what `pulumi up` would change:

- each change is a leaf value, old -> new (``scalingConfig.maxSize: 2 -> 4``); secrets are masked;
- inputs under the resource's ``ignore_changes`` (e.g. a node group's desired size after
  creation) are not changes, and a pool whose desired size only moved there keeps its cost;
- the same map in another order is no change: mappings compare by key, a JSON document held in
  a string (provider configuration, policies) compares parsed, and a list of ``{"key": ...}``
  entries (AWS tag blocks, a set in the provider) compares as a map of those keys;
- a delete or replacement of a protected resource is what `pulumi up` refuses: ``refused`` lists
  them and the CLI exits 1.

JSON shape (``SpecDiff.to_dict()``; money in USD rounded like every other command's; the CLI puts
``"schema_version"`` first, as in every ``--json`` document)::

    {"base": {"environment", "source"}, "head": {"environment", "source"},
     "resources": {"add": [{"type", "name"}], "remove": [{"type", "name", "protected", "retained"}],
                   "change": [{"type", "name", "keys": [..], "changes": [{"path", "old", "new"}]}],
                   "replace": [{"type", "name", "keys", "changes", "replaced_by", "protected", "retained",
                                "node_group_of": "<pool>" | null}]},
     "cost": {"compute": [{"name", "base_desired", "head_desired", "base_max", "head_max",
                           "delta_desired", "delta_max", "base_worst_case", "head_worst_case",
                           "delta_worst_case", "desired_held"}],
              "total": {"base_desired", "head_desired", "delta_desired", "base_max", "head_max",
                        "delta_max", "base_worst_case", "head_worst_case", "delta_worst_case"}},
     "budget": {"base_monthly": float | null, "head_monthly": float | null,
                "base_over_budget": bool, "head_over_budget": bool},
     "refused": [{"type", "name", "kind": "remove" | "replace"}],
     "head_passed": bool}

``desired_held`` is true when the pool's desired size changed only under ``ignore_changes``: its
head desired cost is then the base's (the running size stays). ``old``/``new`` are JSON values,
``null`` where the input is absent on that side, ``"[secret]"`` for secrets.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal

from aimodel_infra.catalog import HOURS_PER_MONTH, Catalog, default_catalog
from aimodel_infra.cloud import ReplacementKeys
from aimodel_infra.cost import CostEstimate
from aimodel_infra.cost.estimate import round_money
from aimodel_infra.preview import Preview, run_preview
from aimodel_infra.registry import replacement_keys, support
from aimodel_infra.spec.models import Environment

if TYPE_CHECKING:
    from aimodel_infra.graph import RecordedResource, ResourceGraph

ChangeKind = Literal["add", "remove", "change", "replace"]
KINDS: tuple[ChangeKind, ...] = ("add", "remove", "change", "replace")
SECRET: Final = "[secret]"


class _Absent:
    """An input present on one side only (``None`` is a value a provider can be given)."""

    def __repr__(self) -> str:
        return "absent"


ABSENT: Final = _Absent()


@dataclass(frozen=True)
class ValueChange:
    """One leaf input that changes: ``path`` in Pulumi's property-path style (``scalingConfig.maxSize``)."""

    path: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "old": _json_value(self.old), "new": _json_value(self.new)}


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
    #: Every leaf value that changes, old -> new (updates and replacements).
    changes: tuple[ValueChange, ...] = ()
    #: The spec pool or group this resource is a scaling group of (its nodes run the jobs).
    node_group_of: str | None = None

    @property
    def refused(self) -> bool:
        """`pulumi up` stops at this change: it deletes (or deletes to replace) a protected resource."""
        return self.protected and self.kind in ("remove", "replace")


@dataclass(frozen=True)
class ComputeCostChange:
    """One pool or group's monthly cost before and after (0 where it does not exist on a side)."""

    name: str
    base_desired: float
    head_desired: float
    base_max: float
    head_max: float
    base_worst_case: float = 0.0
    head_worst_case: float = 0.0
    #: The desired size moved only under ``ignore_changes``: `pulumi up` keeps the running size.
    desired_held: bool = False

    @property
    def delta_desired(self) -> float:
        return self.head_desired - self.base_desired

    @property
    def delta_max(self) -> float:
        return self.head_max - self.base_max

    @property
    def delta_worst_case(self) -> float:
        return self.head_worst_case - self.base_worst_case


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

    @property
    def refused(self) -> list[ResourceChange]:
        """The changes `pulumi up` would refuse: the PR cannot be applied as it is."""
        return [c for c in self.resources if c.refused]

    def to_dict(self) -> dict[str, Any]:
        base_cost, head_cost = self.base.cost, self.head.cost
        return {
            "base": {"environment": self.base.env.name, "source": self.base_source},
            "head": {"environment": self.head.env.name, "source": self.head_source},
            "resources": {kind: [_change_dict(c) for c in self.changes(kind)] for kind in KINDS},
            "cost": {
                "compute": [
                    {
                        "name": c.name,
                        "base_desired": round_money(c.base_desired),
                        "head_desired": round_money(c.head_desired),
                        "base_max": round_money(c.base_max),
                        "head_max": round_money(c.head_max),
                        "delta_desired": round_money(c.delta_desired),
                        "delta_max": round_money(c.delta_max),
                        "base_worst_case": round_money(c.base_worst_case),
                        "head_worst_case": round_money(c.head_worst_case),
                        "delta_worst_case": round_money(c.delta_worst_case),
                        "desired_held": c.desired_held,
                    }
                    for c in self.compute
                ],
                "total": {
                    "base_desired": round_money(self.base_desired),
                    "head_desired": round_money(self.head_desired),
                    "delta_desired": round_money(self.head_desired - self.base_desired),
                    "base_max": round_money(base_cost.max_monthly),
                    "head_max": round_money(head_cost.max_monthly),
                    "delta_max": round_money(head_cost.max_monthly - base_cost.max_monthly),
                    "base_worst_case": round_money(base_cost.worst_case_monthly),
                    "head_worst_case": round_money(head_cost.worst_case_monthly),
                    "delta_worst_case": round_money(head_cost.worst_case_monthly - base_cost.worst_case_monthly),
                },
            },
            "budget": {
                "base_monthly": base_cost.budget_monthly,
                "head_monthly": head_cost.budget_monthly,
                "base_over_budget": base_cost.over_budget,
                "head_over_budget": head_cost.over_budget,
            },
            "refused": [{"type": c.type, "name": c.name, "kind": c.kind} for c in self.refused],
            "head_passed": self.head.passed,
        }

    @property
    def base_desired(self) -> float:
        return self.base.cost.desired_monthly

    @property
    def head_desired(self) -> float:
        """The head's desired total, with held pools at the size `pulumi up` leaves them at."""
        held = sum(c.head_desired - self._estimated_head_desired(c.name) for c in self.compute if c.desired_held)
        return self.head.cost.desired_monthly + held

    def _estimated_head_desired(self, name: str) -> float:
        return next(c.desired.monthly for c in self.head.cost.compute if c.name == name)


def _change_dict(change: ResourceChange) -> dict[str, Any]:
    entry: dict[str, Any] = {"type": change.type, "name": change.name}
    if change.kind in ("change", "replace"):
        entry["keys"] = list(change.keys)
        entry["changes"] = [v.to_dict() for v in change.changes]
    if change.kind == "replace":
        entry["replaced_by"] = list(change.replaced_by)
        entry["node_group_of"] = change.node_group_of
    if change.kind in ("remove", "replace"):
        entry["protected"], entry["retained"] = change.protected, change.retained
    return entry


def _json_value(value: Any) -> Any:
    if value is ABSENT:
        return None
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return str(value)
    return value


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
    groups = {**scaling_groups(base_preview.graph, base), **scaling_groups(head_preview.graph, head)}
    changes = resource_changes(
        base_preview.resources, head_preview.resources, replacement_keys(head.cloud), node_groups=groups
    )
    held = held_desired_sizes(base_preview.resources, head_preview.resources, changes, groups)
    return SpecDiff(
        base=base_preview,
        head=head_preview,
        base_source=base_source,
        head_source=head_source,
        resources=tuple(changes),
        compute=tuple(compute_cost_changes(base_preview.cost, head_preview.cost, held)),
    )


def scaling_groups(graph: ResourceGraph, env: Environment) -> dict[str, str]:
    """Logical name of each recorded scaling group -> the spec pool or group it runs, the cloud's way."""
    read = support(env.cloud).load_graph_facts()
    return {} if read is None else {facts.group: facts.compute for facts in read(graph)}


def resource_key(resource: RecordedResource) -> str:
    """Pulumi's identity of a resource without the stack and project: type chain and name.

    URNs are ``urn:pulumi:<stack>::<project>::<type chain>::<name>``; two stacks of the same
    spec produce the same key, so comparing main's stack to a branch's works.
    """
    return resource.urn.split("::", 2)[-1]


def resource_changes(
    base: list[RecordedResource],
    head: list[RecordedResource],
    replaced_on: ReplacementKeys | None = None,
    node_groups: Mapping[str, str] | None = None,
) -> list[ResourceChange]:
    """Adds, removes, updates and (where ``replaced_on`` says a changed input forces it) replacements.

    ``node_groups`` names the scaling groups (logical name -> spec pool), so a replacement can say
    whose nodes it drains.
    """
    replaced_on = replaced_on or {}
    node_groups = node_groups or {}
    before = {resource_key(r): r for r in base}
    after = {resource_key(r): r for r in head}
    changes = [ResourceChange("add", after[k].type, after[k].name) for k in after.keys() - before.keys()]
    changes += [
        ResourceChange("remove", r.type, r.name, protected=r.protect, retained=r.retain_on_delete)
        for r in (before[k] for k in before.keys() - after.keys())
    ]
    for key in before.keys() & after.keys():
        old, new = before[key], after[key]
        values = real_changes(old, new)
        if not values:
            continue
        keys = tuple(sorted({top_key(v.path) for v in values}))
        forcing = tuple(k for k in keys if k in replaced_on.get(new.type, ()))
        if forcing:
            group_of = node_groups.get(new.name) if new.custom else None
            changes.append(
                ResourceChange(
                    "replace", new.type, new.name, keys, old.protect, old.retain_on_delete, forcing, values, group_of
                )
            )
        else:
            changes.append(ResourceChange("change", new.type, new.name, keys, changes=values))
    order = {"remove": 0, "replace": 1, "change": 2, "add": 3}
    return sorted(changes, key=lambda c: (order[c.kind], c.type, c.name))


def real_changes(old: RecordedResource, new: RecordedResource) -> tuple[ValueChange, ...]:
    """The leaf changes `pulumi up` would make: ``ignore_changes`` paths dropped, secrets masked."""
    ignored = tuple(normalize_path(p) for p in (*old.ignore_changes, *new.ignore_changes))
    secret = old.secret_inputs | new.secret_inputs
    values = [v for v in value_changes(old.inputs, new.inputs) if not _under_any(v.path, ignored)]
    return tuple(ValueChange(v.path, SECRET, SECRET) if top_key(v.path) in secret else v for v in values)


def ignored_changes(old: RecordedResource, new: RecordedResource) -> tuple[ValueChange, ...]:
    """The leaf changes ``ignore_changes`` hides (what the spec moved but `pulumi up` leaves alone)."""
    ignored = tuple(normalize_path(p) for p in (*old.ignore_changes, *new.ignore_changes))
    return tuple(v for v in value_changes(old.inputs, new.inputs) if _under_any(v.path, ignored))


def changed_inputs(before: dict[str, Any], after: dict[str, Any]) -> tuple[str, ...]:
    """Top-level input keys whose values differ (added, removed or changed), the same map in
    another order being no difference."""
    return tuple(sorted({top_key(v.path) for v in value_changes(before, after)}))


def value_changes(before: Any, after: Any, path: str = "") -> list[ValueChange]:
    """Leaf differences between two input values, recursing into maps (see the module doc)."""
    before, after = _comparable(before), _comparable(after)
    if isinstance(before, dict) and isinstance(after, dict):
        found: list[ValueChange] = []
        for key in sorted(before.keys() | after.keys(), key=str):
            child = _join(path, key)
            found += value_changes(before.get(key, ABSENT), after.get(key, ABSENT), child)
        return found
    if before == after:
        return []
    return [ValueChange(path, before, after)]


def _comparable(value: Any) -> Any:
    """A value in the form whose equality is the provider's: JSON text parsed, keyed lists as maps."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, list) and value and all(isinstance(v, dict) and "key" in v for v in value):
        keys = [v["key"] for v in value]
        if all(isinstance(k, str) for k in keys) and len(set(keys)) == len(keys):
            return {k: {f: x for f, x in v.items() if f != "key"} for k, v in zip(keys, value, strict=True)}
    return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else str(key)


def top_key(path: str) -> str:
    return path.split(".", 1)[0]


def normalize_path(path: str) -> str:
    """Pulumi's ``a["b"].c`` and ``a.b.c`` spellings of an ignore_changes path, as ``a.b.c``."""
    return path.replace('["', ".").replace('"]', "")


def _under_any(path: str, prefixes: Iterable[str]) -> bool:
    return any(path == p or path.startswith(f"{p}.") or path.startswith(f"{p}[") for p in prefixes)


def held_desired_sizes(
    base: list[RecordedResource],
    head: list[RecordedResource],
    changes: Iterable[ResourceChange],
    node_groups: Mapping[str, str],
) -> frozenset[str]:
    """Pools whose desired size moved only under ``ignore_changes``: every one of their scaling
    groups stays (none added, removed or replaced) and an ignored input of one of them changed
    (a spot group's desired size; its on-demand fallback group stays at 0), so `pulumi up` keeps
    the running size and the desired cost does not move."""
    before = {resource_key(r): r for r in base}
    recreated = {c.name for c in changes if c.kind in ("add", "remove", "replace")}
    kept: dict[str, bool] = {}
    ignored: set[str] = set()
    for resource in head:
        pool = node_groups.get(resource.name) if resource.custom else None
        if pool is None:
            continue
        old = before.get(resource_key(resource))
        kept[pool] = kept.get(pool, True) and old is not None and resource.name not in recreated
        if old is not None and ignored_changes(old, resource):
            ignored.add(pool)
    return frozenset(pool for pool, stays in kept.items() if stays and pool in ignored)


def compute_cost_changes(
    base: CostEstimate, head: CostEstimate, held: frozenset[str] = frozenset()
) -> list[ComputeCostChange]:
    """Per pool, group and system pool; keyed by kind too, so a pool named 'system' is its own line.

    A pool in ``held`` keeps the base's desired cost on the head side (see :func:`held_desired_sizes`).
    """
    before = {(c.kind, c.name): c for c in base.compute}
    after = {(c.kind, c.name): c for c in head.compute}
    keys = list(after) + [k for k in before if k not in after]

    def part(side: dict, key: tuple[str, str], read: Any) -> float:
        return float(read(side[key])) if key in side else 0.0

    rows = []
    for key in keys:
        hold = key[1] in held and key in before and key in after
        hold = hold and before[key].desired.nodes != after[key].desired.nodes
        head_desired = part(after, key, lambda c: c.desired.monthly)
        if hold:  # the running size stays; it is billed at the head's unit price
            head_desired = before[key].desired.nodes * after[key].node_hourly * HOURS_PER_MONTH
        rows.append(
            ComputeCostChange(
                name=key[1],
                base_desired=part(before, key, lambda c: c.desired.monthly),
                head_desired=head_desired,
                base_max=part(before, key, lambda c: c.max.monthly),
                head_max=part(after, key, lambda c: c.max.monthly),
                base_worst_case=part(before, key, lambda c: c.worst_case_monthly),
                head_worst_case=part(after, key, lambda c: c.worst_case_monthly),
                desired_held=hold,
            )
        )
    return rows
