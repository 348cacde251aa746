"""Rendering: pure functions from results to tables and lines, checked without running a command."""

from __future__ import annotations

import dataclasses
import re

from aimodel_infra.cli.render import DASH, budget_line, comparison_report, cost_report
from aimodel_infra.cli.terminal import to_text
from aimodel_infra.cli.text import catalog_age, money
from aimodel_infra.cost import compare, estimate
from aimodel_infra.spec import load_spec


def test_the_budget_line_judges_the_worst_case_not_the_usual_size() -> None:
    base = estimate(load_spec("aws-dev"))
    between = (base.desired_monthly + base.worst_case_monthly) / 2
    over = base._replace(budget_monthly=between, over_budget=True)

    line = budget_line(over)

    assert line.plain == (
        f"OVER BUDGET by {money(base.worst_case_monthly - between)}: "
        f"worst case {money(base.worst_case_monthly)} > budget {money(between)}"
    )
    assert "red" in str(line.style)
    assert budget_line(base).plain.startswith("within budget")
    assert budget_line(base._replace(budget_monthly=None)).plain.startswith("no budget set")


def test_data_strings_are_printed_literally_never_as_markup() -> None:
    base = estimate(load_spec("aws-dev"))
    tricky = base._replace(notes=("keep [bold]this[/bold] literally",))

    text = to_text(cost_report(tricky))

    assert "keep [bold]this[/bold] literally" in text


def test_plain_strings_keep_their_colons_no_emoji_codes_are_replaced(capsys, monkeypatch) -> None:
    from aimodel_infra.cli.render import print_all

    assert to_text([":thumbs_up: kms_key:fire:"]) == ":thumbs_up: kms_key:fire:\n"
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # print through rich, as at a terminal
    monkeypatch.setenv("TERM", "dumb")
    print_all([":warning:"])
    assert capsys.readouterr().out == ":warning:\n"


def test_the_cost_report_names_every_compute_and_fee() -> None:
    result = estimate(load_spec("azure-dev"))

    text = to_text(cost_report(result, today=result.catalog_as_of))

    for compute in result.compute:
        assert compute.name in text
        assert compute.instance_type in text
    for fee in result.fees:
        assert fee.name in text
    assert catalog_age(result.catalog_as_of, result.catalog_as_of) in text


def test_each_nodes_root_disk_is_shown_with_the_footnote_of_its_price_source() -> None:
    result = estimate(load_spec("aws-dev"))

    text = to_text(cost_report(result))

    # 500 GB gp3 at $0.08/GB-month; the source is the footnote after the fees' own.
    (number,) = re.findall(r"^\[(\d+)\] unconfirmed in stored copy: Amazon EBS pricing", text, re.MULTILINE)
    assert f"$40.00 (500 GB) [{number}]" in text and f"$8.00 (100 GB) [{number}]" in text
    assert "disk /node/mo" in text


def test_a_root_disk_without_a_price_shows_a_dash_and_its_size() -> None:
    text = to_text(cost_report(estimate(load_spec("azure-dev"))))

    assert f"{DASH} (500 GB)" in text and f"{DASH} (128 GB)" in text
    assert "root disks are not estimated on Azure" in text


def test_without_a_current_placement_deltas_are_dashes_and_explained() -> None:
    comparison = compare(load_spec("gcp-dev"), clouds=["aws"], basis="min")
    assert comparison.placements, "gcp-dev's shapes are offered on aws"

    text = to_text(comparison_report(comparison, current_monthly=None, top=5))

    rows = [line for line in text.splitlines() if line.startswith("│ ") and line.split("│")[1].strip().isdigit()]
    assert len(rows) == min(5, len(comparison.placements))
    assert all(line.rstrip(" │").endswith(DASH) for line in rows)
    assert "current placement is not among the compared regions" in text


def test_an_empty_comparison_says_nothing_fits() -> None:
    comparison = compare(load_spec("aws-dev"), clouds=["gcp"])
    empty = dataclasses.replace(comparison, placements=())

    text = to_text(comparison_report(empty, current_monthly=1.0, top=5))

    assert "no region offers everything this environment asks for" in text


def test_a_verdict_never_says_within_budget_when_no_budget_is_set() -> None:
    from types import SimpleNamespace

    from aimodel_infra.cli.render_preview import _verdict

    cost = estimate(load_spec("aws-dev"))._replace(budget_monthly=None, over_budget=False)
    preview = SimpleNamespace(passed=True, cost=cost)

    assert _verdict(preview) == "PASSED: no mandatory policy finding (no budget set)"
    assert "within budget" not in to_text(cost_report(cost))
