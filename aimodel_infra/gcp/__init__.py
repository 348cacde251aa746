"""The GCP builder: an environment spec as a custom VPC with Cloud NAT, a private regional GKE
cluster with GPU node pools, GPU managed instance groups, Cloud Storage buckets with per-pool
service accounts, and a Cloud Billing budget.

The names below load on first use (PEP 562), not when the package is imported: the policy
checks, spec rules and replacement keys here import neither Pulumi nor ``pulumi_gcp``, yet
importing them imports this package first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aimodel_infra.exports import lazy_exports

if TYPE_CHECKING:
    from aimodel_infra.gcp.autoscaling_group import AutoscalingGroup, AutoscalingGroupArgs
    from aimodel_infra.gcp.bucket import Bucket, BucketArgs
    from aimodel_infra.gcp.budget import Budget, BudgetArgs
    from aimodel_infra.gcp.cluster import Cluster, ClusterArgs
    from aimodel_infra.gcp.context import GcpContext
    from aimodel_infra.gcp.environment import GcpEnvironment
    from aimodel_infra.gcp.network import Network, NetworkArgs
    from aimodel_infra.gcp.node_pool import GpuNodePool, GpuNodePoolArgs
    from aimodel_infra.gcp.services import ProjectServices
    from aimodel_infra.gcp.workload_access import BucketGrant, WorkloadAccess, WorkloadAccessArgs

#: Exported name -> the module defining it.
_EXPORTS = {
    "AutoscalingGroup": "autoscaling_group",
    "AutoscalingGroupArgs": "autoscaling_group",
    "Bucket": "bucket",
    "BucketArgs": "bucket",
    "BucketGrant": "workload_access",
    "Budget": "budget",
    "BudgetArgs": "budget",
    "Cluster": "cluster",
    "ClusterArgs": "cluster",
    "GcpContext": "context",
    "GcpEnvironment": "environment",
    "GpuNodePool": "node_pool",
    "GpuNodePoolArgs": "node_pool",
    "Network": "network",
    "NetworkArgs": "network",
    "ProjectServices": "services",
    "WorkloadAccess": "workload_access",
    "WorkloadAccessArgs": "workload_access",
}

__all__ = [
    "AutoscalingGroup",
    "AutoscalingGroupArgs",
    "Bucket",
    "BucketArgs",
    "BucketGrant",
    "Budget",
    "BudgetArgs",
    "Cluster",
    "ClusterArgs",
    "GcpContext",
    "GcpEnvironment",
    "GpuNodePool",
    "GpuNodePoolArgs",
    "Network",
    "NetworkArgs",
    "ProjectServices",
    "WorkloadAccess",
    "WorkloadAccessArgs",
]


__getattr__ = lazy_exports(__name__, _EXPORTS)
