"""What to install in a cluster, as plain data: charts, namespace, service accounts, storage class.

Chart versions are pinned and their values explicit, so an upgrade is a reviewed diff. Values may
hold Pulumi outputs (a role ARN, the cluster name) where the builder fills them in; nothing here
imports Pulumi.

Sources:
- NVIDIA device plugin chart ``nvidia-device-plugin`` 0.20.0 from https://nvidia.github.io/k8s-device-plugin
  (NVIDIA/k8s-device-plugin tag v0.20.0, 2026-08-19, deployments/helm/nvidia-device-plugin). Its
  default affinity requires Node Feature Discovery labels (``feature.node.kubernetes.io/pci-10de.present``)
  or ``nvidia.com/gpu.present``, which our nodes do not carry, so as shipped it schedules on no
  node: the values here pin it to nodes with our accelerator label instead.
- cluster-autoscaler chart 9.59.0 from https://kubernetes.github.io/autoscaler (kubernetes/autoscaler tag
  cluster-autoscaler-chart-9.59.0, 2026-07-21; values.yaml ``autoDiscovery``, ``expanderPriorities``,
  ``extraArgs``, ``rbac.serviceAccount``). The autoscaler's minor version must match the cluster's
  (cluster-autoscaler README, "Releases"): :data:`AUTOSCALER_IMAGE_TAGS` holds the newest patch of
  each minor in that repository (tags cluster-autoscaler-1.33.6, -1.34.5, -1.35.2, -1.36.1).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from aimodel_infra.conventions import (
    ACCELERATOR_LABEL,
    NVIDIA_GPU_RESOURCE,
    POOL_LABEL,
    WORKLOAD_NAMESPACE,
    workload_service_account,
)
from aimodel_infra.plan.capacity import ON_DEMAND_PRIORITY, SPOT_PRIORITY

if TYPE_CHECKING:
    from aimodel_infra.spec.models import Environment

SYSTEM_NAMESPACE: Final = "kube-system"
SYSTEM_POOL: Final = "system"

DEVICE_PLUGIN_REPO: Final = "https://nvidia.github.io/k8s-device-plugin"
DEVICE_PLUGIN_CHART: Final = "nvidia-device-plugin"
DEVICE_PLUGIN_VERSION: Final = "0.20.0"

AUTOSCALER_REPO: Final = "https://kubernetes.github.io/autoscaler"
AUTOSCALER_CHART: Final = "cluster-autoscaler"
AUTOSCALER_VERSION: Final = "9.59.0"
AUTOSCALER_SERVICE_ACCOUNT: Final = "cluster-autoscaler"
AUTOSCALER_IMAGE_TAGS: Final[dict[str, str]] = {
    "1.33": "v1.33.6",
    "1.34": "v1.34.5",
    "1.35": "v1.35.2",
    "1.36": "v1.36.1",
}
#: How long a node whose pods could not run elsewhere may take to join before the autoscaler
#: gives up on its group and tries the next one (spot -> on-demand): the chart's default.
MAX_NODE_PROVISION_TIME: Final = "15m0s"


@dataclass(frozen=True)
class HelmChart:
    """One Helm release: a pinned chart from a repository, with explicit values."""

    release: str
    chart: str
    repository: str
    version: str
    namespace: str
    values: Mapping[str, Any]


@dataclass(frozen=True)
class ServiceAccountPlan:
    """The Kubernetes service account a pool's pods run as, annotated with its cloud identity."""

    compute: str
    namespace: str
    name: str
    annotations: Mapping[str, Any]
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StorageClassPlan:
    """A default storage class (only where the cloud ships no encrypted default)."""

    name: str
    provisioner: str
    parameters: Mapping[str, str]
    volume_binding_mode: str = "WaitForFirstConsumer"
    reclaim_policy: str = "Delete"
    allow_volume_expansion: bool = True


@dataclass(frozen=True)
class InClusterPlan:
    namespace: str
    service_accounts: tuple[ServiceAccountPlan, ...]
    charts: tuple[HelmChart, ...] = ()
    storage_class: StorageClassPlan | None = None


