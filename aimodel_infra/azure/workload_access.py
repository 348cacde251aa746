"""Least-privilege access from a node pool or a VM group to exactly the buckets it is granted.

Each pool or group gets one user-assigned managed identity.

- **Node pool**: the identity trusts the cluster's OIDC issuer for one Kubernetes service account
  (a federated identity credential, subject ``system:serviceaccount:aimodel:<pool>``, audience
  ``api://AzureADTokenExchange``). Whoever deploys the workload creates that ServiceAccount with
  the annotation ``azure.workload.identity/client-id: <client id>`` (the ``workload_identities``
  stack output) and labels its pods ``azure.workload.identity/use: "true"``. No role is ever given
  to the kubelet identity, which every pod on a node could reach through IMDS.
- **VM group**: the identity is the VM scale set's own (:mod:`aimodel_infra.azure.autoscaling_group`).

Grants: **Storage Blob Data Reader** (readers) or **Storage Blob Data Contributor** (writers),
scoped to the bucket's container, never the account, resource group or subscription. No Key Vault
role: the storage account's own identity does the encryption.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import pulumi
import pulumi_azure_native.managedidentity as managedidentity

from aimodel_infra.azure.bucket import Bucket
from aimodel_infra.azure.cluster_plan import STORAGE_BLOB_DATA_CONTRIBUTOR, STORAGE_BLOB_DATA_READER
from aimodel_infra.azure.context import AzureContext
from aimodel_infra.azure.roles import assign_role, user_assigned_identity
from aimodel_infra.conventions import service_account_subject, workload_service_account
from aimodel_infra.plan import access

if TYPE_CHECKING:
    from aimodel_infra.azure.cluster import Cluster

TYPE_TOKEN: Final = "aimodel:azure:WorkloadAccess"
TOKEN_AUDIENCE: Final = "api://AzureADTokenExchange"


@dataclass(frozen=True)
class BucketGrant:
    """Access to one built bucket: read, or read and write."""

    bucket: Bucket
    write: bool


def grants_for(compute_name: str, buckets: Iterable[Bucket]) -> list[BucketGrant]:
    """The shared grants (:func:`aimodel_infra.plan.access.grants_for`) on the built buckets."""
    built = {b.spec.name: b for b in buckets}
    specs = [b.spec for b in built.values()]
    return [BucketGrant(built[g.bucket.name], g.write) for g in access.grants_for(compute_name, specs)]


def blob_role(write: bool) -> str:
    return STORAGE_BLOB_DATA_CONTRIBUTOR if write else STORAGE_BLOB_DATA_READER


@dataclass(frozen=True)
class WorkloadAccessArgs:
    """``cluster`` for a node pool (federated credential); None for a VM group."""

    compute_name: str
    context: AzureContext
    grants: Sequence[BucketGrant]
    cluster: Cluster | None = None


class WorkloadAccess(pulumi.ComponentResource):
    """Exposes ``identity``, ``client_id``, ``principal_id``, ``identity_id`` and ``service_account``
    (``aimodel/<pool>`` for a node pool, None for a group)."""

    def __init__(self, name: str, args: WorkloadAccessArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        context = args.context
        self.identity = user_assigned_identity(
            f"{name}-identity", context, self, **{"aimodel-compute": args.compute_name}
        )
        self.client_id = self.identity.client_id
        self.principal_id = self.identity.principal_id
        self.identity_id = self.identity.id
        self.service_account = None
        if args.cluster is not None:
            namespace, account = workload_service_account(args.compute_name)
            self.service_account = f"{namespace}/{account}"
            managedidentity.FederatedIdentityCredential(
                f"{name}-federation",
                resource_group_name=context.resource_group_name,
                resource_name_=self.identity.name,
                federated_identity_credential_resource_name=f"kubernetes-{namespace}-{account}",
                issuer=args.cluster.oidc_issuer_url,
                subject=service_account_subject(namespace, account),
                audiences=[TOKEN_AUDIENCE],
                opts=pulumi.ResourceOptions(parent=self),
            )
        for grant in args.grants:
            verb = "writes" if grant.write else "reads"
            assign_role(
                f"{name}-{grant.bucket.spec.name}",
                context,
                scope=grant.bucket.container_id,
                role=blob_role(grant.write),
                principal_id=self.principal_id,
                parent=self,
                description=f"{args.compute_name} {verb} {grant.bucket.spec.name}",
            )
        self.register_outputs({"client_id": self.client_id, "service_account": self.service_account})
