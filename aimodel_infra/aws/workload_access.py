"""Least-privilege access from a node pool or an autoscaling group to exactly the buckets it is granted.

For a **node pool**, access goes to pods, not nodes: an IRSA role (IAM Roles for Service
Accounts) trusted only by the cluster's OIDC provider, for one Kubernetes service account.
Convention: the service account is ``aimodel/<compute name>`` (namespace ``aimodel``, name = the
pool's name). Whoever deploys the workload creates that ServiceAccount with the annotation
``eks.amazonaws.com/role-arn: <role_arn>``; any pod using it gets the role, on whichever nodes
it runs, and no other pod does.

For an **autoscaling group** there is no Kubernetes: the same policies go on the group's
instance role, which its VMs use through the instance metadata service.

Each granted bucket gets one inline policy scoped to that bucket's ARN (and its objects), plus
its KMS key when it has one. Actions are listed one by one: no ``*`` action and no ``*``
resource; the only wildcard is the object suffix ``<bucket arn>/*`` that S3 object actions need.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_aws.iam as iam

from aimodel_infra.aws.bucket import Bucket
from aimodel_infra.aws.context import STS_AUDIENCE, AwsContext, policy_document
from aimodel_infra.aws.names import IAM_ROLE_MAX, fit_name
from aimodel_infra.conventions import WORKLOAD_NAMESPACE, service_account_subject
from aimodel_infra.plan import access

if TYPE_CHECKING:
    from aimodel_infra.aws.cluster import Cluster

TYPE_TOKEN = "aimodel:aws:WorkloadAccess"
#: Kubernetes namespace of the service accounts the IRSA roles trust (the shared convention).
NAMESPACE = WORKLOAD_NAMESPACE

BUCKET_ACTIONS = ("s3:ListBucket", "s3:GetBucketLocation")
READ_OBJECT_ACTIONS = ("s3:GetObject",)
WRITE_OBJECT_ACTIONS = ("s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts")
READ_KEY_ACTIONS = ("kms:Decrypt",)
# Multipart uploads to SSE-KMS buckets also decrypt data keys, so writers keep kms:Decrypt.
WRITE_KEY_ACTIONS = ("kms:Decrypt", "kms:GenerateDataKey")


# -- plan: pure functions -----------------------------------------------------------------------
def bucket_access_statements(bucket_arn: str, key_arn: str | None, *, write: bool) -> list[dict[str, Any]]:
    """IAM statements for reading (and, with ``write``, writing) one bucket and using its key."""
    object_actions = READ_OBJECT_ACTIONS + (WRITE_OBJECT_ACTIONS if write else ())
    statements: list[dict[str, Any]] = [
        {"Sid": "ListBucket", "Effect": "Allow", "Action": list(BUCKET_ACTIONS), "Resource": bucket_arn},
        {
            "Sid": "ReadWriteObjects" if write else "ReadObjects",
            "Effect": "Allow",
            "Action": list(object_actions),
            "Resource": f"{bucket_arn}/*",
        },
    ]
    if key_arn:
        statements.append(
            {
                "Sid": "UseBucketKey",
                "Effect": "Allow",
                "Action": list(WRITE_KEY_ACTIONS if write else READ_KEY_ACTIONS),
                "Resource": key_arn,
            }
        )
    return statements


def irsa_trust_policy(oidc_provider_arn: str, oidc_issuer: str, namespace: str, service_account: str) -> dict[str, Any]:
    """Trust policy letting one service account of one cluster assume the role, and nothing else."""
    issuer = oidc_issuer.removeprefix("https://")
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": oidc_provider_arn},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {
                        f"{issuer}:sub": service_account_subject(namespace, service_account),
                        f"{issuer}:aud": STS_AUDIENCE,
                    }
                },
            }
        ],
    }


# -- component ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class BucketGrant:
    """A shared :class:`aimodel_infra.plan.access.BucketGrant` mapped onto the built Bucket component
    (whose ARN and key ARN the IAM statements need)."""

    bucket: Bucket
    write: bool


def grants_for(compute_name: str, buckets: Iterable[Bucket]) -> list[BucketGrant]:
    """The shared grant plan (:func:`aimodel_infra.plan.access.grants_for`) over the built buckets."""
    built = {bucket.spec.name: bucket for bucket in buckets}
    planned = access.grants_for(compute_name, [bucket.spec for bucket in built.values()])
    return [BucketGrant(built[grant.bucket.name], grant.write) for grant in planned]


def merge_grants(grants: Iterable[BucketGrant]) -> list[BucketGrant]:
    """One grant per bucket (listed twice, write wins), in first-seen order."""
    merged: dict[str, BucketGrant] = {}
    for grant in grants:
        known = merged.get(grant.bucket.spec.name)
        merged[grant.bucket.spec.name] = BucketGrant(grant.bucket, grant.write or (known is not None and known.write))
    return list(merged.values())


@dataclass(frozen=True)
class WorkloadAccessArgs:
    """Give ``cluster`` for a node pool (IRSA) or ``instance_role`` for an autoscaling group, not both."""

    compute_name: str
    context: AwsContext
    grants: Sequence[BucketGrant]
    cluster: Cluster | None = None
    instance_role: iam.Role | None = None

    def __post_init__(self) -> None:
        if (self.cluster is None) == (self.instance_role is None):
            raise ValueError("WorkloadAccessArgs needs exactly one of cluster (node pool) or instance_role (group)")


class WorkloadAccess(pulumi.ComponentResource):
    """The bucket access of one pool or group.

    Exposes ``role_arn`` (the IRSA role, or the group's instance role), ``service_account``
    (``"aimodel/<name>"`` for a node pool, None for a group) and ``role``.
    """

    role_arn: pulumi.Output[str]
    service_account: str | None
    role: iam.Role

    def __init__(self, name: str, args: WorkloadAccessArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        if args.cluster is not None:
            self.role = self._irsa_role(name, args, args.cluster)
            self.service_account = f"{NAMESPACE}/{args.compute_name}"
        else:
            assert args.instance_role is not None
            self.role = args.instance_role
            self.service_account = None
        self.role_arn = self.role.arn
        for grant in merge_grants(args.grants):
            self._grant(name, grant)
        self.register_outputs({"role_arn": self.role_arn, "service_account": self.service_account})

    def _irsa_role(self, name: str, args: WorkloadAccessArgs, cluster: Cluster) -> iam.Role:
        trust = pulumi.Output.all(cluster.oidc_provider_arn, cluster.oidc_issuer).apply(
            lambda values: json.dumps(irsa_trust_policy(values[0], values[1], NAMESPACE, args.compute_name))
        )
        return iam.Role(
            fit_name(name, "role", IAM_ROLE_MAX),
            description=f"Bucket access for pods using service account {NAMESPACE}/{args.compute_name}",
            assume_role_policy=trust,
            tags=args.context.tags_for(f"{args.compute_name}-workload"),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _grant(self, name: str, grant: BucketGrant) -> iam.RolePolicy:
        bucket = grant.bucket
        document = pulumi.Output.all(bucket.arn, bucket.kms_key_arn).apply(
            lambda values: policy_document(bucket_access_statements(values[0], values[1], write=grant.write))
        )
        return iam.RolePolicy(
            f"{name}-{bucket.spec.name}",
            role=self.role.id,
            policy=document,
            opts=pulumi.ResourceOptions(parent=self),
        )
