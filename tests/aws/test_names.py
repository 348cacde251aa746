"""fit_name: logical names that leave room for Pulumi's auto-name suffix within AWS's limits."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from aimodel_infra.aws.names import AUTONAME_SUFFIX, IAM_ROLE_MAX, NODE_GROUP_MAX, fit_name

NAMES = st.from_regex(r"[a-z][a-z0-9-]{0,70}[a-z0-9]", fullmatch=True)
SUFFIXES = st.sampled_from(["", "spot", "on-demand", "node", "nodes"])
LIMITS = st.sampled_from([IAM_ROLE_MAX, NODE_GROUP_MAX, 100, 128])


@given(base=NAMES, suffix=SUFFIXES, limit=LIMITS)
def test_the_auto_named_physical_name_always_fits(base: str, suffix: str, limit: int) -> None:
    assert len(fit_name(base, suffix, limit)) + AUTONAME_SUFFIX <= limit


@given(base=NAMES, suffix=SUFFIXES, limit=LIMITS)
def test_the_suffix_survives_shortening(base: str, suffix: str, limit: int) -> None:
    """Node group names must keep '-spot' / '-on-demand': the autoscaler's priority expander matches them."""
    assert fit_name(base, suffix, limit).endswith(f"-{suffix}" if suffix else "")


@given(base=NAMES, suffix=SUFFIXES, limit=LIMITS)
def test_names_that_fit_are_left_alone(base: str, suffix: str, limit: int) -> None:
    plain = f"{base}-{suffix}" if suffix else base
    if len(plain) + AUTONAME_SUFFIX <= limit:
        assert fit_name(base, suffix, limit) == plain


def test_shortened_names_stay_distinct_and_stable() -> None:
    """The same input gives the same name (stable URNs); long names differing only at the end still differ."""
    a, b = "x" * 70 + "-alpha", "x" * 70 + "-bravo"
    assert fit_name(a, "spot", NODE_GROUP_MAX) == fit_name(a, "spot", NODE_GROUP_MAX)
    assert fit_name(a, "spot", NODE_GROUP_MAX) != fit_name(b, "spot", NODE_GROUP_MAX)
