"""How a preview and a diff look: a terminal report and a Markdown pull-request comment.

Pure functions from results to renderables or strings, like :mod:`aimodel_infra.cli.render`, so
tests hand in a recorded preview and read the text back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from aimodel_infra.cli.render import budget_line, totals_table
from aimodel_infra.cli.text import money, plural, signed_money
from aimodel_infra.graph import needs_api_reach

if TYPE_CHECKING:
    from aimodel_infra.diff import ResourceChange, SpecDiff
    from aimodel_infra.graph import RecordedResource
    from aimodel_infra.policy.engine import Finding, PolicyReport
    from aimodel_infra.preview import Preview

#: How `pulumi preview` marks each kind of change.
MARKS = {"add": "+", "remove": "-", "change": "~", "replace": "+-"}


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
        return "PASSED: no mandatory policy finding, worst case within budget"
    reasons = []
    if not preview.policy.passed:
        reasons.append(plural(len(preview.policy.mandatory), "mandatory policy finding"))
    if preview.cost.over_budget:
        reasons.append("worst-case monthly cost over budget")
    return "FAILED: " + " and ".join(reasons)


# -- terminal ---------------------------------------------------------------------------------
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
    table = Table(title=_summary_line(preview), title_justify="left", header_style="bold")
    table.add_column("count", justify="right")
    table.add_column("resource type")
    for type_, count in sorted(preview.counts_by_type().items(), key=lambda item: (-item[1], item[0])):
        table.add_row(str(count), Text(type_))
    return table


def findings_table(report: PolicyReport) -> Table | Text:
    findings = [*report.findings, *report.waived]
    if not findings:
        return Text(f"Policy: all {len(report.rules_checked)} rules passed.")
    table = Table(
        title=f"Policy findings ({len(report.rules_checked)} rules checked)", title_justify="left", header_style="bold"
    )
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


def preview_report(preview: Preview) -> list[RenderableType]:
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


def diff_report(result: SpecDiff) -> list[RenderableType]:
    changes = Table(title="Resource changes", title_justify="left", header_style="bold")
    for column in ("", "resource type", "name", "changed inputs / warning"):
        changes.add_column(column)
    for change in result.resources:
        changes.add_row(MARKS[change.kind], Text(change.type), Text(change.name), Text(_change_detail(change)))
    return [
        Text(_diff_headline(result), style="bold"),
        changes,
        _cost_change_table(result),
        Text(f"head: {_verdict(result.head)}"),
    ]


def _change_detail(change: ResourceChange) -> str:
    """What a reviewer must know about one change: the inputs it touches, a replacement and what
    forces it, or a delete that protection will stop."""
    if change.kind in ("add", "change"):
        return ", ".join(change.keys)
    warnings = (
        [f"REPLACED (delete and create) because of {', '.join(change.replaced_by)}"] if change.replaced_by else []
    )
    if change.protected:
        warnings.append("PROTECTED: pulumi up refuses this delete until protection is lifted")
    if change.retained:
        warnings.append("retained: stays in the cloud (and billed) after leaving the stack")
    return "; ".join(warnings)


def _diff_headline(result: SpecDiff) -> str:
    counts = {kind: len(result.changes(kind)) for kind in ("add", "remove", "change", "replace")}
    return (
        f"{result.base_source} -> {result.head_source}: +{counts['add']} to create, ~{counts['change']} to update, "
        f"+-{counts['replace']} to replace, -{counts['remove']} to delete"
    )


def _cost_change_table(result: SpecDiff) -> Table:
    table = Table(title="Monthly cost change", title_justify="left", header_style="bold")
    for column in ("pool / group", "desired before", "desired after", "change", "max before", "max after", "change"):
        table.add_column(column, justify="left" if column == "pool / group" else "right")
    for row in _cost_rows(result):
        table.add_row(*row)
    return table


def _cost_rows(result: SpecDiff) -> Iterable[list[str]]:
    for c in result.compute:
        yield [
            c.name, money(c.base_desired), money(c.head_desired), signed_money(c.delta_desired),
            money(c.base_max), money(c.head_max), signed_money(c.delta_max),
        ]  # fmt: skip
    base, head = result.base.cost, result.head.cost
    yield [
        "total (with fees)", money(base.desired_monthly), money(head.desired_monthly),
        signed_money(head.desired_monthly - base.desired_monthly),
        money(base.max_monthly), money(head.max_monthly), signed_money(head.max_monthly - base.max_monthly),
    ]  # fmt: skip


# -- Markdown ---------------------------------------------------------------------------------
def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


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
    rows = [[MARKS[c.kind], f"`{c.type}`", c.name, _change_detail(c)] for c in result.resources]
    parts = [
        f"### aimodel-infra diff: {_diff_headline(result)}",
        _md_table(
            ["pool / group", "desired before", "desired after", "change", "max before", "max after", "change"],
            _cost_rows(result),
        ),
        _md_table(["", "resource type", "name", "changed inputs / warning"], rows) if rows else "No resource changes.",
        f"head: **{_verdict(result.head)}**",
    ]
    return "\n\n".join(parts) + "\n"
