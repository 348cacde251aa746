"""``diff``: the resources and money a spec change moves, for people, a PR comment and machines; exit 0.

The change is aws-dev plus a pool, with another pool's GPU changed and a bucket removed. Every
spec is previewed once per module (a cache over :func:`aimodel_infra.preview.run_preview`, which
the diff calls for each side), so the three output formats render the same recorded previews.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import Result

from aimodel_infra import diff as diff_module
from aimodel_infra.catalog import Catalog
from aimodel_infra.cli.text import signed_money
from aimodel_infra.diff import SpecDiff, diff_environments
from aimodel_infra.preview import Preview, run_preview
from aimodel_infra.spec import CONFIG_KEY, Cloud, load_spec
from aimodel_infra.spec.models import Environment
from aimodel_infra.testing.clouds import without_builder

from .plain_tables import cells, table

REPO_ROOT = Path(__file__).resolve().parents[2]
BASE = "aws-dev"
BASE_SOURCE = "stacks/Pulumi.aws-dev.yaml"
WIDE = {"COLUMNS": "1000"}

Invoke = Callable[..., Result]


@pytest.fixture(scope="module", autouse=True)
def previews_once_per_spec() -> Iterator[None]:
    cache: dict[tuple[str, int], Preview] = {}

    def cached(env: Environment, catalog: Catalog | None = None) -> Preview:
        key = (env.model_dump_json(), id(catalog))
        if key not in cache:
            cache[key] = run_preview(env, catalog)
        return cache[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(diff_module, "run_preview", cached)
        yield


def aws_dev_document() -> dict[str, Any]:
    document = yaml.safe_load((REPO_ROOT / "stacks" / "Pulumi.aws-dev.yaml").read_text())
    return copy.deepcopy(document["config"][CONFIG_KEY])


def write(directory: Path, name: str, document: dict[str, Any]) -> str:
    path = directory / f"{name}.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return str(path)


@pytest.fixture(scope="module")
def spec_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("specs")


@pytest.fixture(scope="module")
def head(spec_dir: Path) -> str:
    """aws-dev plus an ``eval`` pool, with ``infer`` on A10G and without the ``models`` bucket."""
    document = aws_dev_document()
    document["node_pools"].append(
        {"name": "eval", "accelerator": "L4:1", "capacity": "on_demand", "min_nodes": 0, "max_nodes": 2}
    )
    (infer,) = [pool for pool in document["node_pools"] if pool["name"] == "infer"]
    infer["accelerator"] = "A10G:1"
    document["buckets"] = [b for b in document["buckets"] if b["name"] != "models"]
    return write(spec_dir, "head", document)


@pytest.fixture(scope="module")
def expected(head: str) -> SpecDiff:
    """The library's diff of the same specs (free: the previews are cached)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(REPO_ROOT)
        return diff_environments(load_spec(BASE), load_spec(head), base_source=BASE_SOURCE, head_source=head)


@pytest.fixture(scope="module")
def text(cli: Invoke, head: str) -> Result:
    return cli("diff", BASE, head, env=WIDE)


@pytest.fixture(scope="module")
def markdown(cli: Invoke, head: str) -> Result:
    return cli("diff", BASE, head, "--markdown")


@pytest.fixture(scope="module")
def as_json(cli: Invoke, head: str) -> Result:
    return cli("diff", BASE, head, "--json")


def test_a_diff_that_deletes_a_protected_bucket_exits_1_in_every_format(
    text: Result, markdown: Result, as_json: Result
) -> None:
    for result in (text, markdown, as_json):
        assert result.exit_code == 1, result.stderr
    assert "pulumi up would refuse 1 change to protected resources (aws:s3/bucket:Bucket aws-dev-models)" in (
        " ".join(text.stdout.split())
    )
    assert json.loads(as_json.stdout)["refused"] == [
        {"type": "aws:s3/bucket:Bucket", "name": "aws-dev-models", "kind": "remove"}
    ]


def test_the_headline_counts_what_pulumi_would_create_update_and_delete(
    text: Result, markdown: Result, expected: SpecDiff, head: str
) -> None:
    added, changed, replaced, removed = (len(expected.changes(k)) for k in ("add", "change", "replace", "remove"))
    assert added and changed and replaced and removed, "the change under test does all four"

    headline = (
        f"{BASE_SOURCE} -> {head}: {added} to create, {changed} to update in place, "
        f"{replaced} to replace (delete and create again), {removed} to delete"
    )

    assert text.stdout.splitlines()[0] == headline
    assert markdown.stdout.splitlines()[0] == f"### aimodel-infra diff: {headline}"


def test_the_report_warns_that_the_removed_bucket_is_protected_and_retained(text: Result) -> None:
    rows = table(text.stdout, "Resource changes")
    (row,) = [row for row in rows if row["resource type"] == "aws:s3/bucket:Bucket" and row["change"] == "delete"]

    assert row["name"] == "aws-dev-models"
    assert "PROTECTED: pulumi up refuses this delete" in row["what changes"]
    assert "retained: stays in the cloud (and billed)" in row["what changes"]


