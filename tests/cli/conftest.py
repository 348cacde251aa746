"""Fixtures of the CLI tests: run the app in-process from the project root, and write specs to vary.

The CLI finds stacks from the working directory (``stacks/Pulumi.<name>.yaml`` under the nearest
``Pulumi.yaml``), so every test runs in the repository root, with no user catalog in the
environment, as a user who just cloned it would.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from aimodel_infra.cli import app
from aimodel_infra.spec import CONFIG_KEY

REPO_ROOT = Path(__file__).resolve().parents[2]
STACKS = ("aws-dev", "gcp-dev", "azure-dev")


@pytest.fixture(autouse=True)
def in_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.delenv("AIMODEL_INFRA_CATALOG", raising=False)


Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """Invoke the CLI in-process: ``run("cost", "aws-dev", env={...})``; stdout and stderr kept apart."""
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, list(args), env=env)

    return invoke


@pytest.fixture(scope="module")
def cli() -> Run:
    """``run`` for module-scoped fixtures (expensive runs shared by a module's tests): it sets the
    project root and clears the user catalog itself, since the autouse fixture is per test."""
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(REPO_ROOT)
            patch.delenv("AIMODEL_INFRA_CATALOG", raising=False)
            return runner.invoke(app, list(args), env=env)

    return invoke


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> str:
    """Each committed example stack in turn: every command must work on all three clouds."""
    return request.param


@pytest.fixture
def stack_environment() -> Callable[[str], dict[str, Any]]:
    """The environment mapping of a committed stack file, as a fresh dict to vary."""

    def read(name: str) -> dict[str, Any]:
        document = yaml.safe_load((REPO_ROOT / "stacks" / f"Pulumi.{name}.yaml").read_text())
        return copy.deepcopy(document["config"][CONFIG_KEY])

    return read


@pytest.fixture
def write_spec(tmp_path: Path) -> Callable[[dict[str, Any]], str]:
    """Write an environment mapping to a plain YAML file and return its path (a SPEC argument)."""
    counter = iter(range(1000))

    def write(environment: dict[str, Any]) -> str:
        path = tmp_path / f"spec-{next(counter)}.yaml"
        path.write_text(yaml.safe_dump(environment, sort_keys=False))
        return str(path)

    return write
