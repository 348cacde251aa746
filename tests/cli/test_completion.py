"""Shell completion: the shell asks the program itself (click's protocol), so it is tested that way.

The shell sets ``_AIMODEL_INFRA_COMPLETE`` and the words typed so far; the program prints the
candidates. ``--show-completion`` prints the script a user adds to their shell's start-up file.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from aimodel_infra.cli import app
from aimodel_infra.cost import BASES
from aimodel_infra.cost.job import JOB_SIZES


def complete(*words: str) -> list[str]:
    """What bash completion offers after ``aimodel-infra <words>`` (the last word being typed)."""
    env = {
        "_AIMODEL_INFRA_COMPLETE": "complete_bash",
        "COMP_WORDS": " ".join(("aimodel-infra", *words)),
        "COMP_CWORD": str(len(words)),
    }
    result = CliRunner().invoke(app, [], env=env, prog_name="aimodel-infra")
    assert result.exit_code == 0, result.output
    return result.stdout.split()


def test_commands_complete() -> None:
    assert complete("co") == ["cost", "compare"]


def test_spec_completes_to_the_projects_stacks() -> None:
    assert complete("cost", "") == ["aws-dev", "azure-dev", "gcp-dev"]
    assert complete("diff", "aws-dev", "g") == ["gcp-dev"]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (("compare", "aws-dev", "--at", ""), list(BASES)),
        (("cost", "aws-dev", "--at", ""), list(JOB_SIZES)),
        (("compare", "aws-dev", "--cloud", "a"), ["aws", "azure"]),
        (("cost", "aws-dev", "--h"), ["--hours", "--help"]),
    ],
)
def test_option_values_complete_to_what_the_option_accepts(words: tuple[str, ...], expected: list[str]) -> None:
    assert complete(*words) == expected


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion_prints_the_script_for_the_users_shell(shell: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import typer.completion

    monkeypatch.setattr(typer.completion, "_get_shell_name", lambda: shell)  # the shell the user runs

    result = CliRunner().invoke(app, ["--show-completion"], prog_name="aimodel-infra")

    assert result.exit_code == 0, result.output
    assert "_AIMODEL_INFRA_COMPLETE" in result.stdout and f"complete_{shell}" in result.stdout


def test_show_and_install_completion_are_offered_in_help() -> None:
    text = CliRunner().invoke(app, ["--help"], prog_name="aimodel-infra", env={"COLUMNS": "200"}).stdout

    assert "--install-completion" in text and "--show-completion" in text
