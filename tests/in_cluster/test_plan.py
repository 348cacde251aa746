"""The shared in-cluster plan: pinned charts whose values make them run where they must."""

from __future__ import annotations

import re

import pytest

from aimodel_infra.in_cluster.plan import (
    autoscaler_args,
    autoscaler_image_tag,
    device_plugin_chart,
    expander_priorities,
    workload_service_accounts,
)

SEMVER = re.compile(r"\d+\.\d+\.\d+")


def test_the_device_plugin_chart_is_pinned_from_nvidias_repository() -> None:
    chart = device_plugin_chart()
    assert (chart.chart, chart.repository) == ("nvidia-device-plugin", "https://nvidia.github.io/k8s-device-plugin")
    assert SEMVER.fullmatch(chart.version)


def test_the_device_plugin_runs_on_nodes_with_our_accelerator_label_not_on_nfd_labels() -> None:
    """The chart's default affinity needs Node Feature Discovery labels our nodes lack: it would run nowhere."""
    affinity = device_plugin_chart().values["affinity"]["nodeAffinity"][
        "requiredDuringSchedulingIgnoredDuringExecution"
    ]
    (term,) = affinity["nodeSelectorTerms"]
    assert term["matchExpressions"] == [{"key": "aimodel-infra/accelerator", "operator": "Exists"}]


def test_the_device_plugin_tolerates_the_gpu_taint() -> None:
    tolerations = device_plugin_chart().values["tolerations"]
    assert {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"} in tolerations


def test_spot_groups_rank_above_on_demand_groups_for_the_priority_expander() -> None:
    priorities = {int(k): v for k, v in expander_priorities().items()}
    spot_rank = max(rank for rank, patterns in priorities.items() if any("spot" in p for p in patterns))
    on_demand_rank = max(rank for rank, patterns in priorities.items() if any("on-demand" in p for p in patterns))
    assert spot_rank > on_demand_rank
    assert re.fullmatch(priorities[spot_rank][0], "eks-aws-dev-train-spot-3f2a1b0-8ec4b3a1-44ab")
    assert not any(re.fullmatch(p, "eks-aws-dev-train-on-demand-9c1d2e3-77aa") for p in priorities[spot_rank])


def test_idle_nodes_are_removed_after_the_chosen_minutes_and_spot_failures_fall_back_in_bounded_time() -> None:
    args = autoscaler_args(7)
    assert args["expander"] == "priority"
    assert args["scale-down-unneeded-time"] == "7m"
    assert args["max-node-provision-time"] == "15m0s"


@pytest.mark.parametrize("version,tag", [("1.33", "v1.33.6"), ("1.34", "v1.34.5"), ("1.35", "v1.35.2")])
def test_the_autoscaler_release_matches_the_cluster_minor_version(version: str, tag: str) -> None:
    assert autoscaler_image_tag(version) == tag


def test_an_unpinned_cluster_version_is_refused_by_name() -> None:
    with pytest.raises(KeyError, match="1.29"):
        autoscaler_image_tag("1.29")


def test_every_pool_gets_a_service_account_and_only_pools_with_an_identity_are_annotated() -> None:
    accounts = workload_service_accounts(["train", "infer"], {"train": "arn:role/train"}, "eks.amazonaws.com/role-arn")
    by_pool = {sa.compute: sa for sa in accounts}
    assert (by_pool["train"].namespace, by_pool["train"].name) == ("aimodel", "train")
    assert by_pool["train"].annotations == {"eks.amazonaws.com/role-arn": "arn:role/train"}
    assert by_pool["infer"].annotations == {}
