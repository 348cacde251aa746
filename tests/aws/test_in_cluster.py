"""EKS in-cluster software: device plugin, cluster-autoscaler with IRSA, gp3 storage class, service accounts."""

from __future__ import annotations

import json

import pytest

from aimodel_infra.aws.in_cluster import autoscaler_policy
from aimodel_infra.aws.policy.iam import statement_wildcards
from aimodel_infra.errors import SpecError
from aimodel_infra.graph import RecordedResource, ResourceGraph
from aimodel_infra.preview import record_environment
from aimodel_infra.spec import load_spec, parse_environment
from aimodel_infra.spec.loader import environment_document, read_document

from .example_stack import STACK_FILE, mocks_run

RELEASE = "kubernetes:helm.sh/v3:Release"
SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount"


def release(graph: ResourceGraph, chart: str) -> RecordedResource:
    (found,) = [r for r in graph.of_type(RELEASE) if r.inputs["chart"] == chart]
    return found


@pytest.fixture(scope="module")
def graph() -> ResourceGraph:
    return mocks_run()


def test_charts_are_pinned_to_exact_versions(graph: ResourceGraph) -> None:
    for r in graph.of_type(RELEASE):
        assert r.inputs["version"].count(".") == 2 and not any(c in r.inputs["version"] for c in "^~*x"), r.name


def test_the_autoscaler_discovers_exactly_this_clusters_groups(graph: ResourceGraph) -> None:
    values = release(graph, "cluster-autoscaler").inputs["values"]
    cluster = graph.one("aws:eks/cluster:Cluster")
    assert values["cloudProvider"] == "aws"
    assert values["autoDiscovery"]["clusterName"] == cluster.outputs["name"]
    assert values["awsRegion"] == "us-east-1"


def test_the_autoscaler_tries_spot_first_and_removes_idle_nodes_after_ten_minutes(graph: ResourceGraph) -> None:
    values = release(graph, "cluster-autoscaler").inputs["values"]
    assert values["extraArgs"]["expander"] == "priority"
    assert values["extraArgs"]["scale-down-unneeded-time"] == "10m"
    ranked = sorted(values["expanderPriorities"].items(), key=lambda kv: -int(kv[0]))
    assert "spot" in ranked[0][1][0] and "on-demand" in ranked[-1][1][0]


def test_the_autoscaler_runs_on_the_system_pool_as_its_own_irsa_role(graph: ResourceGraph) -> None:
    values = release(graph, "cluster-autoscaler").inputs["values"]
    assert values["nodeSelector"] == {"aimodel-infra/pool": "system"}
    role = graph.one("aws:iam/role:Role", "aws-dev-in-cluster-autoscaler")
    annotations = values["rbac"]["serviceAccount"]["annotations"]
    assert annotations == {"eks.amazonaws.com/role-arn": role.outputs["arn"]}
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]["Condition"]["StringEquals"]
    assert any(v == "system:serviceaccount:kube-system:cluster-autoscaler" for v in trust.values())


def test_the_autoscaler_may_only_scale_groups_tagged_for_this_cluster() -> None:
    policy = autoscaler_policy("aws-dev-cluster-1a2b3c4", "us-east-1", "123456789012")
    scale = next(s for s in policy["Statement"] if "autoscaling:SetDesiredCapacity" in s["Action"])
    assert scale["Condition"] == {
        "StringEquals": {"aws:ResourceTag/k8s.io/cluster-autoscaler/aws-dev-cluster-1a2b3c4": "owned"}
    }
    assert scale["Resource"].startswith("arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:")
    assert all(statement_wildcards(s) == [] for s in policy["Statement"])  # passes no-wildcard-iam


def test_each_pool_has_a_service_account_annotated_with_the_role_the_stack_exports(graph: ResourceGraph) -> None:
    identities = graph.stack_outputs["workload_identities"]
    accounts = {r.inputs["metadata"]["name"]: r.inputs["metadata"] for r in graph.of_type(SERVICE_ACCOUNT)}
    assert set(accounts) == {"train", "infer"}  # node pools; the batch VM group uses its instance role
    for pool, metadata in accounts.items():
        assert metadata["namespace"] == "aimodel"
        assert metadata["annotations"] == {"eks.amazonaws.com/role-arn": identities[pool]}


def test_the_default_storage_class_is_encrypted_gp3_on_the_ebs_csi_driver(graph: ResourceGraph) -> None:
    (sc,) = graph.of_type("kubernetes:storage.k8s.io/v1:StorageClass")
    assert sc.inputs["provisioner"] == "ebs.csi.aws.com"
    assert sc.inputs["parameters"] == {"type": "gp3", "encrypted": "true"}
    assert sc.inputs["metadata"]["annotations"]["storageclass.kubernetes.io/is-default-class"] == "true"


def test_every_kubernetes_object_goes_through_the_provider_built_from_the_clusters_kubeconfig(graph) -> None:
    (provider,) = graph.of_type("pulumi:providers:kubernetes")
    for r in graph.resources:
        if r.type.startswith("kubernetes:"):
            assert r.provider and r.provider.startswith(provider.urn), r.name


def test_releases_wait_for_the_system_nodes(graph: ResourceGraph) -> None:
    system = graph.one("aws:eks/nodeGroup:NodeGroup", "aws-dev-cluster-system")
    for r in graph.of_type(RELEASE):
        assert system.urn in r.dependencies, r.name


def test_nothing_in_cluster_is_created_when_the_spec_turns_it_off() -> None:
    document = environment_document(read_document(STACK_FILE), source=str(STACK_FILE))
    document["cluster"]["in_cluster"] = {"enabled": False}
    graph = record_environment(parse_environment(document))
    assert not [r for r in graph.resources if r.type.startswith(("kubernetes:", "pulumi:providers:kubernetes"))]
    assert not graph.of_type("aimodel:aws:InCluster")


def test_allowed_cidrs_access_with_a_private_endpoint_cannot_work_and_validate_says_so() -> None:
    document = environment_document(read_document(STACK_FILE), source=str(STACK_FILE))
    document["cluster"]["in_cluster"] = {"deployer_access": "allowed-cidrs"}
    with pytest.raises(SpecError, match="could not reach it"):
        parse_environment(document)


def test_the_example_stack_deploys_from_inside_the_network_by_default() -> None:
    assert load_spec("aws-dev").cluster.in_cluster.deployer_access.value == "private-network"
