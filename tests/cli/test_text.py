"""Plain-text formatting: the money, prices and counts every command prints."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from aimodel_infra.cli.text import catalog_age, money, plural, price, signed_money, validation_summary
from aimodel_infra.spec import load_spec


@pytest.mark.parametrize(
    ("amount", "text"),
    [(0, "$0.00"), (0.004, "$0.00"), (1234.5, "$1,234.50"), (143547.2, "$143,547.20"), (-12.345, "-$12.35")],
)
def test_money_is_dollars_to_the_cent_with_thousands_separators(amount: float, text: str) -> None:
    assert money(amount) == text


@pytest.mark.parametrize(
    ("amount", "text"),
    [(98.32, "$98.32"), (0.096, "$0.096"), (0.8048, "$0.8048"), (2.0, "$2.00"), (1.23456, "$1.2346")],
)
def test_unit_prices_keep_up_to_four_decimals_and_at_least_cents(amount: float, text: str) -> None:
    assert price(amount) == text


@pytest.mark.parametrize(("amount", "text"), [(5, "+$5.00"), (-5, "-$5.00"), (0.001, "$0.00"), (-0.001, "$0.00")])
def test_differences_always_show_their_direction_unless_zero(amount: float, text: str) -> None:
    assert signed_money(amount) == text


def test_plural_agrees_with_the_count() -> None:
    assert [plural(n, "bucket") for n in (0, 1, 2)] == ["0 buckets", "1 bucket", "2 buckets"]


@pytest.mark.parametrize("days", [0, 1, 22, 400])
def test_catalog_age_counts_days_since_the_snapshot(days: int) -> None:
    as_of = date(2026, 11, 1)

    text = catalog_age(as_of, today=as_of + timedelta(days=days))

    assert text == f"prices as of 2026-11-01, {plural(days, 'day')} old"


def test_the_validation_summary_counts_pools_groups_and_buckets() -> None:
    env = load_spec("aws-dev")

    line = validation_summary(env, "x.yaml")

    counts = (len(env.node_pools), len(env.autoscaling_groups), len(env.buckets))
    assert line == (
        f"x.yaml: valid (aws us-east-1, {plural(counts[0], 'node pool')}, "
        f"{plural(counts[1], 'autoscaling group')}, {plural(counts[2], 'bucket')})"
    )
