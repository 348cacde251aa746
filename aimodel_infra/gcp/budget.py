"""A monthly Cloud Billing budget for the environment's project, with e-mail alerts.

The budget is created on the billing account (``gcp.billing_account``) and counts the whole
project's spend (filter ``projects/<number>``): label filters take a single label and miss costs
that carry none, so one environment per project is the layout that keeps the number exact.
Alerts: one threshold rule per spec threshold on actual spend, plus one at 100% of the
*forecast*, so the team hears about an overrun before the month ends. E-mails go through Cloud
Monitoring e-mail channels (a budget notifies at most five; the spec rule checks).

Creating a budget needs the Billing Budgets API and permissions on the billing account
(``roles/billing.costsManager`` or Billing Account Administrator). With user credentials the API
also needs a quota project: the environment's provider sets ``billing_project`` and
``user_project_override`` for that (pulumi-gcp ``Budget`` docstring, "403 error").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import pulumi
import pulumi_gcp as gcp

from aimodel_infra.gcp.context import GcpContext
from aimodel_infra.spec.models import Budget as BudgetSpec

TYPE_TOKEN: Final = "aimodel:gcp:Budget"
FORECAST_THRESHOLD: Final = 1.0
DISPLAY_NAME_MAX: Final = 60


# -- plan: pure functions -----------------------------------------------------------------------
def threshold_rules(budget: BudgetSpec) -> list[dict[str, Any]]:
    """Actual-spend rules at each distinct threshold (ascending, 1.0-based), then the forecast rule."""
    actual = [{"threshold_percent": p / 100} for p in sorted(set(budget.alert_thresholds_percent))]
    return [*actual, {"threshold_percent": FORECAST_THRESHOLD, "spend_basis": "FORECASTED_SPEND"}]


def specified_amount(monthly_usd: float) -> dict[str, Any]:
    """USD as the API's units + nanos (75000.5 -> units "75000", nanos 500000000)."""
    cents = round(monthly_usd * 100)
    return {"currency_code": "USD", "units": str(cents // 100), "nanos": (cents % 100) * 10_000_000}


def display_name(environment: str) -> str:
    return f"aimodel-infra {environment} monthly"[:DISPLAY_NAME_MAX]


# -- component ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class BudgetArgs:
    budget: BudgetSpec
    context: GcpContext


class Budget(pulumi.ComponentResource):
    """The environment's monthly budget. Exposes ``budget`` and ``channels``."""

    def __init__(self, name: str, args: BudgetArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        spec, context = args.budget, args.context
        assert context.settings.billing_account is not None, "spec rules require a billing account with a budget"
        child = pulumi.ResourceOptions(parent=self)
        self.channels = [
            gcp.monitoring.NotificationChannel(
                f"{name}-email-{i}",
                project=context.project,
                type="email",
                display_name=f"{context.env.name} budget: {email}",
                labels={"email_address": email},
                user_labels=context.labels_for(),
                opts=child,
            )
            for i, email in enumerate(dict.fromkeys(spec.alert_emails))
        ]
        project = gcp.organizations.get_project_output(project_id=context.project, opts=context.invoke_options(self))
        self.budget = gcp.billing.Budget(
            f"{name}-monthly",
            billing_account=context.settings.billing_account,
            display_name=display_name(context.env.name),
            amount={"specified_amount": specified_amount(spec.monthly_usd)},
            budget_filter={
                "projects": [project.number.apply(lambda number: f"projects/{number}")],
                "calendar_period": "MONTH",
            },
            threshold_rules=threshold_rules(spec),
            all_updates_rule={"monitoring_notification_channels": [c.id for c in self.channels]},
            opts=child,
        )
        self.register_outputs({"budget": self.budget.name})
