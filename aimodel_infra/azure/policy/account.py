"""Rules about the environment as a whole: its tags on every resource, and a budget watching it."""

from __future__ import annotations

from collections.abc import Iterator

from aimodel_infra.azure.policy.types import BUDGET, TAGGABLE_TYPES, resource_tags
from aimodel_infra.policy.engine import PolicyContext, Violation, budget_presence
from aimodel_infra.policy.values import as_dict, as_list, known


def check_required_tags(ctx: PolicyContext) -> Iterator[Violation]:
    expected = ctx.expected_tags
    for r in ctx.resources(*TAGGABLE_TYPES):
        tags = resource_tags(r)
        missing = sorted(key for key, value in expected.items() if tags.get(key) != value)
        if missing:
            yield Violation(f"missing environment tags {', '.join(missing)}; pass the environment's tags", r)


def check_budget_alerts(ctx: PolicyContext) -> Iterator[Violation]:
    budgets = ctx.resources(BUDGET)
    yield from budget_presence(ctx, budgets, "Azure budget")
    if ctx.env.budget is None:
        return
    for budget in budgets:
        notifications = known(budget.inputs.get("notifications"))
        alerts = notifications.values() if isinstance(notifications, dict) else []
        if not any(as_list(as_dict(n).get("contactEmails")) for n in alerts):
            yield Violation("budget has no notification with a contact e-mail; add alert_emails", budget)
