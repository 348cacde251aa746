"""Inputs whose change makes Azure (or the azure-native provider) replace a resource instead of updating it.

Keys are Pulumi's camelCase input names as recorded, top level only. Sources: resource names,
``location`` and ``resourceGroupName`` are part of every ARM resource id, so changing them is a new
resource; the rest are properties the SDK docstrings call immutable:
- AgentPool ``osDiskType``: "May not be changed after creation"; ``vmSize`` and ``scaleSetPriority``
  define the pool's VM scale set (AKS has no in-place resize); ``vnetSubnetID``/``availabilityZones``
  fix where its VMs live.
- ManagedCluster ``dnsPrefix``: "This cannot be updated once the Managed Cluster has been created";
  ``nodeResourceGroup`` is fixed at creation.
- Subnet ``defaultOutboundAccess``: "can only be set at the time of subnet creation".
- RoleAssignment: an assignment's scope, principal and role cannot be updated (a new one is made).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

_ARM = frozenset({"location", "resourceGroupName"})

REPLACED_ON_CHANGE: Final[Mapping[str, frozenset[str]]] = {
    "azure-native:resources:ResourceGroup": frozenset({"resourceGroupName", "location"}),
    "azure-native:network:VirtualNetwork": _ARM | {"virtualNetworkName"},
    "azure-native:network:Subnet": frozenset(
        {"resourceGroupName", "virtualNetworkName", "subnetName", "defaultOutboundAccess"}
    ),
    "azure-native:network:NatGateway": _ARM | {"natGatewayName", "zones"},
    "azure-native:network:PublicIPAddress": _ARM | {"publicIpAddressName", "zones", "sku"},
    "azure-native:network:NetworkSecurityGroup": _ARM | {"networkSecurityGroupName"},
    "azure-native:containerservice:ManagedCluster": _ARM | {"resourceName", "dnsPrefix", "nodeResourceGroup"},
    "azure-native:containerservice:AgentPool": frozenset(
        {
            "resourceGroupName",
            "resourceName",
            "agentPoolName",
            "vmSize",
            "osDiskType",
            "scaleSetPriority",
            "vnetSubnetID",
            "availabilityZones",
            "osType",
        }
    ),
    "azure-native:managedidentity:UserAssignedIdentity": _ARM | {"resourceName"},
    "azure-native:managedidentity:FederatedIdentityCredential": frozenset(
        {"resourceGroupName", "resourceName", "federatedIdentityCredentialResourceName"}
    ),
    "azure-native:authorization:RoleAssignment": frozenset(
        {"scope", "roleAssignmentName", "principalId", "roleDefinitionId"}
    ),
    "azure-native:authorization:ManagementLockByScope": frozenset({"scope", "lockName"}),
    "azure-native:keyvault:Vault": _ARM | {"vaultName"},
    "azure-native:keyvault:Key": frozenset({"resourceGroupName", "vaultName", "keyName"}),
    "azure-native:storage:StorageAccount": _ARM | {"accountName"},
    "azure-native:storage:BlobContainer": frozenset({"resourceGroupName", "accountName", "containerName"}),
    "azure-native:consumption:Budget": frozenset({"scope", "budgetName"}),
}
