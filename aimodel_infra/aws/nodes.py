"""What every EKS managed node group here shares: its IAM role and its launch template.

Used by the cluster's system node group and by :class:`aimodel_infra.aws.node_pool.GpuNodePool`,
so both get the same hardening:

- the node role holds only what the kubelet and the VPC CNI need (worker node policy, ECR pull,
  CNI). Workloads get their AWS permissions through IRSA roles (WorkloadAccess), never through
  the node role;
- the launch template is :func:`aimodel_infra.aws.launch_template.hardened_launch_template`:
  IMDSv2 with a hop limit of 1, so a pod (one network hop further than the node) cannot read the
  node role's credentials; add-ons that need AWS access use IRSA or EKS Pod Identity, or run on
  the host network. The root volume (``/dev/xvda`` on the EKS Amazon Linux 2023 AMIs) is an
  encrypted gp3 volume of the requested size. The template sets no AMI, instance type or user
  data: EKS picks the AMI for the node group's ``ami_type`` and bootstraps it, and instance types
  stay on the node group so one template serves several types.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pulumi
import pulumi_aws.ec2 as ec2
import pulumi_aws.iam as iam

from aimodel_infra.aws.context import AwsContext, assume_role_policy
from aimodel_infra.aws.launch_template import IMDS_HOP_LIMIT, hardened_launch_template
from aimodel_infra.aws.names import IAM_ROLE_MAX, LAUNCH_TEMPLATE_MAX, fit_name

__all__ = [
    "IMDS_HOP_LIMIT",
    "NODE_POLICY_ARNS",
    "ROOT_DEVICE",
    "NodeRole",
    "launch_template_ref",
    "node_launch_template",
    "node_role",
]

#: The managed policies of the Amazon EKS node IAM role (EKS User Guide, "Amazon EKS node IAM
#: role"). AmazonEC2ContainerRegistryPullOnly (2024) replaces the broader ReadOnly policy; the
#: SDK's ManagedPolicy enum does not list it yet.
NODE_POLICY_ARNS: Final = (
    iam.ManagedPolicy.AMAZON_EKS_WORKER_NODE_POLICY.value,
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
    iam.ManagedPolicy.AMAZON_EK_S_CN_I_POLICY.value,
)
#: Root device of the EKS Amazon Linux 2023 AMIs.
ROOT_DEVICE: Final = "/dev/xvda"


@dataclass(frozen=True)
class NodeRole:
    """The role and its policy attachments; node groups must wait for the attachments."""

    role: iam.Role
    attachments: tuple[iam.RolePolicyAttachment, ...]


def node_role(name: str, context: AwsContext, tags: dict[str, str], parent: pulumi.Resource) -> NodeRole:
    role = iam.Role(
        fit_name(name, "node", IAM_ROLE_MAX),
        description="EKS worker nodes: kubelet, image pulls and pod networking only",
        assume_role_policy=assume_role_policy("ec2.amazonaws.com"),
        tags=tags,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    attachments = tuple(
        iam.RolePolicyAttachment(
            f"{name}-node-{arn.rsplit('/', 1)[-1]}",
            role=role.name,
            policy_arn=arn,
            opts=pulumi.ResourceOptions(parent=parent),
        )
        for arn in NODE_POLICY_ARNS
    )
    return NodeRole(role, attachments)


def node_launch_template(
    name: str,
    *,
    disk_size_gb: int,
    tags: dict[str, str],
    instance_tags: dict[str, str],
    parent: pulumi.Resource,
) -> ec2.LaunchTemplate:
    return hardened_launch_template(
        fit_name(name, "nodes", LAUNCH_TEMPLATE_MAX),
        description="EKS nodes: IMDSv2 only (hop limit 1), encrypted gp3 root volume",
        root_device=ROOT_DEVICE,
        disk_size_gb=disk_size_gb,
        tags=tags,
        instance_tags=instance_tags,
        opts=pulumi.ResourceOptions(parent=parent),
    )


def launch_template_ref(template: ec2.LaunchTemplate) -> dict[str, pulumi.Input[str]]:
    """The node group's ``launch_template`` block: this template at its latest version."""
    return {"id": template.id, "version": template.latest_version.apply(str)}
