"""The azure-native type tokens the checks read, and the tags a resource carries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aimodel_infra.policy.values import known

if TYPE_CHECKING:
    from aimodel_infra.testing import RecordedResource

RESOURCE_GROUP = "azure-native:resources:ResourceGroup"
VNET = "azure-native:network:VirtualNetwork"
SUBNET = "azure-native:network:Subnet"
NSG = "azure-native:network:NetworkSecurityGroup"
PUBLIC_IP = "azure-native:network:PublicIPAddress"
NAT_GATEWAY = "azure-native:network:NatGateway"
MANAGED_CLUSTER = "azure-native:containerservice:ManagedCluster"
AGENT_POOL = "azure-native:containerservice:AgentPool"
IDENTITY = "azure-native:managedidentity:UserAssignedIdentity"
ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment"
LOCK = "azure-native:authorization:ManagementLockByScope"
VAULT = "azure-native:keyvault:Vault"
KEY = "azure-native:keyvault:Key"
STORAGE_ACCOUNT = "azure-native:storage:StorageAccount"
BLOB_CONTAINER = "azure-native:storage:BlobContainer"
BLOB_SERVICE = "azure-native:storage:BlobServiceProperties"
BUDGET = "azure-native:consumption:Budget"
SCALE_SET = "azure-native:compute:VirtualMachineScaleSet"
AUTOSCALE = "azure-native:monitor:AutoscaleSetting"

#: Every azure-native type our components create that takes ``tags`` (checked against pulumi-azure-native
#: 3.29 ``__init__`` signatures). Subnets, agent pools' parents, role assignments, locks, containers and
#: blob settings have no tags.
TAGGABLE_TYPES = frozenset(
    {
        RESOURCE_GROUP,
        VNET,
        NSG,
        PUBLIC_IP,
        NAT_GATEWAY,
        MANAGED_CLUSTER,
        AGENT_POOL,
        IDENTITY,
        VAULT,
        KEY,
        STORAGE_ACCOUNT,
        SCALE_SET,
        AUTOSCALE,
    }
)


def resource_tags(r: RecordedResource) -> dict[str, Any]:
    tags = known(r.inputs.get("tags"))
    return dict(tags) if isinstance(tags, dict) else {}
