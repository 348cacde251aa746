"""The Azure policy checks: one small function per rule, reading the recorded graph only.

Plain Python over recorded properties (camelCase, as the program passed them): nothing here imports
``pulumi_azure_native`` or Pulumi, so the policy pack and the offline preview run the same code.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

from aimodel_infra.azure.policy.account import check_budget_alerts, check_required_tags
from aimodel_infra.azure.policy.compute import (
    check_cluster_endpoint_restricted,
    check_gpu_nodes_private,
    unencrypted_cluster_secrets,
    unencrypted_disks,
)
from aimodel_infra.azure.policy.iam import check_no_wildcard_iam
from aimodel_infra.azure.policy.quota import check_gpu_quota
from aimodel_infra.azure.policy.storage import (
    check_data_buckets_protected,
    check_no_public_buckets,
    check_versioned_checkpoints,
    customer_key_violations,
)
from aimodel_infra.azure.policy.types import TAGGABLE_TYPES
from aimodel_infra.policy.engine import CloudChecks, PolicyContext, Violation


def check_encryption_at_rest(ctx: PolicyContext) -> Iterator[Violation]:
    return chain(customer_key_violations(ctx), unencrypted_disks(ctx), unencrypted_cluster_secrets(ctx))


#: How to fix each rule's finding on Azure.
REMEDIES = {
    "encryption-at-rest": "Keep os_disk_type 'Managed' on agent pools, enable AKS KMS (security_profile."
    "azure_key_vault_kms) and, for customer-key buckets, encryption.key_source 'Microsoft.Keyvault'.",
    "no-public-buckets": "Set allow_blob_public_access and allow_shared_key_access false, network_rule_set "
    "default_action 'Deny', and container public_access 'None'.",
    "versioned-checkpoints": "Leave versioning on for checkpoints and models buckets (BlobServiceProperties "
    "is_versioning_enabled).",
    "data-buckets-protected": "Keep 'deletion_protection: true': protect + retain_on_delete on the account and a "
    "CanNotDelete management lock on it.",
    "gpu-nodes-private": "Put every pool in the node subnet (vnet_subnet_id) with enable_node_public_ip false; "
    "give VM scale sets no public IP configuration.",
    "cluster-endpoint-restricted": "Keep 'public_endpoint: false' (private cluster), or list cluster.allowed_cidrs "
    "(authorized_ip_ranges), never 0.0.0.0/0.",
    "no-wildcard-iam": "Assign Storage Blob Data Reader/Contributor on one container; never Owner, Contributor "
    "or User Access Administrator.",
    "required-tags": "Pass the environment's tags to every taggable resource (AzureContext.tags_for).",
    "gpu-quota": "Request the vCPU quota per VM family and 'Total Regional Low-priority vCPUs' in the region, and "
    "register the resource providers, before `pulumi up`.",
    "budget-alerts": "Declare 'budget:' with alert_emails; the builder creates a consumption budget over the "
    "environment's and the node resource group.",
}

CHECKS = CloudChecks(
    "azure",
    {
        "encryption-at-rest": check_encryption_at_rest,
        "no-public-buckets": check_no_public_buckets,
        "versioned-checkpoints": check_versioned_checkpoints,
        "data-buckets-protected": check_data_buckets_protected,
        "gpu-nodes-private": check_gpu_nodes_private,
        "cluster-endpoint-restricted": check_cluster_endpoint_restricted,
        "no-wildcard-iam": check_no_wildcard_iam,
        "required-tags": check_required_tags,
        "gpu-quota": check_gpu_quota,
        "budget-alerts": check_budget_alerts,
    },
    remedies=REMEDIES,
    taggable_types=TAGGABLE_TYPES,
    not_applicable={
        "imdsv2-required": "IMDSv2 is an AWS instance metadata setting; Azure IMDS needs the Metadata: true header "
        "on every request and has no token-less mode to turn off",
    },
)

__all__ = ["CHECKS", "REMEDIES", "TAGGABLE_TYPES"]
