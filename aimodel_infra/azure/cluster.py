"""The AKS cluster: private by default, Entra-only access, workload identity, KMS-encrypted secrets.

- A user-assigned control-plane identity with **Network Contributor** on the node subnet (a BYO
  subnet needs it [SRC Azure/terraform-azurerm-aks role_assignments.tf]) and **Key Vault Crypto
  User** on the secrets key (KMS "doesn't work with system-assigned managed identity" [SRC tf-aks]).
- Azure CNI Overlay (``network_plugin="azure"``, ``network_plugin_mode="overlay"``) with the spec's
  pod and service ranges, egress through the subnet's NAT gateway (``userAssignedNATGateway``).
- Private API server unless ``public_endpoint``; then only ``allowed_cidrs`` (``authorized_ip_ranges``).
- OIDC issuer and workload identity on; Entra ID auth with Azure RBAC, local accounts disabled.
  Whoever runs ``pulumi up`` gets **Azure Kubernetes Service RBAC Cluster Admin** on the cluster,
  as do ``azure.admin_group_object_ids``; the kubeconfig output uses ``kubelogin`` (format ``exec``).
- Upgrades: ``patch`` channel for Kubernetes, ``NodeImage`` for node OS images.
- The system pool inline (AKS requires one at creation; every other pool is a separate
  ``AgentPool``, because adding pools through the cluster PUT fails [ISSUE pulumi-azure-native#579]):
  fixed size, ``CriticalAddonsOnly`` taint, managed OS disk.
- ``cluster.deletion_protection``: Pulumi ``protect`` plus a ``CanNotDelete`` management lock on the cluster.
- ``node_resource_group`` is ours (``<env>-aks-nodes``) so the budget can watch the node VMs there.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import pulumi
import pulumi_azure_native.authorization as authorization
import pulumi_azure_native.containerservice as containerservice

from aimodel_infra.azure.cluster_plan import (
    AKS_RBAC_CLUSTER_ADMIN,
    KEY_VAULT_CRYPTO_USER,
    NETWORK_CONTRIBUTOR,
    NODE_OS_UPGRADE_CHANNEL,
    SYSTEM_DISK_GB,
    SYSTEM_MAX_SURGE,
    SYSTEM_TAINT,
    SYSTEM_VM_SIZE,
    UPGRADE_CHANNEL,
    support_plan,
)
from aimodel_infra.azure.context import AzureContext
from aimodel_infra.azure.in_cluster_plan import autoscaler_profile
from aimodel_infra.azure.names import SYSTEM_POOL_NAME, node_resource_group_name
from aimodel_infra.azure.network_plan import dns_service_ip
from aimodel_infra.azure.node_plan import zones_offering
from aimodel_infra.azure.roles import assign_role, user_assigned_identity
from aimodel_infra.azure.versions import aks_version, cluster_version
from aimodel_infra.conventions import POOL_LABEL
from aimodel_infra.spec.models import Cluster as ClusterSpec

if TYPE_CHECKING:
    from aimodel_infra.azure.keys import KeyVault
    from aimodel_infra.azure.network import Network

TYPE_TOKEN: Final = "aimodel:azure:Cluster"
KUBECONFIG_FORMAT: Final = "exec"
LOCK_NAME: Final = "aimodel-infra-protect"


def decode_kubeconfig(kubeconfigs: list[dict] | list) -> str:
    """The first kubeconfig of a credentials result (base64 in the API) as text."""
    first = kubeconfigs[0]
    value = first["value"] if isinstance(first, dict) else first.value
    return base64.b64decode(value).decode()


@dataclass(frozen=True)
class ClusterArgs:
    cluster: ClusterSpec
    context: AzureContext
    network: Network
    keys: KeyVault


class Cluster(pulumi.ComponentResource):
    """Exposes ``name``, ``id``, ``endpoint`` (FQDN of the API server), ``oidc_issuer_url``,
    ``kubeconfig`` (secret), ``version``, ``node_resource_group``, ``identity`` and ``managed_cluster``."""

    name: pulumi.Output[str]
    endpoint: pulumi.Output[str]
    oidc_issuer_url: pulumi.Output[str]
    kubeconfig: pulumi.Output[str]

    def __init__(self, name: str, args: ClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        spec, context, network = args.cluster, args.context, args.network
        settings = context.settings
        self.identity = user_assigned_identity(f"{name}-identity", context, self)
        principal = self.identity.principal_id
        subnet_role = assign_role(
            f"{name}-subnet-network-contributor",
            context,
            scope=network.node_subnet_id,
            role=NETWORK_CONTRIBUTOR,
            principal_id=principal,
            parent=self,
            description="AKS control plane joins nodes to the node subnet",
        )
        self.secrets_key = args.keys.key(f"{name}-secrets-key", "aks-secrets", rotate=False)
        key_role = assign_role(
            f"{name}-secrets-key-crypto-user",
            context,
            scope=self.secrets_key.id,
            role=KEY_VAULT_CRYPTO_USER,
            principal_id=principal,
            parent=self,
            description="AKS KMS encrypts Kubernetes secrets with this key",
        )
        self.node_resource_group = node_resource_group_name(context.env.name)
        kubernetes_version = cluster_version(spec, context.catalog)
        version = aks_version(context.catalog, kubernetes_version)
        self.managed_cluster = containerservice.ManagedCluster(
            f"{name}-aks",
            resource_group_name=context.resource_group_name,
            location=context.location,
            dns_prefix=context.env.name,
            kubernetes_version=kubernetes_version,
            sku=containerservice.ManagedClusterSKUArgs(name="Base", tier=settings.cluster_tier.value),
            support_plan=support_plan(settings.cluster_tier, version),
            identity=containerservice.ManagedClusterIdentityArgs(
                type="UserAssigned", user_assigned_identities=[self.identity.id]
            ),
            node_resource_group=self.node_resource_group,
            network_profile=containerservice.ContainerServiceNetworkProfileArgs(
                network_plugin="azure",
                network_plugin_mode="overlay",
                network_dataplane="cilium",
                network_policy="cilium",
                pod_cidr=str(context.env.network.pod_cidr),
                service_cidr=str(context.env.network.service_cidr),
                dns_service_ip=dns_service_ip(context.env.network),
                outbound_type="userAssignedNATGateway",
                load_balancer_sku="standard",
            ),
            api_server_access_profile=containerservice.ManagedClusterAPIServerAccessProfileArgs(
                enable_private_cluster=not spec.public_endpoint,
                authorized_ip_ranges=[str(c) for c in spec.allowed_cidrs] if spec.public_endpoint else None,
            ),
            aad_profile=containerservice.ManagedClusterAADProfileArgs(
                managed=True,
                enable_azure_rbac=True,
                tenant_id=context.tenant_id,
                admin_group_object_ids=list(settings.admin_group_object_ids) or None,
            ),
            disable_local_accounts=True,
            enable_rbac=True,
            oidc_issuer_profile=containerservice.ManagedClusterOIDCIssuerProfileArgs(enabled=True),
            security_profile=containerservice.ManagedClusterSecurityProfileArgs(
                workload_identity=containerservice.ManagedClusterSecurityProfileWorkloadIdentityArgs(enabled=True),
                azure_key_vault_kms=containerservice.AzureKeyVaultKmsArgs(
                    enabled=True, key_id=self.secrets_key.key_uri_with_version, key_vault_network_access="Public"
                ),
            ),
            auto_upgrade_profile=containerservice.ManagedClusterAutoUpgradeProfileArgs(
                upgrade_channel=UPGRADE_CHANNEL, node_os_upgrade_channel=NODE_OS_UPGRADE_CHANNEL
            ),
            auto_scaler_profile=containerservice.ManagedClusterPropertiesAutoScalerProfileArgs(
                **autoscaler_profile(spec.in_cluster.scale_down_unneeded_minutes)
            ),
            agent_pool_profiles=[self._system_pool(spec, context, network)],
            tags=context.tags_for(),
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=[subnet_role, key_role], protect=True if spec.deletion_protection else None
            ),
        )
        self.name = self.managed_cluster.name
        self.id = self.managed_cluster.id
        self.version = pulumi.Output.from_input(kubernetes_version)
        self.endpoint = self.managed_cluster.private_fqdn if not spec.public_endpoint else self.managed_cluster.fqdn
        self.oidc_issuer_url = self.managed_cluster.oidc_issuer_profile.apply(
            lambda profile: profile.issuer_url if profile else None
        )
        self.deployer_admin = self._admins(name, context)
        if spec.deletion_protection:
            authorization.ManagementLockByScope(
                f"{name}-lock",
                scope=self.id,
                lock_name=LOCK_NAME,
                level="CanNotDelete",
                notes="cluster.deletion_protection is on; set it to false and apply before destroying",
                opts=pulumi.ResourceOptions(parent=self),
            )
        credentials = containerservice.list_managed_cluster_user_credentials_output(
            resource_group_name=context.resource_group_name,
            resource_name=self.managed_cluster.name,
            format=KUBECONFIG_FORMAT,
            opts=pulumi.InvokeOutputOptions(parent=self),
        )
        self.kubeconfig = pulumi.Output.secret(credentials.kubeconfigs.apply(decode_kubeconfig))
        self.register_outputs({"name": self.name, "endpoint": self.endpoint, "kubeconfig": self.kubeconfig})

    def _system_pool(
        self, spec: ClusterSpec, context: AzureContext, network: Network
    ) -> containerservice.ManagedClusterAgentPoolProfileArgs:
        zones = zones_offering(context.catalog, context.location, SYSTEM_VM_SIZE)
        return containerservice.ManagedClusterAgentPoolProfileArgs(
            name=SYSTEM_POOL_NAME,
            mode="System",
            type="VirtualMachineScaleSets",
            vm_size=SYSTEM_VM_SIZE,
            count=spec.system_nodes,
            enable_auto_scaling=False,
            os_type="Linux",
            os_sku="Ubuntu",
            os_disk_type="Managed",
            os_disk_size_gb=SYSTEM_DISK_GB,
            vnet_subnet_id=network.node_subnet_id,
            enable_node_public_ip=False,
            node_taints=[SYSTEM_TAINT],
            node_labels={POOL_LABEL: SYSTEM_POOL_NAME},
            availability_zones=list(zones) or None,
            upgrade_settings=containerservice.AgentPoolUpgradeSettingsArgs(max_surge=SYSTEM_MAX_SURGE),
            tags=context.tags_for(**{"aimodel-compute": SYSTEM_POOL_NAME}),
        )

    def _admins(self, name: str, context: AzureContext) -> pulumi.Resource:
        return assign_role(
            f"{name}-deployer-cluster-admin",
            context,
            scope=self.id,
            role=AKS_RBAC_CLUSTER_ADMIN,
            principal_id=context.deployer_object_id,
            parent=self,
            principal_type=context.settings.deployer_principal_type.value,
            description="Whoever deploys the environment administers its cluster (local accounts are off)",
        )