def installs_software(env: Environment) -> bool:
    """Whether the environment gets our in-cluster software: it has a cluster and did not turn it off."""
    return env.cluster is not None and env.cluster.in_cluster.enabled


def on_system_pool() -> dict[str, Any]:
    """Scheduling for controllers: the small on-demand system pool, never a GPU node."""
    return {"nodeSelector": {POOL_LABEL: SYSTEM_POOL}}


def gpu_toleration() -> dict[str, str]:
    return {"key": NVIDIA_GPU_RESOURCE, "operator": "Exists", "effect": "NoSchedule"}


def device_plugin_chart() -> HelmChart:
    """The NVIDIA device plugin on every node that has our accelerator label (GPU nodes only)."""
    values = {
        "affinity": {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [{"matchExpressions": [{"key": ACCELERATOR_LABEL, "operator": "Exists"}]}]
                }
            }
        },
        "tolerations": [gpu_toleration(), {"key": "CriticalAddonsOnly", "operator": "Exists"}],
        "priorityClassName": "system-node-critical",
    }
    return HelmChart(
        release="nvidia-device-plugin",
        chart=DEVICE_PLUGIN_CHART,
        repository=DEVICE_PLUGIN_REPO,
        version=DEVICE_PLUGIN_VERSION,
        namespace=SYSTEM_NAMESPACE,
        values=values,
    )


def expander_priorities() -> dict[str, list[str]]:
    """Priority expander ranking by group name, higher first: spot groups, then on-demand fallback.

    Keys are strings because Pulumi maps take string keys; the chart renders them with ``| int``.
    """
    return {
        str(SPOT_PRIORITY): [".*-spot-.*", ".*-spot$"],
        str(ON_DEMAND_PRIORITY): [".*-on-demand-.*", ".*-on-demand$"],
    }


def autoscaler_args(scale_down_unneeded_minutes: int) -> dict[str, Any]:
    """The settings that make idle GPU nodes go away after a bounded time and spot go first."""
    minutes = f"{scale_down_unneeded_minutes}m"
    return {
        "expander": "priority",
        "scale-down-unneeded-time": minutes,
        "scale-down-delay-after-add": minutes,
        "max-node-provision-time": MAX_NODE_PROVISION_TIME,
        "balance-similar-node-groups": True,
        "skip-nodes-with-system-pods": False,
        "logtostderr": True,
        "stderrthreshold": "info",
        "v": 2,
    }


def autoscaler_image_tag(kubernetes_version: str) -> str:
    """The cluster-autoscaler release for the cluster's minor version; KeyError names those known."""
    try:
        return AUTOSCALER_IMAGE_TAGS[kubernetes_version]
    except KeyError:
        known = ", ".join(AUTOSCALER_IMAGE_TAGS)
        raise KeyError(
            f"no cluster-autoscaler release pinned for Kubernetes {kubernetes_version}; known: {known}"
        ) from None


def workload_service_accounts(
    pools: Sequence[str], identities: Mapping[str, Any], annotation_key: str, labels: Mapping[str, str] | None = None
) -> tuple[ServiceAccountPlan, ...]:
    """One service account ``aimodel/<pool>`` per node pool, so every pool's pods have one to run as;
    a pool with a cloud identity (it reads or writes buckets) gets ``annotation_key: identity``."""
    plans = []
    for pool in pools:
        namespace, name = workload_service_account(pool)
        annotations = {annotation_key: identities[pool]} if pool in identities else {}
        plans.append(ServiceAccountPlan(pool, namespace, name, annotations, dict(labels or {})))
    return tuple(plans)


__all__ = [
    "WORKLOAD_NAMESPACE",
    "HelmChart",
    "InClusterPlan",
    "ServiceAccountPlan",
    "StorageClassPlan",
    "autoscaler_args",
    "autoscaler_image_tag",
    "device_plugin_chart",
    "expander_priorities",
    "on_system_pool",
    "workload_service_accounts",
]
