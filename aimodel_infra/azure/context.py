"""What every Azure component needs to know about the environment it belongs to."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi

from aimodel_infra.catalog import Catalog
from aimodel_infra.conventions import environment_tags
from aimodel_infra.spec.cloud_settings import AzureSettings
from aimodel_infra.spec.models import Environment


@dataclass(frozen=True)
class AzureContext:
    """The environment, its catalog, its tags and the resource group, handed to each component.

    ``pulumi-azure-native``'s provider has no default tags, so every taggable resource gets
    ``tags`` explicitly. ``resource_group_name`` and ``tenant_id`` are Outputs once the environment
    has created the group and read its client config.
    """

    env: Environment
    catalog: Catalog
    resource_group_name: pulumi.Input[str]
    tenant_id: pulumi.Input[str]
    deployer_object_id: pulumi.Input[str]
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def settings(self) -> AzureSettings:
        assert self.env.azure is not None  # the spec rules require the block
        return self.env.azure

    @property
    def subscription_id(self) -> str:
        return self.settings.subscription_id

    @property
    def location(self) -> str:
        return self.env.region

    def tags_for(self, **extra: str) -> dict[str, str]:
        return {**self.tags, **extra}


def context_tags(env: Environment) -> dict[str, str]:
    return environment_tags(env)
