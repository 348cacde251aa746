"""Reading the recorded Azure graph in tests: one resource by type and logical name, built-in role GUIDs."""

from __future__ import annotations

from aimodel_infra.testing import RecordedResource, ResourceGraph

CLUSTER = "azure-native:containerservice:ManagedCluster"
AGENT_POOL = "azure-native:containerservice:AgentPool"
ROLE = "azure-native:authorization:RoleAssignment"
ACCOUNT = "azure-native:storage:StorageAccount"
CONTAINER = "azure-native:storage:BlobContainer"
IDENTITY = "azure-native:managedidentity:UserAssignedIdentity"
SUBNET = "azure-native:network:Subnet"

# Built-in role definition GUIDs, as Azure publishes them (the same in every tenant).
NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7"
KEY_VAULT_CRYPTO_USER = "12338af0-0e69-4776-bea7-57ae8d297424"
KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER = "e147488a-f6f5-4113-8e2d-b22465e65bf6"
BLOB_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
BLOB_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
AKS_RBAC_CLUSTER_ADMIN = "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b"


def one(graph: ResourceGraph, type_: str, name: str | None = None) -> RecordedResource:
    return graph.one(type_, name)


def role_of(assignment: RecordedResource) -> str:
    return str(assignment.inputs["roleDefinitionId"]).rsplit("/", 1)[-1]


def assignments(graph: ResourceGraph, role: str) -> list[RecordedResource]:
    return [r for r in graph.of_type(ROLE) if role_of(r) == role]


def depends_on(graph: ResourceGraph, resource: RecordedResource, other: RecordedResource) -> bool:
    return other.urn in resource.dependencies
