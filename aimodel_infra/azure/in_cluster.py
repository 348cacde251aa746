"""What AKS lacks inside the cluster, installed by the stack: the NVIDIA device plugin, the ``aimodel``
namespace with one service account per pool annotated with its workload identity's client id, and the
priority-expander ConfigMap that ranks spot agent pools before their Regular fallback.

- No autoscaler chart: AKS runs a managed cluster autoscaler, configured through the cluster's
  ``auto_scaler_profile`` (see :func:`autoscaler_profile`).
- No storage class: AKS ships encrypted managed-disk CSI classes (``managed-csi``, default).
- Service accounts: ``azure.workload.identity/client-id: <client id>``; pods opt in with the label
  ``azure.workload.identity/use: "true"`` (the user's workload sets it) [Azure Workload Identity docs].
- Spot first: ``expander="priority"`` on the cluster's autoscaler profile plus a ConfigMap
  ``cluster-autoscaler-priority-expander`` in ``kube-system``, which is how the upstream priority
  expander reads its ranking. **UNVERIFIED**: that AKS's *managed* autoscaler reads this ConfigMap
  (the SDK's ``Expander`` enum offers ``priority``; no AKS document read here says where its ranking
  comes from). If it does not, the two pools are equally ranked and either may grow first.
  The ranking matches node group (VM scale set) names ``aks-<agent pool>-<id>-vmss``: agent pools end
  in ``spot`` or ``reg`` (:mod:`aimodel_infra.azure.names`).
- The Kubernetes provider authenticates with ``kubelogin --login azurecli``: local accounts are off,
  so the kubeconfig AKS returns (exec, device-code login) is rewritten to reuse the Azure CLI login of
  whoever runs ``pulumi up``; the deploy host needs ``kubelogin`` and ``az`` on its PATH.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import pulumi
import pulumi_kubernetes as k8s

from aimodel_infra.azure.context import AzureContext
from aimodel_infra.azure.in_cluster_plan import (
    EXPANDER_CONFIGMAP,
    aks_plan,
    non_interactive_kubeconfig,
    priorities_text,
)
from aimodel_infra.in_cluster.component import InClusterSoftware, InClusterSoftwareArgs
from aimodel_infra.in_cluster.plan import SYSTEM_NAMESPACE, WORKLOAD_NAMESPACE

TYPE_TOKEN: Final = "aimodel:azure:InCluster"


# -- component ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class AksInClusterArgs:
    context: AzureContext
    kubeconfig: pulumi.Input[str]
    #: {pool: workload identity client id}
    identities: Mapping[str, pulumi.Input[str]]
    #: What must exist first: the cluster (its inline system pool runs the controllers) and the deployer's role.
    ready: tuple[pulumi.Resource, ...] = ()


class AksInCluster(pulumi.ComponentResource):
    """The in-cluster software of an AKS cluster (device plugin, namespace, service accounts, expander ranking)."""

    def __init__(self, name: str, args: AksInClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        kubeconfig = pulumi.Output.secret(pulumi.Output.from_input(args.kubeconfig).apply(non_interactive_kubeconfig))
        self.software = InClusterSoftware(
            f"{name}-software",
            InClusterSoftwareArgs(aks_plan(args.context, args.identities), kubeconfig, ready=args.ready),
            pulumi.ResourceOptions(parent=self),
        )
        self.expander = k8s.core.v1.ConfigMap(
            f"{name}-expander-priorities",
            metadata=k8s.meta.v1.ObjectMetaArgs(name=EXPANDER_CONFIGMAP, namespace=SYSTEM_NAMESPACE),
            data={"priorities": priorities_text()},
            opts=pulumi.ResourceOptions(parent=self, provider=self.software.provider, depends_on=list(args.ready)),
        )
        self.register_outputs({"namespace": WORKLOAD_NAMESPACE})
