"""What GKE lacks inside the cluster for this project's workloads: only the ``aimodel`` namespace
and one Kubernetes service account per node pool, annotated with the pool's Google service account.

GKE brings the rest itself: with ``gpu_driver_installation_config`` set on a GPU pool, GKE installs
the NVIDIA driver and runs its own device plugin (a second one would fight it); the cluster
autoscaler is GKE's managed one, which reads each pool's ``node_config`` to scale from zero (see
:mod:`aimodel_infra.gcp.node_plan` on spot-first); the default storage class (``standard-rwo``, Persistent Disk,
always encrypted) already exists. So no Helm release and no storage class here.

Workload Identity: a pod running as ``aimodel/<pool>`` gets the pool's GSA because the GSA grants
``roles/iam.workloadIdentityUser`` to ``<project>.svc.id.goog[aimodel/<pool>]`` (WorkloadAccess) and
the service account carries ``iam.gke.io/gcp-service-account: <GSA email>`` (GKE "Workload Identity").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import pulumi

from aimodel_infra.gcp.cluster import Cluster
from aimodel_infra.gcp.context import GcpContext
from aimodel_infra.in_cluster.component import InClusterSoftware, InClusterSoftwareArgs
from aimodel_infra.in_cluster.plan import WORKLOAD_NAMESPACE, InClusterPlan, workload_service_accounts

TYPE_TOKEN: Final = "aimodel:gcp:InCluster"
#: The annotation GKE Workload Identity reads on a Kubernetes service account.
GSA_ANNOTATION: Final = "iam.gke.io/gcp-service-account"


def gke_plan(context: GcpContext, identities: Mapping[str, pulumi.Input[str]]) -> InClusterPlan:
    """The namespace and the pools' service accounts; nothing GKE already runs."""
    pools = [p.name for p in context.env.node_pools]
    return InClusterPlan(
        namespace=WORKLOAD_NAMESPACE, service_accounts=workload_service_accounts(pools, identities, GSA_ANNOTATION)
    )


@dataclass(frozen=True)
class GkeInClusterArgs:
    context: GcpContext
    cluster: Cluster
    #: {pool: GSA email} of the node pools.
    identities: Mapping[str, pulumi.Input[str]]
    ready: tuple[pulumi.Resource, ...] = ()


class GkeInCluster(pulumi.ComponentResource):
    """The in-cluster objects of a GKE cluster (see module doc)."""

    def __init__(self, name: str, args: GkeInClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        plan = gke_plan(args.context, args.identities)
        self.software = InClusterSoftware(
            f"{name}-software",
            InClusterSoftwareArgs(plan, args.cluster.kubeconfig, ready=args.ready),
            pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"namespace": plan.namespace})
