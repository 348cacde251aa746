"""What EKS lacks inside the cluster, installed by the stack: the NVIDIA device plugin, the
cluster-autoscaler with its own IRSA role, a default encrypted gp3 storage class, and the
``aimodel`` namespace with one service account per workload annotated with its IRSA role.

Why cluster-autoscaler and not Karpenter: the GPU pools are EKS managed node groups whose ASGs
already carry the autoscaler's scale-from-zero node-template tags, and spot-then-on-demand is the
priority expander ranking the groups by name. Karpenter would replace the managed node groups with
its own NodePools and EC2NodeClasses, an SQS interruption queue and EventBridge rules: a second way
to make nodes beside the one the rest of the builder plans and prices.

The autoscaler's IAM policy follows its AWS README ("Full Cluster Autoscaler Features Policy"):
the Describe calls on ``*`` (they take no resource-level permissions), and the two calls that
change capacity only on ASGs EKS created for node groups (``eks-*``) that carry this cluster's
``k8s.io/cluster-autoscaler/<cluster>`` tag (EKS sets it on every managed node group's ASG).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import pulumi
import pulumi_aws as aws
import pulumi_aws.iam as iam

from aimodel_infra.aws.cluster import Cluster
from aimodel_infra.aws.context import AwsContext
from aimodel_infra.aws.names import IAM_ROLE_MAX, fit_name
from aimodel_infra.aws.workload_access import irsa_trust_policy
from aimodel_infra.in_cluster.component import InClusterSoftware, InClusterSoftwareArgs
from aimodel_infra.in_cluster.plan import (
    AUTOSCALER_CHART,
    AUTOSCALER_REPO,
    AUTOSCALER_SERVICE_ACCOUNT,
    AUTOSCALER_VERSION,
    SYSTEM_NAMESPACE,
    WORKLOAD_NAMESPACE,
    HelmChart,
    InClusterPlan,
    StorageClassPlan,
    autoscaler_args,
    autoscaler_image_tag,
    device_plugin_chart,
    expander_priorities,
    on_system_pool,
    workload_service_accounts,
)

TYPE_TOKEN: Final = "aimodel:aws:InCluster"
#: The annotation IRSA reads on a service account (EKS User Guide, "IAM roles for service accounts").
ROLE_ANNOTATION: Final = "eks.amazonaws.com/role-arn"
DESCRIBE_ACTIONS: Final = (
    "autoscaling:DescribeAutoScalingGroups",
    "autoscaling:DescribeAutoScalingInstances",
    "autoscaling:DescribeLaunchConfigurations",
    "autoscaling:DescribeScalingActivities",
    "ec2:DescribeImages",
    "ec2:DescribeInstanceTypes",
    "ec2:DescribeLaunchTemplateVersions",
    "eks:DescribeNodegroup",
)
SCALING_ACTIONS: Final = ("autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup")
GP3_CLASS: Final = StorageClassPlan(
    name="gp3-encrypted", provisioner="ebs.csi.aws.com", parameters={"type": "gp3", "encrypted": "true"}
)


# -- plan: pure functions -----------------------------------------------------------------------
def autoscaler_policy(cluster_name: str, region: str, account_id: str) -> dict[str, Any]:
    """IAM policy of the cluster-autoscaler: read everything it must, scale only this cluster's groups."""
    groups = f"arn:aws:autoscaling:{region}:{account_id}:autoScalingGroup:*:autoScalingGroupName/eks-*"
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Discover", "Effect": "Allow", "Action": list(DESCRIBE_ACTIONS), "Resource": "*"},
            {
                "Sid": "ScaleThisClustersGroups",
                "Effect": "Allow",
                "Action": list(SCALING_ACTIONS),
                "Resource": groups,
                "Condition": {"StringEquals": {f"aws:ResourceTag/k8s.io/cluster-autoscaler/{cluster_name}": "owned"}},
            },
        ],
    }


