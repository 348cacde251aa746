"""How a recorded Azure graph reads as pools: AKS agent pools and VM scale sets (SDK-free).

Scale from zero on AKS: with no node running, the cluster autoscaler builds its node template from
the agent pool's own API properties (VM size, labels, taints) [ISSUE Azure/AKS#2586], so every
autoscaled agent pool whose labels and taints are set on the pool can start empty. A VM scale set
has no Kubernetes; its autoscale setting scales it from its minimum, zero included.
"""

from __future__ import annotations

from aimodel_infra.cloud import PoolFacts
from aimodel_infra.conventions import NVIDIA_GPU_RESOURCE, POOL_LABEL
from aimodel_infra.graph import RecordedResource, ResourceGraph
from aimodel_infra.policy.values import as_dict, as_list, known, truthy

AGENT_POOL = "azure-native:containerservice:AgentPool"
SCALE_SET = "azure-native:compute:VirtualMachineScaleSet"
AUTOSCALE = "azure-native:monitor:AutoscaleSetting"
GPU_TAINT = f"{NVIDIA_GPU_RESOURCE}=present:NoSchedule"


def graph_facts(graph: ResourceGraph) -> tuple[PoolFacts, ...]:
    facts = [_agent_pool(p) for p in graph.of_type(AGENT_POOL)]
    facts += [_scale_set(graph, s) for s in graph.of_type(SCALE_SET)]
    return tuple(f for f in facts if f is not None)


def _agent_pool(pool: RecordedResource) -> PoolFacts | None:
    inputs = pool.inputs
    labels = as_dict(inputs.get("nodeLabels"))
    name = labels.get(POOL_LABEL)
    if name is None:
        return None
    return PoolFacts(
        compute=str(name),
        group=pool.name,
        capacity="spot" if known(inputs.get("scaleSetPriority")) == "Spot" else "on_demand",
        min_nodes=int(inputs.get("minCount") or 0),
        max_nodes=int(inputs.get("maxCount") or 0),
        gpu_taint=GPU_TAINT in as_list(inputs.get("nodeTaints")),
        private=not truthy(inputs.get("enableNodePublicIP")) and bool(inputs.get("vnetSubnetID")),
        scales_from_zero=truthy(inputs.get("enableAutoScaling")) and bool(labels),
        instance_type=str(inputs.get("vmSize") or ""),
    )


def _scale_set(graph: ResourceGraph, scale_set: RecordedResource) -> PoolFacts | None:
    profile = as_dict(scale_set.inputs.get("virtualMachineProfile"))
    compute = as_dict(scale_set.inputs.get("tags")).get("aimodel-compute")
    if compute is None:
        return None
    bounds = next(
        (
            as_dict(as_dict(p).get("capacity"))
            for s in graph.of_type(AUTOSCALE)
            if known(s.inputs.get("targetResourceUri")) == scale_set.id
            for p in as_list(s.inputs.get("profiles"))
        ),
        {},
    )
    nics = as_list(as_dict(profile.get("networkProfile")).get("networkInterfaceConfigurations"))
    ips = [as_dict(ip) for nic in nics for ip in as_list(as_dict(nic).get("ipConfigurations"))]
    return PoolFacts(
        compute=str(compute),
        group=scale_set.name,
        capacity="spot" if known(profile.get("priority")) == "Spot" else "on_demand",
        min_nodes=int(bounds.get("minimum", 0)),
        max_nodes=int(bounds.get("maximum", 0)),
        gpu_taint=True,  # no Kubernetes: nothing else can be scheduled on these VMs
        private=not any(ip.get("publicIPAddressConfiguration") for ip in ips),
        scales_from_zero=bool(bounds),
        instance_type=str(as_dict(scale_set.inputs.get("sku")).get("name") or ""),
    )
