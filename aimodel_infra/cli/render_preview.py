"""How a preview and a diff look: a terminal report and a Markdown pull-request comment.

Pure functions from results to reports (:mod:`aimodel_infra.cli.document`) or strings, like
:mod:`aimodel_infra.cli.render`, so tests hand in a recorded preview and read the text back.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from aimodel_infra.cli.document import Fitted, Renderable, Stack, Table, Text, Tree
from aimodel_infra.cli.render import _blocks, budget_line, totals_table
from aimodel_infra.cli.text import money, plural, signed_money
from aimodel_infra.diff import ABSENT
from aimodel_infra.graph import needs_api_reach

if TYPE_CHECKING:
    from aimodel_infra.cost import CostEstimate
    from aimodel_infra.diff import ResourceChange, SpecDiff
    from aimodel_infra.graph import RecordedResource
    from aimodel_infra.policy.engine import Finding, PolicyReport
    from aimodel_infra.preview import Preview

#: Each kind of change in plain words, as a reviewer reads it.
VERBS = {"add": "create", "remove": "delete", "change": "update", "replace": "replace"}
#: Longest old or new value shown inline; longer ones are cut (``--json`` has them whole).
VALUE_WIDTH = 60


# -- shared pieces ----------------------------------------------------------------------------
def _children_by_parent(preview: Preview) -> dict[str | None, list[RecordedResource]]:
    """Resources grouped under their parent's URN; top-level ones (parent is the stack) under None."""
    grouped: dict[str | None, list[RecordedResource]] = defaultdict(list)
    for resource in preview.resources:
        parent = preview.graph.parent_of(resource)
        grouped[parent.urn if parent else None].append(resource)
    return grouped


def _label(resource: RecordedResource) -> str:
    marks = " [protected]" if resource.protect else ""
    marks += " [retained on delete]" if resource.retain_on_delete else ""
    marks += " [needs API reach]" if needs_api_reach(resource) else ""
    return f"+ {resource.type}  {resource.name}{marks}"


def _summary_line(preview: Preview) -> str:
    counts = preview.counts_by_type()
    components = sum(1 for r in preview.resources if not r.custom)
    return f"+ {sum(counts.values())} to create ({plural(components, 'component')} grouping them)"


def _verdict(preview: Preview) -> str:
    if preview.passed:
        if preview.cost.budget_monthly is None:
            return "PASSED: no mandatory policy finding (no budget set)"
        return "PASSED: no mandatory policy finding, worst case within budget"
    reasons = []
    if not preview.policy.passed:
        reasons.append(plural(len(preview.policy.mandatory), "mandatory policy finding"))
    if preview.cost.over_budget:
        reasons.append("worst-case monthly cost over budget")
    return "FAILED: " + " and ".join(reasons)


# -- report -----------------------------------------------------------------------------------
def resource_tree(preview: Preview) -> Tree:
    env = preview.env
    tree = Tree(Text(f"{env.name} ({env.cloud.value} {env.region})", style="bold"))
    grouped = _children_by_parent(preview)

    def add(branch: Tree, parent: str | None) -> None:
        for resource in grouped.get(parent, []):
            node = branch.add(Text(_label(resource), style="" if resource.custom else "bold"))
            add(node, resource.urn)

    add(tree, None)
    return tree


def summary_table(preview: Preview) -> Table:
    table = Table(_summary_line(preview))
    table.add_column("count", justify="right")
    table.add_column("resource type")
    for type_, count in sorted(preview.counts_by_type().items(), key=lambda item: (-item[1], item[0])):
        table.add_row(str(count), Text(type_))
    return table


def findings_table(report: PolicyReport) -> Table | Text:
    findings = [*report.findings, *report.waived]
    if not findings:
        return Text(f"Policy: all {len(report.rules_checked)} rules passed.")
    table = Table(f"Policy findings ({len(report.rules_checked)} rules checked)")
    for column in ("rule", "severity", "resource", "finding", "fix"):
        table.add_column(column)
    for finding in findings:
        table.add_row(
            Text(finding.rule),
            Text(_severity(finding)),
            Text(_resource_of(finding)),
            Text(finding.message),
            Text(finding.fix),
        )
    return table


def _severity(finding: Finding) -> str:
    severity = str(getattr(finding.severity, "value", finding.severity))
    return f"waived ({finding.waived_reason})" if finding.waived_reason else severity


def _resource_of(finding: Finding) -> str:
    return f"{finding.resource_type} {finding.resource_name}" if finding.resource_type else "(environment)"


def preview_report(preview: Preview) -> list[Renderable]:
    return [
        resource_tree(preview),
        Text(""),
        summary_table(preview),
        *([Text(note)] if (note := preview.api_reach_note()) else []),
        totals_table(preview.cost),
        budget_line(preview.cost),
        findings_table(preview.policy),
        Text(f"{_verdict(preview)} (offline preview in {preview.seconds:.1f} s)", style="bold"),
    ]


