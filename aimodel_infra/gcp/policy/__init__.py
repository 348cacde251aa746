"""The GCP policy checks: one small function per rule, reading the recorded graph only.

Plain Python over recorded properties (camelCase): nothing here imports ``pulumi_gcp`` or
Pulumi, so the policy pack and the offline preview run the same code without the SDK.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

from aimodel_infra.gcp.policy.account import check_budget_alerts, check_no_wildcard_iam, check_required_tags
from aimodel_infra.gcp.policy.buckets import (
    check_data_buckets_protected,
    check_no_public_buckets,
    check_versioned_checkpoints,
    unencrypted_buckets,
)
from aimodel_infra.gcp.policy.compute import (
    check_cluster_endpoint_restricted,
    check_gpu_nodes_private,
    check_gpu_quota,
    check_metadata_protected,
    unencrypted_cluster_secrets,
)
from aimodel_infra.policy.engine import CloudChecks, PolicyContext, Violation


def check_encryption_at_rest(ctx: PolicyContext) -> Iterator[Violation]:
    """Cloud Storage and persistent disks are always encrypted (Google-managed keys); what can be
    missing is a customer key the spec asked for and application-layer secrets encryption."""
    return chain(unencrypted_buckets(ctx), unencrypted_cluster_secrets(ctx))


CHECKS = CloudChecks(
    "gcp",
    {
        "encryption-at-rest": check_encryption_at_rest,
        "no-public-buckets": check_no_public_buckets,
        "versioned-checkpoints": check_versioned_checkpoints,
        "data-buckets-protected": check_data_buckets_protected,
        "gpu-nodes-private": check_gpu_nodes_private,
        "imdsv2-required": check_metadata_protected,
        "cluster-endpoint-restricted": check_cluster_endpoint_restricted,
        "no-wildcard-iam": check_no_wildcard_iam,
        "required-tags": check_required_tags,
        "budget-alerts": check_budget_alerts,
        "gpu-quota": check_gpu_quota,
    },
)

__all__ = ["CHECKS"]
