"""GPU node pools as separate AKS agent pools: size, autoscaling, spot settings, taints, disks, subnet."""

from __future__ import annotations

from aimodel_infra.testing import RecordedResource, ResourceGraph

from .view import AGENT_POOL, CLUSTER, SUBNET, one


def pools(graph: ResourceGraph) -> dict[str, RecordedResource]:
    return {r.inputs["agentPoolName"]: r for r in graph.of_type(AGENT_POOL)}


def test_each_capacity_group_is_its_own_agent_pool_of_the_cluster(dev: ResourceGraph) -> None:
    cluster = one(dev, CLUSTER)
    assert set(pools(dev)) == {"trainspot", "trainreg", "inferreg"}
    for pool in pools(dev).values():
        assert pool.inputs["resourceName"] == cluster.outputs["name"]
        assert (pool.inputs["mode"], pool.inputs["osType"], pool.inputs["type"]) == (
            "User",
            "Linux",
            "VirtualMachineScaleSets",
        )


def test_the_spot_pool_is_spot_with_delete_eviction_and_up_to_on_demand_price(dev: ResourceGraph) -> None:
    spot = pools(dev)["trainspot"].inputs
    assert (spot["scaleSetPriority"], spot["scaleSetEvictionPolicy"], spot["spotMaxPrice"]) == ("Spot", "Delete", -1)
    assert spot["nodeTaints"] == [
        "nvidia.com/gpu=present:NoSchedule",
        "kubernetes.azure.com/scalesetpriority=spot:NoSchedule",
    ]
    assert spot["nodeLabels"]["kubernetes.azure.com/scalesetpriority"] == "spot"


def test_regular_pools_carry_no_spot_settings(dev: ResourceGraph) -> None:
    for name in ("trainreg", "inferreg"):
        pool = pools(dev)[name].inputs
        assert pool["scaleSetPriority"] == "Regular"
        assert "scaleSetEvictionPolicy" not in pool and "spotMaxPrice" not in pool
        assert pool["nodeTaints"] == ["nvidia.com/gpu=present:NoSchedule"]


def test_sizes_come_from_the_catalog_and_scale_within_the_spec(dev: ResourceGraph) -> None:
    by_name = pools(dev)
    assert {n: p.inputs["vmSize"] for n, p in by_name.items()} == {
        "trainspot": "Standard_ND96isr_H100_v5",
        "trainreg": "Standard_ND96isr_H100_v5",
        "inferreg": "Standard_NC4as_T4_v3",
    }
    assert {n: (p.inputs["minCount"], p.inputs["maxCount"]) for n, p in by_name.items()} == {
        "trainspot": (0, 2),
        "trainreg": (0, 2),
        "inferreg": (1, 4),
    }
    assert all(p.inputs["enableAutoScaling"] is True for p in by_name.values())


def test_the_autoscaler_owns_the_node_count_after_creation(dev: ResourceGraph) -> None:
    assert all(p.ignore_changes == ("count",) for p in pools(dev).values())


def test_aks_installs_the_gpu_driver_on_managed_os_disks_of_the_spec_size(dev: ResourceGraph) -> None:
    by_name = pools(dev)
    assert all(p.inputs["gpuProfile"] == {"driver": "Install"} for p in by_name.values())
    assert all(p.inputs["osDiskType"] == "Managed" for p in by_name.values())
    assert (by_name["trainspot"].inputs["osDiskSizeGB"], by_name["inferreg"].inputs["osDiskSizeGB"]) == (500, 200)


def test_nodes_are_private_in_the_node_subnet_without_zones(dev: ResourceGraph) -> None:
    subnet = one(dev, SUBNET)
    for pool in pools(dev).values():
        assert pool.inputs["vnetSubnetID"] == subnet.id
        assert pool.inputs["enableNodePublicIP"] is False
        assert "availabilityZones" not in pool.inputs


def test_pools_run_the_cluster_version(dev: ResourceGraph) -> None:
    assert {p.inputs["orchestratorVersion"] for p in pools(dev).values()} == {"1.35"}
