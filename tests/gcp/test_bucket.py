"""Buckets: uniform access and enforced public access prevention, versioning, lifecycle, explicit
soft delete, CMEK through the GCS service agent, labels, and deletion safety."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aimodel_infra.testing import RecordedResource, ResourceGraph

from .example_stack import named, run_document

BUCKET = "gcp:storage/bucket:Bucket"


def bucket(graph: ResourceGraph, name: str) -> RecordedResource:
    return named(graph, BUCKET, f"gcp-dev-{name}")


def test_every_bucket_is_private_regional_and_never_force_destroyed(graph: ResourceGraph) -> None:
    for b in graph.of_type(BUCKET):
        assert b.inputs["uniformBucketLevelAccess"] is True
        assert b.inputs["publicAccessPrevention"] == "enforced"
        assert b.inputs["location"] == "US-CENTRAL1"
        assert b.inputs["storageClass"] == "STANDARD"
        assert b.inputs["forceDestroy"] is False
        assert b.inputs["softDeletePolicy"] == {"retentionDurationSeconds": 604800}
        assert b.outputs["name"].startswith(b.name + "-")


def test_data_buckets_are_protected_and_retained_on_delete(graph: ResourceGraph) -> None:
    for b in graph.of_type(BUCKET):
        assert (b.protect, b.retain_on_delete) == (True, True)


def test_an_unprotected_bucket_is_neither(document_variant: Callable[..., dict[str, Any]]) -> None:
    doc = document_variant()
    doc["buckets"][1]["deletion_protection"] = False
    b = bucket(run_document(doc, preview=True), "models")
    assert (b.protect, b.retain_on_delete) == (False, False)


def test_versioning_and_lifecycle_follow_the_spec(graph: ResourceGraph) -> None:
    checkpoints = bucket(graph, "checkpoints")
    assert checkpoints.inputs["versioning"] == {"enabled": True}
    rules = {r["action"]["type"]: r["condition"] for r in checkpoints.inputs["lifecycleRules"]}
    assert rules == {
        "AbortIncompleteMultipartUpload": {"age": 7},
        "Delete": {"daysSinceNoncurrentTime": 30, "withState": "ARCHIVED"},
    }


def test_cold_objects_move_to_nearline(document_variant: Callable[..., dict[str, Any]]) -> None:
    doc = document_variant()
    doc["buckets"][1]["lifecycle"] = {"cold_after_days": 10}
    rules = bucket(run_document(doc, preview=True), "models").inputs["lifecycleRules"]
    cold = [r for r in rules if r["action"]["type"] == "SetStorageClass"]
    assert cold == [
        {
            "action": {"type": "SetStorageClass", "storageClass": "NEARLINE"},
            "condition": {"age": 10, "matchesStorageClasses": ["STANDARD"]},
        }
    ]


def test_a_customer_key_bucket_uses_its_own_key_the_gcs_agent_may_use(graph: ResourceGraph) -> None:
    checkpoints = bucket(graph, "checkpoints")
    key = named(graph, "gcp:kms/cryptoKey:CryptoKey", "checkpoints-key")
    ring = named(graph, "gcp:kms/keyRing:KeyRing", "checkpoints-key")
    assert checkpoints.inputs["encryption"] == {"defaultKmsKeyName": key.id}
    assert ring.inputs["location"] == "us-central1"
    assert ring.outputs["name"] != ring.name  # auto-named: unique per deployment (rings are undeletable)
    assert key.protect and ring.protect
    grant = named(graph, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "checkpoints-key-gcs-agent")
    assert grant.inputs["cryptoKeyId"] == key.id
    assert grant.inputs["role"] == "roles/cloudkms.cryptoKeyEncrypterDecrypter"
    assert grant.inputs["member"].endswith("@gs-project-accounts.iam.gserviceaccount.com")
    assert grant.urn in checkpoints.dependencies
    assert "encryption" not in bucket(graph, "models").inputs


def test_buckets_carry_the_environment_labels_and_their_purpose(graph: ResourceGraph) -> None:
    labels = bucket(graph, "models").inputs["labels"]
    assert labels["aimodel-environment"] == "gcp-dev"
    assert labels["aimodel-bucket-purpose"] == "models"
