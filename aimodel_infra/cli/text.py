"""Plain-text formatting shared by every command: money, prices, counts, the catalog's age.

Kept apart from the report builders (:mod:`aimodel_infra.cli.render`): ``validate`` prints one
line and should not pay for importing them.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aimodel_infra.spec import Environment


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def money(amount: float) -> str:
    """``$1,234.56``: monthly amounts, to the cent."""
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def signed_money(amount: float) -> str:
    """``+$1,234.56`` / ``-$1,234.56``: a difference, with its direction always shown."""
    cents = round(amount, 2)
    return money(0.0) if cents == 0 else money(amount) if cents < 0 else f"+{money(amount)}"


def price(amount: float) -> str:
    """A unit price: at least cents, up to four decimals (CPU shapes cost fractions of a cent)."""
    text = f"{amount:,.4f}".rstrip("0")
    whole, _, fraction = text.partition(".")
    return f"${whole}.{fraction.ljust(2, '0')}"


def quantity(amount: float) -> str:
    return f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"


#: One line for reports (the full evidence: ``aimodel-infra catalog`` and the JSON ``age_note``).
BUNDLED_AGE_SHORT = "prices of unknown date, older than June 2025 (SkyPilot catalog commits 001367d, 017e250, 098741e)"


def catalog_age(as_of: date | None, today: date | None = None) -> str:
    """``prices as of 2026-11-01, 22 days old``: prices change weekly, so the age is always shown.

    The bundled data has no trustworthy date (None): then what is known about its age is said instead.
    """
    if as_of is None:
        return BUNDLED_AGE_SHORT
    days = ((today or date.today()) - as_of).days
    return f"prices as of {as_of.isoformat()}, {plural(days, 'day')} old"


def validation_summary(env: Environment, source: str) -> str:
    """``stacks/Pulumi.aws-dev.yaml: valid (aws us-east-1, 2 node pools, ...)``."""
    parts = [
        plural(len(env.node_pools), "node pool"),
        plural(len(env.autoscaling_groups), "autoscaling group"),
        plural(len(env.buckets), "bucket"),
    ]
    return f"{source}: valid ({env.cloud.value} {env.region}, {', '.join(parts)})"
