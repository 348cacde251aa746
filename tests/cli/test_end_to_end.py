"""The real processes: exit codes, stderr without tracebacks, pure JSON, no colour codes, no Pulumi."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CONSOLE_SCRIPT = Path(sys.executable).with_name("aimodel-infra")


#: What would make the output count as a terminal's (rich's switches), or size it.
TERMINAL_VARIABLES = ("COLUMNS", "TTY_COMPATIBLE", "FORCE_COLOR")


def _run(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """A fresh process in the project root, output captured (so not a terminal unless ``env`` says
    so), no user catalog."""
    clean = {k: v for k, v in os.environ.items() if k not in ("AIMODEL_INFRA_CATALOG", *TERMINAL_VARIABLES)}
    return subprocess.run(
        argv, cwd=REPO_ROOT, env={**clean, **(env or {})}, capture_output=True, text=True, timeout=120
    )


def _module(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return _run(sys.executable, "-m", "aimodel_infra", *args, env=env)


def _in_process(*invocations: list[str]) -> str:
    """Run the app in one fresh interpreter; print the exit codes, then the top-level modules loaded."""
    script = (
        "import sys; from typer.testing import CliRunner; from aimodel_infra.cli import app; "
        f"codes = [CliRunner().invoke(app, args).exit_code for args in {list(invocations)!r}]; "
        "print(codes, sorted({name.split('.')[0] for name in sys.modules}))"
    )
    result = _run(sys.executable, "-c", script)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_exit_codes_are_0_ok_1_bad_input_2_bad_usage_and_never_a_traceback() -> None:
    ok = _module("validate", "aws-dev")
    bad_input = _module("cost", "nope")
    bad_usage = _module("compare", "aws-dev", "--at", "x")

    assert (ok.returncode, bad_input.returncode, bad_usage.returncode) == (0, 1, 2)
    assert ok.stdout.startswith("stacks/Pulumi.aws-dev.yaml: valid (aws us-east-1")
    assert "available stacks: aws-dev, azure-dev, gcp-dev" in bad_input.stderr
    for result in (ok, bad_input, bad_usage):
        assert "Traceback" not in result.stderr


@pytest.mark.skipif(not CONSOLE_SCRIPT.exists(), reason="console script not installed next to this interpreter")
def test_the_console_script_prints_pure_json_even_for_errors() -> None:
    good = _run(str(CONSOLE_SCRIPT), "cost", "aws-dev", "--json")
    bad = _run(str(CONSOLE_SCRIPT), "cost", "nope", "--json")

    assert good.returncode == 0
    assert json.loads(good.stdout)["environment"] == "aws-dev"
    assert bad.returncode == 1
    assert json.loads(bad.stdout)["valid"] is False
    assert bad.stderr == ""


def test_piped_tables_carry_no_terminal_escape_codes() -> None:
    result = _module("cost", "gcp-dev")

    assert result.returncode == 0
    assert "\x1b[" not in result.stdout
    assert "Compute: gcp-dev" in result.stdout


def test_a_pipe_gets_plain_columns_and_a_terminal_gets_rich_tables() -> None:
    piped = _module("cost", "gcp-dev")
    at_terminal = _module("cost", "gcp-dev", env={"TTY_COMPATIBLE": "1", "TERM": "dumb", "COLUMNS": "120"})

    assert (piped.returncode, at_terminal.returncode) == (0, 0)
    assert "┃" not in piped.stdout
    assert "\nTotal per month\n" in piped.stdout
    assert "┃" in at_terminal.stdout
    assert max(len(line) for line in at_terminal.stdout.splitlines()) <= 120


def test_the_offline_commands_never_import_pulumi_or_a_provider_sdk() -> None:
    output = _in_process(
        ["validate", "aws-dev"], ["cost", "aws-dev"], ["compare", "gcp-dev"], ["catalog", "--accelerator", "H100"],
        ["schema", "--stack-file"], ["cost", "azure-dev", "--json"],
    )  # fmt: skip

    codes, modules = output.split("] ", 1)
    assert codes == "[0, 0, 0, 0, 0, 0"
    assert "typer" in modules, "the scan must see what the commands loaded (compare and catalog run on typer)"
    assert "pulumi" not in modules


def test_validate_loads_neither_rich_nor_pulumi() -> None:
    """validate runs on every save in an editor: it prints one line and must not pay for tables."""
    output = _in_process(["validate", "aws-dev"])

    codes, modules = output.split("] ", 1)
    assert codes == "[0"
    assert "pydantic" in modules
    assert "rich" not in modules
    assert "pulumi" not in modules
