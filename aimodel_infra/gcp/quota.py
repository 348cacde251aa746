"""The Compute Engine GPU quota an environment needs at its maximum size, per metric and region.

GKE and managed instance groups draw on the project's Compute Engine quotas; a pool that may grow
to N nodes of G GPUs needs N x G of its GPU metric ("request GPU quota at least equivalent to your
cluster's maximum number of nodes multiplied by the number of GPUs per node", GKE "About GPUs").
Spot VMs count against the ``PREEMPTIBLE_`` metric instead, and every GPU also counts against the
global ``GPUS_ALL_REGIONS``. Metric names: cluster-toolkit ``pkg/validators/quota.go`` and the
Compute Engine GPU quota table (``NVIDIA_H100_GPUS``, ``NVIDIA_L4_GPUS``, ``PREEMPTIBLE_...``).
New projects start at 0 for most of them, and increases take days: ask before deploying.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

#: GCP accelerator type -> its regional quota metric (on-demand; spot adds PREEMPTIBLE_).
GPU_QUOTA_METRICS: Final[dict[str, str]] = {
    "nvidia-h100-80gb": "NVIDIA_H100_GPUS",
    "nvidia-h100-mega-80gb": "NVIDIA_H100_MEGA_GPUS",
    "nvidia-h200-141gb": "NVIDIA_H200_GPUS",
    "nvidia-tesla-a100": "NVIDIA_A100_GPUS",
    "nvidia-a100-80gb": "NVIDIA_A100_80GB_GPUS",
    "nvidia-l4": "NVIDIA_L4_GPUS",
    "nvidia-tesla-t4": "NVIDIA_T4_GPUS",
}
PREEMPTIBLE_PREFIX: Final = "PREEMPTIBLE_"
GLOBAL_METRIC: Final = "GPUS_ALL_REGIONS"
GLOBAL: Final = "global"


@dataclass(frozen=True)
class GpuDemand:
    """GPUs one scaling unit (node pool, instance group) can reach: its max nodes x GPUs per node."""

    unit: str
    region: str
    accelerator_type: str
    gpus_per_node: int
    max_nodes: int
    spot: bool

    @property
    def gpus(self) -> int:
        return self.gpus_per_node * self.max_nodes


@dataclass(frozen=True)
class QuotaNeed:
    metric: str
    region: str
    gpus: int
    units: tuple[str, ...]


def quota_metric(accelerator_type: str, spot: bool) -> str:
    """The regional metric; unknown types get GCP's naming pattern (NVIDIA_<MODEL>_GPUS)."""
    base = GPU_QUOTA_METRICS.get(accelerator_type)
    if base is None:
        model = accelerator_type.removeprefix("nvidia-").removeprefix("tesla-").replace("-", "_").upper()
        base = f"NVIDIA_{model}_GPUS"
    return f"{PREEMPTIBLE_PREFIX}{base}" if spot else base


def quota_needs(demands: Iterable[GpuDemand]) -> list[QuotaNeed]:
    """Per regional metric, then the global total; metrics in a stable order."""
    regional: dict[tuple[str, str], list[GpuDemand]] = defaultdict(list)
    everything: list[GpuDemand] = []
    for demand in demands:
        if demand.gpus <= 0:
            continue
        regional[(quota_metric(demand.accelerator_type, demand.spot), demand.region)].append(demand)
        everything.append(demand)
    needs = [
        QuotaNeed(metric, region, sum(d.gpus for d in found), tuple(d.unit for d in found))
        for (metric, region), found in sorted(regional.items())
    ]
    if everything:
        needs.append(
            QuotaNeed(GLOBAL_METRIC, GLOBAL, sum(d.gpus for d in everything), tuple(d.unit for d in everything))
        )
    return needs
