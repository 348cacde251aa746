"""The GKE cluster: regional, private, VPC-native, Dataplane V2, Workload Identity, KMS-encrypted
secrets, logs and GPU metrics, a version GKE offers, explicit deletion protection, a system pool."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml

from aimodel_infra.gcp.cluster import offered_version
from aimodel_infra.testing import ResourceGraph

from .example_stack import named, run_document

CLUSTER = "gcp:container/cluster:Cluster"
NODE_POOL = "gcp:container/nodePool:NodePool"


def test_the_cluster_is_regional_with_its_default_pool_removed(graph: ResourceGraph) -> None:
    cluster = graph.one(CLUSTER)
    assert cluster.inputs["location"] == "us-central1"
    assert cluster.inputs["removeDefaultNodePool"] is True
    # The short-lived default pool runs as our node account, not the Compute default one.
    node_account = named(graph, "gcp:serviceaccount/account:Account", "cluster-nodes")
    assert cluster.inputs["nodeConfig"]["serviceAccount"] == node_account.outputs["email"]
    assert set(cluster.ignore_changes) >= {"nodeConfig", "initialNodeCount"}


def test_nodes_and_endpoint_are_private_and_authorized_networks_are_enforced(graph: ResourceGraph) -> None:
    cluster = graph.one(CLUSTER)
    private = cluster.inputs["privateClusterConfig"]
    assert private["enablePrivateNodes"] is True
    assert private["enablePrivateEndpoint"] is True
    assert private["masterIpv4CidrBlock"] == "172.16.0.32/28"
    assert private["masterGlobalAccessConfig"] == {"enabled": False}
    assert cluster.inputs["masterAuthorizedNetworksConfig"]["cidrBlocks"] == []
    assert cluster.inputs["masterAuth"]["clientCertificateConfig"]["issueClientCertificate"] is False
    assert cluster.inputs["enableLegacyAbac"] is False


def test_a_public_endpoint_admits_only_the_allowed_cidrs(document_variant: Callable[..., dict[str, Any]]) -> None:
    spec = {"public_endpoint": True, "allowed_cidrs": ["203.0.113.0/24"]}
    cluster = run_document(document_variant(cluster=spec), preview=True).one(CLUSTER)
    assert cluster.inputs["privateClusterConfig"]["enablePrivateEndpoint"] is False
    networks = cluster.inputs["masterAuthorizedNetworksConfig"]
    assert [b["cidrBlock"] for b in networks["cidrBlocks"]] == ["203.0.113.0/24"]
    assert networks["gcpPublicCidrsAccessEnabled"] is False


def test_the_cluster_is_vpc_native_on_the_subnet_ranges_with_dataplane_v2(graph: ResourceGraph) -> None:
    cluster = graph.one(CLUSTER)
    assert cluster.inputs["networkingMode"] == "VPC_NATIVE"
    assert cluster.inputs["ipAllocationPolicy"] == {
        "clusterSecondaryRangeName": "pods",
        "servicesSecondaryRangeName": "services",
    }
    assert cluster.inputs["datapathProvider"] == "ADVANCED_DATAPATH"
    assert cluster.inputs["subnetwork"] == graph.one("gcp:compute/subnetwork:Subnetwork").id


def test_workload_identity_release_channel_and_version(graph: ResourceGraph) -> None:
    cluster = graph.one(CLUSTER)
    assert cluster.inputs["workloadIdentityConfig"] == {"workloadPool": "ml-platform-dev-4821.svc.id.goog"}
    assert cluster.inputs["releaseChannel"] == {"channel": "REGULAR"}
    assert cluster.inputs["minMasterVersion"] == "1.35"
    versions = [args for token, args in graph.invokes if token == "gcp:container/getEngineVersions:getEngineVersions"]
    assert versions == [{"location": "us-central1", "project": "ml-platform-dev-4821", "versionPrefix": "1.35."}]


def test_a_version_gke_does_not_offer_stops_the_deploy_with_the_offered_ones() -> None:
    with pytest.raises(ValueError, match=r"offers no Kubernetes 1\.29 release \(offered: 1\.32, 1\.33\)"):
        offered_version("1.29", "us-central1", ["1.33.5-gke.1308000", "1.32.9-gke.1130000"])
    assert offered_version("1.33", "us-central1", ["1.33.5-gke.1308000"]) == "1.33"


def test_secrets_are_encrypted_with_a_regional_key_the_gke_agent_was_granted_first(graph: ResourceGraph) -> None:
    cluster = graph.one(CLUSTER)
    key = named(graph, "gcp:kms/cryptoKey:CryptoKey", "cluster-secrets")
    ring = named(graph, "gcp:kms/keyRing:KeyRing", "cluster-secrets")
    assert ring.inputs["location"] == "us-central1"
    assert key.inputs["keyRing"] == ring.id
    assert key.inputs["rotationPeriod"] == "7776000s"
    assert cluster.inputs["databaseEncryption"] == {"state": "ENCRYPTED", "keyName": key.id}
    grant = named(graph, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "gke-agent")
    assert grant.inputs["cryptoKeyId"] == key.id
    assert grant.inputs["role"] == "roles/cloudkms.cryptoKeyEncrypterDecrypter"
    assert grant.inputs["member"].endswith("@container-engine-robot.iam.gserviceaccount.com")
    assert grant.urn in cluster.dependencies


def test_logs_gpu_metrics_shielded_nodes_and_labels(graph: ResourceGraph) -> None:
    cluster = graph.one(CLUSTER)
    assert cluster.inputs["loggingConfig"]["enableComponents"] == [
        "SYSTEM_COMPONENTS", "APISERVER", "CONTROLLER_MANAGER", "SCHEDULER", "WORKLOADS"
    ]  # fmt: skip
    monitoring = cluster.inputs["monitoringConfig"]
    assert "DCGM" in monitoring["enableComponents"]
    assert monitoring["managedPrometheus"] == {"enabled": True}
    assert cluster.inputs["enableShieldedNodes"] is True
    assert cluster.inputs["resourceLabels"]["aimodel-environment"] == "gcp-dev"


def test_deletion_protection_is_explicitly_off_by_default(graph: ResourceGraph) -> None:
    cluster = graph.one(CLUSTER)
    assert cluster.inputs["deletionProtection"] is False
    assert not cluster.protect


def test_deletion_protection_on_asks_gke_to_refuse_deleting(document_variant: Callable[..., dict[str, Any]]) -> None:
    cluster = run_document(document_variant(cluster={"deletion_protection": True}), preview=True).one(CLUSTER)
    assert cluster.inputs["deletionProtection"] is True


def test_the_system_pool_is_exactly_system_nodes_on_demand_e2_nodes(graph: ResourceGraph) -> None:
    pool = named(graph, NODE_POOL, "cluster-system")
    assert pool.inputs["nodeConfig"]["machineType"] == "e2-standard-4"
    assert pool.inputs["nodeCount"] * len(pool.inputs["nodeLocations"]) == 2
    assert pool.inputs["nodeConfig"].get("spot") in (None, False)
    assert pool.inputs["nodeConfig"]["workloadMetadataConfig"] == {"mode": "GKE_METADATA"}
    assert pool.inputs["cluster"] == graph.one(CLUSTER).id


def test_the_kubeconfig_uses_the_gke_auth_plugin_against_the_endpoint(graph: ResourceGraph) -> None:
    config = yaml.safe_load(graph.stack_outputs["kubeconfig"])
    cluster = graph.one(CLUSTER)
    assert config["clusters"][0]["cluster"]["server"] == f"https://{cluster.outputs['endpoint']}"
    assert (
        config["clusters"][0]["cluster"]["certificate-authority-data"]
        == (cluster.outputs["masterAuth"]["clusterCaCertificate"])
    )
    plugin = config["users"][0]["user"]["exec"]
    assert plugin["command"] == "gke-gcloud-auth-plugin"
    assert plugin["provideClusterInfo"] is True
    assert plugin["apiVersion"] == "client.authentication.k8s.io/v1beta1"
