"""Labels and taints of a pool's nodes: what workloads select and tolerate, the same on every cloud.

Every node carries ``aimodel-infra/pool`` and ``aimodel-infra/capacity``; GPU nodes also carry the
accelerator and its count, and the ``nvidia.com/gpu=present:NoSchedule`` taint so that only pods
that ask for GPUs (and tolerate it) land on the most expensive nodes. Ours win over the user's
labels of the same key, because selectors and autoscalers rely on them.
"""

from __future__ import annotations

from typing import Final

from aimodel_infra.catalog import Offering
from aimodel_infra.conventions import (
    ACCELERATOR_COUNT_LABEL,
    ACCELERATOR_LABEL,
    CAPACITY_LABEL,
    NVIDIA_GPU_RESOURCE,
    POOL_LABEL,
)
from aimodel_infra.spec.models import Compute, Taint, TaintEffect

GPU_TAINT: Final = Taint(key=NVIDIA_GPU_RESOURCE, value="present", effect=TaintEffect.NO_SCHEDULE)


def node_labels(compute: Compute, offering: Offering, capacity_suffix: str) -> dict[str, str]:
    """The user's labels plus ours (``capacity_suffix``: ``spot`` or ``on-demand``)."""
    ours = {POOL_LABEL: compute.name, CAPACITY_LABEL: capacity_suffix}
    if offering.accelerator:
        ours |= {ACCELERATOR_LABEL: offering.accelerator, ACCELERATOR_COUNT_LABEL: str(offering.accelerator_count)}
    return {**compute.labels, **ours}


def node_taints(compute: Compute, offering: Offering) -> tuple[Taint, ...]:
    """GPU pools always carry the GPU NoSchedule taint first; the user's follow, minus a clash."""
    ours = (GPU_TAINT,) if offering.accelerator else ()
    taken = {(t.key, t.effect) for t in ours}
    return (*ours, *(t for t in compute.taints if (t.key, t.effect) not in taken))
