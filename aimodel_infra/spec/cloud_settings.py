"""Settings only one cloud needs, kept out of the neutral spec (one model per cloud, each optional).

A cloud's builder reads its block from :class:`aimodel_infra.spec.models.Environment`; its spec
rules report a missing one by the field's path, so ``validate`` names what to add.
"""

from __future__ import annotations

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
