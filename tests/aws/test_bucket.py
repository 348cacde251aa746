"""Bucket: encrypted, private, TLS-only, lifecycle-managed, and hard to delete by accident."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pulumi
import pytest

from aimodel_infra.aws.bucket import (
    Bucket,
    BucketArgs,
    deny_insecure_transport,
    encryption_plan,
    lifecycle_rules,
)
from aimodel_infra.aws.context import AwsContext
from aimodel_infra.aws.spec_rules import STANDARD_IA_MIN_DAYS
from aimodel_infra.catalog import default_catalog
from aimodel_infra.errors import AimodelError
from aimodel_infra.spec.checks import physical_bucket_prefix
from aimodel_infra.spec.loader import load_spec
from aimodel_infra.spec.models import Bucket as BucketSpec
from aimodel_infra.testing import DefaultMocks, MotoBackend, run_program

from .example_stack import mocks_run

ROOT = Path(__file__).resolve().parents[2]
ENV = load_spec("aws-dev", root=ROOT)
CONTEXT = AwsContext.for_environment(ENV, default_catalog())
ENV_BUCKETS = {b.name: b for b in ENV.buckets}

S3_BUCKET = "aws:s3/bucket:Bucket"
KMS_KEY = "aws:kms/key:Key"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
PUBLIC_ACCESS = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
POLICY = "aws:s3/bucketPolicy:BucketPolicy"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
GIVEN_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"


def build(*specs: BucketSpec, context: AwsContext = CONTEXT, **run: Any):
    def program() -> None:
        for spec in specs:
            bucket = Bucket(spec.name, BucketArgs(spec, context))
            pulumi.export(f"{spec.name}-key", bucket.kms_key_arn)

    return run_program(program, **run)


def child(graph, type_: str, bucket: str):
    """The one resource of ``type_`` under the Bucket component named ``bucket``."""
    component = graph.one("aimodel:aws:Bucket", bucket)
    found = [r for r in graph.children(component) if r.type == type_]
    assert len(found) == 1, f"{bucket}: expected one {type_}, found {[r.name for r in found]}"
    return found[0]


def sse_default(graph, bucket: str) -> dict[str, Any]:
    (rule,) = child(graph, SSE, bucket).inputs["rules"]
    return rule


@pytest.fixture(scope="module")
def aws_dev():
    return build(*ENV.buckets)


# -- plan ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fields", "algorithm", "create_key", "given_key"),
    [
        ({}, "AES256", False, None),
        ({"encryption": "customer-key"}, "aws:kms", True, None),
        ({"encryption": "customer-key", "customer_key_id": "alias/data"}, "aws:kms", False, "alias/data"),
    ],
)
def test_encryption_plan_follows_the_spec(fields, algorithm, create_key, given_key) -> None:
    plan = encryption_plan(BucketSpec(name="data", purpose="datasets", **fields))
    assert (plan.algorithm, plan.create_key, plan.given_key) == (algorithm, create_key, given_key)


@pytest.mark.parametrize("bucket", ENV.buckets, ids=lambda b: b.name)
def test_every_lifecycle_rule_has_a_unique_id_and_a_whole_bucket_filter(bucket: BucketSpec) -> None:
    rules = lifecycle_rules(bucket)
    assert len({r["id"] for r in rules}) == len(rules)
    assert all(r["status"] == "Enabled" and r["filter"] == {"prefix": ""} for r in rules)


def test_lifecycle_rules_carry_the_spec_days() -> None:
    spec = BucketSpec(
        name="ckpt",
        purpose="checkpoints",
        lifecycle={"cold_after_days": 45, "expire_noncurrent_after_days": 14, "abort_incomplete_uploads_after_days": 3},
    )
    actions = {
        key: value
        for rule in lifecycle_rules(spec)
        for key, value in rule.items()
        if key not in ("id", "status", "filter")
    }
    assert actions == {
        "abort_incomplete_multipart_upload": {"days_after_initiation": 3},
        "transitions": [{"days": 45, "storage_class": "STANDARD_IA"}],
        "noncurrent_version_expiration": {"noncurrent_days": 14},
        "expiration": {"expired_object_delete_marker": True},
    }


def test_models_versions_expire_after_a_default_and_delete_markers_are_cleaned() -> None:
    rules = {r["id"]: r for r in lifecycle_rules(BucketSpec(name="models", purpose="models"))}
    assert rules["expire-noncurrent-versions"]["noncurrent_version_expiration"] == {"noncurrent_days": 90}
    assert rules["remove-expired-delete-markers"]["expiration"] == {"expired_object_delete_marker": True}


def test_datasets_go_cold_to_intelligent_tiering_which_has_no_retrieval_fee_per_epoch() -> None:
    spec = BucketSpec(name="data", purpose="datasets", lifecycle={"cold_after_days": 90})
    (cold,) = [r for r in lifecycle_rules(spec) if r["id"] == "move-cold-objects"]
    assert cold["transitions"] == [{"days": 90, "storage_class": "INTELLIGENT_TIERING"}]


CONFIGURATION_ORDER = (OWNERSHIP, PUBLIC_ACCESS, POLICY, SSE, VERSIONING, LIFECYCLE)


@pytest.mark.parametrize("bucket", [b.name for b in ENV.buckets])
def test_configuration_is_applied_one_resource_after_the_other(aws_dev, bucket: str) -> None:
    """S3 answers OperationAborted to concurrent configuration of one bucket: each waits on the one before."""
    chain = [child(aws_dev, t, bucket) for t in CONFIGURATION_ORDER if t != VERSIONING or ENV_BUCKETS[bucket].versioned]
    for earlier, later in zip(chain, chain[1:], strict=False):
        assert earlier.urn in later.dependencies, (earlier.type, later.type)


def test_a_customer_key_bucket_refuses_writes_with_another_key_or_encryption(aws_dev) -> None:
    policy = json.loads(child(aws_dev, POLICY, "checkpoints").inputs["policy"])
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    key_arn = aws_dev.one(KMS_KEY, "checkpoints-key").outputs["arn"]
    assert by_sid["DenyOtherKmsKeys"]["Effect"] == "Deny"
    assert by_sid["DenyOtherKmsKeys"]["Condition"] == {
        "StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption-aws-kms-key-id": key_arn}
    }
    assert by_sid["DenyOtherEncryption"]["Condition"] == {
        "StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption": "aws:kms"}
    }
    assert child(aws_dev, SSE, "checkpoints").inputs["rules"][0]["bucketKeyEnabled"] is True
    assert [s["Sid"] for s in json.loads(child(aws_dev, POLICY, "datasets").inputs["policy"])["Statement"]] == [
        "DenyInsecureTransport"
    ]


def test_data_buckets_log_access_to_a_dedicated_private_encrypted_expiring_bucket() -> None:
    aws_dev = mocks_run()
    logs = aws_dev.one("aimodel:aws:AccessLogBucket")
    log_bucket = next(r for r in aws_dev.children(logs) if r.type == S3_BUCKET)
    inside = {r.type: r for r in aws_dev.children(logs)}
    sse = inside[SSE]
    assert sse.inputs["rules"][0]["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "AES256"}
    block = inside[PUBLIC_ACCESS]
    assert all(
        block.inputs[f] is True
        for f in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    )
    lifecycle = inside[LIFECYCLE].inputs["rules"]
    assert {"days": 90} in [r.get("expiration") for r in lifecycle]
    statements = json.loads(inside[POLICY].inputs["policy"])["Statement"]
    (allow,) = [s for s in statements if s["Effect"] == "Allow"]
    assert allow["Principal"] == {"Service": "logging.s3.amazonaws.com"} and allow["Action"] == "s3:PutObject"
    logged = {r.inputs["bucket"]: r for r in aws_dev.of_type("aws:s3/bucketLogging:BucketLogging")}
    for bucket in aws_dev.of_type(S3_BUCKET):
        if bucket is log_bucket:
            assert bucket.id not in logged
            continue
        assert logged[bucket.id].inputs["targetBucket"] == log_bucket.outputs["bucket"]


def test_lifecycle_always_aborts_incomplete_uploads_and_adds_nothing_unasked() -> None:
    (rule,) = lifecycle_rules(BucketSpec(name="logs", purpose="logs"))
    assert rule["abort_incomplete_multipart_upload"] == {"days_after_initiation": 7}


@pytest.mark.parametrize("days", [1, STANDARD_IA_MIN_DAYS - 1])
def test_cold_transition_sooner_than_s3_allows_is_rejected_naming_the_field(days: int) -> None:
    spec = BucketSpec(name="ckpt", purpose="checkpoints", lifecycle={"cold_after_days": days})
    with pytest.raises(AimodelError, match=r"buckets\[2\]\.lifecycle\.cold_after_days") as error:
        lifecycle_rules(spec, "buckets[2]")
    assert str(STANDARD_IA_MIN_DAYS) in str(error.value)


@pytest.mark.parametrize("days", [STANDARD_IA_MIN_DAYS, 365])
def test_cold_transition_from_thirty_days_is_kept_as_written(days: int) -> None:
    spec = BucketSpec(name="ckpt", purpose="checkpoints", lifecycle={"cold_after_days": days})
    transitions = [t for rule in lifecycle_rules(spec) for t in rule.get("transitions", [])]
    assert transitions == [{"days": days, "storage_class": "STANDARD_IA"}]


def test_component_reports_the_bucket_index_of_a_bad_lifecycle() -> None:
    bad = ENV.buckets[1].model_copy(
        update={"lifecycle": ENV.buckets[1].lifecycle.model_copy(update={"cold_after_days": 7})}
    )
    env = ENV.model_copy(update={"buckets": [ENV.buckets[0], bad]})
    with pytest.raises(AimodelError, match=r"buckets\[1\]\.lifecycle\.cold_after_days"):
        build(bad, context=AwsContext.for_environment(env, CONTEXT.catalog))


def test_tls_statement_denies_plain_http_to_the_bucket_and_its_objects() -> None:
    statement = deny_insecure_transport("arn:aws:s3:::b")
    assert statement["Effect"] == "Deny" and statement["Principal"] == "*"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert sorted(statement["Resource"]) == ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]


# -- the aws-dev buckets ------------------------------------------------------------------------
@pytest.mark.parametrize("bucket", ENV.buckets, ids=lambda b: b.name)
def test_physical_name_is_environment_bucket_and_suffix(aws_dev, bucket: BucketSpec) -> None:
    s3_bucket = child(aws_dev, S3_BUCKET, bucket.name)
    assert s3_bucket.name == physical_bucket_prefix(ENV, bucket)
    assert "bucket" not in s3_bucket.inputs and "bucketPrefix" not in s3_bucket.inputs  # auto-named
    assert s3_bucket.outputs["bucket"].startswith(f"{ENV.name}-{bucket.name}-")


def test_no_bucket_can_be_force_destroyed(aws_dev) -> None:
    assert all(b.inputs.get("forceDestroy") is False for b in aws_dev.of_type(S3_BUCKET))


@pytest.mark.parametrize("bucket", ENV.buckets, ids=lambda b: b.name)
def test_protected_bucket_and_key_survive_destroy_and_replacement(aws_dev, bucket: BucketSpec) -> None:
    assert bucket.deletion_protection
    component = aws_dev.one("aimodel:aws:Bucket", bucket.name)
    for resource in aws_dev.children(component):
        assert resource.retain_on_delete, resource
        assert resource.protect == (resource.type in (S3_BUCKET, KMS_KEY)), resource


@pytest.mark.parametrize("bucket", ENV.buckets, ids=lambda b: b.name)
def test_all_public_access_is_blocked_and_acls_are_off(aws_dev, bucket: BucketSpec) -> None:
    block = child(aws_dev, PUBLIC_ACCESS, bucket.name).inputs
    assert [
        block[k] for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    ] == [True] * 4
    assert child(aws_dev, OWNERSHIP, bucket.name).inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}


@pytest.mark.parametrize("bucket", ENV.buckets, ids=lambda b: b.name)
def test_bucket_policy_denies_non_tls_and_waits_for_the_public_access_block(aws_dev, bucket: BucketSpec) -> None:
    policy = child(aws_dev, POLICY, bucket.name)
    arn = child(aws_dev, S3_BUCKET, bucket.name).outputs["arn"]
    assert json.loads(policy.inputs["policy"])["Statement"][0] == deny_insecure_transport(arn)
    assert child(aws_dev, PUBLIC_ACCESS, bucket.name).urn in policy.dependencies


@pytest.mark.parametrize("bucket", ENV.buckets, ids=lambda b: b.name)
def test_versioning_follows_the_spec(aws_dev, bucket: BucketSpec) -> None:
    component = aws_dev.one("aimodel:aws:Bucket", bucket.name)
    versioning = [r for r in aws_dev.children(component) if r.type == VERSIONING]
    if bucket.versioned:
        assert [v.inputs["versioningConfiguration"] for v in versioning] == [{"status": "Enabled"}]
    else:
        assert versioning == []


@pytest.mark.parametrize("bucket", ENV.buckets, ids=lambda b: b.name)
def test_lifecycle_configuration_is_the_planned_rules(aws_dev, bucket: BucketSpec) -> None:
    rules = child(aws_dev, LIFECYCLE, bucket.name).inputs["rules"]
    assert [r["id"] for r in rules] == [r["id"] for r in lifecycle_rules(bucket)]


def test_every_taggable_resource_carries_the_environment_tags(aws_dev) -> None:
    for resource in aws_dev.of_type(S3_BUCKET) + aws_dev.of_type(KMS_KEY):
        assert resource.inputs["tags"].items() >= CONTEXT.tags.items(), resource


# -- encryption variants ------------------------------------------------------------------------
def test_customer_key_is_created_with_rotation_and_used_with_bucket_keys(aws_dev) -> None:
    (spec,) = [b for b in ENV.buckets if b.encryption.value == "customer-key"]
    key = child(aws_dev, KMS_KEY, spec.name)
    assert key.inputs["enableKeyRotation"] is True
    rule = sse_default(aws_dev, spec.name)
    assert rule["applyServerSideEncryptionByDefault"] == {
        "sseAlgorithm": "aws:kms",
        "kmsMasterKeyId": key.outputs["arn"],
    }
    assert rule["bucketKeyEnabled"] is True
    assert aws_dev.stack_outputs[f"{spec.name}-key"] == key.outputs["arn"]


def test_provider_managed_encryption_is_sse_s3_without_a_key(aws_dev) -> None:
    (spec, *_) = [b for b in ENV.buckets if b.encryption.value == "provider-managed"]
    component = aws_dev.one("aimodel:aws:Bucket", spec.name)
    assert not [r for r in aws_dev.children(component) if r.type == KMS_KEY]
    assert sse_default(aws_dev, spec.name)["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "AES256"}
    assert aws_dev.stack_outputs.get(f"{spec.name}-key") is None


def test_given_key_arn_is_used_and_no_key_is_created() -> None:
    spec = BucketSpec(name="models", purpose="models", encryption="customer-key", customer_key_id=GIVEN_KEY_ARN)
    graph = build(spec)
    assert graph.of_type(KMS_KEY) == []
    assert sse_default(graph, "models")["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"] == GIVEN_KEY_ARN
    assert graph.stack_outputs["models-key"] == GIVEN_KEY_ARN


def test_given_key_alias_is_resolved_to_its_arn_at_deploy_time() -> None:
    spec = BucketSpec(name="models", purpose="models", encryption="customer-key", customer_key_id="alias/team-data")
    looked_up: list[str] = []

    def get_key(args: dict) -> dict:
        looked_up.append(args["keyId"])
        return {"id": GIVEN_KEY_ARN, "arn": GIVEN_KEY_ARN, "keyId": GIVEN_KEY_ARN.rsplit("/", 1)[1]}

    graph = build(spec, mocks=DefaultMocks(invokes={"aws:kms/getKey:getKey": get_key}))
    assert looked_up == ["alias/team-data"]
    assert graph.stack_outputs["models-key"] == GIVEN_KEY_ARN
    assert sse_default(graph, "models")["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"] == GIVEN_KEY_ARN


# -- deletion protection off --------------------------------------------------------------------
def test_logs_bucket_without_deletion_protection_can_be_deleted_but_never_force_destroyed() -> None:
    spec = BucketSpec(name="logs", purpose="logs", deletion_protection=False)
    graph = build(spec)
    component = graph.one("aimodel:aws:Bucket", "logs")
    assert all(not r.protect and not r.retain_on_delete for r in graph.children(component))
    assert child(graph, S3_BUCKET, "logs").inputs["forceDestroy"] is False


# -- moto ---------------------------------------------------------------------------------------
def test_buckets_read_back_from_moto_match_the_spec() -> None:
    with MotoBackend(region=ENV.region) as aws:
        graph = build(*ENV.buckets, backend=aws)
        s3 = aws.client("s3")
        for spec in ENV.buckets:
            name = child(graph, S3_BUCKET, spec.name).outputs["bucket"]
            encryption = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"][0]
            algorithm = encryption["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"]
            assert algorithm == encryption_plan(spec).algorithm, spec.name
            expected_versioning = "Enabled" if spec.versioned else None
            assert s3.get_bucket_versioning(Bucket=name).get("Status") == expected_versioning, spec.name
            block = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
            assert all(block.values()) and len(block) == 4, spec.name
            ownership = s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"]
            assert ownership == [{"ObjectOwnership": "BucketOwnerEnforced"}], spec.name
            statements = json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])["Statement"]
            assert statements[0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}, spec.name
            assert len(statements) == (3 if spec.encryption.value == "customer-key" else 1), spec.name
            rules = s3.get_bucket_lifecycle_configuration(Bucket=name)["Rules"]
            assert sorted(r["ID"] for r in rules) == sorted(r["id"] for r in lifecycle_rules(spec)), spec.name
        key_arn = graph.stack_outputs["checkpoints-key"]
        assert aws.client("kms").get_key_rotation_status(KeyId=key_arn)["KeyRotationEnabled"] is True
