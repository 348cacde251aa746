"""Rules about the environment as a whole: its tags on every resource, and a budget watching it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from aimodel_infra.aws.policy.types import BUDGET, TAGGABLE_TYPES, resource_tags
from aimodel_infra.policy.engine import PolicyContext, Violation, budget_presence
from aimodel_infra.policy.values import as_dict, as_list

if TYPE_CHECKING:
    from aimodel_infra.graph import RecordedResource


def check_required_tags(ctx: PolicyContext) -> Iterator[Violation]:
    expected = ctx.expected_tags
    for r in ctx.resources(*TAGGABLE_TYPES):
        tags = resource_tags(ctx, r)
        missing = sorted(key for key, value in expected.items() if tags.get(key) != value)
        if missing:
            yield Violation(f"missing environment tags {', '.join(missing)}; pass the environment's tags", r)


def _notifies_someone(budget: RecordedResource) -> bool:
    return any(
        as_list(as_dict(n).get("subscriberEmailAddresses")) or as_list(as_dict(n).get("subscriberSnsTopicArns"))
        for n in as_list(budget.inputs.get("notifications"))
    )


def check_budget_alerts(ctx: PolicyContext) -> Iterator[Violation]:
    """Mandatory once the spec declares a budget; without one, only advice to declare it."""
    budgets = ctx.resources(BUDGET)
    yield from budget_presence(ctx, budgets, "AWS budget")
    if ctx.env.budget is None:
        return
    for budget in budgets:
        if not _notifies_someone(budget):
            yield Violation("budget has no notification with a subscriber; add alert_emails", budget)
