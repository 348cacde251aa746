"""Least-privilege access from a node pool or an autoscaling group to exactly the buckets it is granted.

Each pool and group has its own Google service account (GSA). For a **node pool**, pods use it
through Workload Identity: the GSA trusts exactly one Kubernetes service account,
``aimodel/<pool name>`` (``roles/iam.workloadIdentityUser`` for
``serviceAccount:<project>.svc.id.goog[aimodel/<pool>]``). Whoever deploys the workload creates
that ServiceAccount with the annotation ``iam.gke.io/gcp-service-account: <GSA email>``; no other
pod gets the GSA. For an **autoscaling group** the GSA is the one its VMs run as.

Grants are bucket-scoped IAM members, never project-wide: readers get
``roles/storage.objectViewer`` (list and read objects), writers ``roles/storage.objectUser``
(read, create, overwrite and delete objects, multipart uploads; no bucket settings or IAM). With a
customer key no KMS grant is needed: the Cloud Storage service agent encrypts and decrypts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import pulumi
import pulumi_gcp as gcp

from aimodel_infra.gcp.bucket import Bucket
from aimodel_infra.gcp.context import WORKLOAD_NAMESPACE, GcpContext
from aimodel_infra.gcp.names import account_id

if TYPE_CHECKING:
    from aimodel_infra.gcp.cluster import Cluster

TYPE_TOKEN: Final = "aimodel:gcp:WorkloadAccess"
READ_ROLE: Final = "roles/storage.objectViewer"
WRITE_ROLE: Final = "roles/storage.objectUser"
WORKLOAD_IDENTITY_ROLE: Final = "roles/iam.workloadIdentityUser"


@dataclass(frozen=True)
class BucketGrant:
    """Access to one bucket: read, or read and write."""

    bucket: Bucket
    write: bool

    @property
    def role(self) -> str:
        return WRITE_ROLE if self.write else READ_ROLE


def grants_for(compute_name: str, buckets: Iterable[Bucket]) -> list[BucketGrant]:
    """The grants from the buckets' ``readers``/``writers`` (writing implies reading, one per bucket)."""
    grants = []
    for bucket in buckets:
        if compute_name in bucket.spec.writers:
            grants.append(BucketGrant(bucket, write=True))
        elif compute_name in bucket.spec.readers:
            grants.append(BucketGrant(bucket, write=False))
    return grants


def workload_account(
    name: str, context: GcpContext, compute_name: str, parent: pulumi.Resource | None = None
) -> gcp.serviceaccount.Account:
    """The GSA a pool's pods or a group's VMs run as."""
    return gcp.serviceaccount.Account(
        f"{name}-sa",
        project=context.project,
        account_id=account_id(context.env.name, f"{compute_name}-wl"),
        display_name=f"{context.env.name} {compute_name} workloads",
        description=f"Bucket access of {compute_name} in {context.env.name}",
        opts=pulumi.ResourceOptions(parent=parent),
    )


@dataclass(frozen=True)
class WorkloadAccessArgs:
    """``cluster`` for a node pool (Workload Identity), or the group's ``account``; not both."""

    compute_name: str
    context: GcpContext
    grants: Sequence[BucketGrant]
    cluster: Cluster | None = None
    account: gcp.serviceaccount.Account | None = None

    def __post_init__(self) -> None:
        if (self.cluster is None) == (self.account is None):
            raise ValueError("WorkloadAccessArgs needs exactly one of cluster (node pool) or account (group)")


class WorkloadAccess(pulumi.ComponentResource):
    """The identity and bucket access of one pool or group.

    Exposes ``email`` (the GSA), ``service_account`` (``"aimodel/<name>"`` for a node pool, None
    for a group) and ``account``.
    """

    email: pulumi.Output[str]
    service_account: str | None

    def __init__(self, name: str, args: WorkloadAccessArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        context = args.context
        if args.cluster is not None:
            self.account = workload_account(name, context, args.compute_name, self)
            self.service_account = f"{WORKLOAD_NAMESPACE}/{args.compute_name}"
            gcp.serviceaccount.IAMMember(
                f"{name}-workload-identity",
                service_account_id=self.account.name,
                role=WORKLOAD_IDENTITY_ROLE,
                member=context.workload_member(args.compute_name),
                # The identity pool exists once the cluster has Workload Identity on.
                opts=pulumi.ResourceOptions(parent=self, depends_on=[args.cluster.cluster]),
            )
        else:
            assert args.account is not None
            self.account = args.account
            self.service_account = None
        self.email = self.account.email
        for grant in args.grants:
            gcp.storage.BucketIAMMember(
                f"{name}-{grant.bucket.spec.name}",
                bucket=grant.bucket.name,
                role=grant.role,
                member=self.account.member,
                opts=pulumi.ResourceOptions(parent=self),
            )
        self.register_outputs({"email": self.email, "service_account": self.service_account})
