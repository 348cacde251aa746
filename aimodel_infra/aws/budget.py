"""A monthly AWS cost budget for one environment, with e-mail alerts.

The budget counts only costs tagged ``aimodel-environment=<env name>`` (every resource this
project creates carries that tag). AWS Billing only sees a tag once it is **activated as a cost
allocation tag** (Billing console > Cost allocation tags, or ``aws ce
update-cost-allocation-tags-status``), and only for costs incurred after activation; until then
this budget reports zero. The component activates it (``costexplorer.CostAllocationTag``);
activation is a management-account (payer) setting in AWS Organizations, so deploy from there or
activate it there by hand, and expect up to 24 hours before new tags appear in Billing.

Alerts: one ACTUAL notification per threshold of the spec, plus one FORECASTED notification at
100% so the team hears about an overrun before the month ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws.budgets as budgets
import pulumi_aws.costexplorer as costexplorer

from aimodel_infra.aws.context import AwsContext
from aimodel_infra.aws.spec_rules import budget_problems
from aimodel_infra.conventions import ENVIRONMENT_TAG
from aimodel_infra.errors import SpecError
from aimodel_infra.spec.models import Budget as BudgetSpec

TYPE_TOKEN = "aimodel:aws:Budget"
#: The tag key environment_tags() puts on every resource; the budget's cost filter relies on it.
ENVIRONMENT_TAG_KEY = ENVIRONMENT_TAG
FORECAST_THRESHOLD_PERCENT = 100.0


# -- plan: pure functions -----------------------------------------------------------------------
def notifications(budget: BudgetSpec) -> list[dict[str, Any]]:
    """ACTUAL alerts at each distinct threshold (ascending), then the FORECASTED alert at 100%."""
    emails = list(dict.fromkeys(budget.alert_emails))

    def alert(kind: str, percent: float) -> dict[str, Any]:
        return {
            "notification_type": kind,
            "comparison_operator": "GREATER_THAN",
            "threshold": percent,
            "threshold_type": "PERCENTAGE",
            "subscriber_email_addresses": emails,
        }

    actual = [alert("ACTUAL", percent) for percent in sorted(set(budget.alert_thresholds_percent))]
    return [*actual, alert("FORECASTED", FORECAST_THRESHOLD_PERCENT)]


def environment_cost_filter(environment: str) -> dict[str, Any]:
    """Cost filter on the environment tag, in the Budgets API's ``user:<key>$<value>`` form."""
    return {"name": "TagKeyValue", "values": [f"user:{ENVIRONMENT_TAG_KEY}${environment}"]}


def limit_amount(monthly_usd: float) -> str:
    return f"{monthly_usd:.2f}"


# -- component ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class BudgetArgs:
    budget: BudgetSpec
    context: AwsContext


class Budget(pulumi.ComponentResource):
    """The environment's monthly cost budget. Exposes ``name`` and ``budget``."""

    name: pulumi.Output[str]
    budget: budgets.Budget

    def __init__(self, name: str, args: BudgetArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        spec, context = args.budget, args.context
        problems = budget_problems(spec)
        if problems:
            raise SpecError(problems)
        super().__init__(TYPE_TOKEN, name, None, opts)
        self.budget = budgets.Budget(
            f"{name}-monthly",
            budget_type="COST",
            time_unit="MONTHLY",
            limit_amount=limit_amount(spec.monthly_usd),
            limit_unit="USD",
            cost_filters=[environment_cost_filter(context.env.name)],
            notifications=notifications(spec),
            tags=context.tags_for("budget"),
            opts=pulumi.ResourceOptions(parent=self),
        )
        # Billing sees the tag only once it is an active cost allocation tag; until then the budget
        # above reads $0. New tags take up to 24 hours to appear in Billing after activation.
        self.tag_activation = costexplorer.CostAllocationTag(
            f"{name}-environment-tag",
            tag_key=ENVIRONMENT_TAG_KEY,
            status="Active",
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.name = self.budget.name
        self.register_outputs({"name": self.name})
