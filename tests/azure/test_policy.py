"""The Azure policy checks on the recorded graph: the example passes, and each way of breaking a rule is found."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from aimodel_infra.azure.policy import CHECKS, REMEDIES
from aimodel_infra.policy.engine import PolicyReport, evaluate
from aimodel_infra.policy.rules import RULES, Severity
from aimodel_infra.spec.models import Environment
from aimodel_infra.testing import RecordedResource, ResourceGraph

from .view import ACCOUNT, AGENT_POOL, CLUSTER, CONTAINER, ROLE

AWS_ONLY = {"imdsv2-required"}


def mutated(graph: ResourceGraph, type_: str, change: Callable[[RecordedResource], RecordedResource]) -> ResourceGraph:
    resources = [change(r) if r.type == type_ else r for r in graph.resources]
    return dataclasses.replace(graph, resources=resources)


def with_inputs(**inputs: Any) -> Callable[[RecordedResource], RecordedResource]:
    return lambda r: dataclasses.replace(r, inputs={**r.inputs, **inputs})


def findings(report: PolicyReport, rule: str) -> list[str]:
    return [f.message for f in report.for_rule(rule)]


def test_azure_checks_every_shared_rule_and_says_how_to_fix_each() -> None:
    assert set(CHECKS.rule_ids) == set(RULES) - AWS_ONLY
    assert set(REMEDIES) == set(CHECKS.rule_ids)


def test_the_example_stack_passes_with_quota_advice_only(dev: ResourceGraph, azure_env: Environment) -> None:
    report = evaluate(dev, azure_env, CHECKS)
    assert report.passed and report.mandatory == []
    assert {f.rule for f in report.advisory} == {"gpu-quota"}


def test_the_quota_preflight_counts_vcpus_per_size_and_spot_separately(dev, azure_env) -> None:
    advice = findings(evaluate(dev, azure_env, CHECKS), "gpu-quota")
    assert any(m.startswith("Standard_ND96isr_H100_v5 (Regular): up to 2 nodes x 96 vCPUs = 192") for m in advice)
    assert "Spot pools need up to 192 vCPUs of 'Total Regional Low-priority vCPUs' in eastus" in advice
    assert any("Microsoft.ContainerService" in m and "Microsoft.Compute" in m for m in advice)


@pytest.mark.parametrize(
    ("rule", "type_", "change", "expected"),
    [
        ("no-public-buckets", ACCOUNT, with_inputs(allowBlobPublicAccess=True), "public blob access"),
        ("no-public-buckets", ACCOUNT, with_inputs(allowSharedKeyAccess=True), "shared-key"),
        ("no-public-buckets", ACCOUNT, with_inputs(networkRuleSet={"defaultAction": "Allow"}), "any network"),
        ("no-public-buckets", CONTAINER, with_inputs(publicAccess="Blob"), "public access 'Blob'"),
        ("encryption-at-rest", AGENT_POOL, with_inputs(osDiskType="Ephemeral"), "not a managed"),
        ("encryption-at-rest", ACCOUNT, with_inputs(encryption={"keySource": "Microsoft.Storage"}), "customer-key"),
        ("encryption-at-rest", CLUSTER, with_inputs(securityProfile={}), "Key Vault key"),
        ("gpu-nodes-private", AGENT_POOL, with_inputs(enableNodePublicIP=True), "public IPs"),
        ("cluster-endpoint-restricted", CLUSTER, with_inputs(apiServerAccessProfile={}), "no authorized_ip_ranges"),
        (
            "cluster-endpoint-restricted",
            CLUSTER,
            with_inputs(apiServerAccessProfile={"authorizedIPRanges": ["0.0.0.0/0"]}),
            "open to 0.0.0.0/0",
        ),
        ("required-tags", ACCOUNT, with_inputs(tags={}), "missing environment tags"),
        ("data-buckets-protected", ACCOUNT, lambda r: dataclasses.replace(r, protect=False), "lacks protect"),
    ],
)
def test_each_broken_setting_is_a_mandatory_finding_naming_it(dev, azure_env, rule, type_, change, expected) -> None:
    report = evaluate(mutated(dev, type_, change), azure_env, CHECKS)
    messages = findings(report, rule)
    assert any(expected in m for m in messages), messages
    assert RULES[rule].severity is Severity.ADVISORY or not report.passed


def test_a_data_role_on_the_account_or_a_broad_role_is_found(dev, azure_env) -> None:
    def widen(r: RecordedResource) -> RecordedResource:
        scope = str(r.inputs["scope"]).split("/blobServices/")[0]
        return with_inputs(scope=scope)(r)

    assert any(
        "wider than one container" in m
        for m in findings(evaluate(mutated(dev, ROLE, widen), azure_env, CHECKS), "no-wildcard-iam")
    )
    owner = "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
    broad = evaluate(mutated(dev, ROLE, with_inputs(roleDefinitionId=owner)), azure_env, CHECKS)
    assert any("grants Owner" in m for m in findings(broad, "no-wildcard-iam"))


def test_missing_versioning_on_checkpoints_is_found(dev, azure_env) -> None:
    graph = mutated(dev, "azure-native:storage:BlobServiceProperties", with_inputs(isVersioningEnabled=False))
    assert len(findings(evaluate(graph, azure_env, CHECKS), "versioned-checkpoints")) == 2


def test_a_budget_without_contacts_is_found(dev, azure_env) -> None:
    graph = mutated(dev, "azure-native:consumption:Budget", with_inputs(notifications={}))
    assert findings(evaluate(graph, azure_env, CHECKS), "budget-alerts")


def test_a_data_account_without_its_lock_is_found(dev, azure_env) -> None:
    graph = dataclasses.replace(
        dev, resources=[r for r in dev.resources if r.type != "azure-native:authorization:ManagementLockByScope"]
    )
    messages = findings(evaluate(graph, azure_env, CHECKS), "data-buckets-protected")
    assert len(messages) == 2 and all("CanNotDelete management lock" in m for m in messages)
