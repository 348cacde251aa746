"""An S3 bucket for datasets, checkpoints, models or logs, built so that data is hard to lose or leak.

What every bucket gets, whatever the spec says:

- server-side encryption by default: SSE-KMS with bucket keys when the spec asks for a customer
  key (a new key with yearly rotation, or the one given in ``customer_key_id``), SSE-S3 (AES256)
  otherwise;
- all four public-access blocks, and ``BucketOwnerEnforced`` so ACLs play no part in access;
- a bucket policy denying every request not made over TLS;
- lifecycle rules, each with an id and an explicit whole-bucket filter: always abort incomplete
  multipart uploads; per spec move cold objects (datasets to INTELLIGENT_TIERING, which has no
  retrieval fee for data read every epoch; other buckets to STANDARD_IA) and expire old versions
  (models buckets default to ``MODELS_NONCURRENT_DAYS``); versioned buckets also drop expired
  delete markers;
- configuration applied one resource at a time (ownership, public-access block, policy,
  encryption, versioning, lifecycle, logging): S3 answers ``OperationAborted`` to concurrent
  configuration calls on one bucket;
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

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_aws.kms as kms
import pulumi_aws.s3 as s3

from aimodel_infra.aws.context import AwsContext, policy_document
from aimodel_infra.aws.key_policy import deployer_key_policy
from aimodel_infra.aws.spec_rules import cold_storage_class, lifecycle_problems
from aimodel_infra.component import kept_options
from aimodel_infra.conventions import PURPOSE_TAG
from aimodel_infra.errors import SpecError
from aimodel_infra.spec.checks import physical_bucket_prefix
from aimodel_infra.spec.models import Bucket as BucketSpec
from aimodel_infra.spec.models import BucketPurpose, Encryption, Environment

TYPE_TOKEN = "aimodel:aws:Bucket"
#: Days a deleted customer key stays recoverable (the maximum KMS allows).
#: Buckets whose server access is logged (S3 server access logging to the AccessLogBucket).
DATA_PURPOSES = frozenset({BucketPurpose.DATASETS, BucketPurpose.CHECKPOINTS, BucketPurpose.MODELS})
KEY_DELETION_WINDOW_DAYS = 30
WHOLE_BUCKET = {"prefix": ""}
#: Default retention of old model versions: long enough to roll back a bad release, short enough
#: that weights overwritten months ago stop being billed. Set lifecycle.expire_noncurrent_after_days
#: to choose another.
MODELS_NONCURRENT_DAYS = 90


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
                transitions=[{"days": lifecycle.cold_after_days, "storage_class": cold_storage_class(bucket)}],
            )
        )
    noncurrent_days = noncurrent_retention_days(bucket)
    if noncurrent_days is not None:
        rules.append(
            _rule("expire-noncurrent-versions", noncurrent_version_expiration={"noncurrent_days": noncurrent_days})
        )
    if bucket.versioned:
        # A delete on a versioned bucket leaves a marker; once its old versions have expired the marker
        # is all that is left, and S3 removes it only when asked to.
        rules.append(_rule("remove-expired-delete-markers", expiration={"expired_object_delete_marker": True}))
    return rules


def noncurrent_retention_days(bucket: BucketSpec) -> int | None:
    """Days old versions are kept: the spec's, else ``MODELS_NONCURRENT_DAYS`` for a versioned models
    bucket (every release overwrite keeps a full copy of the weights otherwise, for ever); None = keep."""
    if bucket.lifecycle.expire_noncurrent_after_days is not None:
        return bucket.lifecycle.expire_noncurrent_after_days
    if bucket.versioned and bucket.purpose is BucketPurpose.MODELS:
        return MODELS_NONCURRENT_DAYS
    return None


def _rule(rule_id: str, **action: Any) -> dict[str, Any]:
    # An explicit whole-bucket filter: a rule without one draws a provider warning and S3 treats
    # the legacy top-level prefix differently across API versions.
    return {"id": rule_id, "status": "Enabled", "filter": dict(WHOLE_BUCKET), **action}


def bucket_policy_statements(bucket_arn: str, key_arn: str | None) -> list[dict[str, Any]]:
    """TLS only; with a customer key, writes that ask for another encryption or another key denied.

    ``...IfExists``: a write without encryption headers gets the bucket default (this key, with
    bucket keys on), so it is accepted; one that names AES256, DSSE or another KMS key is refused.
    """
    statements = [deny_insecure_transport(bucket_arn)]
    if key_arn is None:
        return statements
    objects = f"{bucket_arn}/*"
    return [
        *statements,
        {
            "Sid": "DenyOtherEncryption",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "Resource": objects,
            "Condition": {"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption": "aws:kms"}},
        },
        {
            "Sid": "DenyOtherKmsKeys",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "Resource": objects,
            "Condition": {"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption-aws-kms-key-id": key_arn}},
        },
    ]


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


def lock_down(
    name: str, bucket_id: pulumi.Input[str], chain: list[pulumi.Resource], child: Callable[[], pulumi.ResourceOptions]
) -> None:
    """Owner-enforced objects (no ACLs) and all four public-access blocks, appended to ``chain`` in order:
    S3 refuses concurrent configuration of one bucket, so each waits on the one before (``child``)."""
    chain.append(
        s3.BucketOwnershipControls(
            f"{name}-ownership", bucket=bucket_id, rule={"object_ownership": "BucketOwnerEnforced"}, opts=child()
        )
    )
    chain.append(
        s3.BucketPublicAccessBlock(
            f"{name}-public-access",
            bucket=bucket_id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=child(),
        )
    )


# -- component ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class BucketArgs:
    bucket: BucketSpec
    context: AwsContext
    #: Where S3 server access logs of this bucket go (None: not logged).
    access_logs: AccessLogBucket | None = None


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
        self._access_logs = args.access_logs
        protected = spec.deletion_protection
        keep = kept_options(self, protected)

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
        # The key policy keeps the account root statement, which lets IAM policies in this account grant
        # use of the key: WorkloadAccess relies on it to scope kms:Decrypt per role (aws/key_policy.py).
        return kms.Key(
            f"{name}-key",
            description=f"Encrypts S3 bucket {physical_bucket_prefix(context.env, spec)} ({spec.purpose.value})",
            enable_key_rotation=True,
            deletion_window_in_days=KEY_DELETION_WINDOW_DAYS,
            policy=deployer_key_policy(self),
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
        """The settings, one after the other (ownership, public-access block, policy, encryption,
        versioning, lifecycle, logging): S3 aborts concurrent configuration of one bucket."""
        chain: list[pulumi.Resource] = []

        def child() -> pulumi.ResourceOptions:
            return pulumi.ResourceOptions(parent=self, retain_on_delete=retain or None, depends_on=chain[-1:] or None)

        bucket_id = self.bucket.id
        # S3 evaluates a new policy against the public-access block, so the block comes first.
        lock_down(name, bucket_id, chain, child)
        key_arn = self.kms_key_arn if plan.uses_kms else None
        statements = pulumi.Output.all(self.arn, key_arn).apply(lambda v: bucket_policy_statements(v[0], v[1]))
        chain.append(
            s3.BucketPolicy(
                f"{name}-tls-only", bucket=bucket_id, policy=statements.apply(policy_document), opts=child()
            )
        )
        default: dict[str, Any] = {"sse_algorithm": plan.algorithm}
        if plan.uses_kms:
            default["kms_master_key_id"] = self.kms_key_arn
        chain.append(
            s3.BucketServerSideEncryptionConfiguration(
                f"{name}-encryption",
                bucket=bucket_id,
                rules=[
                    {"apply_server_side_encryption_by_default": default, "bucket_key_enabled": plan.uses_kms or None}
                ],
                opts=child(),
            )
        )
        if spec.versioned:
            chain.append(
                s3.BucketVersioning(
                    f"{name}-versioning", bucket=bucket_id, versioning_configuration={"status": "Enabled"}, opts=child()
                )
            )
        chain.append(s3.BucketLifecycleConfiguration(f"{name}-lifecycle", bucket=bucket_id, rules=rules, opts=child()))
        if self._access_logs is not None:
            s3.BucketLogging(
                f"{name}-access-logging",
                bucket=bucket_id,
                target_bucket=self._access_logs.bucket,
                target_prefix=f"{spec.name}/",
                opts=child(),
            )


# -- the access-log bucket ----------------------------------------------------------------------
#: Days server access logs are kept; long enough for an incident review, then they expire.
ACCESS_LOG_RETENTION_DAYS = 90
#: The service principal that delivers S3 server access logs (S3 User Guide, "Enabling Amazon S3
#: server access logging": grant it s3:PutObject with aws:SourceArn / aws:SourceAccount conditions).
LOGGING_SERVICE = "logging.s3.amazonaws.com"


def access_log_policy(log_bucket_arn: str, source_bucket_prefix: str, account_id: str) -> list[dict[str, Any]]:
    """Only S3 log delivery may write, only for this account's buckets of this environment, only over TLS."""
    return [
        deny_insecure_transport(log_bucket_arn),
        {
            "Sid": "S3ServerAccessLogDelivery",
            "Effect": "Allow",
            "Principal": {"Service": LOGGING_SERVICE},
            "Action": "s3:PutObject",
            "Resource": f"{log_bucket_arn}/*",
            "Condition": {
                "ArnLike": {"aws:SourceArn": f"arn:aws:s3:::{source_bucket_prefix}*"},
                "StringEquals": {"aws:SourceAccount": account_id},
            },
        },
    ]


