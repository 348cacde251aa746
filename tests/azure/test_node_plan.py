"""What a spec pool becomes on AKS: agent pools per capacity group, labels, taints, zones (pure plan)."""

from __future__ import annotations

from typing import Any

from aimodel_infra.azure.node_plan import plan_agent_pools
from aimodel_infra.catalog import Catalog
from aimodel_infra.spec.models import Environment

GPU_TAINT = "nvidia.com/gpu=present:NoSchedule"
SPOT_TAINT = "kubernetes.azure.com/scalesetpriority=spot:NoSchedule"


class ZonedCatalog:
    """The real catalog plus per-size zone data (what issue 8's ``zones_offering`` will give)."""

    def __init__(self, catalog: Catalog, zones: dict[str, tuple[str, ...]]) -> None:
        self._catalog, self._zones = catalog, zones

    def zones_offering(self, cloud: str, region: str, instance_type: str) -> tuple[str, ...] | None:
        return self._zones.get(instance_type)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._catalog, name)


def test_spot_with_fallback_is_a_spot_pool_with_the_spec_sizes_and_a_regular_pool_from_zero(azure_env, catalog):
    train = azure_env.node_pools[0]
    spot, regular = plan_agent_pools(train, catalog, "eastus")
    assert (spot.name, spot.priority, spot.group.min_nodes, spot.group.max_nodes) == ("trainspot", "Spot", 0, 2)
    assert (regular.name, regular.priority, regular.group.min_nodes, regular.group.max_nodes) == (
        "trainreg",
        "Regular",
        0,
        2,
    )
    assert spot.vm_size == regular.vm_size == "Standard_ND96isr_H100_v5"


def test_spot_pools_declare_the_taint_and_label_aks_sets_on_them(azure_env: Environment, catalog: Catalog) -> None:
    spot, regular = plan_agent_pools(azure_env.node_pools[0], catalog, "eastus")
    assert spot.aks_taints == [GPU_TAINT, SPOT_TAINT]
    assert spot.labels["kubernetes.azure.com/scalesetpriority"] == "spot"
    assert regular.aks_taints == [GPU_TAINT]
    assert "kubernetes.azure.com/scalesetpriority" not in regular.labels


def test_labels_keep_the_spec_pool_name_the_short_name_cannot(azure_env: Environment, catalog: Catalog) -> None:
    spot, regular = plan_agent_pools(azure_env.node_pools[0], catalog, "eastus")
    assert spot.labels["aimodel-infra/pool"] == "train" and spot.labels["aimodel-infra/capacity"] == "spot"
    assert regular.labels["aimodel-infra/capacity"] == "on-demand"
    assert (spot.labels["aimodel-infra/accelerator"], spot.labels["aimodel-infra/accelerator-count"]) == ("H100", "8")


def test_gpu_pools_get_no_zones_without_per_size_zone_data(azure_env: Environment, catalog: Catalog) -> None:
    assert all(plan.zones == () for pool in azure_env.node_pools for plan in plan_agent_pools(pool, catalog, "eastus"))


def test_zones_come_from_per_size_data_when_the_catalog_has_it(azure_env: Environment, catalog: Catalog) -> None:
    zoned = ZonedCatalog(catalog, {"Standard_NC4as_T4_v3": ("1", "3")})
    (infer,) = plan_agent_pools(azure_env.node_pools[1], zoned, "eastus")  # type: ignore[arg-type]
    (spot, regular) = plan_agent_pools(azure_env.node_pools[0], zoned, "eastus")  # type: ignore[arg-type]
    assert infer.zones == ("1", "3") and spot.zones == regular.zones == ()


def test_an_on_demand_pool_is_one_regular_pool_with_the_spec_sizes(azure_env: Environment, catalog: Catalog) -> None:
    (infer,) = plan_agent_pools(azure_env.node_pools[1], catalog, "eastus")
    assert (infer.name, infer.priority, infer.vm_size) == ("inferreg", "Regular", "Standard_NC4as_T4_v3")
    assert (infer.group.min_nodes, infer.group.desired_nodes, infer.group.max_nodes) == (1, 1, 4)
    assert infer.disk_size_gb == 200 and infer.gpu
