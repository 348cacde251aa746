"""A Cloud Storage bucket for datasets, checkpoints, models or logs, hard to lose or leak.

Every bucket gets, whatever the spec says:

- uniform bucket-level access (IAM only, no object ACLs) and public access prevention
  ``enforced`` (no ``allUsers``/``allAuthenticatedUsers`` grant can take effect);
- a regional location (the environment's region) in the Standard class;
- lifecycle rules: abort incomplete multipart uploads after N days (always), move objects to
  Nearline after ``cold_after_days``, delete noncurrent versions ``expire_noncurrent_after_days``
  after they became noncurrent;
- soft delete set explicitly (7 days): without the block, GCS keeps whatever the server says;
- never ``force_destroy``: a non-empty bucket is not deleted by Pulumi.

Encryption: Google-managed keys by default; with ``customer-key`` a Cloud KMS key in the bucket's
region (a new one in a key ring unique to this deployment, since key rings cannot be deleted, or
``customer_key_id``), which the project's Cloud Storage service agent is granted to use before the
bucket is created. Readers and writers need no KMS permission: the service agent encrypts.

With ``deletion_protection`` (the default) the bucket and its key are ``protect`` and
``retain_on_delete``: a destroy or replacement stops, and a bucket taken out of the stack is
forgotten, not deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import pulumi
import pulumi_gcp as gcp

from aimodel_infra.component import kept_options
from aimodel_infra.gcp.cluster import KEY_ROTATION, KMS_ENCRYPTER_ROLE
from aimodel_infra.gcp.context import PURPOSE_LABEL, GcpContext
from aimodel_infra.spec.checks import physical_bucket_prefix
from aimodel_infra.spec.models import Bucket as BucketSpec
from aimodel_infra.spec.models import Encryption

TYPE_TOKEN: Final = "aimodel:gcp:Bucket"
COLD_STORAGE_CLASS: Final = "NEARLINE"
SOFT_DELETE_SECONDS: Final = 7 * 24 * 3600


# -- plan: pure functions -----------------------------------------------------------------------
def lifecycle_rules(bucket: BucketSpec) -> list[dict[str, Any]]:
    """The bucket's ``lifecycle_rules`` (see module doc)."""
    lifecycle = bucket.lifecycle
    rules: list[dict[str, Any]] = [
        {
            "action": {"type": "AbortIncompleteMultipartUpload"},
            "condition": {"age": lifecycle.abort_incomplete_uploads_after_days},
        }
    ]
    if lifecycle.cold_after_days is not None:
        rules.append(
            {
                "action": {"type": "SetStorageClass", "storage_class": COLD_STORAGE_CLASS},
                "condition": {"age": lifecycle.cold_after_days, "matches_storage_classes": ["STANDARD"]},
            }
        )
    if lifecycle.expire_noncurrent_after_days is not None:
        rules.append(
            {
                "action": {"type": "Delete"},
                "condition": {
                    "days_since_noncurrent_time": lifecycle.expire_noncurrent_after_days,
                    "with_state": "ARCHIVED",
                },
            }
        )
    return rules


def bucket_location(region: str) -> str:
    """GCS reports locations upper-case; sending them so keeps every later diff quiet."""
    return region.upper()


# -- component ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class BucketArgs:
    bucket: BucketSpec
    context: GcpContext


class Bucket(pulumi.ComponentResource):
    """One spec bucket. Exposes ``name`` (physical name), ``url`` (``gs://...``), ``kms_key_id``
    (None without a customer key), ``bucket``, ``key`` (created key or None) and ``spec``."""

    name: pulumi.Output[str]
    url: pulumi.Output[str]
    kms_key_id: pulumi.Output[str] | None

    def __init__(self, name: str, args: BucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        spec, context = args.bucket, args.context
        super().__init__(TYPE_TOKEN, name, None, opts)
        self.spec = spec
        protected = spec.deletion_protection
        keep = kept_options(self, protected)
        self.key: gcp.kms.CryptoKey | None = None
        self.kms_key_id: pulumi.Output[str] | None = None
        ready: list[pulumi.Resource] = []
        if spec.encryption is Encryption.CUSTOMER_KEY:
            self.kms_key_id, grant = self._customer_key(name, spec, context, keep)
            ready.append(grant)
        self.bucket = gcp.storage.Bucket(
            physical_bucket_prefix(context.env, spec),  # auto-named '<env>-<bucket>-<suffix>'
            project=context.project,
            location=bucket_location(context.region),
            storage_class="STANDARD",
            uniform_bucket_level_access=True,
            public_access_prevention="enforced",
            versioning={"enabled": spec.versioned},
            lifecycle_rules=lifecycle_rules(spec),
            soft_delete_policy={"retention_duration_seconds": SOFT_DELETE_SECONDS},
            encryption={"default_kms_key_name": self.kms_key_id} if self.kms_key_id is not None else None,
            force_destroy=False,
            labels=context.labels_for(**{PURPOSE_LABEL: spec.purpose.value}),
            opts=pulumi.ResourceOptions.merge(keep, pulumi.ResourceOptions(depends_on=ready)),
        )
        self.name = self.bucket.name
        self.url = self.bucket.url
        self.register_outputs({"name": self.name, "url": self.url, "kms_key_id": self.kms_key_id})

    def _customer_key(
        self, name: str, spec: BucketSpec, context: GcpContext, keep: pulumi.ResourceOptions
    ) -> tuple[pulumi.Output[str], gcp.kms.CryptoKeyIAMMember]:
        child = pulumi.ResourceOptions(parent=self)
        if spec.customer_key_id:
            key_id: pulumi.Output[str] = pulumi.Output.from_input(spec.customer_key_id)
        else:
            ring = gcp.kms.KeyRing(f"{name}-key", project=context.project, location=context.region, opts=keep)
            self.key = gcp.kms.CryptoKey(
                f"{name}-key",
                key_ring=ring.id,
                purpose="ENCRYPT_DECRYPT",
                rotation_period=KEY_ROTATION,
                labels=context.labels_for(**{PURPOSE_LABEL: spec.purpose.value}),
                opts=keep,
            )
            key_id = self.key.id
        agent = gcp.storage.get_project_service_account_output(
            project=context.project, opts=context.invoke_options(self)
        )
        grant = gcp.kms.CryptoKeyIAMMember(
            f"{name}-key-gcs-agent",
            crypto_key_id=key_id,
            role=KMS_ENCRYPTER_ROLE,
            member=agent.member,
            opts=child,
        )
        return key_id, grant
