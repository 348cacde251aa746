"""Cluster choices as plain data: the system pool, the tier and support plan, built-in roles."""

from __future__ import annotations

from typing import Final

from aimodel_infra.azure.versions import AksVersion
from aimodel_infra.spec.cloud_settings import AksTier

#: The system pool's VM size (4 vCPU, 16 GiB; priced in the catalog's cpu_shapes.csv), as in mspnp/aks-baseline.
SYSTEM_VM_SIZE: Final = "Standard_D4s_v5"
SYSTEM_DISK_GB: Final = 128
#: Keeps everything but critical add-ons off the system pool (mspnp/aks-baseline ``npsystem``).
SYSTEM_TAINT: Final = "CriticalAddonsOnly=true:NoSchedule"
SYSTEM_MAX_SURGE: Final = "33%"
UPGRADE_CHANNEL: Final = "patch"
#: Weekly patched node images; ``SecurityPatch`` is unsupported on Azure Linux GPU nodes (AKS CHANGELOG).
NODE_OS_UPGRADE_CHANNEL: Final = "NodeImage"
LTS_PLAN: Final = "AKSLongTermSupport"
OFFICIAL_PLAN: Final = "KubernetesOfficial"

# Built-in role definition GUIDs (the same in every tenant), as used by mspnp/aks-baseline,
# Azure/terraform-azurerm-aks and many public Bicep files.
NETWORK_CONTRIBUTOR: Final = "4d97b98b-1d4f-4787-a291-c67834d212e7"
KEY_VAULT_CRYPTO_USER: Final = "12338af0-0e69-4776-bea7-57ae8d297424"
KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER: Final = "e147488a-f6f5-4113-8e2d-b22465e65bf6"
STORAGE_BLOB_DATA_READER: Final = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
STORAGE_BLOB_DATA_CONTRIBUTOR: Final = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
AKS_RBAC_CLUSTER_ADMIN: Final = "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b"


def role_definition_id(subscription_id: str, role: str) -> str:
    return f"/subscriptions/{subscription_id}/providers/Microsoft.Authorization/roleDefinitions/{role}"


def support_plan(tier: AksTier, version: AksVersion | None) -> str:
    """Long-term support on Premium (what the tier pays for, and the only way to run LTS-only versions)."""
    if tier is AksTier.PREMIUM:
        return LTS_PLAN
    return OFFICIAL_PLAN
