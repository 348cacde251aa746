"""Interim copies of the core contract's shared planning pieces that are not on main yet.

Each name and signature here is the one in the contract (``plan/capacity.py``, ``plan/naming.py``,
``plan/billing.py``, ``conventions.py``); when those land on main, this module goes and its
importers import from there. Nothing here is Azure-specific; nothing imports Pulumi.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Final, Literal

from aimodel_infra.spec.models import AutoscalingGroup, Capacity, NodePool

# -- conventions.py ------------------------------------------------------------------------------
ENVIRONMENT_TAG: Final = "aimodel-environment"
MANAGED_BY_TAG: Final = "managed-by"
MANAGED_BY: Final = "aimodel-infra"
PURPOSE_TAG: Final = "aimodel-bucket-purpose"
WORKLOAD_NAMESPACE: Final = "aimodel"
LABEL_PREFIX: Final = "aimodel-infra/"
POOL_LABEL: Final = f"{LABEL_PREFIX}pool"
CAPACITY_LABEL: Final = f"{LABEL_PREFIX}capacity"
ACCELERATOR_LABEL: Final = f"{LABEL_PREFIX}accelerator"
ACCELERATOR_COUNT_LABEL: Final = f"{LABEL_PREFIX}accelerator-count"
NVIDIA_GPU_RESOURCE: Final = "nvidia.com/gpu"


def service_account_subject(namespace: str, name: str) -> str:
    """The ``sub`` claim of a Kubernetes service-account token."""
    return f"system:serviceaccount:{namespace}:{name}"


def workload_service_account(compute_name: str) -> tuple[str, str]:
    """The service account whose pods get a pool's cloud identity: ``aimodel/<pool>``."""
    return WORKLOAD_NAMESPACE, compute_name


# -- plan/capacity.py ----------------------------------------------------------------------------
CapacityKind = Literal["spot", "on_demand"]


@dataclass(frozen=True)
class CapacityGroup:
    """One real scaling unit of a pool or group: what it buys and how far it can scale."""

    suffix: str
    capacity: CapacityKind
    min_nodes: int
    desired_nodes: int
    max_nodes: int
    priority: int


def capacity_groups(compute: NodePool | AutoscalingGroup) -> tuple[CapacityGroup, ...]:
    """on_demand and spot: one group with the spec's sizes. spot_with_fallback: a spot group with the
    spec's sizes (priority 50) and an on-demand group from 0 to the same maximum (priority 10), so
    the worst case is both at their maximum."""
    sizes = (compute.min_nodes, compute.desired, compute.max_nodes)
    if compute.capacity is Capacity.ON_DEMAND:
        return (CapacityGroup("on-demand", "on_demand", *sizes, priority=10),)
    spot = CapacityGroup("spot", "spot", *sizes, priority=50)
    if compute.capacity is Capacity.SPOT:
        return (spot,)
    return spot, CapacityGroup("on-demand", "on_demand", 0, 0, compute.max_nodes, priority=10)


# -- plan/naming.py ------------------------------------------------------------------------------
_ALPHABETS: Final = {"lower-alnum": r"[^a-z0-9]", "lower-alnum-hyphen": r"[^a-z0-9-]"}
DIGEST_LENGTH: Final = 6


def digest(text: str, length: int = DIGEST_LENGTH) -> str:
    """A short, stable hex digest (lowercase letters and digits only)."""
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def short_name(name: str, max_len: int, *, alphabet: str = "lower-alnum") -> str:
    """``name`` in ``alphabet``, within ``max_len`` characters: unchanged when it already fits,
    otherwise cut and ended with a digest of the original, so the same input always gives the same
    name and two inputs that clean to the same text (``a-b`` and ``ab``) still differ."""
    if max_len <= DIGEST_LENGTH:
        raise ValueError(f"max_len {max_len} leaves no room beside a {DIGEST_LENGTH}-character digest")
    cleaned = re.sub(_ALPHABETS[alphabet], "", name.lower())
    if cleaned == name and 0 < len(cleaned) <= max_len:
        return cleaned
    return cleaned[: max_len - DIGEST_LENGTH].rstrip("-") + digest(name)


# -- plan/billing.py -----------------------------------------------------------------------------
BilledKind = Literal["node_pool", "autoscaling_group", "system_pool"]


@dataclass(frozen=True)
class BilledGroup:
    """One scaling unit the builder creates, as the cost estimate prices it."""

    compute: str
    kind: BilledKind
    instance_type: str
    capacity: CapacityKind
    min_nodes: int
    desired_nodes: int
    max_nodes: int
    disk_gb: int


@dataclass(frozen=True)
class BilledFee:
    """``count`` of a catalog fee's units per month (gateways, GB, keys, clusters)."""

    fee: str
    label: str
    count: float


@dataclass(frozen=True)
class BillablePlan:
    groups: tuple[BilledGroup, ...]
    fees: tuple[BilledFee, ...]
    notes: tuple[str, ...]
