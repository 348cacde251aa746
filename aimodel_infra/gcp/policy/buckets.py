"""Bucket rules on Cloud Storage: settings live on the bucket itself, access in IAM members.

A bucket's purpose comes from its ``aimodel-bucket-purpose`` label (set by the Bucket component),
falling back to the spec bucket its component is named after.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from aimodel_infra.gcp.policy.types import (
    BUCKET,
    BUCKET_COMPONENT,
    BUCKET_IAM_POLICY,
    BUCKET_IAM_TYPES,
    resource_labels,
)
from aimodel_infra.policy.engine import PolicyContext, Violation, unguarded_data_buckets
from aimodel_infra.policy.values import as_dict, as_list, is_unknown, json_document, known, truthy

if TYPE_CHECKING:
    from aimodel_infra.testing import RecordedResource

PURPOSE_LABEL = "aimodel-bucket-purpose"
DATA_PURPOSES = frozenset({"datasets", "checkpoints", "models"})
VERSIONED_PURPOSES = frozenset({"checkpoints", "models"})
PUBLIC_MEMBERS = frozenset({"allUsers", "allAuthenticatedUsers"})


def bucket_purpose(ctx: PolicyContext, bucket: RecordedResource) -> str | None:
    labels = resource_labels(ctx, bucket)
    if isinstance(labels.get(PURPOSE_LABEL), str):
        return str(labels[PURPOSE_LABEL])
    component = ctx.ancestor_of_type(bucket, BUCKET_COMPONENT)
    names = {bucket.name} | ({component.name} if component is not None else set())
    for spec in ctx.env.buckets:
        if names & {spec.name, f"{ctx.env.name}-{spec.name}"}:
            return spec.purpose.value
    return None


def _buckets_for(ctx: PolicyContext, purposes: frozenset[str]) -> Iterator[tuple[RecordedResource, str]]:
    for bucket in ctx.resources(BUCKET):
        purpose = bucket_purpose(ctx, bucket)
        if purpose in purposes:
            yield bucket, purpose


def _customer_key_wanted(ctx: PolicyContext, bucket: RecordedResource) -> bool:
    component = ctx.ancestor_of_type(bucket, BUCKET_COMPONENT)
    names = {bucket.name} | ({component.name} if component is not None else set())
    return any(
        spec.encryption.value == "customer-key" and names & {spec.name, f"{ctx.env.name}-{spec.name}"}
        for spec in ctx.env.buckets
    )


def unencrypted_buckets(ctx: PolicyContext) -> Iterator[Violation]:
    """GCS always encrypts with Google-managed keys; a bucket the spec wants on a customer key must name one."""
    for bucket in ctx.resources(BUCKET):
        key = as_dict(bucket.inputs.get("encryption")).get("defaultKmsKeyName")
        if _customer_key_wanted(ctx, bucket) and not (key or is_unknown(key)):
            yield Violation(
                "the spec asks for a customer key but the bucket sets no encryption.default_kms_key_name", bucket
            )


def _public_members(ctx: PolicyContext, bucket: RecordedResource) -> list[str]:
    names = {known(bucket.inputs.get("name")), known(bucket.outputs.get("name")), bucket.id}
    found = []
    for grant in ctx.resources(*BUCKET_IAM_TYPES):
        target = known(grant.inputs.get("bucket"))
        if target not in names and not (target is None and bucket.urn in grant.dependencies):
            continue
        members = [grant.inputs.get("member"), *as_list(grant.inputs.get("members"))]
        found += [str(m) for m in members if m in PUBLIC_MEMBERS]
    for policy in ctx.resources(BUCKET_IAM_POLICY):
        if known(policy.inputs.get("bucket")) in names:
            try:
                document = json_document(policy.inputs.get("policyData")) or {}
            except ValueError:
                continue
            for binding in as_list(document.get("bindings")):
                found += [str(m) for m in as_list(as_dict(binding).get("members")) if m in PUBLIC_MEMBERS]
    return found


def check_no_public_buckets(ctx: PolicyContext) -> Iterator[Violation]:
    for bucket in ctx.resources(BUCKET):
        prevention = known(bucket.inputs.get("publicAccessPrevention"))
        if prevention != "enforced" and not is_unknown(bucket.inputs.get("publicAccessPrevention")):
            shown = repr(prevention) if prevention else "unset ('inherited')"
            yield Violation(f"public_access_prevention is {shown}; set it to 'enforced'", bucket)
        if not truthy(bucket.inputs.get("uniformBucketLevelAccess")):
            yield Violation("object ACLs are on; set uniform_bucket_level_access = true", bucket)
        public = _public_members(ctx, bucket)
        if public:
            yield Violation(f"IAM grants access to {', '.join(sorted(set(public)))}; remove those members", bucket)


def check_versioned_checkpoints(ctx: PolicyContext) -> Iterator[Violation]:
    for bucket, purpose in _buckets_for(ctx, VERSIONED_PURPOSES):
        if as_dict(bucket.inputs.get("versioning")).get("enabled") is not True:
            yield Violation(
                f"{purpose} bucket without versioning: an overwrite or delete loses data for good; "
                "remove 'versioning: false' from the bucket",
                bucket,
            )


def check_data_buckets_protected(ctx: PolicyContext) -> Iterator[Violation]:
    yield from unguarded_data_buckets(_buckets_for(ctx, DATA_PURPOSES))
