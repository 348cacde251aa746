"""Settings only one cloud needs, kept out of the neutral spec (one model per cloud, each optional).

A cloud's builder reads its block from :class:`aimodel_infra.spec.models.Environment`; its spec
rules report a missing one by the field's path, so ``validate`` names what to add.
"""

# No ``from __future__ import annotations``: pydantic would evaluate every field annotation from a
# string at class creation, a measurable share of the cold start of ``validate`` (benchmarks/importtime.py).
import ipaddress
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class GkeReleaseChannel(StrEnum):
    """GKE release channels (``ClusterReleaseChannelArgs.channel``; UNSPECIFIED is not offered here)."""

    RAPID = "RAPID"
    REGULAR = "REGULAR"
    STABLE = "STABLE"
    EXTENDED = "EXTENDED"


class GcpSettings(BaseModel):
    """What a GCP environment needs beyond the neutral spec: where it lives and who pays."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    project: Annotated[
        str,
        Field(
            pattern=r"^[a-z][-a-z0-9]{4,28}[a-z0-9]$",
            description="GCP project id everything is created in (6-30 characters: lowercase letters, digits, "
            "hyphens; starts with a letter). One environment per project keeps its budget exact.",
            examples=["ml-platform-dev"],
        ),
    ]
    billing_account: Annotated[
        str | None,
        Field(
            pattern=r"^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$",
            description="Cloud Billing account id (XXXXXX-XXXXXX-XXXXXX) the budget is created on; "
            "required when the environment declares a budget.",
            examples=["01A2B3-C4D5E6-F7A8B9"],
        ),
    ] = None
    release_channel: Annotated[
        GkeReleaseChannel,
        Field(
            description="GKE release channel the cluster is enrolled in (REGULAR is GKE's default); "
            "cluster.kubernetes_version must be offered in it."
        ),
    ] = GkeReleaseChannel.REGULAR
    control_plane_cidr: Annotated[
        ipaddress.IPv4Network,
        Field(
            description="The /28 GKE uses for the private control plane; must not overlap network.cidr, "
            "pod_cidr or service_cidr.",
        ),
    ] = ipaddress.IPv4Network("172.16.0.32/28")

    @field_validator("control_plane_cidr", mode="before")
    @classmethod
    def _strict_cidr(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return ipaddress.IPv4Network(value, strict=True)
            except ValueError as exc:
                raise ValueError(f"must be an IPv4 /28 network like 172.16.0.32/28 ({exc})") from None
        return value

    @field_validator("control_plane_cidr")
    @classmethod
    def _slash_28(cls, value: ipaddress.IPv4Network) -> ipaddress.IPv4Network:
        if value.prefixlen != 28:
            raise ValueError(f"GKE needs a /28 for the control plane; got /{value.prefixlen} ({value})")
        if not value.is_private:
            raise ValueError(f"{value} is not a private range")
        return value


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
