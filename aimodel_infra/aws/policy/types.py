"""The AWS type tokens the checks read, and the tags a resource really ends up with."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aimodel_infra.policy.engine import PolicyContext
from aimodel_infra.policy.values import as_dict, known

if TYPE_CHECKING:
    from aimodel_infra.graph import RecordedResource

BUCKET_TYPES = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
ENCRYPTION_TYPES = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
)
VERSIONING_TYPES = ("aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2")
PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
BUCKET_ACL_TYPES = ("aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2")
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
INSTANCE = "aws:ec2/instance:Instance"
SUBNET = "aws:ec2/subnet:Subnet"
EKS_CLUSTER = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
AUTOSCALING_GROUP = "aws:autoscaling/group:Group"
IAM_ROLE = "aws:iam/role:Role"
IAM_POLICY = "aws:iam/policy:Policy"
BUDGET = "aws:budgets/budget:Budget"
BUCKET_COMPONENT = "aimodel:aws:Bucket"

#: Every AWS type our components create that takes ``tags`` (checked against pulumi-aws 7.51).
#: Configuration resources without tags (routes, bucket settings, attachments) are left out.
TAGGABLE_TYPES = (
    *BUCKET_TYPES,
    "aws:ec2/vpc:Vpc",
    SUBNET,
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/natGateway:NatGateway",
    "aws:ec2/eip:Eip",
    "aws:ec2/routeTable:RouteTable",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "aws:ec2/flowLog:FlowLog",
    "aws:ec2/vpcEndpoint:VpcEndpoint",
    "aws:ec2/placementGroup:PlacementGroup",
    LAUNCH_TEMPLATE,
    INSTANCE,
    EKS_CLUSTER,
    NODE_GROUP,
    "aws:eks/addon:Addon",
    AUTOSCALING_GROUP,
    IAM_ROLE,
    IAM_POLICY,
    "aws:iam/instanceProfile:InstanceProfile",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    "aws:kms/key:Key",
    "aws:cloudwatch/logGroup:LogGroup",
    BUDGET,
)


def resource_tags(ctx: PolicyContext, r: RecordedResource) -> dict[str, Any]:
    """Tags the resource ends up with: its provider's default tags, then its own.

    Autoscaling groups take a list of ``{key, value, propagateAtLaunch}``; everything else a map.
    """
    defaults = as_dict(as_dict(ctx.provider_inputs(r).get("defaultTags")).get("tags"))
    own = known(r.inputs.get("tags"))
    if isinstance(own, list):
        own = {as_dict(tag).get("key"): as_dict(tag).get("value") for tag in own}
    return {**defaults, **(own if isinstance(own, dict) else {})}
