"""The AKS cluster: private, Entra-only, workload identity, KMS secrets, overlay CNI, NAT egress, one inline pool."""

from __future__ import annotations

import yaml

from aimodel_infra.testing import ResourceGraph

from .example_stack import SUBSCRIPTION
from .view import (
    AKS_RBAC_CLUSTER_ADMIN,
    CLUSTER,
    IDENTITY,
    KEY_VAULT_CRYPTO_USER,
    NETWORK_CONTRIBUTOR,
    SUBNET,
    assignments,
    one,
)

KEY = "azure-native:keyvault:Key"


def test_the_api_server_is_private_and_has_no_open_ranges(dev: ResourceGraph) -> None:
    access = one(dev, CLUSTER).inputs["apiServerAccessProfile"]
    assert access == {"enablePrivateCluster": True}


def test_a_public_endpoint_is_limited_to_the_allowed_cidrs(graph_of, document_variant) -> None:
    doc = document_variant(cluster={"public_endpoint": True, "allowed_cidrs": ["203.0.113.0/24"]})
    access = one(graph_of(doc), CLUSTER).inputs["apiServerAccessProfile"]
    assert access == {"enablePrivateCluster": False, "authorizedIPRanges": ["203.0.113.0/24"]}


def test_overlay_cni_with_the_spec_ranges_and_nat_gateway_egress(dev: ResourceGraph) -> None:
    network = one(dev, CLUSTER).inputs["networkProfile"]
    assert (network["networkPlugin"], network["networkPluginMode"]) == ("azure", "overlay")
    assert (network["podCidr"], network["serviceCidr"], network["dnsServiceIP"]) == (
        "10.244.0.0/16",
        "172.20.0.0/16",
        "172.20.0.10",
    )
    assert network["outboundType"] == "userAssignedNATGateway"


def test_entra_id_with_azure_rbac_and_no_local_accounts(dev: ResourceGraph) -> None:
    cluster = one(dev, CLUSTER).inputs
    assert cluster["aadProfile"]["managed"] is True and cluster["aadProfile"]["enableAzureRBAC"] is True
    assert cluster["disableLocalAccounts"] is True and cluster["enableRBAC"] is True


def test_the_deployer_is_cluster_admin_on_this_cluster_only(dev: ResourceGraph) -> None:
    (admin,) = assignments(dev, AKS_RBAC_CLUSTER_ADMIN)
    cluster = one(dev, CLUSTER)
    assert admin.inputs["scope"] == cluster.id
    assert admin.inputs["principalId"] == "00000000-0000-0000-0000-0000000000b1"  # getClientConfig objectId
    assert admin.inputs["principalType"] == "User"


def test_a_ci_deployer_is_assigned_as_a_service_principal(graph_of, document_variant) -> None:
    doc = document_variant(azure={"deployer_principal_type": "ServicePrincipal"})
    (admin,) = assignments(graph_of(doc), AKS_RBAC_CLUSTER_ADMIN)
    assert admin.inputs["principalType"] == "ServicePrincipal"


def test_oidc_issuer_and_workload_identity_are_on(dev: ResourceGraph) -> None:
    cluster = one(dev, CLUSTER).inputs
    assert cluster["oidcIssuerProfile"] == {"enabled": True}
    assert cluster["securityProfile"]["workloadIdentity"] == {"enabled": True}


def test_secrets_are_encrypted_with_the_versioned_key_the_cluster_identity_may_use(dev: ResourceGraph) -> None:
    cluster, key = one(dev, CLUSTER), one(dev, KEY, "azure-dev-cluster-secrets-key")
    kms = cluster.inputs["securityProfile"]["azureKeyVaultKms"]
    assert kms["enabled"] is True and kms["keyId"] == key.outputs["keyUriWithVersion"]
    (grant,) = assignments(dev, KEY_VAULT_CRYPTO_USER)
    identity = one(dev, IDENTITY, "azure-dev-cluster-identity")
    assert grant.inputs["scope"] == key.id and grant.inputs["principalId"] == identity.outputs["principalId"]
    assert grant.urn in cluster.dependencies


