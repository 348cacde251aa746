"""The pure plan behind pools, groups and the system pool: capacity split, machines, zones, sizes."""

from __future__ import annotations

import pytest

from aimodel_infra.catalog import default_catalog
from aimodel_infra.gcp.node_plan import initial_per_zone, plan_groups, plan_node_pools, system_pool_plan
from aimodel_infra.spec.models import Environment

from .conftest import Variant
from .example_stack import machine


def test_spot_with_fallback_plans_a_spot_pool_then_an_on_demand_pool_from_zero(gcp_env: Environment) -> None:
    plans = plan_node_pools(gcp_env, gcp_env.node_pools[0], default_catalog(), "node_pools[0]")
    assert [(p.suffix, p.group.min_nodes, p.group.max_nodes) for p in plans] == [("spot", 0, 2), ("on-demand", 0, 2)]
    assert all(p.machine.machine_type.startswith("a3-") and not p.machine.attaches_gpus for p in plans)


def test_t4_on_n1_is_attached_and_bundled_gpus_are_not(gcp_env: Environment) -> None:
    [plan] = plan_groups(gcp_env, gcp_env.autoscaling_groups[0], default_catalog(), "autoscaling_groups[0]")
    assert (plan.machine.machine_type, plan.machine.accelerator_type, plan.machine.attaches_gpus) == (
        machine("T4", 1),
        "nvidia-tesla-t4",
        True,
    )
    assert plan.group.capacity == "spot"


@pytest.mark.parametrize(
    ("desired", "zones", "max_nodes", "per_zone"),
    [(0, 3, 4, 0), (1, 3, 4, 1), (3, 3, 3, 1), (4, 3, 6, 2), (4, 3, 4, 1), (1, 3, 1, 0), (2, 1, 2, 2)],
)
def test_the_initial_count_per_zone_rounds_up_within_max_and_down_otherwise(
    desired: int, zones: int, max_nodes: int, per_zone: int
) -> None:
    assert initial_per_zone(desired, zones, max_nodes) == per_zone
    assert per_zone * zones <= max_nodes


@pytest.mark.parametrize(("nodes", "zones", "per_zone"), [(2, 2, 1), (3, 3, 1), (4, 2, 2), (6, 3, 2), (5, 1, 5)])
def test_the_system_pool_is_exactly_system_nodes(env_variant: Variant, nodes: int, zones: int, per_zone: int) -> None:
    plan = system_pool_plan(env_variant(cluster={"system_nodes": nodes}), default_catalog())
    assert (len(plan.zones), plan.per_zone, plan.nodes) == (zones, per_zone, nodes)
    assert plan.machine_type == "e2-standard-4"


def test_network_zones_limits_where_pools_run(env_variant: Variant) -> None:
    env = env_variant(network={"zones": 2})
    [plan] = plan_node_pools(env, env.node_pools[1], default_catalog(), "node_pools[1]")
    assert plan.zones == ("us-central1-a", "us-central1-b")
