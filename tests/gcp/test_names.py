"""Names within GCP's limits, deterministic, hashed only when too long."""

from __future__ import annotations

import re

import pytest

from aimodel_infra.gcp.names import GKE_NAME_MAX, account_id, fit_name

ACCOUNT_ID = re.compile(r"^[a-z][-a-z0-9]{4,28}[a-z0-9]$")


@pytest.mark.parametrize(
    ("environment", "purpose"),
    [("gcp-dev", "train-wl"), ("a" * 20, "b" * 32 + "-wl"), ("ab", "x"), ("prod", "gke-nodes")],
)
def test_service_account_ids_fit_gcp_s_pattern(environment: str, purpose: str) -> None:
    name = account_id(environment, purpose)
    assert ACCOUNT_ID.match(name), name
    assert name == account_id(environment, purpose)


def test_distinct_long_names_stay_distinct() -> None:
    assert account_id("a" * 20, "pool-one-" + "x" * 20) != account_id("a" * 20, "pool-two-" + "x" * 20)


def test_node_pool_names_leave_room_for_auto_naming_and_keep_the_suffix() -> None:
    name = fit_name("e" * 20 + "-" + "p" * 32, "on-demand", GKE_NAME_MAX)
    assert len(name) + 8 <= GKE_NAME_MAX and name.endswith("-on-demand")
    assert fit_name("gcp-dev-train", "spot", GKE_NAME_MAX) == "gcp-dev-train-spot"
