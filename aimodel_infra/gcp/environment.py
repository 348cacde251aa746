"""A whole environment on GCP: every component of the spec, wired together under one provider.

The explicit provider takes its project and region from the spec (never from ``gcp:project`` or
the shell's gcloud defaults), so ``pulumi up`` builds where the stack says. Its default labels put
the environment's labels on every resource that takes labels. ``billing_project`` +
``user_project_override`` send the project as quota project, which the Billing Budgets API needs
with user credentials. The provider waits for the project's APIs to be enabled (a second
provider, used only for them), so no resource races an API that is still off.
"""

from __future__ import annotations

import dataclasses
from typing import Final

import pulumi
import pulumi_gcp as gcp

from aimodel_infra.catalog import Catalog
from aimodel_infra.component import CloudEnvironment, buildable
from aimodel_infra.gcp.autoscaling_group import AutoscalingGroup, AutoscalingGroupArgs
from aimodel_infra.gcp.bucket import Bucket, BucketArgs
from aimodel_infra.gcp.budget import Budget, BudgetArgs
from aimodel_infra.gcp.cluster import Cluster, ClusterArgs
from aimodel_infra.gcp.context import GcpContext
from aimodel_infra.gcp.in_cluster import GkeInCluster, GkeInClusterArgs
from aimodel_infra.gcp.network import Network, NetworkArgs
from aimodel_infra.gcp.node_pool import GpuNodePool, GpuNodePoolArgs
from aimodel_infra.gcp.services import ProjectServices
from aimodel_infra.gcp.workload_access import WorkloadAccess, WorkloadAccessArgs, grants_for
from aimodel_infra.in_cluster.plan import installs_software
from aimodel_infra.spec.models import Environment

TYPE_TOKEN: Final = "aimodel:gcp:Environment"


class GcpEnvironment(CloudEnvironment):
    """Project APIs, network, GKE cluster, node pools, VM groups, buckets, workload access and budget.

    ``exports``: network_id, cluster_name, cluster_endpoint, kubeconfig (secret), node_pool_names
    ({pool: [GKE node pool names]}), autoscaling_group_names ({group: first MIG name}),
    bucket_names, bucket_uris (gs://...), workload_identities ({pool or group: GSA email}), and
    the GCP extras project, subnetwork_id, autoscaling_group_all_names, workload_service_accounts
    ({pool: "aimodel/<pool>"}). Cluster keys are absent without a cluster.
    """

    def __init__(
        self,
        name: str,
        env: Environment,
        catalog: Catalog | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        catalog = buildable(env, catalog)
        context = GcpContext.for_environment(env, catalog)
        super().__init__(TYPE_TOKEN, name, opts)
        bootstrap = gcp.Provider(
            f"{name}-gcp-services",
            project=context.project,
            region=env.region,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.services = ProjectServices(
            f"{name}-services", env, context.project, pulumi.ResourceOptions(parent=self, providers={"gcp": bootstrap})
        )
        context = dataclasses.replace(context, apis=tuple(self.services.services.values()))
        self.provider = gcp.Provider(
            f"{name}-gcp",
            project=context.project,
            region=env.region,
            default_labels=context.labels,
            billing_project=context.project,
            user_project_override=True,
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(self.services.services.values())),
        )
        child = pulumi.ResourceOptions(parent=self, providers={"gcp": self.provider})

        self.network = Network(f"{name}-network", NetworkArgs(env.network, context), child)
        self.cluster = (
            Cluster(f"{name}-cluster", ClusterArgs(env.cluster, context, self.network), child) if env.cluster else None
        )
        self.node_pools = self._node_pools(name, context, child)
        self.autoscaling_groups = {
            g.name: AutoscalingGroup(f"{name}-{g.name}", AutoscalingGroupArgs(g, context, self.network), child)
            for g in env.autoscaling_groups
        }
        self.buckets = {b.name: Bucket(f"{name}-{b.name}", BucketArgs(b, context), child) for b in env.buckets}
        self.workload_access = self._workload_access(name, context, child)
        self.budget = Budget(f"{name}-budget", BudgetArgs(env.budget, context), child) if env.budget else None
        self.in_cluster = self._in_cluster(name, context, child)

        self.exports = self._exports(context)
        self.register_outputs(self.exports)

    def _node_pools(self, name: str, context: GcpContext, child: pulumi.ResourceOptions) -> dict[str, GpuNodePool]:
        if self.cluster is None:  # the spec check allows node pools only with a cluster
            return {}
        return {
            pool.name: GpuNodePool(f"{name}-{pool.name}", GpuNodePoolArgs(pool, context, self.cluster), child)
            for pool in context.env.node_pools
        }

    def _workload_access(
        self, name: str, context: GcpContext, child: pulumi.ResourceOptions
    ) -> dict[str, WorkloadAccess]:
        """One identity per pool and group, with the bucket grants it has (possibly none)."""
        access: dict[str, WorkloadAccess] = {}
        for compute in context.env.compute:
            group = self.autoscaling_groups.get(compute.name)
            if group is None and self.cluster is None:
                continue
            args = WorkloadAccessArgs(
                compute_name=compute.name,
                context=context,
                grants=grants_for(compute.name, self.buckets.values()),
                cluster=None if group else self.cluster,
                account=group.account if group else None,
            )
            access[compute.name] = WorkloadAccess(f"{name}-{compute.name}-access", args, child)
        return access

    def _in_cluster(self, name: str, context: GcpContext, child: pulumi.ResourceOptions) -> GkeInCluster | None:
        """The aimodel namespace and the pools' Workload Identity service accounts (see gcp/in_cluster.py)."""
        if self.cluster is None or not installs_software(context.env):
            return None
        identities = {
            pool: self.workload_access[pool].email for pool in self.node_pools if pool in self.workload_access
        }
        args = GkeInClusterArgs(context, self.cluster, identities, ready=(self.cluster.system_pool,))
        return GkeInCluster(f"{name}-in-cluster", args, child)

    def _exports(self, context: GcpContext) -> dict[str, object]:
        exports: dict[str, object] = {
            "project": context.project,
            "network_id": self.network.network_id,
            "subnetwork_id": self.network.subnetwork_id,
        }
        if self.cluster is not None:
            exports |= {
                "cluster_name": self.cluster.name,
                "cluster_endpoint": self.cluster.endpoint,
                "kubeconfig": pulumi.Output.secret(self.cluster.kubeconfig),
            }
        return exports | {
            "node_pool_names": {pool: p.node_pool_names for pool, p in self.node_pools.items()},
            "autoscaling_group_names": {group: g.name for group, g in self.autoscaling_groups.items()},
            "autoscaling_group_all_names": {group: g.names for group, g in self.autoscaling_groups.items()},
            "bucket_names": {bucket: b.name for bucket, b in self.buckets.items()},
            "bucket_uris": {bucket: b.url for bucket, b in self.buckets.items()},
            "workload_identities": {compute: a.email for compute, a in self.workload_access.items()},
            "workload_service_accounts": {
                compute: a.service_account for compute, a in self.workload_access.items() if a.service_account
            },
        }
