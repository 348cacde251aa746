"""A whole environment on AWS: every component of the spec, wired together under one provider.

The explicit provider takes its region from the spec (never from ``aws:region`` or the shell's
AWS_REGION), so ``pulumi up`` on a stack builds where its spec says. Its default tags put the
environment's tags on everything, including resources created outside Pulumi's view (EBS volumes
of EKS-launched nodes). It ignores ``kubernetes.io/cluster/`` subnet tags: the cluster sets those
on the subnets with separate tag resources (its name is only known after creation), and without
the ignore each deploy would have the subnets remove them again.
"""

from __future__ import annotations

from typing import Final

import pulumi
import pulumi_aws as aws

from aimodel_infra.aws.autoscaling_group import AutoscalingGroup, AutoscalingGroupArgs
from aimodel_infra.aws.bucket import DATA_PURPOSES, AccessLogBucket, Bucket, BucketArgs
from aimodel_infra.aws.budget import Budget, BudgetArgs
from aimodel_infra.aws.cluster import Cluster, ClusterArgs
from aimodel_infra.aws.context import AwsContext
from aimodel_infra.aws.in_cluster import EksInCluster, EksInClusterArgs
from aimodel_infra.aws.network import Network, NetworkArgs
from aimodel_infra.aws.node_pool import GpuNodePool, GpuNodePoolArgs
from aimodel_infra.aws.workload_access import WorkloadAccess, WorkloadAccessArgs, grants_for
from aimodel_infra.catalog import Catalog
from aimodel_infra.component import CloudEnvironment, buildable
from aimodel_infra.in_cluster.plan import installs_software
from aimodel_infra.spec.models import Environment

TYPE_TOKEN: Final = "aimodel:aws:Environment"
CLUSTER_TAG_PREFIX: Final = "kubernetes.io/cluster/"


