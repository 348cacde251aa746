"""The app as a whole: commands registered, global options anywhere, version, usage errors exit 2."""

from __future__ import annotations

import json
from importlib.metadata import version

import pytest

from aimodel_infra.cli import app


def test_version_prints_the_installed_distribution_version(run) -> None:
    result = run("--version")

    assert result.exit_code == 0
    assert result.stdout == f"aimodel-infra {version('aimodel-infra')}\n"


def test_help_lists_every_registered_command(run) -> None:
    result = run("--help")

    assert result.exit_code == 0
    names = [command.name for command in app.registered_commands]
    assert set(names) >= {"validate", "cost", "compare", "catalog", "schema"}
    for name in names:
        assert name in result.stdout


@pytest.mark.parametrize("command", ["validate", "cost", "compare"])
def test_json_works_before_or_after_the_command(run, command: str) -> None:
    before = run("--json", command, "azure-dev")
    after = run(command, "azure-dev", "--json")

    assert before.exit_code == after.exit_code == 0
    assert json.loads(before.stdout) == json.loads(after.stdout)


def test_every_command_documents_its_json_shape(run) -> None:
    for command in app.registered_commands:
        help_text = run(command.name, "--help").stdout
        assert "--json" in help_text, command.name


@pytest.mark.parametrize(
    "args",
    [
        ("bogus",),
        ("cost",),
        ("cost", "aws-dev", "--frobnicate"),
        ("catalog", "--count", "0"),
        ("compare", "aws-dev", "--top", "x"),
    ],
)
def test_a_malformed_command_line_is_a_usage_error_exit_2(run, args: tuple[str, ...]) -> None:
    result = run(*args)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Usage:" in result.stderr