def autoscaler_chart(
    cluster_name: pulumi.Input[str], region: str, kubernetes_version: str, role_arn: pulumi.Input[str], minutes: int
) -> HelmChart:
    """cluster-autoscaler discovering exactly this cluster's node groups, spot first."""
    values: dict[str, Any] = {
        "cloudProvider": "aws",
        "awsRegion": region,
        "autoDiscovery": {"clusterName": cluster_name},
        "image": {"tag": autoscaler_image_tag(kubernetes_version)},
        "rbac": {
            "serviceAccount": {
                "create": True,
                "name": AUTOSCALER_SERVICE_ACCOUNT,
                "annotations": {ROLE_ANNOTATION: role_arn},
            }
        },
        "extraArgs": autoscaler_args(minutes),
        "expanderPriorities": expander_priorities(),
        **on_system_pool(),
    }
    return HelmChart(
        release="cluster-autoscaler",
        chart=AUTOSCALER_CHART,
        repository=AUTOSCALER_REPO,
        version=AUTOSCALER_VERSION,
        namespace=SYSTEM_NAMESPACE,
        values=values,
    )


def eks_plan(
    context: AwsContext,
    cluster_name: pulumi.Input[str],
    autoscaler_role_arn: pulumi.Input[str],
    identities: Mapping[str, pulumi.Input[str]],
) -> InClusterPlan:
    cluster = context.env.cluster
    assert cluster is not None
    charts = [
        device_plugin_chart(),
        autoscaler_chart(
            cluster_name,
            context.region,
            cluster.kubernetes_version,
            autoscaler_role_arn,
            cluster.in_cluster.scale_down_unneeded_minutes,
        ),
    ]
    return InClusterPlan(
        namespace=WORKLOAD_NAMESPACE,
        service_accounts=workload_service_accounts(
            [p.name for p in context.env.node_pools], identities, ROLE_ANNOTATION
        ),
        charts=tuple(charts),
        storage_class=GP3_CLASS,
    )


# -- component ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class EksInClusterArgs:
    context: AwsContext
    cluster: Cluster
    #: {pool: IRSA role ARN} of the pools that read or write buckets.
    identities: Mapping[str, pulumi.Input[str]]
    #: What the controllers need running first: the system node group.
    ready: tuple[pulumi.Resource, ...] = ()


class EksInCluster(pulumi.ComponentResource):
    """The autoscaler's IRSA role, then the in-cluster software of an EKS cluster."""

    def __init__(self, name: str, args: EksInClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        context, cluster = args.context, args.cluster
        child = pulumi.ResourceOptions(parent=self)
        trust = pulumi.Output.all(cluster.oidc_provider_arn, cluster.oidc_issuer).apply(
            lambda a: json.dumps(irsa_trust_policy(a[0], a[1], SYSTEM_NAMESPACE, AUTOSCALER_SERVICE_ACCOUNT))
        )
        self.autoscaler_role = iam.Role(
            fit_name(f"{name}-autoscaler", "", IAM_ROLE_MAX),
            assume_role_policy=trust,
            description="cluster-autoscaler (IRSA): scales this cluster's managed node groups",
            tags=context.tags_for("cluster-autoscaler"),
            opts=child,
        )
        account = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
        policy = pulumi.Output.all(cluster.name, account).apply(
            lambda a: json.dumps(autoscaler_policy(a[0], context.region, a[1]))
        )
        role_policy = iam.RolePolicy(f"{name}-autoscaler", role=self.autoscaler_role.id, policy=policy, opts=child)
        plan = eks_plan(context, cluster.name, self.autoscaler_role.arn, args.identities)
        self.software = InClusterSoftware(
            f"{name}-software",
            InClusterSoftwareArgs(plan, cluster.kubeconfig, ready=(*args.ready, role_policy)),
            child,
        )
        self.register_outputs({"autoscaler_role_arn": self.autoscaler_role.arn})
