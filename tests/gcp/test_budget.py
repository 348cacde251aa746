"""The budget: on the spec's billing account, for the project (by number), thresholds 1.0-based
plus a forecast rule, one e-mail channel per address."""

from __future__ import annotations

import pytest

from aimodel_infra.gcp.budget import specified_amount, threshold_rules
from aimodel_infra.gcp.testing.invokes import project_number
from aimodel_infra.spec.models import Budget
from aimodel_infra.testing import ResourceGraph

BUDGET = "gcp:billing/budget:Budget"
CHANNEL = "gcp:monitoring/notificationChannel:NotificationChannel"


def test_the_budget_watches_the_project_on_its_billing_account(graph: ResourceGraph) -> None:
    budget = graph.one(BUDGET)
    assert budget.inputs["billingAccount"] == "01A2B3-C4D5E6-F7A8B9"
    assert budget.inputs["budgetFilter"] == {
        "projects": [f"projects/{project_number('ml-platform-dev-4821')}"],
        "calendarPeriod": "MONTH",
    }
    assert budget.inputs["amount"] == {"specifiedAmount": {"currencyCode": "USD", "units": "100000", "nanos": 0}}
    assert len(budget.inputs["displayName"]) <= 60


def test_alerts_at_each_threshold_and_at_the_forecast_reach_the_email_channels(graph: ResourceGraph) -> None:
    budget = graph.one(BUDGET)
    assert budget.inputs["thresholdRules"] == [
        {"thresholdPercent": 0.5},
        {"thresholdPercent": 0.8},
        {"thresholdPercent": 1.0},
        {"thresholdPercent": 1.0, "spendBasis": "FORECASTED_SPEND"},
    ]
    [channel] = graph.of_type(CHANNEL)
    assert channel.inputs["type"] == "email"
    assert channel.inputs["labels"] == {"email_address": "ml-platform@example.com"}
    assert budget.inputs["allUpdatesRule"]["monitoringNotificationChannels"] == [channel.id]


@pytest.mark.parametrize(("usd", "units", "nanos"), [(75000.5, "75000", 500_000_000), (0.01, "0", 10_000_000)])
def test_amounts_are_units_and_nanos(usd: float, units: str, nanos: int) -> None:
    assert specified_amount(usd) == {"currency_code": "USD", "units": units, "nanos": nanos}


def test_thresholds_are_distinct_ascending_and_percent_becomes_a_fraction() -> None:
    budget = Budget(monthly_usd=10, alert_thresholds_percent=[120, 50, 50], alert_emails=["a@example.com"])
    assert [r["threshold_percent"] for r in threshold_rules(budget)] == [0.5, 1.2, 1.0]
