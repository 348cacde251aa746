"""``--json`` is a contract: one document for every outcome, versioned, documented where users look.

Every document starts with ``schema_version``; usage errors (exit 2) are documents too; each
command's ``--help`` names every key it emits; money is rounded one way everywhere; help never
names our internal classes; and a valid spec is never called invalid because its cloud cannot be
built yet.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from aimodel_infra import registry
from aimodel_infra.spec.models import Cloud

USAGE_ERRORS = [
    ("cost", "aws-dev", "--json", "--at", "most"),
    ("--json", "cost"),
    ("cost", "aws-dev", "--json", "--bogus"),
    ("--json", "compare", "aws-dev", "--cloud", "nope"),
    ("--json", "nosuch"),
    ("cost", "aws-dev", "--hours", "1", "--days", "1", "--json"),
]


@pytest.mark.parametrize("args", USAGE_ERRORS, ids=" ".join)
def test_a_usage_error_under_json_is_one_json_document_and_exit_2(run, args: tuple[str, ...]) -> None:
    result = run(*args)

    assert result.exit_code == 2
    payload = json.loads(result.stdout)
    assert list(payload)[0] == "schema_version"
    assert (payload["kind"], payload["valid"]) == ("usage", None)
    assert payload["error"] and payload["problems"][0]["message"] == payload["error"]
    assert payload["usage"].startswith("Usage: aimodel-infra")


def test_the_option_or_argument_at_fault_is_named(run) -> None:
    assert json.loads(run("cost", "aws-dev", "--json", "--at", "most").stdout)["problems"][0]["path"] == "--at"
    assert json.loads(run("--json", "cost").stdout)["problems"][0]["path"] == "SPEC"


def test_without_json_a_usage_error_stays_text_on_stderr(run) -> None:
    result = run("cost", "aws-dev", "--at", "most")

    assert result.exit_code == 2 and result.stdout == ""
    assert "Invalid value for '--at'" in result.stderr


@pytest.mark.parametrize(
    "args",
    [("validate", "aws-dev"), ("cost", "aws-dev"), ("compare", "aws-dev"), ("catalog",), ("cost", "nope")],
    ids=" ".join,
)
def test_every_document_starts_with_its_schema_version(run, args: tuple[str, ...]) -> None:
    payload = json.loads(run(*args, "--json").stdout)

    assert list(payload)[0] == "schema_version" and payload["schema_version"] == 1


def keys(value: Any, depth: int) -> set[str]:
    """The keys of a document down to ``depth`` levels (lists are looked into)."""
    if depth < 0:
        return set()
    if isinstance(value, list):
        return set().union(*(keys(v, depth) for v in value)) if value else set()
    if isinstance(value, dict):
        return set(value) | set().union(*(keys(v, depth - 1) for v in value.values()))
    return set()


def documented(run, command: str) -> set[str]:
    help_text = " ".join(run(command, "--help", env={"COLUMNS": "200"}).stdout.replace("│", " ").split())
    return set(re.findall(r'"([a-z_]+)"', help_text))


@pytest.mark.parametrize(
    ("args", "depth"),
    [
        (("validate", "aws-dev"), 0),
        (("cost", "aws-dev", "--days", "3"), 2),
        (("cost", "aws-dev"), 1),
        (("compare", "aws-dev"), 2),
        (("preview", "aws-dev", "--quiet"), 0),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, tuple) else str(a),
)
def test_each_commands_help_documents_every_key_it_emits(run, args: tuple[str, ...], depth: int) -> None:
    payload = json.loads(run(*args, "--json").stdout)

    emitted = keys(payload, depth)

    assert emitted - documented(run, args[0]) == set()


def test_the_diff_help_documents_every_key_of_a_real_change(run, write_spec, stack_environment) -> None:
    environment = stack_environment("aws-dev")
    environment["node_pools"][0]["accelerator"] = "H200"
    environment["buckets"] = [b for b in environment["buckets"] if b["name"] != "models"]
    payload = json.loads(run("diff", "aws-dev", write_spec(environment), "--json").stdout)

    assert all(payload["resources"][kind] for kind in ("remove", "change", "replace"))
    assert keys(payload, 3) - documented(run, "diff") == set()


def test_an_over_budget_estimate_documents_its_budget_fit(run, write_spec, stack_environment) -> None:
    environment = stack_environment("aws-dev")
    environment["budget"]["monthly_usd"] = 1000
    payload = json.loads(run("cost", write_spec(environment), "--json").stdout)

    assert payload["budget_fit"] is not None
    assert keys(payload["budget_fit"], 1) - documented(run, "cost") == set()


@pytest.mark.parametrize("command", ["validate", "cost", "compare", "catalog", "schema", "preview", "diff"])
def test_help_names_no_internal_class_or_method(run, command: str) -> None:
    text = run(command, "--help", env={"COLUMNS": "200"}).stdout

    assert "to_dict" not in text
    assert re.findall(r"\b[A-Z][a-z]+[A-Z][A-Za-z]*\b", text) == []


def test_money_is_the_same_number_in_every_document(run) -> None:
    cost = json.loads(run("cost", "aws-dev", "--json").stdout)
    diff = json.loads(run("diff", "aws-dev", "aws-dev", "--json").stdout)
    compare = json.loads(run("compare", "aws-dev", "--at", "worst", "--json").stdout)

    total = diff["cost"]["total"]
    assert (total["base_desired"], total["head_worst_case"]) == (cost["desired_monthly"], cost["worst_case_monthly"])
    train = next(c for c in cost["compute"] if c["name"] == "train")
    assert next(c for c in diff["cost"]["compute"] if c["name"] == "train")["head_max"] == train["max"]["monthly"]
    (current,) = [p for p in compare["placements"] if p["is_current"]]
    assert current["worst_case_monthly"] == pytest.approx(cost["worst_case_monthly"], abs=1e-6)


def test_a_valid_spec_for_a_cloud_without_a_builder_is_not_called_invalid(run, monkeypatch) -> None:
    real = registry.support

    def without_builder(cloud: Cloud):
        found = real(cloud)
        return found._replace(environment=None) if cloud is Cloud.GCP else found

    monkeypatch.setattr(registry, "support", without_builder)

    result = run("preview", "gcp-dev", "--json")

    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["valid"] is True
    assert "no builder yet" in payload["error"]