def test_the_control_plane_identity_is_user_assigned_and_network_contributor_on_the_subnet(dev: ResourceGraph) -> None:
    cluster, identity, subnet = one(dev, CLUSTER), one(dev, IDENTITY, "azure-dev-cluster-identity"), one(dev, SUBNET)
    assert cluster.inputs["identity"] == {"type": "UserAssigned", "userAssignedIdentities": [identity.id]}
    (grant,) = assignments(dev, NETWORK_CONTRIBUTOR)
    assert grant.inputs["scope"] == subnet.id and grant.inputs["principalType"] == "ServicePrincipal"
    assert grant.inputs["roleDefinitionId"].startswith(f"/subscriptions/{SUBSCRIPTION}/providers/")
    assert grant.urn in cluster.dependencies


def test_upgrades_follow_patch_releases_and_weekly_node_images(dev: ResourceGraph) -> None:
    assert one(dev, CLUSTER).inputs["autoUpgradeProfile"] == {
        "upgradeChannel": "patch",
        "nodeOSUpgradeChannel": "NodeImage",
    }


def test_version_tier_and_node_resource_group(dev: ResourceGraph) -> None:
    cluster = one(dev, CLUSTER).inputs
    assert cluster["kubernetesVersion"] == "1.35"
    assert cluster["sku"] == {"name": "Base", "tier": "Standard"}
    assert cluster["supportPlan"] == "KubernetesOfficial"
    assert cluster["nodeResourceGroup"] == "azure-dev-aks-nodes"


def test_premium_runs_an_lts_only_version_under_long_term_support(graph_of, document_variant) -> None:
    doc = document_variant(cluster={"kubernetes_version": "1.33"}, azure={"cluster_tier": "Premium"})
    cluster = one(graph_of(doc), CLUSTER).inputs
    assert (cluster["kubernetesVersion"], cluster["sku"]["tier"], cluster["supportPlan"]) == (
        "1.33",
        "Premium",
        "AKSLongTermSupport",
    )


def test_only_the_system_pool_is_inline_and_it_takes_critical_add_ons_only(dev: ResourceGraph) -> None:
    (system,) = one(dev, CLUSTER).inputs["agentPoolProfiles"]
    assert (system["name"], system["mode"], system["vmSize"], system["count"]) == (
        "system",
        "System",
        "Standard_D4s_v5",
        2,
    )
    assert system["nodeTaints"] == ["CriticalAddonsOnly=true:NoSchedule"]
    assert system["osDiskType"] == "Managed" and system["enableNodePublicIP"] is False
    assert system["vnetSubnetID"] == one(dev, SUBNET).id


def test_the_kubeconfig_is_a_secret_kubelogin_config(dev: ResourceGraph) -> None:
    assert "kubeconfig" in dev.secret_outputs
    config = yaml.safe_load(dev.stack_outputs["kubeconfig"])
    assert config["users"][0]["user"]["exec"]["command"] == "kubelogin"
    (call,) = [args for token, args in dev.invokes if token.endswith(":listManagedClusterUserCredentials")]
    assert call["format"] == "exec" and call["resourceName"] == one(dev, CLUSTER).outputs["name"]


def test_deletion_protection_locks_and_protects_the_cluster(graph_of, document_variant, dev) -> None:
    lock_type = "azure-native:authorization:ManagementLockByScope"
    graph = graph_of(document_variant(cluster={"deletion_protection": True}))
    cluster = one(graph, CLUSTER)
    lock = one(graph, lock_type, "azure-dev-cluster-lock")
    assert (lock.inputs["scope"], lock.inputs["level"], cluster.protect) == (cluster.id, "CanNotDelete", True)
    assert not one(dev, CLUSTER).protect and [r for r in dev.of_type(lock_type) if "cluster" in r.name] == []
