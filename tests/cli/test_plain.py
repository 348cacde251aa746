"""Plain text: what a pipe, a file or a CI log receives, and that it holds what a terminal shows."""

from __future__ import annotations

import io
import re

import pytest

from aimodel_infra.cli.document import Fitted, Stack, Table, Text, Tree
from aimodel_infra.cli.plain import to_plain, width
from aimodel_infra.cli.render import comparison_report, cost_report, is_terminal, print_all
from aimodel_infra.cli.render_preview import diff_report, preview_report
from aimodel_infra.cli.terminal import to_text
from aimodel_infra.cost import compare, estimate
from aimodel_infra.cost.job import job_cost
from aimodel_infra.diff import diff_environments
from aimodel_infra.spec import load_spec
from aimodel_infra.spec.loader import parse_environment

STACKS = ("aws-dev", "gcp-dev", "azure-dev")


def fees_table() -> Table:
    table = Table("Fees")
    table.add_column("fee")
    table.add_column("monthly", justify="right")
    table.add_row("control_plane", "$73.00")
    table.add_row(Text("nat", style="bold red"), "$1,032.85")
    table.caption = "list prices"
    return table


def test_a_table_is_a_title_a_header_a_dashed_rule_aligned_rows_its_caption_and_an_empty_line() -> None:
    assert to_plain([fees_table()]).splitlines() == [
        "Fees",
        "fee              monthly",
        "-------------  ---------",
        "control_plane     $73.00",
        "nat            $1,032.85",
        "list prices",
        "",
    ]


def test_a_cell_of_several_lines_makes_its_row_that_tall_and_no_line_ends_in_spaces() -> None:
    table = Table("Placements")
    table.add_column("region")
    table.add_column("compute")
    table.add_row("us-east-1", "train: 2 x p5.48xlarge\ninfer: 4 x g6.xlarge")

    assert to_plain([table]).splitlines()[3:5] == [
        "us-east-1  train: 2 x p5.48xlarge",
        "           infer: 4 x g6.xlarge",
    ]


def test_wide_characters_take_two_columns() -> None:
    assert width("H100") == 4
    assert width("東京") == 4
    assert width("—") == 1
    table = Table("")
    table.add_column("region")
    table.add_column("$/h", justify="right")
    table.add_row("東京", "$1.00")
    table.add_row("osaka", "$2.00")

    assert to_plain([table]).splitlines()[2:4] == ["東京    $1.00", "osaka   $2.00"]


def test_styles_are_dropped_and_no_escape_code_is_written() -> None:
    text = to_plain([Text("OVER BUDGET", style="bold red"), fees_table()])

    assert text.startswith("OVER BUDGET\n")
    assert "\x1b" not in text


def test_layouts_show_the_richest_and_stacks_their_parts_in_order() -> None:
    narrow = Stack([Text("Fees"), Text("  control_plane: $73.00")])

    assert to_plain([Fitted(fees_table(), narrow)]) == to_plain([fees_table()])
    assert to_plain([narrow]) == "Fees\n  control_plane: $73.00\n"


def test_a_tree_is_drawn_with_the_guides_rich_uses() -> None:
    tree = Tree(Text("aws-dev (aws us-east-1)"))
    network = tree.add(Text("+ aimodel:aws:Network  aws-dev"))
    network.add(Text("+ aws:ec2/vpc:Vpc  aws-dev"))
    network.add(Text("+ aws:ec2/subnet:Subnet  aws-dev-private-0"))
    tree.add(Text("+ aimodel:aws:Cluster  aws-dev"))

    assert to_plain([tree]).splitlines() == [
        "aws-dev (aws us-east-1)",
        "├── + aimodel:aws:Network  aws-dev",
        "│   ├── + aws:ec2/vpc:Vpc  aws-dev",
        "│   └── + aws:ec2/subnet:Subnet  aws-dev-private-0",
        "└── + aimodel:aws:Cluster  aws-dev",
    ]


def test_a_row_must_have_a_cell_for_every_column() -> None:
    table = fees_table()

    with pytest.raises(ValueError, match="a row of 1 cells in a table of 2 columns"):
        table.add_row("only one")


def words(text: str) -> list[str]:
    """The words of a report, without what only draws it (rich's borders, the plain header rules)."""
    text = re.sub("[\u2500-\u257f]", " ", text)  # box drawing
    return sorted(word for word in text.split() if set(word) != {"-"})


@pytest.mark.parametrize("name", STACKS)
def test_plain_text_holds_exactly_the_words_a_wide_terminal_shows(name: str) -> None:
    """One document, two writers: the cost, compare, diff and preview reports say the same in both."""
    env = load_spec(name)
    result = estimate(env)
    renamed = parse_environment({**env.model_dump(mode="json"), "name": f"{env.name}-b"})
    diff = diff_environments(env, renamed)
    reports = [
        cost_report(result, job=job_cost(result, 336)),
        comparison_report(compare(env), result.worst_case_monthly, top=5),
        diff_report(diff),
        preview_report(diff.head),
    ]

    for report in reports:
        assert words(to_plain(report)) == words(to_text(report, width=1000))


class FakeStream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("environ", "tty", "expected"),
    [
        ({}, True, True),
        ({}, False, False),
        ({"TTY_COMPATIBLE": "1"}, False, True),
        ({"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"}, True, False),
        ({"FORCE_COLOR": "1"}, False, True),
        ({"FORCE_COLOR": ""}, True, False),
        ({"NO_COLOR": "1"}, True, True),
    ],
)
def test_a_terminal_is_what_rich_would_call_one(environ: dict[str, str], tty: bool, expected: bool) -> None:
    from rich.console import Console

    stream = FakeStream(tty)

    assert is_terminal(stream, environ) is expected
    assert Console(file=stream, _environ=environ).is_terminal is expected


def test_a_closed_stream_is_no_terminal() -> None:
    stream = io.StringIO()
    stream.close()  # its isatty() now raises ValueError

    assert is_terminal(stream, {}) is False


def test_printing_to_a_pipe_writes_plain_text_and_to_a_terminal_draws_with_rich(capsys, monkeypatch) -> None:
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    print_all([fees_table()])
    assert capsys.readouterr().out == to_plain([fees_table()])

    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("COLUMNS", "80")
    print_all([fees_table()])
    assert capsys.readouterr().out == to_text([fees_table()], width=80)
