"""How a recorded AWS graph reads as pools: EKS node groups and autoscaling groups (SDK-free).

The contract test asks every cloud the same questions (is each GPU group tainted, private, able to
scale from zero?) and each cloud answers from its own resource shapes. Scale from zero on EKS
needs cluster-autoscaler's node-template tags on the node group's ASG: the GPU count tag and one
label tag per node label, recorded as ``aws:autoscaling/tag:Tag`` children named after the group.
"""

from __future__ import annotations

from aimodel_infra.cloud import PoolFacts
from aimodel_infra.conventions import NVIDIA_GPU_RESOURCE, POOL_LABEL
from aimodel_infra.graph import RecordedResource, ResourceGraph
from aimodel_infra.policy.values import as_dict, as_list, known, truthy

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
ASG = "aws:autoscaling/group:Group"
ASG_TAG = "aws:autoscaling/tag:Tag"
SUBNET = "aws:ec2/subnet:Subnet"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
TEMPLATE_PREFIX = "k8s.io/cluster-autoscaler/node-template/"


def graph_facts(graph: ResourceGraph) -> tuple[PoolFacts, ...]:
    public_subnet_ids = {known(s.id) for s in graph.of_type(SUBNET) if truthy(s.inputs.get("mapPublicIpOnLaunch"))}
    facts = [_node_group(graph, g, public_subnet_ids) for g in graph.of_type(NODE_GROUP)]
    facts += [_asg(graph, g, public_subnet_ids) for g in graph.of_type(ASG)]
    return tuple(f for f in facts if f is not None)


def _template_tags(graph: ResourceGraph, group: RecordedResource) -> dict[str, str]:
    tags = {}
    for tag in graph.of_type(ASG_TAG):
        if tag.parent == group.parent and tag.name.startswith(f"{group.name}-"):
            spec = as_dict(tag.inputs.get("tag"))
            tags[str(spec.get("key"))] = str(spec.get("value"))
    return tags


def _node_group(graph: ResourceGraph, group: RecordedResource, public: set) -> PoolFacts | None:
    labels = as_dict(group.inputs.get("labels"))
    pool = labels.get(POOL_LABEL)
    if pool is None or pool == "system":
        return None
    scaling = as_dict(group.inputs.get("scalingConfig"))
    taints = [as_dict(t) for t in as_list(group.inputs.get("taints"))]
    tainted = any(t.get("key") == NVIDIA_GPU_RESOURCE and t.get("effect") == "NO_SCHEDULE" for t in taints)
    template = _template_tags(graph, group)
    describes_node = all(f"{TEMPLATE_PREFIX}label/{k}" in template for k in labels)
    gpus = template.get(f"{TEMPLATE_PREFIX}resources/{NVIDIA_GPU_RESOURCE}")
    return PoolFacts(
        compute=str(pool),
        group=group.name,
        capacity="spot" if group.inputs.get("capacityType") == "SPOT" else "on_demand",
        min_nodes=int(scaling.get("minSize", 0)),
        max_nodes=int(scaling.get("maxSize", 0)),
        gpu_taint=tainted,
        private=not (set(as_list(group.inputs.get("subnetIds"))) & public),
        scales_from_zero=describes_node and (gpus is not None or not tainted),
        instance_type=str(as_list(group.inputs.get("instanceTypes"))[0]),
    )


def _asg(graph: ResourceGraph, group: RecordedResource, public: set) -> PoolFacts | None:
    """A GPU VM group outside Kubernetes: no taint to carry (no scheduler), scales on its own."""
    tags = {as_dict(t).get("key"): as_dict(t).get("value") for t in as_list(group.inputs.get("tags"))}
    compute = tags.get("aimodel-compute")
    if compute is None:
        return None
    distribution = as_dict(as_dict(group.inputs.get("mixedInstancesPolicy")).get("instancesDistribution"))
    spot = distribution.get("onDemandPercentageAboveBaseCapacity") == 0
    return PoolFacts(
        compute=str(compute),
        group=group.name,
        capacity="spot" if spot else "on_demand",
        min_nodes=int(group.inputs.get("minSize", 0)),
        max_nodes=int(group.inputs.get("maxSize", 0)),
        gpu_taint=True,  # nothing else is scheduled onto these VMs
        private=not (set(as_list(group.inputs.get("vpcZoneIdentifiers"))) & public),
        scales_from_zero=True,
    )