class AwsEnvironment(CloudEnvironment):
    """Network, EKS cluster, node pools, autoscaling groups, buckets, workload access and budget.

    ``exports``: every neutral key of :data:`aimodel_infra.cloud.EXPORT_KEYS` (network_id = the VPC
    id, bucket_uris = ``s3://<bucket>``, workload_identities = {pool or group: IAM role ARN}; cluster
    keys are absent without a cluster), plus the AWS extras vpc_id, bucket_arns and
    workload_role_arns (the same role ARNs as workload_identities, under their older name).
    """

    def __init__(
        self,
        name: str,
        env: Environment,
        catalog: Catalog | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        context = AwsContext.for_environment(env, buildable(env, catalog))
        super().__init__(TYPE_TOKEN, name, opts)
        self.provider = aws.Provider(
            f"{name}-aws",
            region=env.region,
            default_tags=aws.ProviderDefaultTagsArgs(tags=context.tags),
            ignore_tags=aws.ProviderIgnoreTagsArgs(key_prefixes=[CLUSTER_TAG_PREFIX]),
            opts=pulumi.ResourceOptions(parent=self),
        )
        child = pulumi.ResourceOptions(parent=self, providers={"aws": self.provider})

        self.network = Network(f"{name}-network", NetworkArgs(env.network, context), child)
        self.cluster = self._cluster(name, context, child)
        self.node_pools = self._node_pools(name, context, child)
        self.autoscaling_groups = {
            g.name: AutoscalingGroup(f"{name}-{g.name}", AutoscalingGroupArgs(g, context, self.network), child)
            for g in env.autoscaling_groups
        }
        self.access_logs = (
            AccessLogBucket(f"{name}-access-logs", context, child)
            if any(b.purpose in DATA_PURPOSES for b in env.buckets)
            else None
        )
        self.buckets = {
            b.name: Bucket(
                f"{name}-{b.name}",
                BucketArgs(b, context, self.access_logs if b.purpose in DATA_PURPOSES else None),
                child,
            )
            for b in env.buckets
        }
        self.workload_access = self._workload_access(name, context, child)
        self.budget = Budget(f"{name}-budget", BudgetArgs(env.budget, context), child) if env.budget else None
        self.in_cluster = self._in_cluster(name, context, child)

        self.exports = self._exports()
        self.register_outputs(self.exports)

    def _cluster(self, name: str, context: AwsContext, child: pulumi.ResourceOptions) -> Cluster | None:
        spec = context.env.cluster
        return Cluster(f"{name}-cluster", ClusterArgs(spec, context, self.network), child) if spec else None

    def _node_pools(self, name: str, context: AwsContext, child: pulumi.ResourceOptions) -> dict[str, GpuNodePool]:
        if self.cluster is None:  # the spec check allows node pools only with a cluster
            return {}
        return {
            pool.name: GpuNodePool(
                f"{name}-{pool.name}", GpuNodePoolArgs(pool, context, self.network, self.cluster), child
            )
            for pool in context.env.node_pools
        }

    def _workload_access(
        self, name: str, context: AwsContext, child: pulumi.ResourceOptions
    ) -> dict[str, WorkloadAccess]:
        """One WorkloadAccess per pool or group that reads or writes at least one bucket."""
        access: dict[str, WorkloadAccess] = {}
        for compute in context.env.compute:
            grants = grants_for(compute.name, self.buckets.values())
            if not grants:
                continue
            group = self.autoscaling_groups.get(compute.name)
            args = WorkloadAccessArgs(
                compute_name=compute.name,
                context=context,
                grants=grants,
                cluster=None if group else self.cluster,
                instance_role=group.instance_role if group else None,
            )
            access[compute.name] = WorkloadAccess(f"{name}-{compute.name}-access", args, child)
        return access

    def _in_cluster(self, name: str, context: AwsContext, child: pulumi.ResourceOptions) -> EksInCluster | None:
        """Device plugin, autoscaler, storage class and workload service accounts (see aws/in_cluster.py)."""
        if self.cluster is None or not installs_software(context.env):
            return None
        identities = {
            compute: access.role_arn
            for compute, access in self.workload_access.items()
            if compute not in self.autoscaling_groups  # VM groups use instance roles, not service accounts
        }
        args = EksInClusterArgs(context, self.cluster, identities, ready=(self.cluster.system_node_group,))
        return EksInCluster(f"{name}-in-cluster", args, child)

    def _workload_identities(self) -> dict[str, pulumi.Output[str]]:
        """The IAM role each pool or group runs as: its IRSA role, or the group's instance role
        (which a group has even without bucket grants). Names are unique across pools and groups
        (spec check), so one map holds both."""
        identities = {name: group.instance_role.arn for name, group in self.autoscaling_groups.items()}
        return identities | {name: access.role_arn for name, access in self.workload_access.items()}

    def _exports(self) -> dict[str, object]:
        """Every key of :data:`aimodel_infra.cloud.EXPORT_KEYS` plus the AWS extras."""
        exports: dict[str, object] = {"network_id": self.network.vpc_id, "vpc_id": self.network.vpc_id}
        if self.cluster is not None:
            exports |= {
                "cluster_name": self.cluster.name,
                "cluster_endpoint": self.cluster.endpoint,
                "kubeconfig": pulumi.Output.secret(self.cluster.kubeconfig),
            }
        identities = self._workload_identities()
        return exports | {
            "node_pool_names": {pool: p.node_group_names for pool, p in self.node_pools.items()},
            "autoscaling_group_names": {group: g.name for group, g in self.autoscaling_groups.items()},
            "bucket_names": {bucket: b.name for bucket, b in self.buckets.items()},
            "bucket_uris": {bucket: b.name.apply(lambda n: f"s3://{n}") for bucket, b in self.buckets.items()},
            "workload_identities": identities,
            "bucket_arns": {bucket: b.arn for bucket, b in self.buckets.items()},
            "workload_role_arns": identities,
        }
