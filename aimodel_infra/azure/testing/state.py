"""What Azure Resource Manager would answer for the resources the Azure builder creates, offline.

Every resource gets its real ARM id shape (``/subscriptions/<sub>/resourceGroups/<rg>/providers/
<namespace>/<type>/<name>``), auto-named names the way azure-native names them (the logical name
plus 8 random characters), and the computed outputs the program reads: the cluster's OIDC issuer
URL and FQDNs, identities' client and principal ids, key URIs, a vault's URI, storage endpoints.
Deterministic: the same program gives the same answers.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any

from aimodel_infra.testing.mocks import Computed, Res, hexdigest

SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000"
TENANT_ID = "00000000-0000-0000-0000-0000000000ee"

#: type -> (name input azure-native auto-names when absent, max length, ARM provider path, lowercase alnum only)
AUTONAMED: dict[str, tuple[str, int, bool]] = {
    "azure-native:resources:ResourceGroup": ("resourceGroupName", 90, False),
    "azure-native:network:VirtualNetwork": ("virtualNetworkName", 64, False),
    "azure-native:network:Subnet": ("subnetName", 80, False),
    "azure-native:network:NetworkSecurityGroup": ("networkSecurityGroupName", 80, False),
    "azure-native:network:PublicIPAddress": ("publicIpAddressName", 80, False),
    "azure-native:network:NatGateway": ("natGatewayName", 80, False),
    "azure-native:containerservice:ManagedCluster": ("resourceName", 63, False),
    "azure-native:managedidentity:UserAssignedIdentity": ("resourceName", 128, False),
    "azure-native:storage:BlobServiceProperties": ("blobServicesName", 7, False),
    "azure-native:consumption:Budget": ("budgetName", 63, False),
    "azure-native:compute:VirtualMachineScaleSet": ("vmScaleSetName", 64, False),
    "azure-native:monitor:AutoscaleSetting": ("autoscaleSettingName", 260, False),
}

#: type -> ARM resource type path under the resource group (or the scope for extension resources).
_STORAGE = "Microsoft.Storage/storageAccounts/{accountName}"
_AKS = "Microsoft.ContainerService/managedClusters/{resourceName}"
_IDENTITY = "Microsoft.ManagedIdentity/userAssignedIdentities/{resourceName}"
ARM_TYPES: dict[str, str] = {
    "azure-native:network:VirtualNetwork": "Microsoft.Network/virtualNetworks/{virtualNetworkName}",
    "azure-native:network:Subnet": "Microsoft.Network/virtualNetworks/{virtualNetworkName}/subnets/{subnetName}",
    "azure-native:network:NetworkSecurityGroup": "Microsoft.Network/networkSecurityGroups/{networkSecurityGroupName}",
    "azure-native:network:PublicIPAddress": "Microsoft.Network/publicIPAddresses/{publicIpAddressName}",
    "azure-native:network:NatGateway": "Microsoft.Network/natGateways/{natGatewayName}",
    "azure-native:containerservice:ManagedCluster": "Microsoft.ContainerService/managedClusters/{resourceName}",
    "azure-native:containerservice:AgentPool": f"{_AKS}/agentPools/{{agentPoolName}}",
    "azure-native:managedidentity:UserAssignedIdentity": _IDENTITY,
    "azure-native:managedidentity:FederatedIdentityCredential": (
        "Microsoft.ManagedIdentity/userAssignedIdentities/{resourceName}/federatedIdentityCredentials/"
        "{federatedIdentityCredentialResourceName}"
    ),
    "azure-native:keyvault:Vault": "Microsoft.KeyVault/vaults/{vaultName}",
    "azure-native:keyvault:Key": "Microsoft.KeyVault/vaults/{vaultName}/keys/{keyName}",
    "azure-native:storage:StorageAccount": "Microsoft.Storage/storageAccounts/{accountName}",
    "azure-native:storage:BlobContainer": f"{_STORAGE}/blobServices/default/containers/{{containerName}}",
    "azure-native:storage:BlobServiceProperties": f"{_STORAGE}/blobServices/default",
    "azure-native:storage:ManagementPolicy": f"{_STORAGE}/managementPolicies/default",
    "azure-native:compute:VirtualMachineScaleSet": "Microsoft.Compute/virtualMachineScaleSets/{vmScaleSetName}",
    "azure-native:monitor:AutoscaleSetting": "Microsoft.Insights/autoscalesettings/{autoscaleSettingName}",
}


def guid(r: Res, salt: str = "") -> str:
    """A stable GUID for ``r`` (client, principal and object ids)."""
    return str(uuid.UUID(r.hex(32, salt)))


def autoname(type_: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """Fill the name input azure-native auto-names: the logical name plus 8 random lowercase characters."""
    if type_ == "azure-native:authorization:RoleAssignment" and not inputs.get("roleAssignmentName"):
        return {**inputs, "roleAssignmentName": str(uuid.UUID(hexdigest(f"{name}\0assignment", 32)))}
    rule = AUTONAMED.get(type_)
    if rule is None or inputs.get(rule[0]):
        return inputs
    prop, max_len, _ = rule
    if type_ == "azure-native:storage:BlobServiceProperties":
        return {**inputs, prop: "default"}
    suffix = hexdigest(f"{type_}\0{name}\0autoname", 8)
    return {**inputs, prop: name[: max_len - len(suffix)] + suffix}


def _arm(r: Res) -> Computed:
    path = ARM_TYPES[r.type].format_map(_Default(r.inputs))
    rg = r.inputs.get("resourceGroupName", "unknown-rg")
    id_ = f"/subscriptions/{r.account}/resourceGroups/{rg}/providers/{path}"
    out = {"id": id_, "name": path.rsplit("/", 1)[-1], "location": r.inputs.get("location", r.region)}
    identity = r.inputs.get("identity")
    if isinstance(identity, dict):
        out["identity"] = _identity_response(r, identity)
    return id_, out


def _identity_response(r: Res, identity: dict[str, Any]) -> dict[str, Any]:
    """ARM answers ``userAssignedIdentities`` (a list of ids in azure-native v3 inputs) as a map from id
    to the identity's client and principal ids."""
    ids = identity.get("userAssignedIdentities") or []
    users = {
        i: {"clientId": guid(r, f"{i}\0client"), "principalId": guid(r, f"{i}\0principal")}
        for i in (ids if isinstance(ids, list) else list(ids))
    }
    return {**identity, "userAssignedIdentities": users, "tenantId": TENANT_ID}


