"""The GCP policy checks on the recorded gcp-dev graph: clean as built, and each rule fires when the
one property it protects is changed (so no check passes by reading nothing)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from aimodel_infra.gcp.policy import CHECKS
from aimodel_infra.policy.engine import PolicyReport, evaluate
from aimodel_infra.policy.rules import RULES, Severity
from aimodel_infra.spec.models import Environment
from aimodel_infra.testing import RecordedResource, ResourceGraph

from .example_stack import named


def report(graph: ResourceGraph, env: Environment) -> PolicyReport:
    return evaluate(graph, env, CHECKS)


def changed(graph: ResourceGraph, resource: RecordedResource, **fields: Any) -> ResourceGraph:
    """``graph`` with one resource's fields replaced (inputs merged key by key at the top level)."""
    if "inputs" in fields:
        fields["inputs"] = {**resource.inputs, **fields["inputs"]}
    swapped = dataclasses.replace(resource, **fields)
    resources = [swapped if r.urn == resource.urn else r for r in graph.resources]
    return dataclasses.replace(graph, resources=resources)


def fired(graph: ResourceGraph, env: Environment, rule: str) -> list[str]:
    return [f.message for f in report(graph, env).for_rule(rule)]


def test_every_shared_rule_is_checked_on_gcp() -> None:
    assert CHECKS.rule_ids == list(RULES)


def test_the_example_stack_passes_with_only_the_quota_advice(graph: ResourceGraph, gcp_env: Environment) -> None:
    result = report(graph, gcp_env)
    assert result.passed
    assert {f.rule for f in result.findings} == {"gpu-quota"}
    assert all(f.severity is Severity.ADVISORY for f in result.findings)


def test_the_preview_graph_with_unknown_outputs_passes_too(preview_graph: ResourceGraph, gcp_env: Environment) -> None:
    assert report(preview_graph, gcp_env).passed


def test_quota_advice_names_each_metric_and_the_global_total(graph: ResourceGraph, gcp_env: Environment) -> None:
    messages = fired(graph, gcp_env, "gpu-quota")
    expected = [
        "needs 16 GPUs of quota NVIDIA_H100_GPUS in us-central1",
        "needs 4 GPUs of quota NVIDIA_L4_GPUS in us-central1",
        "needs 16 GPUs of quota PREEMPTIBLE_NVIDIA_H100_GPUS in us-central1",
        "needs 4 GPUs of quota PREEMPTIBLE_NVIDIA_T4_GPUS in us-central1",
        "needs 40 GPUs of quota GPUS_ALL_REGIONS across all regions",
    ]
    assert [m.split(" at maximum")[0] for m in messages] == expected


def bucket(graph: ResourceGraph, name: str) -> RecordedResource:
    return named(graph, "gcp:storage/bucket:Bucket", f"gcp-dev-{name}")


@pytest.mark.parametrize(
    ("rule", "inputs", "expected"),
    [
        ("no-public-buckets", {"publicAccessPrevention": "inherited"}, "public_access_prevention is 'inherited'"),
        ("no-public-buckets", {"uniformBucketLevelAccess": False}, "object ACLs are on"),
        ("versioned-checkpoints", {"versioning": {"enabled": False}}, "checkpoints bucket without versioning"),
        ("data-buckets-protected", {"forceDestroy": True}, "lacks force_destroy=false"),
        ("encryption-at-rest", {"encryption": None}, "spec asks for a customer key"),
    ],
)
def test_bucket_rules_fire_on_the_property_they_protect(
    graph: ResourceGraph, gcp_env: Environment, rule: str, inputs: dict[str, Any], expected: str
) -> None:
    target = bucket(graph, "checkpoints")
    assert not fired(graph, gcp_env, rule)
    messages = fired(changed(graph, target, inputs=inputs), gcp_env, rule)
    assert any(expected in m for m in messages), messages


def test_node_vms_must_carry_the_labels_themselves(graph: ResourceGraph, gcp_env: Environment) -> None:
    """Provider default labels reach buckets but not the VMs GKE creates: the pool must pass them."""
    pool = named(graph, "gcp:container/nodePool:NodePool", "train-spot")
    config = {**pool.inputs["nodeConfig"], "resourceLabels": {"team": "ml-platform"}}
    messages = fired(changed(graph, pool, inputs={"nodeConfig": config}), gcp_env, "required-tags")
    assert [m.split(": ", 1)[1] for m in messages] == [
        "missing environment labels aimodel-environment, managed-by; pass the environment's labels"
    ]
    target = bucket(graph, "models")
    assert not fired(changed(graph, target, inputs={"labels": {}}), gcp_env, "required-tags")


