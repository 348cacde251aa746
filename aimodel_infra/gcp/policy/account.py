"""Rules about the environment as a whole: its labels on every resource, a budget watching it, and
IAM grants that stay narrow."""

from __future__ import annotations

from collections.abc import Iterator

from aimodel_infra.gcp.policy.types import (
    BUCKET_IAM_TYPES,
    BUDGET,
    KMS_IAM_TYPES,
    PROJECT_IAM_TYPES,
    SERVICE_ACCOUNT_IAM_TYPES,
    TAGGABLE_TYPES,
    resource_labels,
)
from aimodel_infra.policy.engine import PolicyContext, Violation, budget_presence
from aimodel_infra.policy.values import as_dict, as_list, is_unknown, known

#: Basic roles grant (nearly) everything in a project.
BASIC_ROLES = frozenset({"roles/owner", "roles/editor", "roles/viewer"})
#: The only project-wide roles the builder grants: what a GKE node needs.
PROJECT_ROLES_ALLOWED = frozenset({"roles/container.defaultNodeServiceAccount", "roles/artifactregistry.reader"})
#: Roles allowed on single resources, per kind of resource.
SCOPED_ROLES_ALLOWED = {
    "bucket": frozenset({"roles/storage.objectViewer", "roles/storage.objectUser"}),
    "service account": frozenset({"roles/iam.workloadIdentityUser"}),
    "key": frozenset({"roles/cloudkms.cryptoKeyEncrypterDecrypter"}),
}


def check_required_tags(ctx: PolicyContext) -> Iterator[Violation]:
    expected = ctx.expected_tags
    for r in ctx.resources(*sorted(TAGGABLE_TYPES)):
        labels = resource_labels(ctx, r)
        missing = sorted(key for key, value in expected.items() if labels.get(key) != value)
        if missing:
            yield Violation(f"missing environment labels {', '.join(missing)}; pass the environment's labels", r)


def check_budget_alerts(ctx: PolicyContext) -> Iterator[Violation]:
    """Mandatory once the spec declares a budget; without one, only advice to declare it."""
    budgets = ctx.resources(BUDGET)
    yield from budget_presence(ctx, budgets, "Cloud Billing budget")
    if ctx.env.budget is None:
        return
    for budget in budgets:
        channels = as_dict(budget.inputs.get("allUpdatesRule")).get("monitoringNotificationChannels")
        listed = known(channels)
        if not (isinstance(listed, list) and listed) and not is_unknown(channels):
            yield Violation("budget notifies no monitoring channel; add alert_emails", budget)
        if not as_list(budget.inputs.get("thresholdRules")):
            yield Violation("budget has no threshold rules, so it never alerts", budget)


def _roles(r: object) -> list[str]:
    inputs = getattr(r, "inputs", {})
    return [str(v) for v in as_list(inputs.get("role"))]


def check_no_wildcard_iam(ctx: PolicyContext) -> Iterator[Violation]:
    """GCP's side of no-wildcard-iam: no basic roles, no admin roles, project-wide only the node roles,
    and resource-level grants only of the narrow roles each resource kind needs."""
    for r in ctx.resources(*PROJECT_IAM_TYPES):
        for role in _roles(r):
            if role in BASIC_ROLES or role.endswith(".admin") or role not in PROJECT_ROLES_ALLOWED:
                yield Violation(
                    f"grants {role} on the whole project; grant a narrower role on the resource that needs it", r
                )
    scoped = {
        "bucket": BUCKET_IAM_TYPES,
        "service account": SERVICE_ACCOUNT_IAM_TYPES,
        "key": KMS_IAM_TYPES,
    }
    for kind, types in scoped.items():
        for r in ctx.resources(*types):
            for role in _roles(r):
                if role not in SCOPED_ROLES_ALLOWED[kind]:
                    allowed = ", ".join(sorted(SCOPED_ROLES_ALLOWED[kind]))
                    yield Violation(f"grants {role} on a {kind}; use one of {allowed}", r)
