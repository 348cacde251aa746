"""AWS end to end. The offline preview: the real program's graph, the same cost as ``cost``, its policy verdict.

A preview of aws-dev costs 1-3 s, so the clean one is recorded once per module and every
test reads it; each spec variant is one more recorded run.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from aimodel_infra.cost import estimate
from aimodel_infra.errors import SpecError
from aimodel_infra.policy.engine import Finding
from aimodel_infra.policy.rules import RULES, Severity
from aimodel_infra.preview import Preview, record_environment, run_preview
from aimodel_infra.recording import STACK_TYPE
from aimodel_infra.registry import CloudNotSupported
from aimodel_infra.spec import Cloud, load_spec
from aimodel_infra.spec.loader import environment_document, parse_environment, read_document
from aimodel_infra.spec.models import Environment
from aimodel_infra.testing import RecordedResource
from aimodel_infra.testing.clouds import without_builder

REPO_ROOT = Path(__file__).resolve().parents[2]
ENVIRONMENT_TYPE = "aimodel:aws:Environment"
PUBLIC_ENDPOINT_RULE = "cluster-endpoint-restricted"


def aws_dev_variant(change: Callable[[dict[str, Any]], None]) -> Environment:
    """aws-dev's environment mapping with ``change`` applied, checked like any spec."""
    path = REPO_ROOT / "stacks" / "Pulumi.aws-dev.yaml"
    document = copy.deepcopy(environment_document(read_document(path), source=str(path)))
    change(document)
    return parse_environment(document, source="aws-dev variant")


def open_endpoint(document: dict[str, Any]) -> None:
    document["cluster"].update(public_endpoint=True, allowed_cidrs=["0.0.0.0/0"])


def open_endpoint_waived(document: dict[str, Any]) -> None:
    open_endpoint(document)
    document["policy_exceptions"] = [{"rule": PUBLIC_ENDPOINT_RULE, "reason": "demo cluster, reached from laptops"}]


@pytest.fixture(scope="module")
def registered() -> list[RecordedResource]:
    """What the progress callback saw during the module's aws-dev preview."""
    return []


@pytest.fixture(scope="module")
def aws_dev(registered: list[RecordedResource]) -> Preview:
    return run_preview(load_spec("aws-dev"), on_resource=registered.append)


# -- the recorded graph -----------------------------------------------------------------------
def test_the_graph_is_the_programs_one_environment_component_with_everything_below_it(aws_dev: Preview) -> None:
    environment = aws_dev.graph.one(ENVIRONMENT_TYPE, "aws-dev")

    below = {r.urn for r in aws_dev.graph.descendants(environment)}
    outside = [str(r) for r in aws_dev.resources if r.urn not in below and r is not environment]
    assert outside == [], "every resource belongs to the environment component"
    assert aws_dev.graph.children(environment), "the environment component has children"


def test_every_resource_except_the_stack_has_a_parent(aws_dev: Preview) -> None:
    assert aws_dev.graph.stack_urn is not None
    assert all(r.type != STACK_TYPE for r in aws_dev.resources)

    orphans = [str(r) for r in aws_dev.resources if r.parent is None]
    top_level = [r for r in aws_dev.resources if aws_dev.graph.parent_of(r) is None]

    assert orphans == []
    assert [(r.type, r.name) for r in top_level] == [(ENVIRONMENT_TYPE, "aws-dev")]


def test_each_pool_group_and_bucket_of_the_spec_is_a_component_with_resources_under_it(aws_dev: Preview) -> None:
    env = aws_dev.env
    expected = [
        *(("aimodel:aws:GpuNodePool", pool.name) for pool in env.node_pools),
        *(("aimodel:aws:AutoscalingGroup", group.name) for group in env.autoscaling_groups),
        *(("aimodel:aws:Bucket", bucket.name) for bucket in env.buckets),
    ]
    for type_, spec_name in expected:
        component = aws_dev.graph.one(type_, f"{env.name}-{spec_name}")
        assert not component.custom
        assert any(r.custom for r in aws_dev.graph.descendants(component)), f"{component} creates nothing"


def test_the_progress_callback_sees_every_registration_once(
    aws_dev: Preview, registered: list[RecordedResource]
) -> None:
    assert sorted(r.urn for r in registered) == sorted(r.urn for r in aws_dev.graph.resources)


def test_resources_are_listed_in_a_stable_order_not_registration_order(aws_dev: Preview) -> None:
    listed = [(r.type, r.name) for r in aws_dev.resources]

    assert listed == sorted(listed)


# -- cost and policy --------------------------------------------------------------------------
def test_the_clean_example_passes(aws_dev: Preview) -> None:
    assert aws_dev.passed
    assert aws_dev.policy.passed
    assert aws_dev.policy.mandatory == []
    assert not aws_dev.cost.over_budget


def test_the_cost_is_the_same_estimate_the_cost_command_prints(aws_dev: Preview) -> None:
    assert aws_dev.cost == estimate(aws_dev.env)


def test_every_policy_rule_is_checked_on_aws(aws_dev: Preview) -> None:
    assert aws_dev.policy.rules_checked == tuple(RULES)
    assert (aws_dev.policy.environment, aws_dev.policy.cloud) == ("aws-dev", "aws")


def test_a_worst_case_over_budget_fails_even_with_clean_policies(aws_dev: Preview) -> None:
    over = dataclasses.replace(aws_dev, cost=aws_dev.cost._replace(over_budget=True))

    assert over.policy.passed
    assert not over.passed


