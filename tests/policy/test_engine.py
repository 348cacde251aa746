"""The engine: findings name the resource and the fix, exceptions waive with their reason, and
``passed`` means no unwaived mandatory finding."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from aimodel_infra.catalog import default_catalog
from aimodel_infra.policy import RULES, Severity, known_rule_ids
from aimodel_infra.policy.engine import CloudChecks, PolicyContext, Violation, evaluate
from aimodel_infra.policy.values import UNKNOWN_SENTINELS, as_dict, as_list, is_unknown, json_document, truthy
from aimodel_infra.spec.checks import check_environment
from aimodel_infra.spec.models import Environment, PolicyException
from aimodel_infra.testing.builder import GraphBuilder

#: A fake cloud's resource type: the engine knows no cloud.
LAUNCH_TEMPLATE = "fake:compute/template:Template"
ENV = Environment.model_validate({"name": "pt", "cloud": "aws", "region": "us-east-1"})

MANDATORY_RULE = "imdsv2-required"
ADVISORY_RULE = "required-tags"


def flag_every(type_: str, severity: Severity | None = None):
    """A check reporting every resource of ``type_``."""

    def check(ctx: PolicyContext) -> Iterator[Violation]:
        for r in ctx.resources(type_):
            yield Violation("is flagged; do the fix", r, severity)

    return check


def stack_level(ctx: PolicyContext) -> Iterator[Violation]:
    yield Violation("the stack as a whole is flagged")


def one_template_graph():
    builder = GraphBuilder()
    builder.add(LAUNCH_TEMPLATE, "gpu-lt")
    return builder.graph()


def with_exceptions(*exceptions: tuple[str, str]) -> Environment:
    return ENV.model_copy(update={"policy_exceptions": [PolicyException(rule=r, reason=why) for r, why in exceptions]})


def fake_checks(checks: dict) -> CloudChecks:
    """A cloud of its own: its remedies say which cloud produced the finding."""
    return CloudChecks("test", checks, remedies={rule: f"on test: fix {rule}" for rule in checks})


CHECKS = fake_checks({MANDATORY_RULE: flag_every(LAUNCH_TEMPLATE), ADVISORY_RULE: flag_every(LAUNCH_TEMPLATE)})


def test_every_rule_states_what_it_protects_and_how_to_fix_it() -> None:
    for rule in RULES.values():
        assert rule.title and rule.protects and rule.fix, rule.id
        assert rule.severity in (Severity.MANDATORY, Severity.ADVISORY)
    assert known_rule_ids() == list(RULES)


def test_cloud_checks_refuse_rule_ids_the_rule_list_does_not_know() -> None:
    with pytest.raises(ValueError, match="imdsv2-requried"):
        CloudChecks("test", {"imdsv2-requried": stack_level})


def test_a_cloud_must_say_how_to_fix_every_rule_it_checks() -> None:
    with pytest.raises(ValueError, match="no remedy for"):
        CloudChecks("test", {MANDATORY_RULE: stack_level})


def test_a_finding_names_rule_severity_resource_and_fix() -> None:
    report = evaluate(one_template_graph(), ENV, CHECKS, only=[MANDATORY_RULE])
    [finding] = report.findings
    assert (finding.rule, finding.severity) == (MANDATORY_RULE, RULES[MANDATORY_RULE].severity)
    assert (finding.resource_type, finding.resource_name) == (LAUNCH_TEMPLATE, "gpu-lt")
    assert finding.urn is not None and finding.urn.endswith("::gpu-lt")
    assert LAUNCH_TEMPLATE in finding.message and "'gpu-lt'" in finding.message and "do the fix" in finding.message
    assert finding.fix == f"on test: fix {MANDATORY_RULE}"  # the producing cloud's words, not the shared goal


def test_an_unwaived_mandatory_finding_fails_and_advisory_ones_do_not() -> None:
    assert not evaluate(one_template_graph(), ENV, CHECKS).passed
    advisory_only = evaluate(one_template_graph(), ENV, CHECKS, only=[ADVISORY_RULE])
    assert advisory_only.advisory and advisory_only.passed


def test_a_check_may_lower_the_severity_of_one_finding() -> None:
    checks = fake_checks({MANDATORY_RULE: flag_every(LAUNCH_TEMPLATE, Severity.ADVISORY)})
    report = evaluate(one_template_graph(), ENV, checks)
    assert [f.severity for f in report.findings] == [Severity.ADVISORY] and report.passed


def test_a_stack_level_finding_has_no_resource() -> None:
    report = evaluate(one_template_graph(), ENV, fake_checks({MANDATORY_RULE: stack_level}))
    [finding] = report.findings
    assert finding.resource_type is None and finding.urn is None
    assert finding.to_dict()["resource"] is None


def test_an_exception_waives_its_rule_keeping_the_reason_and_only_that_rule() -> None:
    reason = "the vendor image needs IMDSv1 until its next release"
    report = evaluate(one_template_graph(), with_exceptions((MANDATORY_RULE, reason)), CHECKS)
    assert report.passed
    assert [(f.rule, f.waived_reason) for f in report.waived] == [(MANDATORY_RULE, reason)]
    assert [f.rule for f in report.findings] == [ADVISORY_RULE]
    assert reason in str(report.waived[0])


def test_an_exception_is_listed_even_when_its_rule_found_nothing() -> None:
    reason = "tags are applied by the account's tag policy"
    report = evaluate(GraphBuilder().graph(), with_exceptions((ADVISORY_RULE, reason)), CHECKS)
    assert report.to_dict()["exceptions"] == [{"rule": ADVISORY_RULE, "reason": reason, "waived_findings": 0}]


def test_only_runs_the_named_rules() -> None:
    report = evaluate(one_template_graph(), ENV, CHECKS, only=[ADVISORY_RULE])
    assert report.rules_checked == (ADVISORY_RULE,)
    assert {f.rule for f in report.findings} == {ADVISORY_RULE}


def test_to_dict_has_the_documented_stable_shape_and_is_json() -> None:
    reason = "tags are applied by the account's tag policy"
    data = evaluate(one_template_graph(), with_exceptions((ADVISORY_RULE, reason)), CHECKS).to_dict()
    assert set(data) == {
        "environment",
        "cloud",
        "passed",
        "rules_checked",
        "counts",
        "findings",
        "waived",
        "exceptions",
    }
    assert data["counts"] == {"mandatory": len(data["findings"]), "advisory": 0, "waived": len(data["waived"])}
    assert data["passed"] is False
    for finding in data["findings"] + data["waived"]:
        assert set(finding) == {"rule", "title", "severity", "resource", "message", "fix", "waived_reason"}
        assert set(finding["resource"]) == {"type", "name", "urn"}
    assert data["waived"][0]["waived_reason"] == reason
    assert json.loads(json.dumps(data)) == data


# -- policy_exceptions in the spec ----------------------------------------------------------------
def exception_problems(*rules: str):
    env = with_exceptions(*((rule, "a reason long enough") for rule in rules))
    return [p for p in check_environment(env, default_catalog()) if p.path.startswith("policy_exceptions")]


def test_an_unknown_rule_id_in_policy_exceptions_is_a_spec_problem_listing_the_known_ids() -> None:
    [problem] = exception_problems("imdsv2-required", "imdsv2-requried")
    assert problem.path == "policy_exceptions[1].rule"
    assert "did you mean imdsv2-required" in problem.message
    assert all(rule_id in problem.message for rule_id in RULES)


def test_known_rule_ids_in_policy_exceptions_are_accepted() -> None:
    assert exception_problems(*RULES) == []


# -- reading recorded values ----------------------------------------------------------------------
def test_unknowns_are_recognized_in_both_forms() -> None:
    from pulumi.output import Unknown

    assert all(is_unknown(s) for s in UNKNOWN_SENTINELS)
    assert is_unknown(Unknown())
    assert not is_unknown("subnet-0abc") and not is_unknown(None)
    assert as_dict(Unknown()) == {} and as_list(next(iter(UNKNOWN_SENTINELS))) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), ("true", True), ("TRUE", True), ("false", False), (False, False), (None, False), (1, False)],
)
def test_truthy_accepts_the_string_booleans_launch_templates_use(value: object, expected: bool) -> None:
    assert truthy(value) is expected


def test_json_document_parses_strings_and_rejects_non_objects() -> None:
    assert json_document('{"Statement": []}') == {"Statement": []}
    assert json_document(None) is None
    with pytest.raises(ValueError):
        json_document("[1, 2]")