def test_the_report_shows_each_pools_cost_change(text: Result, expected: SpecDiff) -> None:
    lines = text.stdout.splitlines()

    header, *rows = cells(text.stdout, "Monthly cost change")
    assert [header[3], header[6]] == ["change", "change"]  # of the desired size's cost, then of the worst case
    by_name = {row[0]: row for row in rows}
    for change in expected.compute:
        assert by_name[change.name][3] == signed_money(change.delta_desired)
        assert by_name[change.name][6] == signed_money(change.delta_worst_case)
    assert "total (with fees)" in by_name
    assert lines[-1] == "head: PASSED: no mandatory policy finding, worst case within budget"


def test_markdown_has_a_row_per_change_and_per_pool(markdown: Result, expected: SpecDiff) -> None:
    lines = markdown.stdout.splitlines()
    verbs = {"add": "create", "remove": "delete", "change": "update", "replace": "replace"}

    change_rows = [line for line in lines if line.split(" | ")[0] in ("| create", "| delete", "| update", "| replace")]
    assert len(change_rows) == len(expected.resources)
    for change in expected.resources:
        assert any(row.startswith(f"| {verbs[change.kind]} | `{change.type}` | {change.name} |") for row in change_rows)
    node_group = next(c for c in expected.changes("replace") if c.type == "aws:eks/nodeGroup:NodeGroup")
    (row,) = [row for row in change_rows if f"| {node_group.name} |" in row]
    assert "instanceTypes: [g6.xlarge] -> [g5.xlarge]" in row
    assert "node group of infer: its nodes are drained and replaced, so jobs running on them are stopped" in row
    for change in expected.compute:
        assert any(line.startswith(f"| {change.name} |") for line in lines)
    assert "head: **PASSED: no mandatory policy finding, worst case within budget**" in lines


def test_json_stdout_is_the_librarys_diff_as_one_document(as_json: Result, expected: SpecDiff, head: str) -> None:
    payload = json.loads(as_json.stdout)

    assert payload == {"schema_version": 1, **expected.to_dict()}
    assert payload["base"] == {"environment": "aws-dev", "source": BASE_SOURCE}
    assert payload["head"]["source"] == head
    assert as_json.stderr == "", "diff shows no progress"


def test_identical_specs_show_no_change_and_zero_cost(cli: Invoke) -> None:
    result = cli("diff", BASE, BASE, "--markdown")

    assert result.exit_code == 0
    assert ": 0 to create, 0 to update in place, 0 to replace" in result.stdout.splitlines()[0]
    assert "No resource changes." in result.stdout
    assert "+$" not in result.stdout and "-$" not in result.stdout


def test_a_head_that_fails_policy_still_exits_0_and_says_so(cli: Invoke, spec_dir: Path) -> None:
    document = aws_dev_document()
    document["cluster"].update(public_endpoint=True, allowed_cidrs=["0.0.0.0/0"])
    # Validation refuses an API open to everyone unless the rule is waived; the policy check
    # then still reports it, and the budget is set too low so the head fails the gate.
    document["policy_exceptions"] = [{"rule": "cluster-endpoint-restricted", "reason": "demo cluster for a day"}]
    document["budget"]["monthly_usd"] = 1
    failing = write(spec_dir, "open-endpoint", document)

    result = cli("diff", BASE, failing, "--json")

    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["head_passed"] is False
    assert [c["name"] for c in payload["resources"]["change"]] == ["aws-dev-budget-monthly", "aws-dev-cluster"]


@pytest.mark.parametrize(
    ("other", "message"),
    [
        ("nope", "'nope' is neither a file nor a stack"),
        ("azure-dev", "cloud 'azure' can be validated, priced and compared"),
    ],
    ids=["unknown spec", "cloud without builder"],
)
def test_bad_input_exits_1_with_a_message(
    cli: Invoke, other: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_builder(monkeypatch, Cloud.AZURE)
    result = cli("diff", BASE, other)

    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert isinstance(result.exception, SystemExit)


def test_markdown_cells_keep_line_breaks_and_never_read_data_as_html() -> None:
    from aimodel_infra.cli.render_preview import _md_table

    table = _md_table(["a"], [["x | y\n<script>z"]])

    assert table.splitlines()[-1] == "| x \\| y<br>&lt;script>z |"


def test_markdown_puts_each_value_change_on_its_own_line_and_marks_what_forces_replacement(markdown: Result) -> None:
    (row,) = [line for line in markdown.stdout.splitlines() if line.startswith("| replace |") and "-infer-" in line]

    assert "instanceTypes: [g6.xlarge] -> [g5.xlarge] (forces replacement)<br>" in row