def test_an_unwaived_mandatory_finding_fails_and_an_advisory_one_does_not(aws_dev: Preview) -> None:
    def finding(severity: Severity) -> Finding:
        return Finding(rule="required-tags", severity=severity, message="m", fix="f")

    def with_findings(*findings: Finding) -> Preview:
        return dataclasses.replace(aws_dev, policy=dataclasses.replace(aws_dev.policy, findings=findings))

    assert with_findings(finding(Severity.ADVISORY)).passed
    assert not with_findings(finding(Severity.MANDATORY)).passed


def test_a_public_endpoint_open_to_everyone_is_refused_before_the_preview_runs() -> None:
    with pytest.raises(SpecError) as caught:
        aws_dev_variant(open_endpoint)

    [problem] = caught.value.problems
    assert problem.path == "cluster.allowed_cidrs[0]"
    assert "0.0.0.0/0 opens the API server to the whole internet" in problem.message
    assert PUBLIC_ENDPOINT_RULE in problem.message  # the way to keep it on purpose


def test_a_waived_rule_passes_and_keeps_the_finding_with_its_reason() -> None:
    env = aws_dev_variant(open_endpoint_waived)

    preview = run_preview(env)

    reason = env.policy_exceptions[0].reason
    assert preview.passed
    assert preview.policy.for_rule(PUBLIC_ENDPOINT_RULE) == []
    assert [(f.rule, f.waived_reason) for f in preview.policy.waived] == [(PUBLIC_ENDPOINT_RULE, reason)]
    exceptions = preview.to_dict()["policy"]["exceptions"]
    assert exceptions == [{"rule": PUBLIC_ENDPOINT_RULE, "reason": reason, "waived_findings": 1}]


def test_a_cloud_without_a_builder_is_a_project_error_before_anything_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    without_builder(monkeypatch, Cloud.GCP)
    with pytest.raises(CloudNotSupported, match="no builder yet"):
        record_environment(load_spec("gcp-dev"))


# -- the JSON shape ---------------------------------------------------------------------------
def test_to_dict_has_the_documented_keys_and_types(aws_dev: Preview) -> None:
    payload = aws_dev.to_dict()

    types = {key: type(value) for key, value in payload.items()}
    assert types == {
        "environment": str, "cloud": str, "region": str, "passed": bool, "seconds": float,
        "summary": dict, "resources": list, "cost": dict, "policy": dict, "api_reach": dict,
    }  # fmt: skip
    assert payload["api_reach"]["deployer_access"] == "private-network"
    assert payload["api_reach"]["resources"] and all(
        r.startswith("kubernetes:") for r in payload["api_reach"]["resources"]
    )
    assert (payload["environment"], payload["cloud"], payload["region"]) == ("aws-dev", "aws", "us-east-1")
    assert payload["passed"] is aws_dev.passed
    assert payload["cost"] == aws_dev.cost.to_dict()
    assert payload["policy"] == aws_dev.policy.to_dict()


def test_to_dict_is_plain_json(aws_dev: Preview) -> None:
    payload = aws_dev.to_dict()

    assert json.loads(json.dumps(payload)) == payload


def test_each_resource_carries_its_type_name_parent_options_and_inputs(aws_dev: Preview) -> None:
    resources = aws_dev.to_dict()["resources"]

    assert len(resources) == len(aws_dev.resources)
    keys = {"type", "name", "parent", "custom", "protect", "retain_on_delete", "inputs"}
    assert all(set(r) == keys for r in resources)
    present = {(r["type"], r["name"]) for r in resources}
    for entry, recorded in zip(resources, aws_dev.resources, strict=True):
        assert (entry["type"], entry["name"]) == (recorded.type, recorded.name)
        assert (entry["custom"], entry["protect"], entry["retain_on_delete"]) == (
            recorded.custom, recorded.protect, recorded.retain_on_delete,
        )  # fmt: skip
        assert entry["inputs"] == recorded.inputs
        if entry["type"] == ENVIRONMENT_TYPE:
            assert entry["parent"] is None
        else:
            assert set(entry["parent"]) == {"type", "name"}
            assert (entry["parent"]["type"], entry["parent"]["name"]) in present


def test_the_data_buckets_options_reach_the_json(aws_dev: Preview) -> None:
    buckets = [r for r in aws_dev.to_dict()["resources"] if r["type"] == "aws:s3/bucket:Bucket"]
    buckets = [b for b in buckets if not b["name"].endswith("-access-logs")]  # logs, not a spec bucket

    assert len(buckets) == len(aws_dev.env.buckets)
    assert all(b["protect"] and b["retain_on_delete"] and b["custom"] for b in buckets)


def test_the_inputs_in_the_json_are_the_ones_the_program_passed(aws_dev: Preview) -> None:
    (cluster,) = [r for r in aws_dev.to_dict()["resources"] if r["type"] == "aws:eks/cluster:Cluster"]

    assert cluster["inputs"]["version"] == aws_dev.env.cluster.kubernetes_version
    assert cluster["inputs"]["vpcConfig"]["endpointPublicAccess"] is aws_dev.env.cluster.public_endpoint


def test_the_summary_counts_what_would_be_created(aws_dev: Preview) -> None:
    summary = aws_dev.to_dict()["summary"]

    custom = [r for r in aws_dev.resources if r.custom]
    assert summary["create"] == len(custom) == sum(summary["by_type"].values())
    assert set(summary["by_type"]) == {r.type for r in custom}
    assert all(not t.startswith("aimodel:") for t in summary["by_type"]), "components are not created"
