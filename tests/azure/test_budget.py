"""The budget: subscription scope filtered to both resource groups, spec thresholds, a fixed start date."""

from __future__ import annotations

import re

from aimodel_infra.testing import ResourceGraph

from .example_stack import SUBSCRIPTION
from .view import CLUSTER, one

BUDGET = "azure-native:consumption:Budget"
GROUP = "azure-native:resources:ResourceGroup"


def test_the_budget_sees_the_environment_and_the_aks_node_resource_group(dev: ResourceGraph) -> None:
    budget = one(dev, BUDGET).inputs
    assert budget["scope"] == f"/subscriptions/{SUBSCRIPTION}"
    assert budget["filter"] == {
        "dimensions": {
            "name": "ResourceGroupName",
            "operator": "In",
            "values": [one(dev, GROUP).outputs["name"], one(dev, CLUSTER).inputs["nodeResourceGroup"]],
        }
    }


def test_the_amount_and_the_monthly_cost_budget(dev: ResourceGraph) -> None:
    budget = one(dev, BUDGET).inputs
    assert (budget["amount"], budget["category"], budget["timeGrain"]) == (300000, "Cost", "Monthly")


def test_alerts_at_each_threshold_plus_a_forecast_within_five(dev: ResourceGraph) -> None:
    notifications = one(dev, BUDGET).inputs["notifications"]
    assert len(notifications) <= 5
    kinds = sorted((n["thresholdType"], n["threshold"]) for n in notifications.values())
    assert kinds == [("Actual", 50), ("Actual", 80), ("Actual", 100), ("Forecasted", 100)]
    assert all(n["contactEmails"] == ["ml-platform@example.com"] and n["enabled"] for n in notifications.values())


def test_the_start_date_is_a_first_of_month_later_runs_leave_alone(dev: ResourceGraph) -> None:
    budget = one(dev, BUDGET)
    assert re.fullmatch(r"\d{4}-\d{2}-01T00:00:00Z", budget.inputs["timePeriod"]["startDate"])
    assert budget.ignore_changes == ("timePeriod",)
