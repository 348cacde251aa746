"""How a recorded GCP graph reads as pools: GKE node pools and managed instance groups (SDK-free).

The contract test asks every cloud the same questions (is each GPU group tainted, private, able
to scale from zero?). On GKE the cluster autoscaler reads an empty pool's future nodes from the
pool's own ``node_config`` (machine, GPUs, labels, taints), so an autoscaled pool scales from zero
without the tags EKS needs; nodes are private when the cluster's private-nodes setting is on and
the pool does not turn it off. A managed instance group has no scheduler to taint for, and is
private when its template gives no interface an external IP.
"""

from __future__ import annotations

from aimodel_infra.cloud import PoolFacts
from aimodel_infra.conventions import NVIDIA_GPU_RESOURCE, POOL_LABEL
from aimodel_infra.graph import RecordedResource, ResourceGraph
from aimodel_infra.policy.values import as_dict, as_list, known, truthy

CLUSTER = "gcp:container/cluster:Cluster"
NODE_POOL = "gcp:container/nodePool:NodePool"
TEMPLATE = "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate"
GROUP = "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager"
AUTOSCALER = "gcp:compute/regionAutoscaler:RegionAutoscaler"
COMPUTE_LABEL = "aimodel-compute"
SYSTEM_POOL = "system"


def graph_facts(graph: ResourceGraph) -> tuple[PoolFacts, ...]:
    private_cluster = all(
        truthy(as_dict(c.inputs.get("privateClusterConfig")).get("enablePrivateNodes")) for c in graph.of_type(CLUSTER)
    )
    facts = [_node_pool(p, private_cluster) for p in graph.of_type(NODE_POOL)]
    facts += [_group(graph, g) for g in graph.of_type(GROUP)]
    return tuple(f for f in facts if f is not None)


def _node_pool(pool: RecordedResource, private_cluster: bool) -> PoolFacts | None:
    config = as_dict(pool.inputs.get("nodeConfig"))
    compute = as_dict(config.get("labels")).get(POOL_LABEL)
    if compute is None or compute == SYSTEM_POOL:
        return None
    autoscaling = as_dict(pool.inputs.get("autoscaling"))
    taints = [as_dict(t) for t in as_list(config.get("taints"))]
    tainted = any(t.get("key") == NVIDIA_GPU_RESOURCE and t.get("effect") == "NO_SCHEDULE" for t in taints)
    pool_private = known(as_dict(pool.inputs.get("networkConfig")).get("enablePrivateNodes")) is not False
    return PoolFacts(
        compute=str(compute),
        group=pool.name,
        capacity="spot" if truthy(config.get("spot")) else "on_demand",
        min_nodes=int(autoscaling.get("totalMinNodeCount") or 0),
        max_nodes=int(autoscaling.get("totalMaxNodeCount") or 0),
        gpu_taint=tainted,
        private=private_cluster and pool_private,
        scales_from_zero=bool(autoscaling),
        instance_type=str(config.get("machineType", "")),
    )


def _group(graph: ResourceGraph, group: RecordedResource) -> PoolFacts | None:
    templates = [t for t in graph.of_type(TEMPLATE) if t.urn in group.dependencies]
    scalers = [s for s in graph.of_type(AUTOSCALER) if group.urn in s.dependencies]
    if not templates:
        return None
    template = templates[0]
    compute = as_dict(template.inputs.get("labels")).get(COMPUTE_LABEL)
    if compute is None:
        return None
    policy = as_dict(scalers[0].inputs.get("autoscalingPolicy")) if scalers else {}
    interfaces = [as_dict(i) for i in as_list(template.inputs.get("networkInterfaces"))]
    spot = as_dict(template.inputs.get("scheduling")).get("provisioningModel") == "SPOT"
    return PoolFacts(
        compute=str(compute),
        group=group.name,
        capacity="spot" if spot else "on_demand",
        min_nodes=int(policy.get("minReplicas") or 0),
        max_nodes=int(policy.get("maxReplicas") or 0),
        gpu_taint=True,  # nothing else is scheduled onto these VMs
        private=not any(as_list(i.get("accessConfigs")) for i in interfaces),
        scales_from_zero=True,
        instance_type=str(template.inputs.get("machineType", "")),
    )
