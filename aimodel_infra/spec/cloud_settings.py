"""Settings only one cloud needs, kept out of the neutral spec (one model per cloud, each optional).

A cloud's builder reads its block from :class:`aimodel_infra.spec.models.Environment`; its spec
rules report a missing one by the field's path, so ``validate`` names what to add.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

#: An Azure subscription, tenant or Entra object id.
_GUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


class AksTier(StrEnum):
    """AKS control-plane pricing tiers (``ManagedClusterSKUArgs.tier``). Premium includes long-term support."""

    FREE = "Free"
    STANDARD = "Standard"
    PREMIUM = "Premium"


class PrincipalType(StrEnum):
    """Who runs ``pulumi up``: a person or a CI service principal (role assignments must say which)."""

    USER = "User"
    SERVICE_PRINCIPAL = "ServicePrincipal"


class AzureSettings(BaseModel):
    """What an Azure environment needs beyond the neutral spec: where it is built and who administers it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    subscription_id: Annotated[
        str,
        Field(
            pattern=_GUID,
            description="Azure subscription everything is created in (and the budget watches). Pinned in the "
            "spec so `pulumi up` never builds in whichever subscription the CLI login defaults to.",
            examples=["8f3c2a1e-5b7d-4c9e-a2f1-6d4b8e0c7a35"],
        ),
    ]
    cluster_tier: Annotated[
        AksTier,
        Field(
            description="AKS pricing tier: Free (no SLA), Standard (SLA, the default) or Premium (SLA plus "
            "long-term support, needed for Kubernetes versions AKS offers only under LTS)."
        ),
    ] = AksTier.STANDARD
    admin_group_object_ids: Annotated[
        list[Annotated[str, Field(pattern=_GUID)]],
        Field(
            description="Entra ID groups made AKS RBAC cluster admins (local accounts are disabled); "
            "whoever runs `pulumi up` is always made one."
        ),
    ] = []
    deployer_principal_type: Annotated[
        PrincipalType,
        Field(
            description="Whether `pulumi up` runs as a User or a ServicePrincipal (CI); its cluster-admin role "
            "assignment must name the right type or Azure refuses it (UnmatchedPrincipalType)."
        ),
    ] = PrincipalType.USER
    ssh_public_key: Annotated[
        str | None,
        Field(
            pattern=r"^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+( .*)?$",
            description="OpenSSH public key for the admin user of GPU VM groups (password login is always "
            "off); required when the environment has autoscaling_groups.",
        ),
    ] = None
    admin_username: Annotated[
        str,
        Field(
            pattern=r"^[a-z_][a-z0-9_-]{0,31}$",
            description="Admin user name on GPU VM group instances.",
        ),
    ] = "azureuser"
