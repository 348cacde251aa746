"""The one error handler: the project's errors become exit 1 with a message; bugs stay bugs."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from aimodel_infra.cli.errors import ReportingGroup, error_payload
from aimodel_infra.cli.options import JsonOption, settings
from aimodel_infra.errors import AimodelError, CatalogError, Problem, SpecError


def _app_raising(error: Exception) -> typer.Typer:
    """A two-command app built like the real one, whose command raises ``error``."""
    app = typer.Typer(cls=ReportingGroup, pretty_exceptions_enable=False)

    @app.command()
    def boom(ctx: typer.Context, json_output: JsonOption = False) -> None:
        settings(ctx, json_output)
        raise error

    @app.command()
    def other() -> None:  # a group of one command would run it without its name
        pass

    return app


def test_a_project_error_is_a_plain_message_on_stderr_and_exit_1() -> None:
    result = CliRunner().invoke(_app_raising(CatalogError("prices.csv:3: column vcpus must be a number")), ["boom"])

    assert result.exit_code == 1
    assert result.stderr == "error: prices.csv:3: column vcpus must be a number\n"
    assert result.stdout == ""


def test_in_json_mode_the_error_is_a_json_document_on_stdout() -> None:
    error = SpecError([Problem("region", "unknown aws region 'mars-1'")], source="x.yaml")

    result = CliRunner().invoke(_app_raising(error), ["boom", "--json"])

    assert result.exit_code == 1
    assert result.stderr == ""
    assert json.loads(result.stdout) == {"schema_version": 1, **error_payload(error)}


def test_anything_else_is_a_bug_and_is_not_swallowed() -> None:
    result = CliRunner().invoke(_app_raising(ZeroDivisionError("bug")), ["boom"])

    assert isinstance(result.exception, ZeroDivisionError)


def test_a_spec_error_payload_lists_each_problem_with_its_path() -> None:
    problems = [Problem("node_pools[0].max_nodes", "must be >= 1"), Problem("", "stack file has no key")]
    payload = error_payload(SpecError(problems, source="stacks/Pulumi.x.yaml"))

    assert payload == {
        "valid": False,
        "error": "invalid environment spec in stacks/Pulumi.x.yaml (2 problems)",
        "kind": "SpecError",
        "source": "stacks/Pulumi.x.yaml",
        "problems": [{"path": p.path, "message": p.message} for p in problems],
    }


@pytest.mark.parametrize("error", [CatalogError("no such file"), AimodelError("anything")])
def test_other_project_errors_still_have_one_problem_to_list(error: AimodelError) -> None:
    payload = error_payload(error)

    assert payload["problems"] == [{"path": "", "message": str(error)}]
    assert payload["error"] == str(error)
    assert payload["kind"] == type(error).__name__