class _Default(dict):
    def __missing__(self, key: str) -> str:
        return f"unknown-{key}"


def _resource_group(r: Res) -> Computed:
    name = r.inputs["resourceGroupName"]
    id_ = f"/subscriptions/{r.account}/resourceGroups/{name}"
    return id_, {"id": id_, "name": name, "location": r.inputs.get("location", r.region)}


def _cluster(r: Res) -> Computed:
    id_, out = _arm(r)
    prefix, region = r.inputs.get("dnsPrefix", r.name), out["location"]
    tail = hexdigest(f"{r.name}\0fqdn", 8)
    out |= {
        "fqdn": f"{prefix}-{tail}.hcp.{region}.azmk8s.io",
        "privateFQDN": f"{prefix}-{tail}.privatelink.{region}.azmk8s.io",
        "oidcIssuerProfile": {
            "enabled": True,
            "issuerURL": f"https://{region}.oic.prod-aks.azure.com/{TENANT_ID}/{guid(r, 'issuer')}/",
        },
        "currentKubernetesVersion": f"{r.inputs.get('kubernetesVersion', '1.35')}.4",
        "provisioningState": "Succeeded",
        "maxAgentPools": 100,
    }
    return id_, out


def _identity(r: Res) -> Computed:
    id_, out = _arm(r)
    return id_, out | {"clientId": guid(r, "client"), "principalId": guid(r, "principal"), "tenantId": TENANT_ID}


def _vault(r: Res) -> Computed:
    id_, out = _arm(r)
    properties = dict(r.inputs.get("properties") or {})
    properties["vaultUri"] = f"https://{r.inputs['vaultName']}.vault.azure.net/"
    return id_, out | {"properties": properties}


def _key(r: Res) -> Computed:
    id_, out = _arm(r)
    uri = f"https://{r.inputs.get('vaultName', 'unknown')}.vault.azure.net/keys/{r.inputs.get('keyName')}"
    return id_, out | {"keyUri": uri, "keyUriWithVersion": f"{uri}/{hexdigest(r.name + 'version', 32)}"}


def _storage_account(r: Res) -> Computed:
    id_, out = _arm(r)
    account = r.inputs["accountName"]
    endpoints = {
        kind: f"https://{account}.{kind}.core.windows.net/" for kind in ("blob", "dfs", "file", "queue", "table")
    }
    return id_, out | {"primaryEndpoints": endpoints, "provisioningState": "Succeeded"}


def _scoped(path: str, name_key: str) -> Callable[[Res], Computed]:
    def build(r: Res) -> Computed:
        id_ = f"{r.inputs.get('scope', '/subscriptions/' + r.account)}/providers/{path}/{r.inputs.get(name_key)}"
        return id_, {"id": id_, "name": r.inputs.get(name_key)}

    return build


def _role_assignment(r: Res) -> Computed:
    id_, out = _scoped("Microsoft.Authorization/roleAssignments", "roleAssignmentName")(r)
    return id_, out | {"principalType": r.inputs.get("principalType") or "User"}


AZURE_RESOURCES: Mapping[str, Callable[[Res], Computed]] = {
    "azure-native:resources:ResourceGroup": _resource_group,
    "azure-native:containerservice:ManagedCluster": _cluster,
    "azure-native:managedidentity:UserAssignedIdentity": _identity,
    "azure-native:keyvault:Vault": _vault,
    "azure-native:keyvault:Key": _key,
    "azure-native:storage:StorageAccount": _storage_account,
    "azure-native:authorization:RoleAssignment": _role_assignment,
    "azure-native:authorization:ManagementLockByScope": _scoped("Microsoft.Authorization/locks", "lockName"),
    "azure-native:consumption:Budget": _scoped("Microsoft.Consumption/budgets", "budgetName"),
    **{
        t: _arm
        for t in ARM_TYPES
        if t
        not in {
            "azure-native:containerservice:ManagedCluster",
            "azure-native:managedidentity:UserAssignedIdentity",
            "azure-native:keyvault:Vault",
            "azure-native:keyvault:Key",
            "azure-native:storage:StorageAccount",
        }
    },
}
