"""The policy rules: ids, what each protects and how to fix a finding, independent of any cloud.

This module is the one list of rule ids. The spec check for ``policy_exceptions`` reads it (so
it must stay free of Pulumi and SDK imports: ``validate`` imports it), and each cloud's checks
are keyed by these ids (:class:`aimodel_infra.policy.engine.CloudChecks` refuses unknown ones).
A cloud implements the rules that make sense for it; a rule that exists on only one cloud says
so in its title.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """Mandatory findings fail the preview (and block ``pulumi up`` in the pack); advisory ones warn."""

    MANDATORY = "mandatory"
    ADVISORY = "advisory"


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: Severity
    protects: str
    fix: str


_RULES = (
    Rule(
        "encryption-at-rest",
        "Data, disks and cluster secrets are encrypted at rest",
        Severity.MANDATORY,
        "Datasets, checkpoints and model weights in buckets, node disks, and Kubernetes secrets from "
        "being readable from a copied disk, snapshot or backup.",
        "Give every bucket a server-side encryption configuration, mark every launch-template EBS "
        "device encrypted, and enable cluster secrets encryption with a KMS key.",
    ),
    Rule(
        "no-public-buckets",
        "Buckets are not public",
        Severity.MANDATORY,
        "Training data and model weights from being listed or downloaded by anyone on the internet.",
        "Attach a public access block with all four flags true, remove Allow statements for "
        "Principal '*' from bucket policies, and use no public-read/public-read-write/authenticated-read ACL.",
    ),
    Rule(
        "versioned-checkpoints",
        "Checkpoint and model buckets keep old versions",
        Severity.MANDATORY,
        "Weeks of training from an overwritten or deleted checkpoint and released models from "
        "being replaced without a way back.",
        "Leave versioning on for checkpoints and models buckets (the default), or remove 'versioning: false'.",
    ),
    Rule(
        "data-buckets-protected",
        "Dataset, checkpoint and model buckets survive a destroy",
        Severity.MANDATORY,
        "Data from `pulumi destroy`, a replace, or a renamed resource deleting the bucket and its objects.",
        "Keep 'deletion_protection: true' on datasets, checkpoints and models buckets "
        "(protect and retain_on_delete on, force_destroy off).",
    ),
    Rule(
        "gpu-nodes-private",
        "GPU nodes have no public IP addresses",
        Severity.MANDATORY,
        "Expensive GPU instances from being reachable from the internet (SSH, exposed notebooks, inference servers).",
        "Place node groups and autoscaling groups in private subnets (map_public_ip_on_launch false) "
        "and never associate a public IP in launch templates; reach the internet through NAT.",
    ),
    Rule(
        "imdsv2-required",
        "Instances require IMDSv2 (AWS)",
        Severity.MANDATORY,
        "Node credentials from SSRF attacks that read the instance metadata service with plain GET requests.",
        "Set metadata_options.http_tokens = 'required' on every launch template and instance.",
    ),
    Rule(
        "cluster-endpoint-restricted",
        "A public Kubernetes API endpoint is limited to listed CIDRs",
        Severity.MANDATORY,
        "The cluster API from password-guessing and exploit traffic from the whole internet.",
        "Keep 'public_endpoint: false', or list the networks in cluster.allowed_cidrs (never 0.0.0.0/0); "
        "on AWS an empty list means 0.0.0.0/0.",
    ),
    Rule(
        "no-wildcard-iam",
        "IAM policies we write grant no wildcard actions or resources",
        Severity.MANDATORY,
        "The account from a node or workload role that can do anything (or anything in a service) "
        "once its credentials leak.",
        "Name the actions (s3:GetObject, not s3:* or *) and the resources (bucket ARNs, not *) in "
        "every policy statement and trust policy.",
    ),
    Rule(
        "required-tags",
        "Resources carry the environment's tags",
        Severity.ADVISORY,
        "Cost allocation and ownership: untagged GPU spend cannot be attributed to a team or environment.",
        "Pass the environment's tags to every taggable resource (AwsContext.tags_for, or provider default tags).",
    ),
    Rule(
        "budget-alerts",
        "Spending is watched by a budget with alerts",
        Severity.MANDATORY,
        "The monthly bill from a forgotten GPU pool running for weeks unnoticed.",
        "Declare 'budget:' with alert_emails in the environment; the builder creates a budget that "
        "notifies at each threshold.",
    ),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}


def known_rule_ids() -> list[str]:
    """Every rule id, in the order the rules are documented."""
    return list(RULES)
