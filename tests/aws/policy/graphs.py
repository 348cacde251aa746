"""Small hand-built resource graphs for the policy tests.

:func:`compliant_graph` records what a well-built AWS environment registers (shapes as the
components pass them: camelCase inputs, LT booleans as strings, ASG tags as a list), so that a
rule test changes one thing and watches exactly that rule fire.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from aimodel_infra.conventions import environment_tags
from aimodel_infra.spec.models import Environment
from aimodel_infra.testing import RecordedResource, ResourceGraph
from aimodel_infra.testing import builder as testing_builder

PRIVATE_SUBNET_ID = "subnet-0private"
PUBLIC_SUBNET_ID = "subnet-0public"
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/abc"

SUBNET = "aws:ec2/subnet:Subnet"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
EKS_CLUSTER = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
ASG = "aws:autoscaling/group:Group"
S3_BUCKET = "aws:s3/bucket:Bucket"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
PUBLIC_ACCESS = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
BUCKET_ACL = "aws:s3/bucketAcl:BucketAcl"
IAM_ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
BUDGET = "aws:budgets/budget:Budget"
BUCKET_COMPONENT = "aimodel:aws:Bucket"

ENV = Environment.model_validate(
    {
        "name": "pt",
        "cloud": "aws",
        "region": "us-east-1",
        "tags": {"team": "ml"},
        "node_pools": [{"name": "train", "accelerator": "H100:8", "max_nodes": 2}],
        "autoscaling_groups": [{"name": "batch", "accelerator": "A10G", "max_nodes": 2}],
        "buckets": [
            {"name": "datasets", "purpose": "datasets"},
            {"name": "checkpoints", "purpose": "checkpoints"},
            {"name": "logs", "purpose": "logs", "deletion_protection": False},
        ],
        "budget": {"monthly_usd": 1000, "alert_emails": ["ml@example.com"]},
    }
)


def document(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


class GraphBuilder(testing_builder.GraphBuilder):
    """The neutral builder plus the pieces of a compliant AWS environment, each one resource type."""

    def __init__(self, env: Environment = ENV) -> None:
        super().__init__()
        self.env = env
        self.tags = environment_tags(env)

    # -- a compliant environment ---------------------------------------------------------------
    def network(self) -> None:
        self.add("aws:ec2/vpc:Vpc", "vpc", {"cidrBlock": "10.0.0.0/16", "tags": self.tags})
        self.add(SUBNET, "private-a", {"mapPublicIpOnLaunch": False, "tags": self.tags}, id=PRIVATE_SUBNET_ID)
        self.add(SUBNET, "public-a", {"mapPublicIpOnLaunch": True, "tags": self.tags}, id=PUBLIC_SUBNET_ID)

    def compute(self) -> None:
        self.add(
            EKS_CLUSTER,
            "cluster",
            {
                "vpcConfig": {
                    "endpointPublicAccess": False,
                    "endpointPrivateAccess": True,
                    "subnetIds": [PRIVATE_SUBNET_ID],
                },
                "encryptionConfig": {"resources": ["secrets"], "provider": {"keyArn": KEY_ARN}},
                "tags": self.tags,
            },
        )
        self.add(
            LAUNCH_TEMPLATE,
            "train-lt",
            {
                "blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {"encrypted": "true", "volumeSize": 500}}],
                "metadataOptions": {"httpTokens": "required", "httpEndpoint": "enabled"},
                "networkInterfaces": [{"deviceIndex": 0, "associatePublicIpAddress": "false"}],
                "tags": self.tags,
            },
        )
        self.add(
            NODE_GROUP,
            "train",
            {
                "subnetIds": [PRIVATE_SUBNET_ID],
                "tags": self.tags,
                "launchTemplate": {"id": "train-lt-id", "version": "1"},
            },
        )
        asg_tags = [{"key": k, "value": v, "propagateAtLaunch": True} for k, v in self.tags.items()]
        self.add(ASG, "batch", {"vpcZoneIdentifiers": [PRIVATE_SUBNET_ID], "tags": asg_tags})

    def bucket(
        self, spec_name: str, purpose: str, *, protected: bool = True, versioned: bool | None = None
    ) -> RecordedResource:
        component = self.add(BUCKET_COMPONENT, spec_name, custom=False, id=None)
        physical = f"{self.env.name}-{spec_name}-abc1234"
        tags = {**self.tags, "aimodel-bucket-purpose": purpose}
        bucket = self.add(
            S3_BUCKET,
            f"{self.env.name}-{spec_name}",
            {"forceDestroy": False, "tags": tags},
            parent=component,
            id=physical,
            outputs={"bucket": physical},
            protect=protected,
            retain_on_delete=protected,
        )
        link = {"parent": component, "dependencies": [bucket.urn]}
        self.add(
            SSE,
            f"{spec_name}-encryption",
            {"bucket": physical, "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]},
            **link,
        )
        if versioned if versioned is not None else purpose in ("checkpoints", "models"):
            self.add(
                VERSIONING,
                f"{spec_name}-versioning",
                {"bucket": physical, "versioningConfiguration": {"status": "Enabled"}},
                **link,
            )
        self.add(
            PUBLIC_ACCESS,
            f"{spec_name}-public-access",
            {
                "bucket": physical,
                "blockPublicAcls": True,
                "blockPublicPolicy": True,
                "ignorePublicAcls": True,
                "restrictPublicBuckets": True,
            },
            **link,
        )
        tls_only = {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{physical}", f"arn:aws:s3:::{physical}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
        self.add(BUCKET_POLICY, f"{spec_name}-tls-only", {"bucket": physical, "policy": document(tls_only)}, **link)
        return bucket

    def access(self) -> None:
        trust = {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
        role = self.add(IAM_ROLE, "batch-role", {"assumeRolePolicy": document(trust), "tags": self.tags})
        grant = {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::pt-datasets-abc1234/*"}
        describe = {"Effect": "Allow", "Action": ["ec2:DescribeInstances"], "Resource": "*"}
        self.add(ROLE_POLICY, "batch-datasets", {"role": role.id, "policy": document(grant, describe)})

    def budget(self) -> None:
        self.add(
            BUDGET,
            "budget",
            {
                "budgetType": "COST",
                "tags": self.tags,
                "notifications": [
                    {"notificationType": "ACTUAL", "threshold": 80, "subscriberEmailAddresses": ["ml@example.com"]}
                ],
            },
        )


def compliant_builder(env: Environment = ENV) -> GraphBuilder:
    builder = GraphBuilder(env)
    builder.network()
    builder.compute()
    for spec in env.buckets:
        builder.bucket(spec.name, spec.purpose.value, protected=spec.deletion_protection)
    builder.access()
    if env.budget is not None:
        builder.budget()
    return builder


def compliant_graph(env: Environment = ENV) -> ResourceGraph:
    return compliant_builder(env).graph()


def changed(
    graph: ResourceGraph, name: str, *, inputs: dict[str, Any] | None = None, drop: tuple[str, ...] = (), **fields: Any
) -> ResourceGraph:
    """A copy of ``graph`` where resource ``name`` has ``inputs`` merged in, keys ``drop`` removed
    and ``fields`` (protect, retain_on_delete, ...) replaced."""
    out = []
    for r in graph.resources:
        if r.name == name:
            merged = {k: v for k, v in {**r.inputs, **(inputs or {})}.items() if k not in drop}
            r = dataclasses.replace(r, inputs=merged, **fields)
        out.append(r)
    assert any(r.name == name for r in graph.resources), f"no resource named {name!r}"
    return ResourceGraph(out, {}, set(), [], stack_urn=graph.stack_urn)


def without(graph: ResourceGraph, name: str) -> ResourceGraph:
    assert any(r.name == name for r in graph.resources), f"no resource named {name!r}"
    return ResourceGraph([r for r in graph.resources if r.name != name], {}, set(), [], stack_urn=graph.stack_urn)
