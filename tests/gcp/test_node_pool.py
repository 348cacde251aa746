"""GPU node pools: the catalog's machine with its GPUs and managed driver, spot and on-demand pools
for spot_with_fallback, pool-total autoscaling over the zones offering the machine, the GPU taint,
our labels, hardened nodes, and no replacement when the initial count changes."""

from __future__ import annotations

import pytest

from aimodel_infra.testing import RecordedResource, ResourceGraph

from .example_stack import named

NODE_POOL = "gcp:container/nodePool:NodePool"
GPU_TAINT = {"key": "nvidia.com/gpu", "value": "present", "effect": "NO_SCHEDULE"}


def pool(graph: ResourceGraph, fragment: str) -> RecordedResource:
    return named(graph, NODE_POOL, fragment)


def test_spot_with_fallback_is_a_spot_pool_and_an_on_demand_pool_up_to_the_same_maximum(graph: ResourceGraph) -> None:
    spot, on_demand = pool(graph, "train-spot"), pool(graph, "train-on-demand")
    assert spot.inputs["nodeConfig"]["spot"] is True
    assert on_demand.inputs["nodeConfig"]["spot"] is False
    assert spot.inputs["autoscaling"] == {"totalMinNodeCount": 0, "totalMaxNodeCount": 2, "locationPolicy": "ANY"}
    assert on_demand.inputs["autoscaling"] == {"totalMinNodeCount": 0, "totalMaxNodeCount": 2, "locationPolicy": "ANY"}
    assert spot.inputs["nodeConfig"]["labels"]["aimodel-infra/capacity"] == "spot"
    assert on_demand.inputs["nodeConfig"]["labels"]["aimodel-infra/capacity"] == "on-demand"


@pytest.mark.parametrize(
    ("fragment", "family", "accelerator", "count"),
    [("train-spot", "a3-", "nvidia-h100-80gb", 8), ("infer-on-demand", "g2-", "nvidia-l4", 1)],
)
def test_the_machine_carries_its_gpus_with_gke_installing_the_driver(
    graph: ResourceGraph, fragment: str, family: str, accelerator: str, count: int
) -> None:
    config = pool(graph, fragment).inputs["nodeConfig"]
    assert config["machineType"].startswith(family)  # A3 carries H100s, G2 carries L4s
    assert config["guestAccelerators"] == [
        {"type": accelerator, "count": count, "gpuDriverInstallationConfig": {"gpuDriverVersion": "DEFAULT"}}
    ]


def test_gpu_pools_are_tainted_and_labelled_explicitly(graph: ResourceGraph) -> None:
    config = pool(graph, "train-spot").inputs["nodeConfig"]
    assert config["taints"][0] == GPU_TAINT
    assert config["labels"] == {
        "workload": "training",
        "aimodel-infra/pool": "train",
        "aimodel-infra/capacity": "spot",
        "aimodel-infra/accelerator": "H100",
        "aimodel-infra/accelerator-count": "8",
    }
    assert config["resourceLabels"]["aimodel-environment"] == "gcp-dev"


def test_nodes_are_hardened_and_run_as_the_node_account(graph: ResourceGraph) -> None:
    account = named(graph, "gcp:serviceaccount/account:Account", "cluster-nodes")
    for r in graph.of_type(NODE_POOL):
        config = r.inputs["nodeConfig"]
        assert config["serviceAccount"] == account.outputs["email"], r
        assert config["oauthScopes"] == ["https://www.googleapis.com/auth/cloud-platform"]
        assert config["workloadMetadataConfig"] == {"mode": "GKE_METADATA"}
        assert config["metadata"] == {"disable-legacy-endpoints": "true"}
        assert config["shieldedInstanceConfig"] == {"enableSecureBoot": True, "enableIntegrityMonitoring": True}
        assert config["imageType"] == "COS_CONTAINERD"
        assert "diskType" not in config  # GKE picks the type the machine family supports
        assert r.inputs["management"] == {"autoRepair": True, "autoUpgrade": True}
        assert "version" not in r.inputs  # the release channel upgrades them


def test_pools_sit_in_the_zones_offering_their_machine_and_start_within_max(graph: ResourceGraph) -> None:
    infer = pool(graph, "infer-on-demand")
    assert infer.inputs["nodeLocations"] == ["us-central1-a", "us-central1-b", "us-central1-c"]
    # desired 1 over 3 zones: GKE's count is per zone, so it starts 1 per zone (3 <= max 4).
    assert infer.inputs["initialNodeCount"] == 1
    assert infer.inputs["autoscaling"]["totalMinNodeCount"] == 1
    assert pool(graph, "train-spot").inputs["initialNodeCount"] == 0
    assert pool(graph, "train-spot").inputs["nodeConfig"]["diskSizeGb"] == 500


def test_a_later_initial_count_change_does_not_replace_the_pool(graph: ResourceGraph) -> None:
    for r in graph.of_type(NODE_POOL):
        if "system" not in r.name:
            assert "initialNodeCount" in r.ignore_changes


def test_gpu_upgrades_need_no_spare_gpu_node(graph: ResourceGraph) -> None:
    assert pool(graph, "train-spot").inputs["upgradeSettings"] == {
        "strategy": "SURGE",
        "maxSurge": 0,
        "maxUnavailable": 1,
    }


def test_gpu_pools_wait_for_the_node_accounts_roles(graph: ResourceGraph) -> None:
    roles = {r.urn for r in graph.of_type("gcp:projects/iAMMember:IAMMember")}
    for r in graph.of_type(NODE_POOL):
        assert roles <= set(r.dependencies), r