class AccessLogBucket(pulumi.ComponentResource):
    """The environment's dedicated bucket for S3 server access logs of its data buckets.

    Encrypted with SSE-S3 (the only default encryption S3 log delivery supports), all public
    access blocked, ``BucketOwnerEnforced``, writable only by the log delivery service for this
    environment's buckets, objects expiring after ``ACCESS_LOG_RETENTION_DAYS``. Exposes ``bucket``
    (its name) and ``arn``.
    """

    def __init__(self, name: str, context: AwsContext, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aimodel:aws:AccessLogBucket", name, None, opts)
        physical = f"{context.env.name}-access-logs"
        self._bucket = s3.Bucket(
            physical,
            force_destroy=False,
            tags=context.tags_for("access-logs", **{PURPOSE_TAG: BucketPurpose.LOGS.value}),
            # The audit trail outlives a `pulumi destroy` of the environment; it expires on its own.
            opts=pulumi.ResourceOptions(parent=self, retain_on_delete=True),
        )
        self.bucket = self._bucket.bucket
        self.arn = self._bucket.arn
        chain: list[pulumi.Resource] = []

        def child() -> pulumi.ResourceOptions:
            return pulumi.ResourceOptions(parent=self, depends_on=chain[-1:] or None)

        bucket_id = self._bucket.id
        lock_down(name, bucket_id, chain, child)
        account = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
        prefix = f"{context.env.name}-"
        policy = pulumi.Output.all(self.arn, account).apply(
            lambda v: policy_document(access_log_policy(v[0], prefix, v[1]))
        )
        chain.append(s3.BucketPolicy(f"{name}-policy", bucket=bucket_id, policy=policy, opts=child()))
        chain.append(
            s3.BucketServerSideEncryptionConfiguration(
                f"{name}-encryption",
                bucket=bucket_id,
                rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}],
                opts=child(),
            )
        )
        s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=bucket_id,
            rules=[
                _rule("expire-access-logs", expiration={"days": ACCESS_LOG_RETENTION_DAYS}),
                _rule(
                    "abort-incomplete-multipart-uploads", abort_incomplete_multipart_upload={"days_after_initiation": 1}
                ),
            ],
            opts=child(),
        )
        self.register_outputs({"bucket": self.bucket, "arn": self.arn})
