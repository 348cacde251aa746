"""Budget: a monthly USD cost budget on the environment's tag, alerting at each threshold and on forecast."""

from __future__ import annotations

from pathlib import Path

import pulumi
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aimodel_infra.aws.budget import (
    FORECAST_THRESHOLD_PERCENT,
    Budget,
    BudgetArgs,
    environment_cost_filter,
    notifications,
)
from aimodel_infra.aws.context import AwsContext
from aimodel_infra.aws.spec_rules import MAX_EMAILS, MAX_NOTIFICATIONS, budget_problems
from aimodel_infra.catalog import default_catalog
from aimodel_infra.errors import AimodelError
from aimodel_infra.spec.loader import load_spec
from aimodel_infra.spec.models import Budget as BudgetSpec
from aimodel_infra.testing import MotoBackend, run_program

ROOT = Path(__file__).resolve().parents[2]
ENV = load_spec("aws-dev", root=ROOT)
CONTEXT = AwsContext.for_environment(ENV, default_catalog())
BUDGET = "aws:budgets/budget:Budget"
assert ENV.budget is not None
SPEC = ENV.budget

thresholds = st.lists(st.floats(min_value=1, max_value=500).map(lambda x: round(x, 1)), min_size=1, max_size=12)


def build(spec: BudgetSpec, **run):
    def program() -> None:
        budget = Budget("budget", BudgetArgs(spec, CONTEXT))
        pulumi.export("name", budget.name)

    return run_program(program, **run)


@pytest.fixture(scope="module")
def aws_dev():
    return build(SPEC)


# -- plan ---------------------------------------------------------------------------------------
@given(percentages=thresholds)
def test_one_actual_alert_per_distinct_threshold_then_a_forecast_at_100(percentages: list[float]) -> None:
    spec = BudgetSpec(monthly_usd=1000, alert_thresholds_percent=percentages, alert_emails=["a@example.com"])
    alerts = notifications(spec)
    actual = [a["threshold"] for a in alerts if a["notification_type"] == "ACTUAL"]
    assert actual == sorted(set(percentages))
    assert [a["threshold"] for a in alerts if a["notification_type"] == "FORECASTED"] == [FORECAST_THRESHOLD_PERCENT]
    assert all(a["comparison_operator"] == "GREATER_THAN" and a["threshold_type"] == "PERCENTAGE" for a in alerts)


def test_every_alert_goes_to_every_email_once() -> None:
    emails = ["a@example.com", "b@example.com", "a@example.com"]
    spec = BudgetSpec(monthly_usd=10, alert_emails=emails)
    assert all(a["subscriber_email_addresses"] == ["a@example.com", "b@example.com"] for a in notifications(spec))


@given(percentages=thresholds)
def test_more_thresholds_than_aws_notifications_allow_are_reported_on_the_field(percentages: list[float]) -> None:
    spec = BudgetSpec(monthly_usd=1000, alert_thresholds_percent=percentages, alert_emails=["a@example.com"])
    too_many = len(set(percentages)) + 1 > MAX_NOTIFICATIONS
    paths = [p.path for p in budget_problems(spec)]
    assert paths == (["budget.alert_thresholds_percent"] if too_many else [])


def test_more_emails_than_aws_allows_per_alert_are_reported_on_the_field() -> None:
    spec = BudgetSpec(monthly_usd=10, alert_emails=[f"u{i}@example.com" for i in range(MAX_EMAILS + 1)])
    assert [p.path for p in budget_problems(spec)] == ["budget.alert_emails"]


def test_cost_filter_uses_a_tag_every_resource_of_the_environment_carries() -> None:
    (value,) = environment_cost_filter(ENV.name)["values"]
    key, tag_value = value.removeprefix("user:").split("$")
    assert value.startswith("user:")
    assert CONTEXT.tags[key] == tag_value == ENV.name


# -- the aws-dev budget -------------------------------------------------------------------------
def test_budget_is_a_monthly_usd_cost_budget_of_the_spec_amount(aws_dev) -> None:
    budget = aws_dev.one(BUDGET)
    assert (budget.inputs["budgetType"], budget.inputs["timeUnit"], budget.inputs["limitUnit"]) == (
        "COST",
        "MONTHLY",
        "USD",
    )
    assert float(budget.inputs["limitAmount"]) == SPEC.monthly_usd
    assert budget.inputs["costFilters"] == [environment_cost_filter(ENV.name)]
    assert "name" not in budget.inputs  # auto-named
    assert budget.inputs["tags"].items() >= CONTEXT.tags.items()
    assert aws_dev.parent_of(budget) == aws_dev.one("aimodel:aws:Budget")


def test_budget_alerts_are_the_planned_ones(aws_dev) -> None:
    recorded = aws_dev.one(BUDGET).inputs["notifications"]
    assert [(n["notificationType"], n["threshold"]) for n in recorded] == [
        (n["notification_type"], n["threshold"]) for n in notifications(SPEC)
    ]
    assert all(n["subscriberEmailAddresses"] == SPEC.alert_emails for n in recorded)


def test_too_many_thresholds_stop_the_build_before_anything_is_created() -> None:
    spec = BudgetSpec(
        monthly_usd=100, alert_thresholds_percent=list(range(10, 110, 10)), alert_emails=["a@example.com"]
    )
    with pytest.raises(AimodelError, match=r"budget\.alert_thresholds_percent"):
        build(spec)


# -- moto ---------------------------------------------------------------------------------------
def test_budget_read_back_from_moto() -> None:
    with MotoBackend(region=ENV.region) as aws:
        graph = build(SPEC, backend=aws)
        account, name = graph.one(BUDGET).id.split(":", 1)
        client = aws.client("budgets")
        described = client.describe_budget(AccountId=account, BudgetName=name)["Budget"]
        alerts = client.describe_notifications_for_budget(AccountId=account, BudgetName=name)["Notifications"]
    assert float(described["BudgetLimit"]["Amount"]) == SPEC.monthly_usd
    assert described["TimeUnit"] == "MONTHLY" and described["BudgetType"] == "COST"
    assert sorted((n["NotificationType"], n["Threshold"]) for n in alerts) == sorted(
        (n["notification_type"], n["threshold"]) for n in notifications(SPEC)
    )


def test_the_environment_tag_is_activated_for_cost_allocation_so_the_budget_sees_spend() -> None:
    from .example_stack import mocks_run

    (activation,) = mocks_run().of_type("aws:costexplorer/costAllocationTag:CostAllocationTag")
    assert activation.inputs == {"tagKey": "aimodel-environment", "status": "Active"}
