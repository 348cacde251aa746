"""The AWS builder: an environment spec as a VPC, an EKS cluster with GPU node groups, GPU
autoscaling groups, S3 buckets with least-privilege access, and a budget.

The names below are loaded on first use (PEP 562), not when the package is imported: the
policy checks in :mod:`aimodel_infra.aws.policy` read recorded graphs and must import neither
Pulumi nor ``pulumi_aws``, yet importing them imports this package first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aimodel_infra.exports import lazy_exports

if TYPE_CHECKING:
    from aimodel_infra.aws.autoscaling_group import AutoscalingGroup, AutoscalingGroupArgs
    from aimodel_infra.aws.bucket import Bucket, BucketArgs
    from aimodel_infra.aws.budget import Budget, BudgetArgs
    from aimodel_infra.aws.cluster import Cluster, ClusterArgs
    from aimodel_infra.aws.context import AwsContext
    from aimodel_infra.aws.environment import AwsEnvironment
    from aimodel_infra.aws.network import Network, NetworkArgs
    from aimodel_infra.aws.node_pool import GpuNodePool, GpuNodePoolArgs
    from aimodel_infra.aws.workload_access import BucketGrant, WorkloadAccess, WorkloadAccessArgs

#: Exported name -> the module defining it.
_EXPORTS = {
    "AutoscalingGroup": "autoscaling_group",
    "AutoscalingGroupArgs": "autoscaling_group",
    "AwsContext": "context",
    "AwsEnvironment": "environment",
    "Bucket": "bucket",
    "BucketArgs": "bucket",
    "BucketGrant": "workload_access",
    "Budget": "budget",
    "BudgetArgs": "budget",
    "Cluster": "cluster",
    "ClusterArgs": "cluster",
    "GpuNodePool": "node_pool",
    "GpuNodePoolArgs": "node_pool",
    "Network": "network",
    "NetworkArgs": "network",
    "WorkloadAccess": "workload_access",
    "WorkloadAccessArgs": "workload_access",
}

__all__ = [
    "AutoscalingGroup",
    "AutoscalingGroupArgs",
    "AwsContext",
    "AwsEnvironment",
    "Bucket",
    "BucketArgs",
    "BucketGrant",
    "Budget",
    "BudgetArgs",
    "Cluster",
    "ClusterArgs",
    "GpuNodePool",
    "GpuNodePoolArgs",
    "Network",
    "NetworkArgs",
    "WorkloadAccess",
    "WorkloadAccessArgs",
]


__getattr__ = lazy_exports(__name__, _EXPORTS)
