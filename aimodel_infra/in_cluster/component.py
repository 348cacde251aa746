"""`InClusterSoftware`: an :class:`~aimodel_infra.in_cluster.plan.InClusterPlan` as Kubernetes resources.

Everything goes through one Kubernetes provider built from the cluster's kubeconfig, so nothing
reaches for an ambient ``~/.kube/config``. The releases wait for ``ready`` (the system nodes that
run them); service accounts carry the identity annotations as outputs of the identities themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import pulumi
import pulumi_kubernetes as k8s

from aimodel_infra.in_cluster.plan import HelmChart, InClusterPlan, ServiceAccountPlan, StorageClassPlan

TYPE_TOKEN: Final = "aimodel:k8s:InClusterSoftware"
DEFAULT_CLASS_ANNOTATION: Final = "storageclass.kubernetes.io/is-default-class"


@dataclass(frozen=True)
class InClusterSoftwareArgs:
    plan: InClusterPlan
    kubeconfig: pulumi.Input[str]
    #: Resources that must exist first (the system nodes the controllers run on, the identities).
    ready: Sequence[pulumi.Resource] = ()


class InClusterSoftware(pulumi.ComponentResource):
    """Namespace, workload service accounts, Helm releases and storage class of one cluster."""

    def __init__(self, name: str, args: InClusterSoftwareArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        self.provider = k8s.Provider(
            f"{name}-k8s", kubeconfig=args.kubeconfig, opts=pulumi.ResourceOptions(parent=self)
        )
        self._ready = list(args.ready)
        plan = args.plan
        self.namespace = k8s.core.v1.Namespace(
            f"{name}-{plan.namespace}",
            metadata=k8s.meta.v1.ObjectMetaArgs(name=plan.namespace),
            opts=self._child(),
        )
        self.service_accounts = {sa.compute: self._service_account(name, sa) for sa in plan.service_accounts}
        self.releases = {chart.release: self._release(name, chart) for chart in plan.charts}
        self.storage_class = self._storage_class(name, plan.storage_class) if plan.storage_class else None
        self.register_outputs({"namespace": plan.namespace, "releases": list(self.releases)})

    def _child(self, depends_on: Sequence[pulumi.Resource] = ()) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, provider=self.provider, depends_on=[*self._ready, *depends_on])

    def _service_account(self, name: str, sa: ServiceAccountPlan) -> k8s.core.v1.ServiceAccount:
        return k8s.core.v1.ServiceAccount(
            f"{name}-sa-{sa.compute}",
            metadata=k8s.meta.v1.ObjectMetaArgs(
                name=sa.name, namespace=sa.namespace, annotations=dict(sa.annotations), labels=dict(sa.labels)
            ),
            opts=self._child([self.namespace]),
        )

    def _release(self, name: str, chart: HelmChart) -> k8s.helm.v3.Release:
        return k8s.helm.v3.Release(
            f"{name}-{chart.release}",
            name=chart.release,
            chart=chart.chart,
            version=chart.version,
            repository_opts=k8s.helm.v3.RepositoryOptsArgs(repo=chart.repository),
            namespace=chart.namespace,
            values=dict(chart.values),
            atomic=True,
            cleanup_on_fail=True,
            opts=self._child(),
        )

    def _storage_class(self, name: str, plan: StorageClassPlan) -> k8s.storage.v1.StorageClass:
        return k8s.storage.v1.StorageClass(
            f"{name}-{plan.name}",
            metadata=k8s.meta.v1.ObjectMetaArgs(name=plan.name, annotations={DEFAULT_CLASS_ANNOTATION: "true"}),
            provisioner=plan.provisioner,
            parameters=dict(plan.parameters),
            volume_binding_mode=plan.volume_binding_mode,
            reclaim_policy=plan.reclaim_policy,
            allow_volume_expansion=plan.allow_volume_expansion,
            opts=self._child(),
        )
