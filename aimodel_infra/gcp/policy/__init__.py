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
from aimodel_infra.gcp.policy.types import TAGGABLE_TYPES
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
    remedies={
        "encryption-at-rest": "Cloud Storage and disks are always encrypted; give customer-key buckets "
        "encryption.default_kms_key_name, and the cluster database_encryption state ENCRYPTED with a Cloud KMS key.",
        "no-public-buckets": "Set public_access_prevention = 'enforced' and uniform_bucket_level_access = true, "
        "and grant no role to allUsers or allAuthenticatedUsers.",
        "versioned-checkpoints": "Leave versioning on for checkpoints and models buckets (the default), "
        "or remove 'versioning: false'.",
        "data-buckets-protected": "Keep 'deletion_protection: true' on datasets, checkpoints and models buckets "
        "(protect and retain_on_delete on, force_destroy off).",
        "gpu-nodes-private": "Keep private_cluster_config.enable_private_nodes = true and give instance templates "
        "no access_configs; nodes reach the internet through Cloud NAT.",
        "imdsv2-required": "Run node pools with workload_metadata_config.mode = GKE_METADATA and metadata "
        "disable-legacy-endpoints = 'true', so pods cannot read the node's token.",
        "cluster-endpoint-restricted": "Keep 'public_endpoint: false', or list the networks in cluster.allowed_cidrs "
        "(never 0.0.0.0/0); they become the cluster's master authorized networks.",
        "no-wildcard-iam": "Grant no basic (owner/editor/viewer) or admin roles; grant storage roles on buckets, "
        "never on the project; project-wide only the GKE node roles.",
        "required-tags": "Pass the environment's labels to every labelled resource (GcpContext.labels_for; GKE node "
        "VMs need node_config.resource_labels, provider default labels do not reach them).",
        "budget-alerts": "Declare 'budget:' with alert_emails and gcp.billing_account; the builder creates a Cloud "
        "Billing budget that notifies e-mail channels at each threshold.",
        "gpu-quota": "Request the listed Compute Engine quotas (IAM & Admin > Quotas, per metric and region, "
        "PREEMPTIBLE_* for spot, and GPUS_ALL_REGIONS) before deploying; increases can take days.",
    },
    taggable_types=TAGGABLE_TYPES,
)

__all__ = ["CHECKS"]
