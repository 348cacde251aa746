"""The policy rules: ids, what each protects and what a fix must achieve, independent of any cloud.

How to fix a finding on a given cloud is that cloud's words: each cloud's
:class:`~aimodel_infra.policy.engine.CloudChecks` carries a remedy per rule it checks, and a finding
shows that remedy; ``Rule.fix`` is the cloud-neutral goal, for docs and rule listings.

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
        "Encrypt every bucket, node disk and the cluster's secrets (the cloud's finding names the setting).",
    ),
    Rule(
        "no-public-buckets",
        "Buckets are not public",
        Severity.MANDATORY,
        "Training data and model weights from being listed or downloaded by anyone on the internet.",
        "Block public access on every bucket and grant nothing to anonymous or all-users principals.",
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
        "Place every node and VM in private subnets with no public IP; reach the internet through NAT.",
    ),
    Rule(
        "imdsv2-required",
        "Instances require IMDSv2 (AWS)",
        Severity.MANDATORY,
        "Node credentials from SSRF attacks that read the instance metadata service with plain GET requests.",
        "Require session tokens (IMDSv2) for the instance metadata service on every instance.",
    ),
    Rule(
        "cluster-endpoint-restricted",
        "A public Kubernetes API endpoint is limited to listed CIDRs",
        Severity.MANDATORY,
        "The cluster API from password-guessing and exploit traffic from the whole internet.",
        "Keep 'public_endpoint: false', or list the networks in cluster.allowed_cidrs (never 0.0.0.0/0).",
    ),
    Rule(
        "no-wildcard-iam",
        "IAM policies we write grant no wildcard actions or resources",
        Severity.MANDATORY,
        "The account from a node or workload role that can do anything (or anything in a service) "
        "once its credentials leak.",
        "Name the actions and the resources in every grant; no wildcard actions, roles or resources.",
    ),
    Rule(
        "required-tags",
        "Resources carry the environment's tags",
        Severity.ADVISORY,
        "Cost allocation and ownership: untagged GPU spend cannot be attributed to a team or environment.",
        "Pass the environment's tags (or labels) to every taggable resource.",
    ),
    Rule(
        "gpu-quota",
        "The GPU quota each pool needs at its largest is known before deploy",
        Severity.ADVISORY,
        "A deploy or a scale-up from failing on quota (new accounts and projects often start at 0 GPUs or "
        "GPU vCPUs; spot has its own quota), found only when the autoscaler cannot add nodes.",
        "Request the listed quota per metric or VM family and region (and spot's) before deploying, and "
        "enable or register the services the environment needs.",
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
