"""Names that several packages must spell the same way, written once.

Tags tie every resource to its environment (budgets filter on them, policy checks require them);
labels and taints are what workloads select and tolerate; the namespace and service-account names
are where each cloud's workload identity is bound. A typo in any of these breaks a contract between
two packages silently, so they live here and nowhere else. SDK-free.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from aimodel_infra.spec.models import Environment

#: Tag/label on every resource: which environment it belongs to (budgets and cost reports filter on it).
ENVIRONMENT_TAG: Final = "aimodel-environment"
MANAGED_BY_TAG: Final = "managed-by"
MANAGED_BY: Final = "aimodel-infra"
#: Tag/label on a bucket: what it holds (datasets, checkpoints, models, logs).
PURPOSE_TAG: Final = "aimodel-bucket-purpose"

#: Kubernetes namespace of the workloads' service accounts; each pool's is ``aimodel/<pool>``.
WORKLOAD_NAMESPACE: Final = "aimodel"

LABEL_PREFIX: Final = "aimodel-infra/"
POOL_LABEL: Final = f"{LABEL_PREFIX}pool"
CAPACITY_LABEL: Final = f"{LABEL_PREFIX}capacity"
ACCELERATOR_LABEL: Final = f"{LABEL_PREFIX}accelerator"
ACCELERATOR_COUNT_LABEL: Final = f"{LABEL_PREFIX}accelerator-count"

#: Kubernetes extended resource name of an NVIDIA GPU, used in taints, requests and autoscaler hints.
NVIDIA_GPU_RESOURCE: Final = "nvidia.com/gpu"


def environment_tags(env: Environment) -> dict[str, str]:
    """Tags every resource carries: the user's plus the two that tie a resource to its environment."""
    return {**env.tags, ENVIRONMENT_TAG: env.name, MANAGED_BY_TAG: MANAGED_BY}


def workload_service_account(compute_name: str) -> tuple[str, str]:
    """(namespace, name) of the Kubernetes service account a pool's workloads run as."""
    return WORKLOAD_NAMESPACE, compute_name


def service_account_subject(namespace: str, service_account: str) -> str:
    """The ``sub`` claim of a Kubernetes service-account token (what identity federation trusts)."""
    return f"system:serviceaccount:{namespace}:{service_account}"
