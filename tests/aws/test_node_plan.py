"""Node group plans: capacity split, sizes, labels, taints and the autoscaler's scale-from-zero tags."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aimodel_infra.aws.node_plan import (
    ASG_TAG_LIMIT,
    EKS_AMI_TYPE_CPU,
    EKS_AMI_TYPE_GPU,
    EKS_ASG_TAGS,
    NodeGroupPlan,
    plan_node_groups,
)
from aimodel_infra.catalog import Catalog, Offering, default_catalog
from aimodel_infra.errors import SpecError
from aimodel_infra.spec.models import Capacity, NodePool

# External contracts, pinned as literals: what workloads select on, and the tag keys
# cluster-autoscaler's AWS provider reads (cloudprovider/aws/README.md, "Auto-Discovery Setup").
POOL_LABEL = "aimodel-infra/pool"
CAPACITY_LABEL = "aimodel-infra/capacity"
ACCELERATOR_LABEL = "aimodel-infra/accelerator"
ACCELERATOR_COUNT_LABEL = "aimodel-infra/accelerator-count"
AUTOSCALER_GPU_LABEL = "k8s.amazonaws.com/accelerator"
AUTOSCALER_ENABLED_TAG = "k8s.io/cluster-autoscaler/enabled"
TEMPLATE_LABEL_TAG = "k8s.io/cluster-autoscaler/node-template/label/"
TEMPLATE_TAINT_TAG = "k8s.io/cluster-autoscaler/node-template/taint/"
TEMPLATE_GPU_TAG = "k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu"

REGION = "us-east-1"
CATALOG = default_catalog()


def pool(**fields: Any) -> NodePool:
    return NodePool(**{"name": "train", "accelerator": "H100", "accelerator_count": 8, **fields})


def plan(node_pool: NodePool, catalog: Catalog = CATALOG) -> tuple[NodeGroupPlan, ...]:
    return plan_node_groups(node_pool, catalog, REGION, "node_pools[0]")


def by_capacity(plans: tuple[NodeGroupPlan, ...]) -> dict[str, NodeGroupPlan]:
    assert len({p.capacity_type for p in plans}) == len(plans), "one group per capacity type"
    return {p.capacity_type: p for p in plans}


# -- capacity and sizes -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("capacity", "groups"),
    [("on_demand", ["ON_DEMAND"]), ("spot", ["SPOT"]), ("spot_with_fallback", ["SPOT", "ON_DEMAND"])],
)
def test_capacity_decides_which_node_groups_a_pool_gets(capacity: str, groups: list[str]) -> None:
    assert [p.capacity_type for p in plan(pool(capacity=capacity))] == groups


def test_spot_with_fallback_keeps_the_spec_sizes_on_spot_and_an_empty_on_demand_reserve() -> None:
    spec = pool(capacity="spot_with_fallback", min_nodes=1, desired_nodes=2, max_nodes=5)
    groups = by_capacity(plan(spec))
    spot, fallback = groups["SPOT"], groups["ON_DEMAND"]
    assert (spot.min_size, spot.desired_size, spot.max_size) == (spec.min_nodes, spec.desired, spec.max_nodes)
    assert (fallback.min_size, fallback.desired_size, fallback.max_size) == (0, 0, spec.max_nodes)


@given(
    capacity=st.sampled_from(list(Capacity)),
    sizes=st.tuples(st.integers(0, 50), st.integers(0, 50), st.integers(1, 50)).map(sorted),
)
def test_every_group_has_consistent_sizes_up_to_the_spec_maximum(capacity: Capacity, sizes: list[int]) -> None:
    low, desired, high = sizes
    high = max(high, 1)
    spec = pool(capacity=capacity, min_nodes=low, desired_nodes=desired, max_nodes=high)
    for group in plan(spec):
        assert 0 <= group.min_size <= group.desired_size <= group.max_size == spec.max_nodes
        assert group.min_size in (0, spec.min_nodes)


def test_zero_size_pools_are_planned_empty_but_still_scalable() -> None:
    for group in plan(pool(min_nodes=0, max_nodes=1, capacity="spot_with_fallback")):
        assert (group.min_size, group.desired_size, group.max_size) == (0, 0, 1)
        assert group.autoscaler_tags[TEMPLATE_GPU_TAG] == "8"  # what lets the autoscaler scale it from zero


# -- machine ------------------------------------------------------------------------------------
def test_instance_type_comes_from_the_catalog() -> None:
    spec = pool(accelerator="L4", accelerator_count=1)
    cheapest = CATALOG.offering_for("aws", REGION, "L4", 1, None)
    (group,) = plan(spec)
    assert group.instance_types[0] == cheapest.instance_type
    assert group.ami_type == EKS_AMI_TYPE_GPU


def test_a_cpu_pool_by_instance_type_gets_the_standard_ami_and_no_gpu_trimmings() -> None:
    (group,) = plan(NodePool(name="cpu", instance_type="m6i.xlarge", max_nodes=3))
    assert group.instance_types == ("m6i.xlarge",)
    assert group.ami_type == EKS_AMI_TYPE_CPU
    assert group.taints == ()
    assert not {ACCELERATOR_LABEL, ACCELERATOR_COUNT_LABEL, AUTOSCALER_GPU_LABEL} & set(group.labels)
    assert TEMPLATE_GPU_TAG not in group.autoscaler_tags


def test_a_pool_given_only_a_gpu_instance_type_is_planned_as_a_gpu_pool() -> None:
    (group,) = plan(NodePool(name="pinned", instance_type="p5.48xlarge"))
    assert group.ami_type == EKS_AMI_TYPE_GPU
    assert group.labels[ACCELERATOR_COUNT_LABEL] == "8"
    assert group.autoscaler_tags[TEMPLATE_GPU_TAG] == "8"


def _offering(instance_type: str, accelerator: str, count: int, vcpus: float, memory: float, price: float) -> Offering:
    return Offering("aws", REGION, instance_type, accelerator, count, 24.0, vcpus, memory, price, price / 3, "test")


SMALL = Catalog(
    offerings=(
        _offering("g5.xlarge", "A10G", 1, 4, 16, 1.0),
        _offering("g5x.xlarge", "A10G", 1, 4, 16, 1.1),  # same shape: a spot alternative
        _offering("g5.2xlarge", "A10G", 1, 8, 32, 1.2),  # same GPU, more CPU: the autoscaler would misjudge it
        _offering("g5.12xlarge", "A10G", 4, 48, 192, 5.7),  # other GPU count
    )
)


def test_spot_groups_add_same_shape_types_for_more_capacity_pools() -> None:
    (group,) = plan(pool(accelerator="A10G", accelerator_count=1, capacity="spot"), SMALL)
    assert group.instance_types == ("g5.xlarge", "g5x.xlarge")


def test_on_demand_groups_and_pinned_types_use_one_instance_type() -> None:
    groups = by_capacity(plan(pool(accelerator="A10G", accelerator_count=1, capacity="spot_with_fallback"), SMALL))
    assert groups["ON_DEMAND"].instance_types == ("g5.xlarge",)
    (pinned,) = plan(pool(accelerator="A10G", accelerator_count=1, instance_type="g5x.xlarge", capacity="spot"), SMALL)
    assert pinned.instance_types == ("g5x.xlarge",)


# -- labels, taints, autoscaler tags -------------------------------------------------------------
def test_gpu_pools_are_labelled_with_pool_accelerator_count_capacity_and_user_labels() -> None:
    spec = pool(capacity="spot_with_fallback", labels={"workload": "training"})
    for group in plan(spec):
        assert group.labels[POOL_LABEL] == spec.name
        assert group.labels[ACCELERATOR_LABEL] == spec.accelerator
        assert group.labels[ACCELERATOR_COUNT_LABEL] == str(spec.accelerator_count)
        assert group.labels[CAPACITY_LABEL] == group.suffix
        assert group.labels["workload"] == "training"
        assert AUTOSCALER_GPU_LABEL in group.labels


def test_our_labels_win_over_user_labels_with_the_same_key() -> None:
    (group,) = plan(pool(labels={POOL_LABEL: "other"}))
    assert group.labels[POOL_LABEL] == "train"


def test_gpu_pools_always_carry_the_nvidia_gpu_no_schedule_taint_plus_spec_taints() -> None:
    spec = pool(taints=[{"key": "dedicated", "value": "research", "effect": "PreferNoSchedule"}])
    (group,) = plan(spec)
    assert group.eks_taints == [
        {"key": "nvidia.com/gpu", "value": "present", "effect": "NO_SCHEDULE"},
        {"key": "dedicated", "value": "research", "effect": "PREFER_NO_SCHEDULE"},
    ]


def test_a_spec_taint_repeating_the_gpu_taint_is_not_duplicated() -> None:
    (group,) = plan(pool(taints=[{"key": "nvidia.com/gpu", "value": "yes", "effect": "NoSchedule"}]))
    assert [(t["key"], t["effect"]) for t in group.eks_taints] == [("nvidia.com/gpu", "NO_SCHEDULE")]


@pytest.mark.parametrize("capacity", list(Capacity))
def test_autoscaler_tags_describe_every_label_taint_and_gpu_of_the_nodes(capacity: Capacity) -> None:
    spec = pool(capacity=capacity, labels={"workload": "training"}, taints=[{"key": "team", "value": "a"}])
    for group in plan(spec):
        tags = group.autoscaler_tags
        assert tags[AUTOSCALER_ENABLED_TAG] == "true"
        for key, value in group.labels.items():
            assert tags[f"{TEMPLATE_LABEL_TAG}{key}"] == value
        assert tags[f"{TEMPLATE_LABEL_TAG}eks.amazonaws.com/capacityType"] == group.capacity_type
        for taint in group.taints:
            assert tags[f"{TEMPLATE_TAINT_TAG}{taint.key}"] == f"{taint.value}:{taint.effect.value}"
        assert tags[TEMPLATE_GPU_TAG] == str(spec.accelerator_count)


def test_more_labels_than_an_asg_can_carry_as_tags_is_a_spec_error_naming_the_field() -> None:
    room = ASG_TAG_LIMIT - EKS_ASG_TAGS
    labels = {f"label-{i}": "x" for i in range(room)}
    with pytest.raises(SpecError, match=r"node_pools\[0\]\.labels") as error:
        plan(pool(labels=labels))
    assert len(error.value.problems) == 1
