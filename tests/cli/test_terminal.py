"""At 80 and 120 columns nothing a reader decides on is cut: money, instance types, verdicts.

Rich cuts a squeezed cell with an ellipsis (``$44…``); each report instead picks the richest
layout that fits the width, down to one block per row. Checked on the renderers and through the
command, with the width set the way a terminal sets it (``COLUMNS``).
"""

from __future__ import annotations

import pytest

from aimodel_infra.cli.render import cost_report
from aimodel_infra.cli.render_preview import diff_report
from aimodel_infra.cli.terminal import to_text
from aimodel_infra.cli.text import money
from aimodel_infra.cost import estimate
from aimodel_infra.cost.job import job_cost
from aimodel_infra.diff import diff_environments
from aimodel_infra.spec import load_spec
from aimodel_infra.spec.loader import parse_environment

WIDTHS = (80, 120)
#: A terminal as rich detects one (its own switch), that shows no colour or style (so no escape codes).
AT_A_TERMINAL = {"TTY_COMPATIBLE": "1", "TERM": "dumb"}
STACKS = ("aws-dev", "gcp-dev", "azure-dev")


def figures_of(result) -> list[str]:
    """What must appear whole: every pool's worst case and instance type, every fee, the totals."""
    shown = [money(c.worst_case_monthly) for c in result.compute] + [c.instance_type for c in result.compute]
    shown += [money(f.monthly) for f in result.fees] + [f.name for f in result.fees]
    shown += [money(t) for t in (result.min_monthly, result.desired_monthly, result.max_monthly)]
    return [*shown, money(result.worst_case_monthly)]


def joined(text: str) -> str:
    """The text with table borders and line breaks gone, so a wrapped phrase reads as one."""
    for border in "│┃":
        text = text.replace(border, " ")
    return " ".join(text.split())


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", STACKS)
def test_the_cost_report_cuts_nothing(name: str, width: int) -> None:
    result = estimate(load_spec(name))

    text = to_text(cost_report(result, job=job_cost(result, 336)), width=width)

    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= width
    words = text.split()
    for figure in figures_of(result):
        assert figure in words or figure in text, figure
    assert "within budget: worst case" in joined(text)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_cost_command_at_the_terminal_width_cuts_nothing(run, width: int) -> None:
    result = run("cost", "aws-dev", "--days", "14", env={"COLUMNS": str(width), **AT_A_TERMINAL})

    assert result.exit_code == 0, result.stderr
    assert "…" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= width
    for figure in figures_of(estimate(load_spec("aws-dev"))):
        assert figure in result.stdout


def test_at_120_columns_more_is_shown_than_at_80() -> None:
    result = estimate(load_spec("aws-dev"))

    narrow, wide = (to_text(cost_report(result), width=w) for w in WIDTHS)

    assert "┃ capacity" not in narrow and "┃ capacity" in wide
    assert "max /mo" not in narrow and "max /mo" in wide


@pytest.mark.parametrize("width", WIDTHS)
def test_the_diff_report_cuts_nothing(width: int) -> None:
    from aws.test_diff import aws_dev_document  # tests/ is on sys.path (rootdir-relative test packages)

    document = aws_dev_document()
    document["node_pools"][0]["accelerator"] = "H200"
    result = diff_environments(load_spec("aws-dev"), parse_environment(document, source="head.yaml"))

    text = to_text(diff_report(result), width=width)

    assert "…" not in text
    flat = joined(text)
    assert "instanceTypes: [p5.48xlarge] -> [p5en.48xlarge]" in flat
    for c in result.compute:
        assert money(c.head_worst_case) in text
    assert "within budget" in flat