def test_an_unprotected_data_bucket_is_found(graph: ResourceGraph, gcp_env: Environment) -> None:
    target = bucket(graph, "models")
    messages = fired(changed(graph, target, protect=False, retain_on_delete=False), gcp_env, "data-buckets-protected")
    assert messages == [
        f"gcp:storage/bucket:Bucket {target.name!r}: models bucket lacks protect, retain_on_delete, so a destroy "
        "or replace would delete its data; keep 'deletion_protection: true'"
    ]


def test_a_grant_to_all_users_makes_a_bucket_public(graph: ResourceGraph, gcp_env: Environment) -> None:
    grant = graph.of_type("gcp:storage/bucketIAMMember:BucketIAMMember")[0]
    messages = fired(changed(graph, grant, inputs={"member": "allUsers"}), gcp_env, "no-public-buckets")
    assert any("allUsers" in m for m in messages)


def test_cluster_rules_fire_on_the_property_they_protect(graph: ResourceGraph, gcp_env: Environment) -> None:
    cluster = graph.one("gcp:container/cluster:Cluster")
    private = cluster.inputs["privateClusterConfig"]
    public_nodes = changed(graph, cluster, inputs={"privateClusterConfig": {**private, "enablePrivateNodes": False}})
    assert fired(public_nodes, gcp_env, "gpu-nodes-private")
    plain = changed(graph, cluster, inputs={"databaseEncryption": {"state": "DECRYPTED"}})
    assert any("not encrypted with a Cloud KMS key" in m for m in fired(plain, gcp_env, "encryption-at-rest"))
    open_endpoint = changed(
        graph,
        cluster,
        inputs={
            "privateClusterConfig": {**private, "enablePrivateEndpoint": False},
            "masterAuthorizedNetworksConfig": {"cidrBlocks": [{"cidrBlock": "0.0.0.0/0"}]},
        },
    )
    assert any("open to 0.0.0.0/0" in m for m in fired(open_endpoint, gcp_env, "cluster-endpoint-restricted"))
    no_networks = changed(
        graph,
        cluster,
        inputs={
            "privateClusterConfig": {**private, "enablePrivateEndpoint": False},
            "masterAuthorizedNetworksConfig": None,
        },
    )
    assert fired(no_networks, gcp_env, "cluster-endpoint-restricted")


def test_a_pool_exposing_the_node_metadata_is_found(graph: ResourceGraph, gcp_env: Environment) -> None:
    pool = named(graph, "gcp:container/nodePool:NodePool", "train-spot")
    config = {**pool.inputs["nodeConfig"], "workloadMetadataConfig": {"mode": "GCE_METADATA"}, "metadata": {}}
    messages = fired(changed(graph, pool, inputs={"nodeConfig": config}), gcp_env, "imdsv2-required")
    assert len(messages) == 2 and "GKE_METADATA" in messages[0]


def test_an_external_ip_on_a_vm_template_is_found(graph: ResourceGraph, gcp_env: Environment) -> None:
    template = graph.one("gcp:compute/regionInstanceTemplate:RegionInstanceTemplate")
    interfaces = [{**template.inputs["networkInterfaces"][0], "accessConfigs": [{}]}]
    changed_graph = changed(graph, template, inputs={"networkInterfaces": interfaces})
    assert any("external IP" in m for m in fired(changed_graph, gcp_env, "gpu-nodes-private"))


@pytest.mark.parametrize(
    ("type_", "role"),
    [
        ("gcp:projects/iAMMember:IAMMember", "roles/editor"),
        ("gcp:projects/iAMMember:IAMMember", "roles/storage.objectViewer"),
        ("gcp:storage/bucketIAMMember:BucketIAMMember", "roles/storage.admin"),
        ("gcp:serviceaccount/iAMMember:IAMMember", "roles/iam.serviceAccountTokenCreator"),
    ],
)
def test_broad_or_project_wide_roles_are_found(
    graph: ResourceGraph, gcp_env: Environment, type_: str, role: str
) -> None:
    grant = graph.of_type(type_)[0]
    messages = fired(changed(graph, grant, inputs={"role": role}), gcp_env, "no-wildcard-iam")
    assert any(role in m for m in messages), messages


def test_a_budget_without_channels_is_found(graph: ResourceGraph, gcp_env: Environment) -> None:
    budget = graph.one("gcp:billing/budget:Budget")
    silent = changed(graph, budget, inputs={"allUpdatesRule": {"monitoringNotificationChannels": []}})
    assert fired(silent, gcp_env, "budget-alerts") == [
        f"gcp:billing/budget:Budget {budget.name!r}: budget notifies no monitoring channel; add alert_emails"
    ]
