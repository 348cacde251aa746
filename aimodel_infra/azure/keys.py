"""The environment's Key Vault and its keys: the cluster's secrets key and customer keys of buckets.

One vault per environment (names are global and scarce, see :mod:`aimodel_infra.azure.names`),
RBAC authorization only (no access policies), soft delete and purge protection on, so a deleted
key, and with it the data it encrypts, can be recovered within the retention period. Who may use a
key is granted per key (role assignments at the key's scope), never on the whole vault.

Network: the vault stays reachable from Azure's public endpoints, because AKS KMS with
``key_vault_network_access="Public"`` calls it from AKS's managed control plane, which has no
address in our VNet; access is by Entra identity and RBAC alone. (Private vault access needs API
server VNet integration, not built here.)

Keys: RSA 3072. Bucket keys rotate yearly (storage accounts follow the newest key version on their
own, because they reference the key without a version). The cluster key is referenced *with* its
version (AKS KMS needs that), so it has no rotation policy: rotating it means deploying the new
version to the cluster.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pulumi
import pulumi_azure_native.keyvault as keyvault

from aimodel_infra.azure.context import AzureContext
from aimodel_infra.azure.names import key_vault_name
from aimodel_infra.component import kept_options

TYPE_TOKEN: Final = "aimodel:azure:KeyVault"
SOFT_DELETE_DAYS: Final = 90
KEY_SIZE: Final = 3072
ROTATE_AFTER: Final = "P1Y"


@dataclass(frozen=True)
class KeyVaultArgs:
    context: AzureContext
    #: protect and retain the vault (it holds keys of protected buckets).
    protect: bool = False


class KeyVault(pulumi.ComponentResource):
    """Exposes ``vault``, ``name``, ``uri``, ``id``, and :meth:`key` to add a key."""

    def __init__(self, name: str, args: KeyVaultArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        context = args.context
        self._context = context
        self._keep = kept_options(self, args.protect)
        self.vault = keyvault.Vault(
            f"{name}-vault",
            vault_name=key_vault_name(context.env.name, context.subscription_id),
            resource_group_name=context.resource_group_name,
            location=context.location,
            properties=keyvault.VaultPropertiesArgs(
                tenant_id=context.tenant_id,
                sku=keyvault.SkuArgs(family="A", name="standard"),
                enable_rbac_authorization=True,
                enable_soft_delete=True,
                enable_purge_protection=True,
                soft_delete_retention_in_days=SOFT_DELETE_DAYS,
                network_acls=keyvault.NetworkRuleSetArgs(bypass="AzureServices", default_action="Allow"),
            ),
            tags=context.tags_for(),
            opts=self._keep,
        )
        self.name = self.vault.name
        self.id = self.vault.id
        self.uri = self.vault.properties.apply(lambda p: p.vault_uri)
        self.register_outputs({"name": self.name, "uri": self.uri})

    def key(
        self, name: str, key_name: str, *, rotate: bool, opts: pulumi.ResourceOptions | None = None
    ) -> keyvault.Key:
        rotation = None
        if rotate:
            rotation = keyvault.RotationPolicyArgs(
                lifetime_actions=[
                    keyvault.LifetimeActionArgs(
                        action=keyvault.ActionArgs(type="rotate"),
                        trigger=keyvault.TriggerArgs(time_after_create=ROTATE_AFTER),
                    )
                ]
            )
        return keyvault.Key(
            name,
            key_name=key_name,
            vault_name=self.vault.name,
            resource_group_name=self._context.resource_group_name,
            properties=keyvault.KeyPropertiesArgs(kty="RSA", key_size=KEY_SIZE, rotation_policy=rotation),
            tags=self._context.tags_for(),
            opts=pulumi.ResourceOptions.merge(self._keep, opts),
        )
