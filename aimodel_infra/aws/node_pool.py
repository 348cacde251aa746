"""A spec node pool as EKS managed node groups (see :mod:`aimodel_infra.aws.node_plan` for the plan).

Per pool: one node IAM role and one launch template (:mod:`aimodel_infra.aws.nodes`: IMDSv2 with
hop limit 1, encrypted gp3 root volume of ``disk_size_gb``), shared by the pool's node groups.
Per node group: the ``eks.NodeGroup`` in the private subnets, and one ``autoscaling.Tag`` per
cluster-autoscaler tag on the node group's ASG. Tags on the node group itself do not reach its
ASG, and the ASG only exists once EKS has created it, hence the separate tag resources.

Sizes: ``min_nodes`` may be 0. After creation the autoscaler owns ``desired_size`` (Pulumi
ignores changes to it), so a deploy never undoes a scale-up. One consequence: raising
``min_nodes`` above the group's current size fails (EKS needs min <= desired); scale the group
up first (``aws eks update-nodegroup-config``) or raise it together with ``desired_nodes`` on a
new pool.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import pulumi
import pulumi_aws.autoscaling as autoscaling
import pulumi_aws.eks as eks

from aimodel_infra.aws.context import AwsContext
from aimodel_infra.aws.names import NODE_GROUP_MAX, fit_name
from aimodel_infra.aws.node_plan import AUTOSCALER_PREFIX, NodeGroupPlan, plan_node_groups
from aimodel_infra.aws.nodes import launch_template_ref, node_launch_template, node_role
from aimodel_infra.spec.models import NodePool

if TYPE_CHECKING:
    from aimodel_infra.aws.cluster import Cluster
    from aimodel_infra.aws.network import Network

TYPE_TOKEN: Final = "aimodel:aws:GpuNodePool"
#: Pulumi property path (engine names) of the size the autoscaler changes.
DESIRED_SIZE_PATH: Final = "scalingConfig.desiredSize"
MAX_UNAVAILABLE: Final = 1


def pool_path(context: AwsContext, pool: NodePool) -> str:
    """Field path of the pool in the spec (``node_pools[1]``), for error messages."""
    index = next((i for i, p in enumerate(context.env.node_pools) if p.name == pool.name), None)
    return f"node_pools[{index}]" if index is not None else f"node_pools[name={pool.name}]"


def first_asg_name(resources: list[eks.outputs.NodeGroupResource]) -> str:
    """The name of the ASG EKS created for a node group (a managed node group has exactly one)."""
    return resources[0].autoscaling_groups[0].name


def tag_slugs(keys: Iterable[str]) -> dict[str, str]:
    """A readable, unique logical-name part per tag key (``node-template-label-aimodel-infra-pool``);
    keys that differ only in punctuation (labels ``a.b`` and ``a-b``) get a short hash as well."""
    slugs = {key: re.sub(r"[^A-Za-z0-9]+", "-", key.removeprefix(AUTOSCALER_PREFIX)).strip("-") for key in keys}
    taken = Counter(slugs.values())
    return {
        key: slug if taken[slug] == 1 else f"{slug}-{hashlib.sha256(key.encode()).hexdigest()[:6]}"
        for key, slug in slugs.items()
    }


@dataclass(frozen=True)
class GpuNodePoolArgs:
    pool: NodePool
    context: AwsContext
    network: Network
    cluster: Cluster


class GpuNodePool(pulumi.ComponentResource):
    """One spec node pool (GPU or CPU). Exposes ``node_groups``, ``node_group_names``, ``plans``,
    ``node_role`` and ``launch_template``."""

    node_groups: list[eks.NodeGroup]
    node_group_names: list[pulumi.Output[str]]
    plans: tuple[NodeGroupPlan, ...]

    def __init__(self, name: str, args: GpuNodePoolArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        pool, context = args.pool, args.context
        self.plans = plan_node_groups(pool, context.catalog, context.region, pool_path(context, pool))
        super().__init__(TYPE_TOKEN, name, None, opts)
        tags = context.tags_for(pool.name, **{"aimodel-compute": pool.name})
        role = node_role(name, context, tags, self)
        self.node_role = role.role
        self.launch_template = node_launch_template(
            name, disk_size_gb=pool.disk_size_gb, tags=tags, instance_tags={**pool.labels, **tags}, parent=self
        )
        self.node_groups = [self._node_group(name, plan, args, tags, list(role.attachments)) for plan in self.plans]
        self.node_group_names = [group.node_group_name for group in self.node_groups]
        self.register_outputs({"node_group_names": self.node_group_names, "node_role_arn": self.node_role.arn})

    def _node_group(
        self,
        name: str,
        plan: NodeGroupPlan,
        args: GpuNodePoolArgs,
        tags: dict[str, str],
        role_ready: list[pulumi.Resource],
    ) -> eks.NodeGroup:
        group_name = fit_name(name, plan.suffix, NODE_GROUP_MAX)
        group = eks.NodeGroup(
            group_name,
            cluster_name=args.cluster.name,
            version=args.cluster.version,
            node_role_arn=self.node_role.arn,
            subnet_ids=args.network.private_subnet_ids_for(plan.instance_types[0]),
            instance_types=list(plan.instance_types),
            ami_type=plan.ami_type,
            capacity_type=plan.capacity_type,
            scaling_config=eks.NodeGroupScalingConfigArgs(
                min_size=plan.min_size, desired_size=plan.desired_size, max_size=plan.max_size
            ),
            labels=plan.labels,
            taints=[eks.NodeGroupTaintArgs(**taint) for taint in plan.eks_taints],
            launch_template=launch_template_ref(self.launch_template),
            update_config=eks.NodeGroupUpdateConfigArgs(max_unavailable=MAX_UNAVAILABLE),
            tags={**tags, "aimodel-capacity": plan.suffix},
            opts=pulumi.ResourceOptions(parent=self, depends_on=role_ready, ignore_changes=[DESIRED_SIZE_PATH]),
        )
        asg_name = group.resources.apply(first_asg_name)
        slugs = tag_slugs(plan.autoscaler_tags)
        for key, value in plan.autoscaler_tags.items():
            autoscaling.Tag(
                f"{group_name}-{slugs[key]}",
                autoscaling_group_name=asg_name,
                tag=autoscaling.TagTagArgs(key=key, value=value, propagate_at_launch=False),
                opts=pulumi.ResourceOptions(parent=self),
            )
        return group
