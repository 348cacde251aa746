"""One bucket as one storage account with one private container, built so data is hard to lose or leak.

An account per bucket, because versioning, soft delete, network rules and the customer key are
account-level settings. Every account: StorageV2, Standard_LRS (what the estimate prices), Hot
tier, TLS 1.2 minimum, HTTPS only, no public blob access, **no shared-key access** (Entra ID only,
also the portal default), no cross-tenant replication, network default deny except the node
subnet (service endpoint) and trusted Azure services. Blob versioning per spec; soft delete of
blobs and containers for ``SOFT_DELETE_DAYS``; a lifecycle management policy when the spec asks
for cold tiering or version expiry. Uncommitted blocks expire after 7 days on their own.

``customer-key``: a key in the environment's Key Vault (or the given key resource id), used through
a user-assigned identity holding **Key Vault Crypto Service Encryption User** on that key only.

With ``deletion_protection``: Pulumi ``protect`` + ``retain_on_delete`` on the account, its
container and its key, plus a ``CanNotDelete`` management lock on the account, so neither a
``pulumi destroy`` nor someone in the portal can delete it without removing the lock first.

Only ARM resources are created (container, policies): with shared keys off, data-plane resources
such as ``storage.Blob`` would fail with "Key based authentication is not permitted"
[ISSUE pulumi/pulumi-azure-native#2015].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import pulumi
import pulumi_azure_native.authorization as authorization
import pulumi_azure_native.storage as storage

from aimodel_infra.azure.bucket_plan import SOFT_DELETE_DAYS, given_key, lifecycle_rules
from aimodel_infra.azure.cluster_plan import KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER
from aimodel_infra.azure.context import AzureContext
from aimodel_infra.azure.names import storage_account_name
from aimodel_infra.azure.roles import assign_role, user_assigned_identity
from aimodel_infra.component import kept_options
from aimodel_infra.conventions import PURPOSE_TAG
from aimodel_infra.spec.models import Bucket as BucketSpec
from aimodel_infra.spec.models import Encryption

if TYPE_CHECKING:
    from aimodel_infra.azure.keys import KeyVault
    from aimodel_infra.azure.network import Network

TYPE_TOKEN: Final = "aimodel:azure:Bucket"
LOCK_NAME: Final = "aimodel-infra-protect"


@dataclass(frozen=True)
class BucketArgs:
    bucket: BucketSpec
    context: AzureContext
    network: Network
    keys: KeyVault | None = None


class Bucket(pulumi.ComponentResource):
    """Exposes ``account_name``, ``container_name``, ``uri`` (``https://<account>.blob.core.windows.net/<container>``),
    ``account``, ``container``, ``container_id``, ``key`` (created key or None) and ``spec``."""

    def __init__(self, name: str, args: BucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        spec, context = args.bucket, args.context
        super().__init__(TYPE_TOKEN, name, None, opts)
        self.spec = spec
        protected = spec.deletion_protection
        keep = kept_options(self, protected)
        self.key = None
        identity, encryption, ready = None, None, []
        if spec.encryption is Encryption.CUSTOMER_KEY:
            identity, encryption, ready = self._customer_key(name, args, keep)
        account_name = storage_account_name(context.env.name, spec.name, context.subscription_id)
        self.account = storage.StorageAccount(
            f"{name}-account",
            account_name=account_name,
            resource_group_name=context.resource_group_name,
            location=context.location,
            kind="StorageV2",
            sku=storage.SkuArgs(name="Standard_LRS"),
            access_tier="Hot",
            minimum_tls_version="TLS1_2",
            enable_https_traffic_only=True,
            allow_blob_public_access=False,
            allow_shared_key_access=False,
            default_to_o_auth_authentication=True,
            allow_cross_tenant_replication=False,
            public_network_access="Enabled",
            network_rule_set=storage.NetworkRuleSetArgs(
                default_action="Deny",
                bypass="AzureServices",
                virtual_network_rules=[
                    storage.VirtualNetworkRuleArgs(
                        virtual_network_resource_id=args.network.node_subnet_id, action="Allow"
                    )
                ],
            ),
            identity=storage.IdentityArgs(type="UserAssigned", user_assigned_identities=[identity.id])
            if identity
            else None,
            encryption=encryption,
            tags=context.tags_for(**{PURPOSE_TAG: spec.purpose.value}),
            opts=pulumi.ResourceOptions.merge(keep, pulumi.ResourceOptions(depends_on=ready)),
        )
        self.account_name = self.account.name
        self.container = storage.BlobContainer(
            f"{name}-container",
            container_name=spec.name,
            account_name=self.account.name,
            resource_group_name=context.resource_group_name,
            public_access="None",
            opts=keep,
        )
        self.container_name = self.container.name
        self.container_id = self.container.id
        self.uri = pulumi.Output.concat("https://", self.account.name, ".blob.core.windows.net/", self.container.name)
        self._data_protection(name, spec, context)
        if protected:
            authorization.ManagementLockByScope(
                f"{name}-lock",
                scope=self.account.id,
                lock_name=LOCK_NAME,
                level="CanNotDelete",
                notes=f"Holds the {spec.purpose.value} of {context.env.name}; remove deletion_protection first.",
                opts=keep,
            )
        self.register_outputs(
            {"account_name": self.account_name, "container_name": self.container_name, "uri": self.uri}
        )

    def _customer_key(
        self, name: str, args: BucketArgs, keep: pulumi.ResourceOptions
    ) -> tuple[pulumi.Resource, storage.EncryptionArgs, list[pulumi.Resource]]:
        spec, context = args.bucket, args.context
        identity = user_assigned_identity(f"{name}-key-identity", context, self, keep=spec.deletion_protection)
        if spec.customer_key_id is not None:
            key = given_key(spec.customer_key_id)
            assert key is not None  # the spec rules check the form
            scope, vault_uri, key_name = key.resource_id, key.vault_uri, key.key_name
        else:
            assert args.keys is not None
            self.key = args.keys.key(f"{name}-key", spec.name, rotate=True, opts=keep)
            scope, vault_uri, key_name = self.key.id, args.keys.uri, self.key.name
        grant = assign_role(
            f"{name}-key-encryption-user",
            context,
            scope=scope,
            role=KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
            principal_id=identity.principal_id,
            parent=self,
            description=f"Storage account of {spec.name} uses its key",
            keep=spec.deletion_protection,
        )
        encryption = storage.EncryptionArgs(
            key_source="Microsoft.Keyvault",
            key_vault_properties=storage.KeyVaultPropertiesArgs(key_name=key_name, key_vault_uri=vault_uri),
            encryption_identity=storage.EncryptionIdentityArgs(encryption_user_assigned_identity=identity.id),
            services=storage.EncryptionServicesArgs(
                blob=storage.EncryptionServiceArgs(enabled=True, key_type="Account")
            ),
        )
        return identity, encryption, [grant]

    def _data_protection(self, name: str, spec: BucketSpec, context: AzureContext) -> None:
        retain = spec.deletion_protection or None
        storage.BlobServiceProperties(
            f"{name}-blob-service",
            account_name=self.account.name,
            resource_group_name=context.resource_group_name,
            blob_services_name="default",
            is_versioning_enabled=spec.versioned,
            delete_retention_policy=storage.DeleteRetentionPolicyArgs(enabled=True, days=SOFT_DELETE_DAYS),
            container_delete_retention_policy=storage.DeleteRetentionPolicyArgs(enabled=True, days=SOFT_DELETE_DAYS),
            opts=pulumi.ResourceOptions(parent=self, retain_on_delete=retain),
        )
        rules = lifecycle_rules(spec)
        if rules:
            storage.ManagementPolicy(
                f"{name}-lifecycle",
                account_name=self.account.name,
                resource_group_name=context.resource_group_name,
                management_policy_name="default",
                policy=storage.ManagementPolicySchemaArgs(rules=rules),
                opts=pulumi.ResourceOptions(parent=self, retain_on_delete=retain, depends_on=[self.container]),
            )