def diff_report(result: SpecDiff) -> list[Renderable]:
    changes = Table("Resource changes")
    for column in ("change", "resource type", "name", "what changes"):
        changes.add_column(column, no_wrap=column == "change")
    for change in result.resources:
        changes.add_row(VERBS[change.kind], Text(change.type), Text(change.name), Text(_change_detail(change)))
    parts: list[Renderable] = [Text(_diff_headline(result), style="bold")]
    if result.resources:
        blocks = [
            (f"{VERBS[c.kind]} {c.type} {c.name}", [("what changes", _change_detail(c))]) for c in result.resources
        ]
        parts.append(Fitted(changes, Stack(_blocks("Resource changes", blocks))))
    else:
        parts.append(Text("No resource changes."))
    parts += [_cost_change_table(result), *map(Text, _held_note(result)), _budget_table(result)]
    parts += _refusal_lines(result)
    parts.append(Text(f"head: {_verdict(result.head)}"))
    return parts


def _budget_table(result: SpecDiff) -> Table:
    table = Table("Worst case and budget")
    for column in ("", "base", "head"):
        table.add_column(column, justify="left" if not column else "right", no_wrap=True)
    for row in _budget_rows(result):
        table.add_row(*row)
    return table


def _budget_rows(result: SpecDiff) -> list[list[str]]:
    base, head = result.base.cost, result.head.cost
    return [
        ["worst case / month", money(base.worst_case_monthly), money(head.worst_case_monthly)],
        ["budget / month", _budget(base), _budget(head)],
        ["verdict", _budget_verdict(base), _budget_verdict(head)],
    ]


def _budget(cost: CostEstimate) -> str:
    return "none set" if cost.budget_monthly is None else money(cost.budget_monthly)


def _budget_verdict(cost: CostEstimate) -> str:
    if cost.budget_monthly is None:
        return "no budget"
    return "OVER BUDGET" if cost.over_budget else "within budget"


def _refusal_lines(result: SpecDiff) -> list[Text]:
    refused = result.refused
    if not refused:
        return []
    names = ", ".join(f"{c.type} {c.name}" for c in refused)
    return [
        Text(
            f"pulumi up would refuse {plural(len(refused), 'change')} to protected resources ({names}): "
            "this change cannot be applied as it is",
            style="bold red",
        )
    ]


def format_value(value: Any) -> str:
    """An input value as a reviewer reads it: strings bare, lists in brackets, long ones cut."""
    if value is ABSENT:
        return "(none)"
    if isinstance(value, str):
        text = value
    elif isinstance(value, list) and all(isinstance(v, str | int | float | bool) for v in value):
        text = "[" + ", ".join(str(v) for v in value) + "]"
    else:
        text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= VALUE_WIDTH else text[: VALUE_WIDTH - 3] + "..."  # not rich's cut mark


def _value_changes(change: ResourceChange, sep: str = "; ") -> str:
    def line(path: str, old: Any, new: Any) -> str:
        forces = " (forces replacement)" if path.split(".", 1)[0] in change.replaced_by else ""
        return f"{path}: {format_value(old)} -> {format_value(new)}{forces}"

    return sep.join(line(v.path, v.old, v.new) for v in change.changes)


def _change_detail(change: ResourceChange, sep: str = "; ") -> str:
    """What a reviewer must know about one change: old -> new values, a replacement and what
    it does to running work, or a delete that protection will stop."""
    if change.kind == "add":
        return ""
    if change.kind == "change":
        return _value_changes(change, sep)
    notes = [_value_changes(change, sep)] if change.changes else []
    if change.replaced_by:
        notes.append(f"deleted and created again: {', '.join(change.replaced_by)} cannot change in place")
    if change.node_group_of:
        notes.append(
            f"this is a node group of {change.node_group_of}: its nodes are drained and replaced, "
            "so jobs running on them are stopped"
        )
    if change.protected:
        action = "delete" if change.kind == "remove" else "replacement"
        notes.append(f"PROTECTED: pulumi up refuses this {action} until protection is lifted")
    if change.retained:
        notes.append("retained: stays in the cloud (and billed) after leaving the stack")
    return sep.join(notes)


def _diff_headline(result: SpecDiff) -> str:
    counts = {kind: len(result.changes(kind)) for kind in ("add", "remove", "change", "replace")}
    return (
        f"{result.base_source} -> {result.head_source}: {counts['add']} to create, "
        f"{counts['change']} to update in place, {counts['replace']} to replace (delete and create again), "
        f"{counts['remove']} to delete"
    )


COST_CHANGE_COLUMNS = (
    "pool / group", "desired before", "desired after", "change", "worst case before", "worst case after", "change",
)  # fmt: skip


