"""Buckets: one hardened storage account and one private container each, versioned, soft-deleted, locked."""

from __future__ import annotations

import re

from aimodel_infra.testing import RecordedResource, ResourceGraph

from .view import ACCOUNT, CONTAINER, KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER, SUBNET, assignments, one

SERVICE = "azure-native:storage:BlobServiceProperties"
LOCK = "azure-native:authorization:ManagementLockByScope"
POLICY = "azure-native:storage:ManagementPolicy"
KEY = "azure-native:keyvault:Key"
VAULT = "azure-native:keyvault:Vault"


def account(graph: ResourceGraph, bucket: str) -> RecordedResource:
    return one(graph, ACCOUNT, f"azure-dev-{bucket}-account")


def test_accounts_are_hardened_storage_v2(dev: ResourceGraph) -> None:
    for bucket in ("checkpoints", "models"):
        inputs = account(dev, bucket).inputs
        assert re.fullmatch(r"[a-z0-9]{3,24}", inputs["accountName"])
        assert (inputs["kind"], inputs["sku"], inputs["minimumTlsVersion"]) == (
            "StorageV2",
            {"name": "Standard_LRS"},
            "TLS1_2",
        )
        assert inputs["enableHttpsTrafficOnly"] is True
        assert inputs["allowBlobPublicAccess"] is False
        assert inputs["allowSharedKeyAccess"] is False
        assert inputs["allowCrossTenantReplication"] is False


def test_only_the_node_subnet_reaches_an_account(dev: ResourceGraph) -> None:
    rules = account(dev, "models").inputs["networkRuleSet"]
    assert rules["defaultAction"] == "Deny"
    assert rules["virtualNetworkRules"] == [{"virtualNetworkResourceId": one(dev, SUBNET).id, "action": "Allow"}]


def test_each_account_has_one_private_container_named_after_the_bucket(dev: ResourceGraph) -> None:
    for bucket in ("checkpoints", "models"):
        (container,) = [
            c for c in dev.of_type(CONTAINER) if c.inputs["accountName"] == account(dev, bucket).outputs["name"]
        ]
        assert (container.inputs["containerName"], container.inputs["publicAccess"]) == (bucket, "None")


def test_versioning_and_soft_delete_of_blobs_and_containers(dev: ResourceGraph) -> None:
    for bucket in ("checkpoints", "models"):
        service = one(dev, SERVICE, f"azure-dev-{bucket}-blob-service").inputs
        assert service["isVersioningEnabled"] is True
        assert service["deleteRetentionPolicy"] == {"enabled": True, "days": 14}
        assert service["containerDeleteRetentionPolicy"] == {"enabled": True, "days": 14}


def test_data_is_protected_retained_and_locked(dev: ResourceGraph) -> None:
    for bucket in ("checkpoints", "models"):
        acct = account(dev, bucket)
        container = one(dev, CONTAINER, f"azure-dev-{bucket}-container")
        assert (acct.protect, acct.retain_on_delete, container.protect, container.retain_on_delete) == (True,) * 4
        lock = one(dev, LOCK, f"azure-dev-{bucket}-lock")
        assert (lock.inputs["scope"], lock.inputs["level"]) == (acct.id, "CanNotDelete")


def test_customer_key_from_key_vault_through_the_accounts_own_identity(dev: ResourceGraph) -> None:
    acct, key, vault = account(dev, "checkpoints"), one(dev, KEY, "azure-dev-checkpoints-key"), one(dev, VAULT)
    encryption = acct.inputs["encryption"]
    identity_id = acct.inputs["identity"]["userAssignedIdentities"][0]
    assert encryption["keySource"] == "Microsoft.Keyvault"
    assert encryption["keyVaultProperties"] == {
        "keyName": "checkpoints",
        "keyVaultUri": vault.outputs["properties"]["vaultUri"],
    }
    assert encryption["encryptionIdentity"] == {"encryptionUserAssignedIdentity": identity_id}
    (grant,) = assignments(dev, KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER)
    assert grant.inputs["scope"] == key.id and grant.urn in acct.dependencies
    assert "encryption" not in account(dev, "models").inputs  # provider-managed: Microsoft keys


def test_the_key_vault_keeps_deleted_keys_recoverable(dev: ResourceGraph) -> None:
    vault = one(dev, VAULT)
    props = vault.inputs["properties"]
    assert props["enableRbacAuthorization"] is True
    assert (props["enableSoftDelete"], props["enablePurgeProtection"]) == (True, True)
    assert vault.protect and one(dev, KEY, "azure-dev-checkpoints-key").protect


def test_lifecycle_rules_tier_cold_data_and_delete_old_versions(graph_of, document_variant, azure_document) -> None:
    bucket = dict(azure_document["buckets"][1], lifecycle={"cold_after_days": 30, "expire_noncurrent_after_days": 60})
    graph = graph_of(document_variant(buckets=[bucket]))
    (rule,) = one(graph, POLICY).inputs["policy"]["rules"]
    assert rule["type"] == "Lifecycle" and rule["enabled"] is True
    assert rule["definition"]["filters"] == {"blobTypes": ["blockBlob"], "prefixMatch": ["models/"]}
    assert rule["definition"]["actions"] == {
        "baseBlob": {"tierToCool": {"daysAfterModificationGreaterThan": 30}},
        "version": {"delete": {"daysAfterCreationGreaterThan": 60}},
    }


def test_no_lifecycle_policy_without_rules(dev: ResourceGraph) -> None:
    assert dev.of_type(POLICY) == []


def test_an_unprotected_bucket_has_no_lock_and_no_protect(graph_of, document_variant, azure_document) -> None:
    bucket = dict(azure_document["buckets"][1], deletion_protection=False)
    graph = graph_of(document_variant(buckets=[bucket]))
    assert graph.of_type(LOCK) == []
    assert not one(graph, ACCOUNT).protect
