"""An S3 bucket for datasets, checkpoints, models or logs, built so that data is hard to lose or leak.

What every bucket gets, whatever the spec says:

- server-side encryption by default: SSE-KMS with bucket keys when the spec asks for a customer
  key (a new key with yearly rotation, or the one given in ``customer_key_id``), SSE-S3 (AES256)
  otherwise;
- all four public-access blocks, and ``BucketOwnerEnforced`` so ACLs play no part in access;
- a bucket policy denying every request not made over TLS;
- lifecycle rules (always: abort incomplete multipart uploads; per spec: move cold objects to
  STANDARD_IA, expire old versions), each with an id and an explicit whole-bucket filter;
- never ``force_destroy``: a non-empty bucket cannot be deleted by Pulumi.

With ``deletion_protection`` (the default) the bucket and its key are also ``protect`` (a
destroy or a replacement stops with an error) and ``retain_on_delete`` (even when protection is
lifted or ``--exclude-protected`` is used, Pulumi forgets them instead of deleting them). The
bucket's configuration resources are ``retain_on_delete`` too, so a bucket that outlives its stack
keeps its encryption, its public-access block and its TLS-only policy.

Versioning is a separate resource that exists only while the spec asks for it. Turning it off
later deletes that resource, which suspends versioning on an unprotected bucket but, on a
protected one (retained configuration), only stops managing it: suspend it by hand if wanted.
S3 never returns a bucket to "never versioned", so there is no "Disabled" state to ask for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws.kms as kms
import pulumi_aws.s3 as s3

from aimodel_infra.aws.context import AwsContext, policy_document
from aimodel_infra.aws.spec_rules import COLD_STORAGE_CLASS, lifecycle_problems
from aimodel_infra.conventions import PURPOSE_TAG
from aimodel_infra.errors import SpecError
from aimodel_infra.spec.checks import physical_bucket_prefix
from aimodel_infra.spec.models import Bucket as BucketSpec
from aimodel_infra.spec.models import Encryption, Environment

TYPE_TOKEN = "aimodel:aws:Bucket"
#: Days a deleted customer key stays recoverable (the maximum KMS allows).
KEY_DELETION_WINDOW_DAYS = 30
WHOLE_BUCKET = {"prefix": ""}


# -- plan: pure functions over the spec ---------------------------------------------------------
@dataclass(frozen=True)
class EncryptionPlan:
    """How objects are encrypted at rest: which algorithm, and where the KMS key comes from."""

    algorithm: str
    create_key: bool = False
    given_key: str | None = None

    @property
    def uses_kms(self) -> bool:
        return self.algorithm == "aws:kms"


def encryption_plan(bucket: BucketSpec) -> EncryptionPlan:
    """SSE-KMS with a created or given key for ``customer-key``; SSE-S3 (AES256) otherwise."""
    if bucket.encryption is not Encryption.CUSTOMER_KEY:
        return EncryptionPlan("AES256")
    if bucket.customer_key_id:
        return EncryptionPlan("aws:kms", given_key=bucket.customer_key_id)
    return EncryptionPlan("aws:kms", create_key=True)


def bucket_path(env: Environment, bucket: BucketSpec) -> str:
    """Field path of the bucket in the spec (``buckets[1]``), for error messages."""
    index = next((i for i, b in enumerate(env.buckets) if b.name == bucket.name), None)
    return f"buckets[{index}]" if index is not None else f"buckets[name={bucket.name}]"


def lifecycle_rules(bucket: BucketSpec, path: str = "buckets[?]") -> list[dict[str, Any]]:
    """The bucket's lifecycle rules (BucketLifecycleConfiguration ``rules``); SpecError if S3 would refuse them."""
    problems = lifecycle_problems(bucket, path)
    if problems:
        raise SpecError(problems)
    lifecycle = bucket.lifecycle
    rules = [
        _rule(
            "abort-incomplete-multipart-uploads",
            abort_incomplete_multipart_upload={"days_after_initiation": lifecycle.abort_incomplete_uploads_after_days},
        )
    ]
    if lifecycle.cold_after_days is not None:
        rules.append(
            _rule(
                "move-cold-objects",
                transitions=[{"days": lifecycle.cold_after_days, "storage_class": COLD_STORAGE_CLASS}],
            )
        )
    if lifecycle.expire_noncurrent_after_days is not None:
        rules.append(
            _rule(
                "expire-noncurrent-versions",
                noncurrent_version_expiration={"noncurrent_days": lifecycle.expire_noncurrent_after_days},
            )
        )
    return rules


def _rule(rule_id: str, **action: Any) -> dict[str, Any]:
    # An explicit whole-bucket filter: a rule without one draws a provider warning and S3 treats
    # the legacy top-level prefix differently across API versions.
    return {"id": rule_id, "status": "Enabled", "filter": dict(WHOLE_BUCKET), **action}


