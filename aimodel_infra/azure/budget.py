"""A monthly Azure consumption budget for one environment, with e-mail alerts.

Scope: the subscription, filtered on the ``ResourceGroupName`` cost dimension to the environment's
resource group **and** the AKS node resource group. The GPU VM scale sets AKS creates live in the
node group, so a budget scoped to the environment's group alone would never see the GPU spend.

Alerts: one ``Actual`` notification per distinct threshold and one ``Forecasted`` at 100%; Azure
allows five per budget (checked by the spec rules).

Start date: the first of the month of the first deploy. Azure requires the first of a month and
refuses a past start outside the current period, so the program computes it, and
``ignore_changes=["timePeriod"]`` keeps later deploys (in later months) from changing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

import pulumi
import pulumi_azure_native.consumption as consumption

from aimodel_infra.azure.context import AzureContext
from aimodel_infra.spec.models import Budget as BudgetSpec

TYPE_TOKEN: Final = "aimodel:azure:Budget"
FORECAST_THRESHOLD_PERCENT: Final = 100.0
RESOURCE_GROUP_DIMENSION: Final = "ResourceGroupName"
TIME_PERIOD_PATH: Final = "timePeriod"


# -- plan: pure functions -----------------------------------------------------------------------
def notifications(budget: BudgetSpec) -> dict[str, dict[str, Any]]:
    """``{key: NotificationArgs as dict}``: Actual alerts at each distinct threshold, then the forecast."""
    emails = list(dict.fromkeys(budget.alert_emails))

    def alert(kind: str, percent: float) -> dict[str, Any]:
        return {
            "enabled": True,
            "operator": "GreaterThan",
            "threshold": percent,
            "threshold_type": kind,
            "contact_emails": emails,
        }

    alerts = {
        f"actual-{percent:g}-percent": alert("Actual", percent)
        for percent in sorted(set(budget.alert_thresholds_percent))
    }
    alerts[f"forecast-{FORECAST_THRESHOLD_PERCENT:g}-percent"] = alert("Forecasted", FORECAST_THRESHOLD_PERCENT)
    return alerts


def first_of_month(today: date) -> str:
    return today.replace(day=1).strftime("%Y-%m-%dT00:00:00Z")


def subscription_scope(subscription_id: str) -> str:
    return f"/subscriptions/{subscription_id}"


# -- component ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class BudgetArgs:
    budget: BudgetSpec
    context: AzureContext
    #: the resource groups whose costs count: the environment's and the AKS node group.
    resource_groups: list[pulumi.Input[str]]
    today: date | None = None


class Budget(pulumi.ComponentResource):
    """Exposes ``budget`` and ``name``."""

    def __init__(self, name: str, args: BudgetArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        spec, context = args.budget, args.context
        self.budget = consumption.Budget(
            f"{name}-monthly",
            scope=subscription_scope(context.subscription_id),
            amount=spec.monthly_usd,
            category="Cost",
            time_grain="Monthly",
            time_period=consumption.BudgetTimePeriodArgs(start_date=first_of_month(args.today or date.today())),
            filter=consumption.BudgetFilterArgs(
                dimensions=consumption.BudgetComparisonExpressionArgs(
                    name=RESOURCE_GROUP_DIMENSION, operator="In", values=args.resource_groups
                )
            ),
            notifications=notifications(spec),
            opts=pulumi.ResourceOptions(parent=self, ignore_changes=[TIME_PERIOD_PATH]),
        )
        self.name = self.budget.name
        self.register_outputs({"name": self.name})