def _cost_change_table(result: SpecDiff) -> Fitted:
    """All columns, then only the worst case (what the budget gate reads), then one block per pool."""
    rows = list(_cost_rows(result))
    worst_only = [0, 4, 5, 6]
    tables = []
    for keep in (range(len(COST_CHANGE_COLUMNS)), worst_only):
        table = Table("Monthly cost change")
        for index in keep:
            table.add_column(COST_CHANGE_COLUMNS[index], justify="left" if index == 0 else "right")
        for row in rows:
            table.add_row(*(row[index] for index in keep))
        tables.append(table)
    blocks = [
        (row[0], [("desired", f"{row[1]} -> {row[2]} ({row[3]})"), ("worst case", f"{row[4]} -> {row[5]} ({row[6]})")])
        for row in rows
    ]
    return Fitted(*tables, Stack(_blocks("Monthly cost change", blocks)))


def _cost_rows(result: SpecDiff) -> Iterable[list[str]]:
    for c in result.compute:
        held = " (held)" if c.desired_held else ""
        yield [
            c.name, money(c.base_desired), money(c.head_desired) + held, signed_money(c.delta_desired),
            money(c.base_worst_case), money(c.head_worst_case), signed_money(c.delta_worst_case),
        ]  # fmt: skip
    base, head = result.base.cost, result.head.cost
    yield [
        "total (with fees)", money(result.base_desired), money(result.head_desired),
        signed_money(result.head_desired - result.base_desired),
        money(base.worst_case_monthly), money(head.worst_case_monthly),
        signed_money(head.worst_case_monthly - base.worst_case_monthly),
    ]  # fmt: skip


def _held_note(result: SpecDiff) -> list[str]:
    held = [c.name for c in result.compute if c.desired_held]
    if not held:
        return []
    return [
        f"(held) {', '.join(held)}: the desired size changed only under ignore_changes; "
        "pulumi up keeps the running size, so its cost does not move"
    ]


# -- Markdown ---------------------------------------------------------------------------------
def _md_escape(text: str) -> str:
    """A table cell: pipes escaped, data never read as HTML, line breaks kept as <br>."""
    return text.replace("|", "\\|").replace("<", "&lt;").replace("\n", "<br>")


def _md_table(header: list[str], rows: Iterable[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md_escape(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _md_tree(preview: Preview) -> str:
    grouped = _children_by_parent(preview)
    lines: list[str] = []

    def add(parent: str | None, depth: int) -> None:
        for resource in grouped.get(parent, []):
            lines.append("  " * depth + _label(resource))
            add(resource.urn, depth + 1)

    add(None, 0)
    return "\n".join(lines)


def preview_markdown(preview: Preview) -> str:
    env, cost = preview.env, preview.cost
    icon = "✅" if preview.passed else "❌"
    findings = [*preview.policy.findings, *preview.policy.waived]
    budget = f"{money(cost.budget_monthly)}" if cost.budget_monthly is not None else "none"
    parts = [
        f"### {icon} aimodel-infra preview: `{env.name}` ({env.cloud.value} {env.region})",
        f"**{_verdict(preview)}**",
        f"**{_summary_line(preview)}**",
        *([note] if (note := preview.api_reach_note()) else []),
        _md_table(
            ["monthly at min", "at desired", "at max", "worst case", "budget"],
            [
                [
                    money(cost.min_monthly),
                    money(cost.desired_monthly),
                    money(cost.max_monthly),
                    money(cost.worst_case_monthly),
                    budget,
                ]
            ],
        ),  # fmt: skip
        _md_table(
            ["rule", "severity", "resource", "finding", "fix"],
            [[f.rule, _severity(f), _resource_of(f), f.message, f.fix] for f in findings],
        )
        if findings
        else f"Policy: all {len(preview.policy.rules_checked)} rules passed.",
        "<details><summary>Resources</summary>\n\n```\n" + _md_tree(preview) + "\n```\n</details>",
    ]
    return "\n\n".join(parts) + "\n"


def diff_markdown(result: SpecDiff) -> str:
    rows = [[VERBS[c.kind], f"`{c.type}`", c.name, _change_detail(c, "\n")] for c in result.resources]
    refusal = [f"❌ **{line.plain}**" for line in _refusal_lines(result)]
    parts = [
        f"### aimodel-infra diff: {_diff_headline(result)}",
        *refusal,
        _md_table(["", "base", "head"], _budget_rows(result)),
        f"head: **{_verdict(result.head)}**",
        _md_table(list(COST_CHANGE_COLUMNS), _cost_rows(result)),
        *_held_note(result),
        _md_table(["change", "resource type", "name", "what changes"], rows) if rows else "No resource changes.",
    ]
    return "\n\n".join(parts) + "\n"
