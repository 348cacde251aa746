"""A whole environment on Azure: every component of the spec in one resource group, under one provider.

The explicit provider takes its subscription and location from the spec (``azure.subscription_id``,
``region``), never from ``az login`` defaults or ``azure-native:*`` config, so ``pulumi up`` builds
where the spec says. Tags go on every resource explicitly (the provider has no default tags).
"""

from __future__ import annotations

from typing import Final

import pulumi
import pulumi_azure_native.authorization as authorization
import pulumi_azure_native.resources as resources
from pulumi_azure_native.provider import Provider as AzureProvider

from aimodel_infra.azure.autoscaling_group import AutoscalingGroup, AutoscalingGroupArgs
from aimodel_infra.azure.bucket import Bucket, BucketArgs
from aimodel_infra.azure.budget import Budget, BudgetArgs
from aimodel_infra.azure.cluster import Cluster, ClusterArgs
from aimodel_infra.azure.context import AzureContext, context_tags
from aimodel_infra.azure.in_cluster import AksInCluster, AksInClusterArgs
from aimodel_infra.azure.keys import KeyVault, KeyVaultArgs
from aimodel_infra.azure.network import Network, NetworkArgs
from aimodel_infra.azure.node_pool import GpuNodePool, GpuNodePoolArgs
from aimodel_infra.azure.workload_access import WorkloadAccess, WorkloadAccessArgs, grants_for
from aimodel_infra.catalog import Catalog
from aimodel_infra.component import CloudEnvironment, buildable
from aimodel_infra.in_cluster.plan import installs_software
from aimodel_infra.spec.models import AutoscalingGroup as GroupSpec
from aimodel_infra.spec.models import Encryption, Environment

TYPE_TOKEN: Final = "aimodel:azure:Environment"


def needs_key_vault(env: Environment) -> bool:
    """A vault holds the cluster's secrets key and created customer keys of buckets."""
    created_keys = any(b.encryption is Encryption.CUSTOMER_KEY and b.customer_key_id is None for b in env.buckets)
    return env.cluster is not None or created_keys


def vault_protected(env: Environment) -> bool:
    return any(
        b.encryption is Encryption.CUSTOMER_KEY and b.customer_key_id is None and b.deletion_protection
        for b in env.buckets
    )


class AzureEnvironment(CloudEnvironment):
    """Resource group, network, Key Vault, AKS cluster and agent pools, VM scale sets, storage accounts,
    workload identities and budget.

    ``exports``: the neutral keys (network_id, cluster_name, cluster_endpoint, kubeconfig (secret),
    node_pool_names, autoscaling_group_names, bucket_names (containers), bucket_uris,
    workload_identities (client ids)) plus resource_group_name, node_resource_group,
    storage_account_names and key_vault_uri.
    """

    def __init__(
        self,
        name: str,
        env: Environment,
        catalog: Catalog | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        catalog = buildable(env, catalog)
        assert env.azure is not None
        super().__init__(TYPE_TOKEN, name, opts)
        self.provider = AzureProvider(
            f"{name}-azure",
            location=env.region,
            subscription_id=env.azure.subscription_id,
            opts=pulumi.ResourceOptions(parent=self),
        )
        child = pulumi.ResourceOptions(parent=self, providers={"azure-native": self.provider})
        client = authorization.get_client_config_output(
            opts=pulumi.InvokeOutputOptions(parent=self, provider=self.provider)
        )
        tags = context_tags(env)
        self.resource_group = resources.ResourceGroup(f"{name}-rg", location=env.region, tags=tags, opts=child)
        context = AzureContext(
            env=env,
            catalog=catalog,
            resource_group_name=self.resource_group.name,
            tenant_id=client.tenant_id,
            deployer_object_id=client.object_id,
            tags=tags,
        )
        self.network = Network(f"{name}-network", NetworkArgs(env.network, context), child)
        self.keys = (
            KeyVault(f"{name}-keys", KeyVaultArgs(context, protect=vault_protected(env)), child)
            if needs_key_vault(env)
            else None
        )
        self.cluster = None
        if env.cluster is not None:
            assert self.keys is not None
            self.cluster = Cluster(f"{name}-cluster", ClusterArgs(env.cluster, context, self.network, self.keys), child)
        self.node_pools = {
            pool.name: GpuNodePool(
                f"{name}-{pool.name}", GpuNodePoolArgs(pool, context, self.network, self.cluster), child
            )
            for pool in env.node_pools
            if self.cluster is not None
        }
        self.buckets = {
            b.name: Bucket(f"{name}-{b.name}", BucketArgs(b, context, self.network, self.keys), child)
            for b in env.buckets
        }
        self.workload_access = {
            compute.name: WorkloadAccess(
                f"{name}-{compute.name}-access",
                WorkloadAccessArgs(
                    compute_name=compute.name,
                    context=context,
                    grants=grants_for(compute.name, self.buckets.values()),
                    cluster=None if isinstance(compute, GroupSpec) else self.cluster,
                ),
                child,
            )
            for compute in env.compute
        }
        self.autoscaling_groups = {
            g.name: AutoscalingGroup(
                f"{name}-{g.name}",
                AutoscalingGroupArgs(g, context, self.network, self.workload_access[g.name].identity_id),
                child,
            )
            for g in env.autoscaling_groups
        }
        self.in_cluster = self._in_cluster(name, context, child)
        self.budget = None
        if env.budget is not None:
            groups: list[pulumi.Input[str]] = [self.resource_group.name]
            if self.cluster is not None:
                groups.append(self.cluster.node_resource_group)
            self.budget = Budget(f"{name}-budget", BudgetArgs(env.budget, context, groups), child)
        self.exports = self._exports()
        self.register_outputs(self.exports)

    def _in_cluster(self, name: str, context: AzureContext, child: pulumi.ResourceOptions) -> AksInCluster | None:
        """Device plugin, workload service accounts and expander ranking (see azure/in_cluster.py)."""
        if self.cluster is None or not installs_software(context.env):
            return None
        identities = {pool.name: self.workload_access[pool.name].client_id for pool in context.env.node_pools}
        ready = (self.cluster.managed_cluster, self.cluster.deployer_admin)
        return AksInCluster(
            f"{name}-in-cluster", AksInClusterArgs(context, self.cluster.kubeconfig, identities, ready), child
        )

    def _exports(self) -> dict[str, object]:
        exports: dict[str, object] = {"network_id": self.network.vnet_id}
        if self.cluster is not None:
            exports |= {
                "cluster_name": self.cluster.name,
                "cluster_endpoint": self.cluster.endpoint,
                "kubeconfig": pulumi.Output.secret(self.cluster.kubeconfig),
                "node_resource_group": self.cluster.node_resource_group,
            }
        return exports | {
            "node_pool_names": {pool: p.agent_pool_names for pool, p in self.node_pools.items()},
            "autoscaling_group_names": {group: g.name for group, g in self.autoscaling_groups.items()},
            "bucket_names": {bucket: b.container_name for bucket, b in self.buckets.items()},
            "bucket_uris": {bucket: b.uri for bucket, b in self.buckets.items()},
            "workload_identities": {compute: a.client_id for compute, a in self.workload_access.items()},
            "resource_group_name": self.resource_group.name,
            "storage_account_names": {bucket: b.account_name for bucket, b in self.buckets.items()},
            "key_vault_uri": self.keys.uri if self.keys is not None else None,
        }
