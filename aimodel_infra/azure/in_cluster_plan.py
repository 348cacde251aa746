"""The Azure in-cluster plan as plain data (see :mod:`aimodel_infra.azure.in_cluster` for why each piece)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import yaml

from aimodel_infra.azure.context import AzureContext
from aimodel_infra.azure.names import CAPACITY_SUFFIXES
from aimodel_infra.in_cluster.plan import (
    WORKLOAD_NAMESPACE,
    InClusterPlan,
    device_plugin_chart,
    workload_service_accounts,
)
from aimodel_infra.plan.capacity import ON_DEMAND_PRIORITY, SPOT_PRIORITY

CLIENT_ID_ANNOTATION: Final = "azure.workload.identity/client-id"
EXPANDER_CONFIGMAP: Final = "cluster-autoscaler-priority-expander"
KUBELOGIN_LOGIN: Final = "azurecli"


def expander_priorities() -> dict[int, list[str]]:
    """Priority ranking of AKS node groups (VM scale sets ``aks-<pool>-<id>-vmss``), higher first."""
    return {
        SPOT_PRIORITY: [f"^aks-[a-z0-9]+{CAPACITY_SUFFIXES['spot']}-.*"],
        ON_DEMAND_PRIORITY: [f"^aks-[a-z0-9]+{CAPACITY_SUFFIXES['on_demand']}-.*"],
    }


def priorities_text() -> str:
    """The ConfigMap's ``priorities`` value as the priority expander parses it: ``N:\\n  - regex``."""
    return yaml.safe_dump(expander_priorities(), default_flow_style=False)


def autoscaler_profile(scale_down_unneeded_minutes: int) -> dict[str, str]:
    """AKS cluster-autoscaler settings (ManagedClusterPropertiesAutoScalerProfileArgs, string durations)."""
    minutes = f"{scale_down_unneeded_minutes}m"
    return {
        "expander": "priority",
        "scale_down_unneeded_time": minutes,
        "scale_down_delay_after_add": minutes,
        "max_node_provision_time": "15m",
        "balance_similar_node_groups": "true",
    }


def non_interactive_kubeconfig(kubeconfig: str, login: str = KUBELOGIN_LOGIN) -> str:
    """The kubeconfig with every kubelogin exec set to ``--login <login>`` (default: the Azure CLI's login)."""
    config = yaml.safe_load(kubeconfig)
    for user in config.get("users", []):
        exec_ = (user.get("user") or {}).get("exec")
        if not exec_ or exec_.get("command") != "kubelogin":
            continue
        args = list(exec_.get("args", []))
        if "--login" in args:
            args[args.index("--login") + 1] = login
        else:
            args += ["--login", login]
        exec_["args"] = args
    return yaml.safe_dump(config, sort_keys=False)


def aks_plan(context: AzureContext, identities: Mapping[str, Any]) -> InClusterPlan:
    return InClusterPlan(
        namespace=WORKLOAD_NAMESPACE,
        service_accounts=workload_service_accounts(
            [p.name for p in context.env.node_pools], identities, CLIENT_ID_ANNOTATION
        ),
        charts=(device_plugin_chart(),),
    )
