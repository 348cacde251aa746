"""The Azure builder: an environment spec as a resource group with a VNet behind a NAT gateway, a private
AKS cluster with GPU agent pools, GPU VM scale sets, one storage account per bucket with container-scoped
access through workload identities, and a consumption budget.

The names below are loaded on first use (PEP 562): the spec rules, policy checks and cost plan in this
package import neither Pulumi nor ``pulumi_azure_native``, yet importing them imports this package first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aimodel_infra.exports import lazy_exports

if TYPE_CHECKING:
    from aimodel_infra.azure.autoscaling_group import AutoscalingGroup, AutoscalingGroupArgs
    from aimodel_infra.azure.bucket import Bucket, BucketArgs
    from aimodel_infra.azure.budget import Budget, BudgetArgs
    from aimodel_infra.azure.cluster import Cluster, ClusterArgs
    from aimodel_infra.azure.context import AzureContext
    from aimodel_infra.azure.environment import AzureEnvironment
    from aimodel_infra.azure.keys import KeyVault, KeyVaultArgs
    from aimodel_infra.azure.network import Network, NetworkArgs
    from aimodel_infra.azure.node_pool import GpuNodePool, GpuNodePoolArgs
    from aimodel_infra.azure.workload_access import BucketGrant, WorkloadAccess, WorkloadAccessArgs

#: Exported name -> the module defining it.
_EXPORTS = {
    "AutoscalingGroup": "autoscaling_group",
    "AutoscalingGroupArgs": "autoscaling_group",
    "AzureContext": "context",
    "AzureEnvironment": "environment",
    "Bucket": "bucket",
    "BucketArgs": "bucket",
    "BucketGrant": "workload_access",
    "Budget": "budget",
    "BudgetArgs": "budget",
    "Cluster": "cluster",
    "ClusterArgs": "cluster",
    "GpuNodePool": "node_pool",
    "GpuNodePoolArgs": "node_pool",
    "KeyVault": "keys",
    "KeyVaultArgs": "keys",
    "Network": "network",
    "NetworkArgs": "network",
    "WorkloadAccess": "workload_access",
    "WorkloadAccessArgs": "workload_access",
}

__all__ = [
    "AutoscalingGroup",
    "AutoscalingGroupArgs",
    "AzureContext",
    "AzureEnvironment",
    "Bucket",
    "BucketArgs",
    "BucketGrant",
    "Budget",
    "BudgetArgs",
    "Cluster",
    "ClusterArgs",
    "GpuNodePool",
    "GpuNodePoolArgs",
    "KeyVault",
    "KeyVaultArgs",
    "Network",
    "NetworkArgs",
    "WorkloadAccess",
    "WorkloadAccessArgs",
]


__getattr__ = lazy_exports(__name__, _EXPORTS)
