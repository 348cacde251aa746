"""``preview``: exit 1 on a mandatory finding or over budget, a report for people, Markdown, pure JSON.

Each run previews the real program (1-3 s), so the runs several tests read are module-scoped.
The Markdown of aws-dev is a snapshot (it is what a pull request shows); after an intended
change to the builders, prices or the report, regenerate it and review the diff:

    UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/cli/test_preview.py -k snapshot
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import Result

from aimodel_infra.cli.text import money
from aimodel_infra.cost import estimate
from aimodel_infra.policy.rules import RULES
from aimodel_infra.spec import CONFIG_KEY, Cloud, load_spec
from aimodel_infra.testing.clouds import without_builder

from .plain_tables import table

#: AWS checks every shared rule.
AWS_RULES = list(RULES)
REPO_ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = Path(__file__).parent / "snapshots" / "preview-aws-dev.md"
UNPROTECTED_RULE = "data-buckets-protected"
WAIVER_REASON = "scratch checkpoints, re-created by every training run"
FINDINGS_TITLE = f"Policy findings ({len(RULES)} rules checked)"
REGENERATE = "UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/cli/test_preview.py -k snapshot"

Invoke = Callable[..., Result]


@pytest.fixture(scope="module")
def spec_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("specs")


def aws_dev_document() -> dict[str, Any]:
    document = yaml.safe_load((REPO_ROOT / "stacks" / "Pulumi.aws-dev.yaml").read_text())
    return copy.deepcopy(document["config"][CONFIG_KEY])


def unprotected_checkpoints(document: dict[str, Any]) -> dict[str, Any]:
    """aws-dev whose checkpoints bucket may be deleted: the real program leaves off protect/retain."""
    (checkpoints,) = [b for b in document["buckets"] if b["purpose"] == "checkpoints"]
    checkpoints["deletion_protection"] = False
    return document


def waived(document: dict[str, Any]) -> dict[str, Any]:
    document["policy_exceptions"] = [{"rule": UNPROTECTED_RULE, "reason": WAIVER_REASON}]
    return document


def write(directory: Path, name: str, document: dict[str, Any]) -> str:
    path = directory / f"{name}.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return str(path)


@pytest.fixture(scope="module")
def aws_dev_text(cli: Invoke) -> Result:
    return cli("preview", "aws-dev")


@pytest.fixture(scope="module")
def aws_dev_json(cli: Invoke) -> Result:
    return cli("preview", "aws-dev", "--json")


@pytest.fixture(scope="module")
def aws_dev_markdown(cli: Invoke) -> Result:
    return cli("preview", "aws-dev", "--markdown", "--quiet")


@pytest.fixture(scope="module")
def waived_spec(spec_dir: Path) -> str:
    return write(spec_dir, "waived", waived(unprotected_checkpoints(aws_dev_document())))


# -- exit codes -------------------------------------------------------------------------------
def test_the_example_passes_with_exit_0(aws_dev_text: Result, aws_dev_json: Result, aws_dev_markdown: Result) -> None:
    for result in (aws_dev_text, aws_dev_json, aws_dev_markdown):
        assert result.exit_code == 0, result.stderr
    assert aws_dev_text.stdout.rstrip().splitlines()[-1].startswith("PASSED")


def test_a_mandatory_finding_exits_1_and_is_named(run: Invoke, spec_dir: Path) -> None:
    result = run("preview", write(spec_dir, "unprotected", unprotected_checkpoints(aws_dev_document())))

    assert result.exit_code == 1
    assert UNPROTECTED_RULE in result.stdout
    assert "aws:s3/bucket:Bucket aws-dev-checkpoints" in result.stdout
    assert "FAILED: 1 mandatory policy finding" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_worst_case_over_budget_exits_1_though_every_policy_passes(run: Invoke, spec_dir: Path) -> None:
    document = aws_dev_document()
    document["budget"]["monthly_usd"] = 100
    path = write(spec_dir, "tiny-budget", document)

    result = run("preview", path)

    assert result.exit_code == 1
    worst = estimate(load_spec(path)).worst_case_monthly
    assert f"OVER BUDGET by {money(worst - 100)}" in result.stdout
    assert "FAILED: worst-case monthly cost over budget" in result.stdout
    assert "mandatory" not in result.stdout  # only the advisory quota preflight


@pytest.mark.parametrize("stack", ["gcp-dev"])
def test_a_cloud_without_a_builder_exits_1_with_a_message_not_a_traceback(
    run: Invoke, stack: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_builder(monkeypatch, Cloud.GCP)
    text, as_json = run("preview", stack), run("preview", stack, "--json")

    assert (text.exit_code, as_json.exit_code) == (1, 1)
    assert text.stderr.startswith("error: cloud ") and "has no builder yet" in text.stderr
    assert text.stdout == ""
    assert isinstance(text.exception, SystemExit)
    assert json.loads(as_json.stdout)["kind"] == "CloudNotSupported"


def test_an_invalid_spec_exits_1_naming_the_field(run: Invoke, spec_dir: Path) -> None:
    document = aws_dev_document()
    document["node_pools"][0]["max_nodes"] = 0
    result = run("preview", write(spec_dir, "invalid", document))

    assert result.exit_code == 1
    assert "node_pools[0].max_nodes" in result.stderr
    assert result.stdout == ""
    assert isinstance(result.exception, SystemExit)


# -- waivers ----------------------------------------------------------------------------------
def test_a_waiver_turns_the_failure_into_a_pass_and_the_report_shows_its_reason(run: Invoke, waived_spec: str) -> None:
    result = run("preview", waived_spec)

    assert result.exit_code == 0, result.stdout
    (row,) = [row for row in table(result.stdout, FINDINGS_TITLE) if row["rule"] == UNPROTECTED_RULE]
    assert row["severity"] == f"waived ({WAIVER_REASON})"
    assert "aws-dev-checkpoints" in row["resource"]


def test_the_waiver_reason_is_in_the_markdown_and_the_json(run: Invoke, waived_spec: str) -> None:
    markdown, as_json = run("preview", waived_spec, "--markdown", "-q"), run("preview", waived_spec, "--json", "-q")

    assert (markdown.exit_code, as_json.exit_code) == (0, 0)
    (row,) = [line for line in markdown.stdout.splitlines() if line.startswith(f"| {UNPROTECTED_RULE} |")]
    assert f"| waived ({WAIVER_REASON}) |" in row
    policy = json.loads(as_json.stdout)["policy"]
    assert [(f["rule"], f["waived_reason"]) for f in policy["waived"]] == [(UNPROTECTED_RULE, WAIVER_REASON)]
    assert policy["exceptions"] == [{"rule": UNPROTECTED_RULE, "reason": WAIVER_REASON, "waived_findings": 1}]
    assert policy["passed"] is True


# -- the human report -------------------------------------------------------------------------
def test_the_report_is_a_tree_of_every_resource_then_the_summary_cost_and_policy(
    aws_dev_text: Result, aws_dev_json: Result
) -> None:
    payload = json.loads(aws_dev_json.stdout)
    lines = aws_dev_text.stdout.splitlines()

    assert lines[0] == "aws-dev (aws us-east-1)"
    for resource in payload["resources"]:
        assert any(f"+ {resource['type']}  {resource['name']}" in line for line in lines), resource["name"]
    components = sum(1 for r in payload["resources"] if not r["custom"])
    assert f"+ {payload['summary']['create']} to create ({components} components grouping them)" in aws_dev_text.stdout
    assert money(payload["cost"]["worst_case_monthly"]) in aws_dev_text.stdout
    assert FINDINGS_TITLE in aws_dev_text.stdout
    assert {f["rule"] for f in payload["policy"]["findings"]} == {"gpu-quota"}  # advisory quota preflight only


def test_progress_goes_to_stderr_and_names_each_component(aws_dev_text: Result, aws_dev_json: Result) -> None:
    payload = json.loads(aws_dev_json.stdout)

    for result in (aws_dev_text, aws_dev_json):
        assert "previewing aws-dev" not in result.stdout
        for component in (r for r in payload["resources"] if not r["custom"]):
            assert f"previewing aws-dev: {component['type']} {component['name']}\n" in result.stderr
        assert result.stderr.endswith(f"previewing aws-dev: {len(payload['resources'])} resources recorded\n")


def test_quiet_silences_progress(aws_dev_markdown: Result) -> None:
    assert aws_dev_markdown.stderr == ""


# -- JSON -------------------------------------------------------------------------------------
def test_json_stdout_is_one_document_the_preview_plus_where_the_spec_came_from(aws_dev_json: Result) -> None:
    payload = json.loads(aws_dev_json.stdout)

    assert set(payload) == {
        "schema_version", "spec", "source", "environment", "cloud", "region", "passed", "seconds", "summary",
        "resources", "cost", "policy", "api_reach",
    }  # fmt: skip
    assert (payload["spec"], payload["source"]) == ("aws-dev", "stacks/Pulumi.aws-dev.yaml")
    assert payload["passed"] is True
    assert payload["cost"] == estimate(load_spec("aws-dev")).to_dict()
    assert payload["policy"]["rules_checked"] == AWS_RULES


# -- Markdown ---------------------------------------------------------------------------------
def test_markdown_has_the_verdict_cost_table_policy_and_a_folded_resource_tree(aws_dev_markdown: Result) -> None:
    text = aws_dev_markdown.stdout
    cost = estimate(load_spec("aws-dev"))

    assert text.startswith("### ✅ aimodel-infra preview: `aws-dev` (aws us-east-1)\n")
    assert "**PASSED: no mandatory policy finding, worst case within budget**" in text
    assert "| monthly at min | at desired | at max | worst case | budget |" in text
    totals = [cost.min_monthly, cost.desired_monthly, cost.max_monthly, cost.worst_case_monthly, cost.budget_monthly]
    assert "| " + " | ".join(money(v) for v in totals) + " |" in text
    assert (
        "| gpu-quota | advisory | (environment) | needs up to 384 vCPUs of the EC2 quota 'All P Spot Instance" in text
    )
    assert "| mandatory |" not in text
    tree = text.split("<details><summary>Resources</summary>", 1)[1]
    assert tree.rstrip().endswith("```\n</details>")
    assert "+ aimodel:aws:Environment  aws-dev\n" in tree
    assert "  + aws:s3/bucket:Bucket  aws-dev-checkpoints [protected] [retained on delete]\n" in tree


def test_markdown_lists_findings_in_a_table(run: Invoke, spec_dir: Path) -> None:
    path = write(spec_dir, "unprotected-md", unprotected_checkpoints(aws_dev_document()))

    result = run("preview", path, "--markdown", "--quiet")

    assert result.exit_code == 1
    assert result.stdout.startswith("### ❌ ")
    assert "| rule | severity | resource | finding | fix |" in result.stdout
    (row,) = [line for line in result.stdout.splitlines() if line.startswith(f"| {UNPROTECTED_RULE} |")]
    assert "| mandatory | aws:s3/bucket:Bucket aws-dev-checkpoints |" in row


def test_markdown_of_aws_dev_matches_the_snapshot(aws_dev_markdown: Result) -> None:
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(aws_dev_markdown.stdout)

    assert aws_dev_markdown.stdout == SNAPSHOT.read_text(), f"preview Markdown changed; if intended: {REGENERATE}"
    assert " s)" not in aws_dev_markdown.stdout and "seconds" not in aws_dev_markdown.stdout, "no timings"
