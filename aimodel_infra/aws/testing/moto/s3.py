"""moto translators for S3 bucket resource types (see `moto_backend`)."""

from __future__ import annotations

from typing import Any

from .backend import Apply, Computed, Translator, drop_none, policy_json


def bucket(a: Apply) -> Computed:
    s3 = a.client("s3")
    name = a.get("bucket")
    args: dict[str, Any] = {"Bucket": name}
    if a.region != "us-east-1":
        args["CreateBucketConfiguration"] = {"LocationConstraint": a.region}
    if a.get("objectLockEnabled"):
        args["ObjectLockEnabledForBucket"] = True
    s3.create_bucket(**args)
    if a.tags():
        s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": a.tags()})
    for legacy in ("versioning", "serverSideEncryptionConfiguration", "lifecycleRules", "policy", "acl"):
        if a.get(legacy):
            a.skip(f"deprecated inline '{legacy}' (use the separate Bucket* resources)")
    return name, {
        "arn": f"arn:aws:s3:::{name}",
        "bucketDomainName": f"{name}.s3.amazonaws.com",
        "bucketRegionalDomainName": f"{name}.s3.{a.region}.amazonaws.com",
        "region": a.region,
    }


def versioning(a: Apply) -> Computed:
    conf = a.get("versioningConfiguration", {})
    a.client("s3").put_bucket_versioning(
        Bucket=a.get("bucket"),
        VersioningConfiguration=drop_none({"Status": conf.get("status"), "MFADelete": conf.get("mfaDelete")}),
    )
    return a.get("bucket"), {}


def server_side_encryption(a: Apply) -> Computed:
    rules = []
    for rule in a.get("rules", []):
        default = rule.get("applyServerSideEncryptionByDefault") or {}
        rules.append(
            drop_none(
                {
                    "ApplyServerSideEncryptionByDefault": drop_none(
                        {
                            "SSEAlgorithm": default.get("sseAlgorithm"),
                            "KMSMasterKeyID": default.get("kmsMasterKeyId"),
                        }
                    ),
                    "BucketKeyEnabled": rule.get("bucketKeyEnabled"),
                }
            )
        )
    a.client("s3").put_bucket_encryption(Bucket=a.get("bucket"), ServerSideEncryptionConfiguration={"Rules": rules})
    return a.get("bucket"), {}


def public_access_block(a: Apply) -> Computed:
    keys = {
        "blockPublicAcls": "BlockPublicAcls",
        "blockPublicPolicy": "BlockPublicPolicy",
        "ignorePublicAcls": "IgnorePublicAcls",
        "restrictPublicBuckets": "RestrictPublicBuckets",
    }
    a.client("s3").put_public_access_block(
        Bucket=a.get("bucket"),
        PublicAccessBlockConfiguration={aws: bool(a.get(k, False)) for k, aws in keys.items()},
    )
    return a.get("bucket"), {}


def ownership_controls(a: Apply) -> Computed:
    rule = a.get("rule", {})
    a.client("s3").put_bucket_ownership_controls(
        Bucket=a.get("bucket"), OwnershipControls={"Rules": [{"ObjectOwnership": rule.get("objectOwnership")}]}
    )
    return a.get("bucket"), {}


def bucket_policy(a: Apply) -> Computed:
    a.client("s3").put_bucket_policy(Bucket=a.get("bucket"), Policy=policy_json(a.get("policy")))
    return a.get("bucket"), {}


def _tag(tag: dict[str, Any]) -> dict[str, str]:
    return {"Key": tag.get("key"), "Value": tag.get("value")}


def _lifecycle_filter(f: dict[str, Any] | None, legacy_prefix: str | None) -> dict[str, Any]:
    if not f:
        return {"Prefix": legacy_prefix or ""}
    if f.get("and"):
        both = f["and"]
        return {
            "And": drop_none(
                {
                    "Prefix": both.get("prefix"),
                    "Tags": [{"Key": k, "Value": v} for k, v in (both.get("tags") or {}).items()],
                    "ObjectSizeGreaterThan": both.get("objectSizeGreaterThan"),
                    "ObjectSizeLessThan": both.get("objectSizeLessThan"),
                }
            )
        }
    if f.get("tag"):
        return {"Tag": _tag(f["tag"])}
    out = drop_none(
        {
            "Prefix": f.get("prefix"),
            "ObjectSizeGreaterThan": f.get("objectSizeGreaterThan"),
            "ObjectSizeLessThan": f.get("objectSizeLessThan"),
        }
    )
    return out or {"Prefix": ""}


def lifecycle_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """One `BucketLifecycleConfiguration` rule (Pulumi shape) as an S3 API LifecycleRule."""
    exp = rule.get("expiration") or {}
    nce = rule.get("noncurrentVersionExpiration") or {}
    abort = rule.get("abortIncompleteMultipartUpload") or {}
    return drop_none(
        {
            "ID": rule.get("id"),
            "Status": rule.get("status"),
            "Filter": _lifecycle_filter(rule.get("filter"), rule.get("prefix")),
            "Expiration": drop_none(
                {
                    "Days": exp.get("days"),
                    "Date": exp.get("date"),
                    "ExpiredObjectDeleteMarker": exp.get("expiredObjectDeleteMarker"),
                }
            ),
            "Transitions": [
                drop_none({"Days": t.get("days"), "Date": t.get("date"), "StorageClass": t.get("storageClass")})
                for t in rule.get("transitions") or []
            ],
            "NoncurrentVersionExpiration": drop_none(
                {
                    "NoncurrentDays": nce.get("noncurrentDays"),
                    "NewerNoncurrentVersions": nce.get("newerNoncurrentVersions"),
                }
            ),
            "NoncurrentVersionTransitions": [
                drop_none(
                    {
                        "NoncurrentDays": t.get("noncurrentDays"),
                        "StorageClass": t.get("storageClass"),
                        "NewerNoncurrentVersions": t.get("newerNoncurrentVersions"),
                    }
                )
                for t in rule.get("noncurrentVersionTransitions") or []
            ],
            "AbortIncompleteMultipartUpload": drop_none({"DaysAfterInitiation": abort.get("daysAfterInitiation")}),
        }
    )


def lifecycle(a: Apply) -> Computed:
    rules = [lifecycle_rule(r) for r in a.get("rules", [])]
    a.client("s3").put_bucket_lifecycle_configuration(Bucket=a.get("bucket"), LifecycleConfiguration={"Rules": rules})
    return a.get("bucket"), {}


TRANSLATORS: dict[str, Translator] = {
    "aws:s3/bucket:Bucket": bucket,
    "aws:s3/bucketV2:BucketV2": bucket,
    "aws:s3/bucketVersioning:BucketVersioning": versioning,
    "aws:s3/bucketVersioningV2:BucketVersioningV2": versioning,
    **{
        f"aws:s3/bucketServerSideEncryptionConfiguration{v}:BucketServerSideEncryptionConfiguration{v}": (
            server_side_encryption
        )
        for v in ("", "V2")
    },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": public_access_block,
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ownership_controls,
    "aws:s3/bucketPolicy:BucketPolicy": bucket_policy,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": lifecycle,
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": lifecycle,
}
