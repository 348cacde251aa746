"""Bucket rules. An S3 bucket's settings are separate resources (encryption, versioning, public
access block, policy, ACL) tied to it by their ``bucket`` input; while that input is unknown in a
preview, by their dependency on the bucket. Inline settings on the bucket count too.

A bucket's purpose comes from its ``aimodel-bucket-purpose`` tag (set by the Bucket component),
falling back to the spec bucket its ``aimodel:aws:Bucket`` component or itself is named after.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from aimodel_infra.aws.policy.types import (
    BUCKET_ACL_TYPES,
    BUCKET_COMPONENT,
    BUCKET_POLICY,
    BUCKET_TYPES,
    ENCRYPTION_TYPES,
    PUBLIC_ACCESS_BLOCK,
    VERSIONING_TYPES,
    resource_tags,
)
from aimodel_infra.conventions import PURPOSE_TAG
from aimodel_infra.policy.engine import PolicyContext, Violation, unguarded_data_buckets
from aimodel_infra.policy.values import as_dict, as_list, is_unknown, json_document, known, truthy

if TYPE_CHECKING:
    from aimodel_infra.graph import RecordedResource

#: Ours, then a legacy spelling older stacks may carry.
PURPOSE_TAG_KEYS = (PURPOSE_TAG, "aimodel-purpose")
DATA_PURPOSES = frozenset({"datasets", "checkpoints", "models"})
VERSIONED_PURPOSES = frozenset({"checkpoints", "models"})
PUBLIC_ACCESS_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
PUBLIC_CANNED_ACLS = frozenset({"public-read", "public-read-write", "authenticated-read"})
PUBLIC_GRANTEE_URIS = frozenset(
    {"http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"}
)


def _bucket_names(bucket: RecordedResource) -> set[str]:
    candidates = (bucket.id, bucket.outputs.get("bucket"), bucket.outputs.get("id"), bucket.inputs.get("bucket"))
    return {c for c in candidates if isinstance(known(c), str) and c}


def attached(ctx: PolicyContext, bucket: RecordedResource, *types: str) -> list[RecordedResource]:
    """Configuration resources of ``types`` that apply to ``bucket``."""
    names = _bucket_names(bucket)
    found = []
    for r in ctx.resources(*types):
        target = known(r.inputs.get("bucket"))
        if target in names or (target is None and bucket.urn in r.dependencies):
            found.append(r)
    return found


def bucket_purpose(ctx: PolicyContext, bucket: RecordedResource) -> str | None:
    """What the bucket holds (datasets, checkpoints, models, logs), or None when nothing says."""
    tags = resource_tags(ctx, bucket)
    for key in PURPOSE_TAG_KEYS:
        if isinstance(tags.get(key), str):
            return tags[key]
    component = ctx.ancestor_of_type(bucket, BUCKET_COMPONENT)
    names = {bucket.name} | ({component.name} if component is not None else set())
    for spec in ctx.env.buckets:
        if names & {spec.name, f"{ctx.env.name}-{spec.name}"}:
            return spec.purpose.value
    return None


def _buckets_for(ctx: PolicyContext, purposes: frozenset[str]) -> Iterator[tuple[RecordedResource, str]]:
    for bucket in ctx.resources(*BUCKET_TYPES):
        purpose = bucket_purpose(ctx, bucket)
        if purpose in purposes:
            yield bucket, purpose


def _has_default_encryption(ctx: PolicyContext, bucket: RecordedResource) -> bool:
    inline = as_dict(as_dict(bucket.inputs.get("serverSideEncryptionConfiguration")).get("rule"))
    if as_dict(inline.get("applyServerSideEncryptionByDefault")).get("sseAlgorithm"):
        return True
    return any(
        as_dict(as_dict(rule).get("applyServerSideEncryptionByDefault")).get("sseAlgorithm")
        for config in attached(ctx, bucket, *ENCRYPTION_TYPES)
        for rule in as_list(config.inputs.get("rules"))
    )


def unencrypted_buckets(ctx: PolicyContext) -> Iterator[Violation]:
    for bucket in ctx.resources(*BUCKET_TYPES):
        if not _has_default_encryption(ctx, bucket):
            yield Violation("no server-side encryption configuration; add one (SSE-S3 or SSE-KMS)", bucket)


# -- no-public-buckets ----------------------------------------------------------------------------
def public_statements(document: dict[str, Any]) -> list[str]:
    """Sids of Allow statements whose principal is everyone."""
    found = []
    for statement in (as_dict(s) for s in as_list(document.get("Statement"))):
        principal = statement.get("Principal")
        anyone = principal == "*" or "*" in as_list(as_dict(principal).get("AWS"))
        if anyone and statement.get("Effect", "Allow") == "Allow":
            found.append(str(statement.get("Sid") or "(no Sid)"))
    return found


def _public_acls(ctx: PolicyContext, bucket: RecordedResource) -> list[str]:
    acl_resources = attached(ctx, bucket, *BUCKET_ACL_TYPES)
    canned = [known(r.inputs.get("acl")) for r in (bucket, *acl_resources)]
    grantees = [as_dict(g).get("uri") for g in as_list(bucket.inputs.get("grants"))]
    for acl in acl_resources:
        grants = as_list(as_dict(acl.inputs.get("accessControlPolicy")).get("grants"))
        grantees += [as_dict(as_dict(g).get("grantee")).get("uri") for g in grants]
    return [a for a in canned if a in PUBLIC_CANNED_ACLS] + [g for g in grantees if g in PUBLIC_GRANTEE_URIS]


def _policy_violations(bucket: RecordedResource, policy: RecordedResource) -> Iterator[Violation]:
    try:
        document = json_document(policy.inputs.get("policy"))
    except ValueError as exc:
        yield Violation(f"bucket policy cannot be read ({exc}), so it cannot be shown not to be public", bucket)
        return
    sids = public_statements(document or {})
    if sids:
        yield Violation(
            f"bucket policy allows Principal '*' (statements {', '.join(sids)}); "
            "name the principals or remove the statements",
            bucket,
        )


def check_no_public_buckets(ctx: PolicyContext) -> Iterator[Violation]:
    for bucket in ctx.resources(*BUCKET_TYPES):
        blocks = attached(ctx, bucket, PUBLIC_ACCESS_BLOCK)
        if not blocks:
            yield Violation("has no public access block; attach one with all four flags true", bucket)
        for block in blocks:
            values = {flag: block.inputs.get(flag) for flag in PUBLIC_ACCESS_FLAGS}
            off = [flag for flag, value in values.items() if not (truthy(value) or is_unknown(value))]
            if off:
                yield Violation(f"public access block leaves {', '.join(off)} off; set all four flags true", bucket)
        for policy in (bucket, *attached(ctx, bucket, BUCKET_POLICY)):
            yield from _policy_violations(bucket, policy)
        for acl in _public_acls(ctx, bucket):
            yield Violation(f"ACL grants public access ({acl}); use private ACLs or BucketOwnerEnforced", bucket)


# -- versioned-checkpoints / data-buckets-protected -----------------------------------------------
def _versioning_enabled(ctx: PolicyContext, bucket: RecordedResource) -> bool:
    if as_dict(bucket.inputs.get("versioning")).get("enabled") is True:
        return True
    return any(
        as_dict(v.inputs.get("versioningConfiguration")).get("status") == "Enabled"
        for v in attached(ctx, bucket, *VERSIONING_TYPES)
    )


def check_versioned_checkpoints(ctx: PolicyContext) -> Iterator[Violation]:
    for bucket, purpose in _buckets_for(ctx, VERSIONED_PURPOSES):
        if not _versioning_enabled(ctx, bucket):
            yield Violation(
                f"{purpose} bucket without versioning Enabled: an overwrite or delete loses data "
                "for good; remove 'versioning: false' from the bucket",
                bucket,
            )


def check_data_buckets_protected(ctx: PolicyContext) -> Iterator[Violation]:
    yield from unguarded_data_buckets(_buckets_for(ctx, DATA_PURPOSES))