def deny_insecure_transport(bucket_arn: str) -> dict[str, Any]:
    """The statement refusing any request to the bucket or its objects that does not use TLS."""
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn, f"{bucket_arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


# -- component ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class BucketArgs:
    bucket: BucketSpec
    context: AwsContext


class Bucket(pulumi.ComponentResource):
    """One spec bucket: the S3 bucket, its optional KMS key and its configuration resources.

    Exposes ``name`` (physical bucket name), ``arn``, ``kms_key_arn`` (None without a customer
    key), ``bucket`` (the ``s3.Bucket``), ``key`` (the created ``kms.Key`` or None) and ``spec``.
    """

    name: pulumi.Output[str]
    arn: pulumi.Output[str]
    kms_key_arn: pulumi.Output[str] | None
    bucket: s3.Bucket
    key: kms.Key | None
    spec: BucketSpec

    def __init__(self, name: str, args: BucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        spec, context = args.bucket, args.context
        rules = lifecycle_rules(spec, bucket_path(context.env, spec))  # fail before registering anything
        plan = encryption_plan(spec)
        super().__init__(TYPE_TOKEN, name, None, opts)
        self.spec = spec
        protected = spec.deletion_protection
        keep = pulumi.ResourceOptions(
            parent=self, protect=True if protected else None, retain_on_delete=protected or None
        )

        self.key = self._create_key(name, spec, context, keep) if plan.create_key else None
        self.kms_key_arn = self._key_arn(plan)
        self.bucket = s3.Bucket(
            physical_bucket_prefix(context.env, spec),  # auto-named '<env>-<bucket>-<suffix>'
            force_destroy=False,
            tags=context.tags_for(spec.name, **{PURPOSE_TAG: spec.purpose.value}),
            opts=keep,
        )
        self.name = self.bucket.bucket
        self.arn = self.bucket.arn
        self._configure(name, spec, plan, rules, retain=protected)
        self.register_outputs({"name": self.name, "arn": self.arn, "kms_key_arn": self.kms_key_arn})

    def _create_key(self, name: str, spec: BucketSpec, context: AwsContext, keep: pulumi.ResourceOptions) -> kms.Key:
        # No key policy given: KMS applies its default one, which lets IAM policies in this account
        # grant use of the key. That is what WorkloadAccess relies on to scope kms:Decrypt per role.
        return kms.Key(
            f"{name}-key",
            description=f"Encrypts S3 bucket {physical_bucket_prefix(context.env, spec)} ({spec.purpose.value})",
            enable_key_rotation=True,
            deletion_window_in_days=KEY_DELETION_WINDOW_DAYS,
            tags=context.tags_for(f"{spec.name}-key"),
            opts=keep,
        )

    def _key_arn(self, plan: EncryptionPlan) -> pulumi.Output[str] | None:
        """The key's ARN: IAM statements need an ARN, while a given key may be an id or an alias."""
        if self.key is not None:
            return self.key.arn
        if plan.given_key is None:
            return None
        if plan.given_key.startswith("arn:"):
            return pulumi.Output.from_input(plan.given_key)
        found = kms.get_key_output(key_id=plan.given_key, opts=pulumi.InvokeOutputOptions(parent=self))
        return found.arn

    def _configure(
        self, name: str, spec: BucketSpec, plan: EncryptionPlan, rules: list[dict[str, Any]], *, retain: bool
    ) -> None:
        def child(**extra: Any) -> pulumi.ResourceOptions:
            return pulumi.ResourceOptions(parent=self, retain_on_delete=retain or None, **extra)

        bucket_id = self.bucket.id
        default: dict[str, Any] = {"sse_algorithm": plan.algorithm}
        if plan.uses_kms:
            default["kms_master_key_id"] = self.kms_key_arn
        s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=bucket_id,
            rules=[{"apply_server_side_encryption_by_default": default, "bucket_key_enabled": plan.uses_kms or None}],
            opts=child(),
        )
        versioning = None
        if spec.versioned:
            versioning = s3.BucketVersioning(
                f"{name}-versioning", bucket=bucket_id, versioning_configuration={"status": "Enabled"}, opts=child()
            )
        public_access = s3.BucketPublicAccessBlock(
            f"{name}-public-access",
            bucket=bucket_id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=child(),
        )
        s3.BucketOwnershipControls(
            f"{name}-ownership", bucket=bucket_id, rule={"object_ownership": "BucketOwnerEnforced"}, opts=child()
        )
        s3.BucketPolicy(
            f"{name}-tls-only",
            bucket=bucket_id,
            policy=self.arn.apply(lambda arn: policy_document([deny_insecure_transport(arn)])),
            # S3 evaluates a new policy against the public-access block; set the block first.
            opts=child(depends_on=[public_access]),
        )
        s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=bucket_id,
            rules=rules,
            opts=child(depends_on=[versioning] if versioning is not None else None),
        )
