"""What a spec node pool becomes on EKS, as plain data: which node groups, sizes, labels, taints, tags.

Pure functions over the spec and the catalog; :class:`aimodel_infra.aws.node_pool.GpuNodePool`
only turns a :class:`NodeGroupPlan` into resources.

Capacity: ``on_demand`` and ``spot`` are one node group each. ``spot_with_fallback`` is two: a
SPOT group with the spec's sizes and an ON_DEMAND group from 0 to the same maximum. Which one
grows is the cluster-autoscaler's choice; run it with ``--expander=priority`` and a
``cluster-autoscaler-priority-expander`` ConfigMap ranking ASG names, e.g.
``{50: [".*-spot-.*"], 10: [".*-on-demand-.*"]}`` (EKS names a node group's ASG
``eks-<node group name>-<uuid>``, and node group names end in ``-spot`` / ``-on-demand``). It then
tries spot first; when spot capacity does not arrive within ``--max-node-provision-time``
(default 15 minutes) the spot group backs off and the on-demand group scales instead.

Scale from zero: with no node running, the autoscaler knows a group's nodes only from tags on the
group's ASG (``k8s.io/cluster-autoscaler/node-template/...``): their labels, taints and GPU
count. Without those a pending GPU pod never triggers a scale-up of an empty pool.
"""

# No ``from __future__ import annotations``: typing.NamedTuple compiles each string annotation into a
# ForwardRef when the class is created, ~10 us per field on every cold start of ``validate`` and ``cost``.
from typing import Final, NamedTuple

from aimodel_infra.catalog import Catalog, Offering
from aimodel_infra.conventions import NVIDIA_GPU_RESOURCE
from aimodel_infra.errors import Problem, SpecError
from aimodel_infra.plan import scheduling
from aimodel_infra.plan.candidates import candidate_types
from aimodel_infra.plan.capacity import CapacityGroup, capacity_groups
from aimodel_infra.spec.models import NodePool, Taint, TaintEffect

#: EKS managed node group AMI types (EKS API reference, ``Nodegroup.amiType`` enum,
#: docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html).
EKS_AMI_TYPE_GPU: Final = "AL2023_x86_64_NVIDIA"
EKS_AMI_TYPE_CPU: Final = "AL2023_x86_64_STANDARD"
#: CPU shape of the EKS system node group (CoreDNS, add-ons, controllers).
SYSTEM_INSTANCE_TYPE: Final = "m6i.large"
#: Root volume of each system node, GB.
SYSTEM_DISK_GB: Final = 100
#: EBS type of every root volume we launch (the launch template's; billing prices the same type).
#: Its IOPS and throughput are left at gp3's included baseline (3,000 IOPS, 125 MiB/s).
ROOT_VOLUME_TYPE: Final = "gp3"
#: The label cluster-autoscaler's AWS provider reads to know a node has GPUs (so it waits for the
#: driver to expose them instead of scaling up again): cloudprovider/aws GPULabel.
AUTOSCALER_GPU_LABEL: Final = "k8s.amazonaws.com/accelerator"
#: Set by EKS on every managed node; also put in the template so pods selecting it scale from zero.
EKS_CAPACITY_LABEL: Final = "eks.amazonaws.com/capacityType"
AUTOSCALER_PREFIX: Final = "k8s.io/cluster-autoscaler/"
AUTOSCALER_ENABLED_TAG: Final = f"{AUTOSCALER_PREFIX}enabled"
TEMPLATE_LABEL_TAG: Final = f"{AUTOSCALER_PREFIX}node-template/label/"
TEMPLATE_TAINT_TAG: Final = f"{AUTOSCALER_PREFIX}node-template/taint/"
TEMPLATE_GPU_TAG: Final = f"{AUTOSCALER_PREFIX}node-template/resources/{NVIDIA_GPU_RESOURCE}"
#: An ASG holds at most 50 tags; EKS puts 5 of its own on a node group's ASG.
ASG_TAG_LIMIT: Final = 50
EKS_ASG_TAGS: Final = 5

#: The EKS API's spelling of a taint effect.
EKS_TAINT_EFFECTS: Final = {
    TaintEffect.NO_SCHEDULE: "NO_SCHEDULE",
    TaintEffect.PREFER_NO_SCHEDULE: "PREFER_NO_SCHEDULE",
    TaintEffect.NO_EXECUTE: "NO_EXECUTE",
}
SPOT: Final = "SPOT"
ON_DEMAND: Final = "ON_DEMAND"
SUFFIXES: Final = {SPOT: "spot", ON_DEMAND: "on-demand"}
#: EKS ``capacityType`` of each shared capacity group kind.
CAPACITY_TYPES: Final = {"spot": SPOT, "on_demand": ON_DEMAND}


