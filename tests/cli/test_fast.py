"""The fast path answers validate and cost exactly like the typer app, without importing typer.

``main()`` hands a command line to :mod:`aimodel_infra.cli.fast` first; these tests hold the two
paths to the same output and exit code, and check that everything else still goes to typer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aimodel_infra.cli import app
from aimodel_infra.cli.fast import parse, run

REPO_ROOT = Path(__file__).resolve().parents[2]

SAME = [
    ("validate", "aws-dev"),
    ("validate", "gcp-dev", "--json"),
    ("--json", "cost", "azure-dev"),
    ("cost", "aws-dev"),
    ("cost", "nope"),
    ("validate", "nope", "--json"),
]


@pytest.mark.parametrize("argv", SAME, ids=" ".join)
def test_fast_path_prints_what_the_typer_app_prints(argv, capsys, monkeypatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.delenv("AIMODEL_INFRA_CATALOG", raising=False)
    invocation = parse(list(argv))
    assert invocation is not None
    code = run(invocation)
    fast = capsys.readouterr()
    typer_result = CliRunner().invoke(app, list(argv), env={"AIMODEL_INFRA_CATALOG": ""})
    assert (code, fast.out, fast.err) == (typer_result.exit_code, typer_result.stdout, typer_result.stderr)


@pytest.mark.parametrize(
    "argv",
    [("validate",), ("validate", "--help"), ("--version",), ("compare", "aws-dev"), ("cost", "a", "b"),
     ("cost", "aws-dev", "--top", "3"), ("cost", "aws-dev", "--catalog", "/")],
    ids=" ".join,
)  # fmt: skip
def test_anything_else_goes_to_the_typer_app(argv) -> None:
    assert parse(list(argv)) is None


def test_catalog_option_and_environment_variable_are_read(tmp_path, monkeypatch) -> None:
    csv_file = tmp_path / "mine.csv"
    csv_file.write_text("cloud\n")
    assert parse(["cost", "aws-dev", "--catalog", str(csv_file)]).settings.catalog_path == csv_file
    assert parse([f"--catalog={csv_file}", "--json", "cost", "aws-dev"]).settings.json
    monkeypatch.setenv("AIMODEL_INFRA_CATALOG", str(csv_file))
    assert parse(["validate", "aws-dev"]).settings.catalog_path == csv_file


@pytest.mark.parametrize("argv", [["validate", "aws-dev"], ["cost", "aws-dev", "--json"], ["cost", "aws-dev"]])
def test_the_fast_commands_import_neither_typer_click_nor_rich(argv) -> None:
    """Piped, as in CI and editors: even cost's tables are written without rich."""
    code = (
        "import sys; from aimodel_infra.cli import main; sys.argv = ['aimodel-infra', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'click', 'rich', 'pulumi'))\n"
        "print(json.dumps(heavy), file=sys.stderr)"
    )
    piped = {k: v for k, v in os.environ.items() if k not in ("TTY_COMPATIBLE", "FORCE_COLOR")}
    result = subprocess.run(
        [sys.executable, "-c", "import json\n" + code, *argv], cwd=REPO_ROOT, capture_output=True, text=True, env=piped
    )
    assert json.loads(result.stderr.strip().splitlines()[-1]) == []


def test_the_fast_path_loads_no_pydantic_plugins_and_no_package_metadata() -> None:
    code = (
        "import sys; from aimodel_infra.cli import main; sys.argv = ['aimodel-infra', 'validate', 'aws-dev']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('importlib.metadata' in sys.modules, file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.stderr.strip().splitlines()[-1] == "False"
    assert "valid (aws us-east-1" in result.stdout


CONSOLE = (
    "import sys; from aimodel_infra.cli import console_main\n"
    "sys.argv = ['aimodel-infra', *sys.argv[1:]]; console_main()"
)


def console(*argv: str, **options) -> subprocess.CompletedProcess:
    """The ``aimodel-infra`` console script, as a fresh process with pipes for stdout and stderr."""
    return subprocess.run(
        [sys.executable, "-c", CONSOLE, *argv], cwd=REPO_ROOT, capture_output=True, text=True, **options
    )


def test_the_console_script_is_console_main() -> None:
    import tomllib

    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["aimodel-infra"] == "aimodel_infra.cli:console_main"


@pytest.mark.parametrize(
    "argv", [("cost", "aws-dev", "--json"), ("validate", "nope"), ("validate", "gcp-dev")], ids=" ".join
)
def test_the_quick_exit_keeps_every_byte_and_the_exit_code(argv, capsys, monkeypatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.delenv("AIMODEL_INFRA_CATALOG", raising=False)
    in_process = run(parse(list(argv)))
    expected = capsys.readouterr()

    result = console(*argv)

    assert (result.returncode, result.stdout, result.stderr) == (in_process, expected.out, expected.err)


def test_over_budget_still_exits_1_through_the_quick_exit(tmp_path) -> None:
    import yaml

    stack = yaml.safe_load((REPO_ROOT / "stacks" / "Pulumi.gcp-dev.yaml").read_text())
    key = next(k for k in stack["config"] if k.endswith(":environment"))
    stack["config"][key]["budget"]["monthly_usd"] = 100
    spec = tmp_path / "Pulumi.over.yaml"
    spec.write_text(yaml.safe_dump(stack))

    result = console("cost", str(spec), "--json")

    assert result.returncode == 1
    assert json.loads(result.stdout)["over_budget"] is True


def test_output_that_can_no_longer_be_flushed_exits_120_as_cpython_does() -> None:
    code = (
        "import sys; from aimodel_infra.cli.fast import leave_now\n"
        "sys.stdout.write('lost'); sys.stdout.close(); leave_now(0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)

    assert (result.returncode, result.stderr) == (120, "")


def test_other_commands_and_in_process_calls_keep_the_garbage_collector() -> None:
    code = (
        "import gc, sys; from aimodel_infra.cli import console_main, main\n"
        "sys.argv = ['aimodel-infra', 'validate', 'aws-dev']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "in_process = gc.isenabled()\n"
        "sys.argv = ['aimodel-infra', '--version']\n"
        "try:\n    console_main()\nexcept SystemExit:\n    pass\n"
        "print(in_process, gc.isenabled(), file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True)

    assert result.stderr.strip().splitlines()[-1] == "True True"


def test_a_cost_within_budget_and_without_a_duration_loads_neither_the_job_nor_the_comparison() -> None:
    code = (
        "import sys; from aimodel_infra.cli import main; sys.argv = ['aimodel-infra', 'cost', 'aws-dev', '--json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(any(m in sys.modules for m in ('aimodel_infra.cost.job', 'aimodel_infra.cost.comparison')), "
        "file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True)

    assert json.loads(result.stdout)["over_budget"] is False
    assert result.stderr.strip().splitlines()[-1] == "False"
