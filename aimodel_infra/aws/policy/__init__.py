"""The AWS policy checks: one small function per rule, reading the recorded graph only.

Plain Python over recorded properties (camelCase, as the program passed them): nothing here
imports ``pulumi_aws`` or Pulumi, so the policy pack and the offline preview run the same code
without the SDK. :data:`CHECKS` is what :mod:`aimodel_infra.registry` hands to
:func:`aimodel_infra.policy.engine.evaluate`; the rules themselves are described in
:mod:`aimodel_infra.policy.rules`.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

from aimodel_infra.aws.policy.account import check_budget_alerts, check_required_tags
from aimodel_infra.aws.policy.buckets import (
    check_data_buckets_protected,
    check_no_public_buckets,
    check_versioned_checkpoints,
    unencrypted_buckets,
)
from aimodel_infra.aws.policy.compute import (
    check_cluster_endpoint_restricted,
    check_gpu_nodes_private,
    check_imdsv2_required,
    node_groups_without_disk_settings,
    unencrypted_cluster_secrets,
    unencrypted_disks,
)
from aimodel_infra.aws.policy.iam import check_no_wildcard_iam
from aimodel_infra.aws.policy.quota import check_gpu_quota
from aimodel_infra.aws.policy.types import TAGGABLE_TYPES
from aimodel_infra.policy.engine import CloudChecks, PolicyContext, Violation


def check_encryption_at_rest(ctx: PolicyContext) -> Iterator[Violation]:
    return chain(
        unencrypted_buckets(ctx),
        unencrypted_disks(ctx),
        node_groups_without_disk_settings(ctx),
        unencrypted_cluster_secrets(ctx),
    )


CHECKS = CloudChecks(
    "aws",
    {
        "encryption-at-rest": check_encryption_at_rest,
        "no-public-buckets": check_no_public_buckets,
        "versioned-checkpoints": check_versioned_checkpoints,
        "data-buckets-protected": check_data_buckets_protected,
        "gpu-nodes-private": check_gpu_nodes_private,
        "imdsv2-required": check_imdsv2_required,
        "cluster-endpoint-restricted": check_cluster_endpoint_restricted,
        "no-wildcard-iam": check_no_wildcard_iam,
        "required-tags": check_required_tags,
        "gpu-quota": check_gpu_quota,
        "budget-alerts": check_budget_alerts,
    },
    remedies={
        "encryption-at-rest": "Give every bucket a server-side encryption configuration, mark every launch-template "
        "EBS device encrypted, and enable EKS secrets encryption with a KMS key.",
        "no-public-buckets": "Attach a public access block with all four flags true, remove Allow statements for "
        "Principal '*' from bucket policies, and use no public-read/public-read-write/authenticated-read ACL.",
        "versioned-checkpoints": "Leave versioning on for checkpoints and models buckets (the default), "
        "or remove 'versioning: false'.",
        "data-buckets-protected": "Keep 'deletion_protection: true' on datasets, checkpoints and models buckets "
        "(protect and retain_on_delete on, force_destroy off).",
        "gpu-nodes-private": "Place node groups and autoscaling groups in private subnets (map_public_ip_on_launch "
        "false) and never associate a public IP in launch templates; reach the internet through NAT.",
        "imdsv2-required": "Set metadata_options.http_tokens = 'required' on every launch template and instance.",
        "cluster-endpoint-restricted": "Keep 'public_endpoint: false', or list the networks in "
        "cluster.allowed_cidrs (never 0.0.0.0/0); on EKS an empty public_access_cidrs list means 0.0.0.0/0.",
        "no-wildcard-iam": "Name the actions (s3:GetObject, not s3:* or *) and the resources (bucket ARNs, not *) "
        "in every IAM policy statement and trust policy.",
        "required-tags": "Pass the environment's tags to every taggable resource (AwsContext.tags_for, or the "
        "provider's default tags).",
        "gpu-quota": "Request the listed EC2 vCPU quotas (Service Quotas > Amazon EC2) in the region before "
        "deploying; new accounts often have 0 for P and G instances.",
        "budget-alerts": "Declare 'budget:' with alert_emails in the environment; the builder creates an AWS "
        "Budgets budget that notifies at each threshold.",
    },
    taggable_types=frozenset(TAGGABLE_TYPES),
)

__all__ = ["CHECKS"]