class NodeGroupPlan(NamedTuple):
    """One EKS managed node group of a pool."""

    capacity_type: str
    instance_types: tuple[str, ...]
    ami_type: str
    min_size: int
    desired_size: int
    max_size: int
    labels: dict[str, str]
    taints: tuple[Taint, ...]
    autoscaler_tags: dict[str, str]

    @property
    def suffix(self) -> str:
        return SUFFIXES[self.capacity_type]

    @property
    def eks_taints(self) -> list[dict[str, str]]:
        return [{"key": t.key, "value": t.value, "effect": EKS_TAINT_EFFECTS[t.effect]} for t in self.taints]


def plan_node_groups(
    pool: NodePool, catalog: Catalog, region: str, path: str = "node_pools[?]"
) -> tuple[NodeGroupPlan, ...]:
    """The node groups of ``pool`` (see module doc); SpecError naming ``path`` if AWS would refuse them."""
    offering = catalog.offering_for("aws", region, pool.accelerator, pool.accelerator_count, pool.instance_type)
    plans = [_plan(pool, offering, group, catalog) for group in capacity_groups(pool)]
    _check_tag_room(plans, path)
    return tuple(plans)


def spot_instance_types(pool: NodePool, offering: Offering, catalog: Catalog) -> tuple[str, ...]:
    """The spot group's types: :func:`aimodel_infra.plan.candidates.candidate_types` (the chosen type,
    then its exact look-alikes, so the autoscaler's picture of a node stays true for all of them)."""
    return candidate_types(offering, catalog, pinned=pool.instance_type is not None)


def node_labels(pool: NodePool, offering: Offering, capacity_type: str) -> dict[str, str]:
    """The shared labels plus the one cluster-autoscaler's AWS provider reads to know a node has GPUs."""
    labels = scheduling.node_labels(pool, offering, SUFFIXES[capacity_type])
    if offering.accelerator:
        labels[AUTOSCALER_GPU_LABEL] = f"nvidia-{offering.accelerator.lower()}"
    return labels


node_taints = scheduling.node_taints


def autoscaler_tags(labels: dict[str, str], taints: tuple[Taint, ...], capacity_type: str, gpus: int) -> dict[str, str]:
    """ASG tags describing a node before one exists (cluster-autoscaler's AWS scale-from-zero tags)."""
    tags = {AUTOSCALER_ENABLED_TAG: "true"}
    tags |= {f"{TEMPLATE_LABEL_TAG}{key}": value for key, value in labels.items()}
    tags[f"{TEMPLATE_LABEL_TAG}{EKS_CAPACITY_LABEL}"] = capacity_type
    tags |= {f"{TEMPLATE_TAINT_TAG}{t.key}": f"{t.value}:{t.effect.value}" for t in taints}
    if gpus:
        tags[TEMPLATE_GPU_TAG] = str(gpus)
    return tags


def _plan(pool: NodePool, offering: Offering, group: CapacityGroup, catalog: Catalog) -> NodeGroupPlan:
    capacity_type = CAPACITY_TYPES[group.capacity]
    on_spot = group.capacity == "spot"
    types = spot_instance_types(pool, offering, catalog) if on_spot else (offering.instance_type,)
    labels = node_labels(pool, offering, capacity_type)
    taints = node_taints(pool, offering)
    return NodeGroupPlan(
        capacity_type=capacity_type,
        instance_types=types,
        ami_type=EKS_AMI_TYPE_GPU if offering.accelerator else EKS_AMI_TYPE_CPU,
        min_size=group.min_nodes,
        desired_size=group.desired_nodes,
        max_size=group.max_nodes,
        labels=labels,
        taints=taints,
        autoscaler_tags=autoscaler_tags(labels, taints, capacity_type, offering.accelerator_count),
    )


def _check_tag_room(plans: list[NodeGroupPlan], path: str) -> None:
    room = ASG_TAG_LIMIT - EKS_ASG_TAGS
    worst = max(len(p.autoscaler_tags) for p in plans)
    if worst > room:
        raise SpecError(
            [
                Problem(
                    f"{path}.labels",
                    f"each label and taint becomes an autoscaler tag on the node group's ASG, which holds "
                    f"{room} of ours at most; this pool needs {worst}: remove {worst - room} labels or taints",
                )
            ]
        )
