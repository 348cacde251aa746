"""GpuNodePool: managed node groups in private subnets, hardened nodes, autoscaler tags on the ASGs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pytest

from aimodel_infra.aws.context import AwsContext
from aimodel_infra.aws.node_plan import EKS_AMI_TYPE_CPU, NodeGroupPlan
from aimodel_infra.aws.node_pool import DESIRED_SIZE_PATH, GpuNodePool, GpuNodePoolArgs, tag_slugs
from aimodel_infra.aws.nodes import IMDS_HOP_LIMIT, NODE_POLICY_ARNS, ROOT_DEVICE
from aimodel_infra.spec.models import NodePool
from aimodel_infra.testing import RecordedResource, ResourceGraph, run_program

from .example_stack import moto_run

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
ROLE = "aws:iam/role:Role"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
ASG_TAG = "aws:autoscaling/tag:Tag"
PRIVATE_SUBNETS = ["subnet-private-a", "subnet-private-b", "subnet-private-c"]
CLUSTER_NAME = "gpu-cluster-0123456"
CLUSTER_VERSION = "1.33"


@dataclass(frozen=True)
class StandInNetwork:
    """What GpuNodePool reads from Network."""

    private_subnet_ids: list[pulumi.Output[str]]

    def private_subnet_ids_for(self, instance_type: str) -> pulumi.Output[list[str]]:
        """Every zone offers every type here; Network's own tests cover the zone choice."""
        return pulumi.Output.all(*self.private_subnet_ids)


@dataclass(frozen=True)
class StandInCluster:
    """What GpuNodePool reads from Cluster."""

    name: pulumi.Output[str]
    version: pulumi.Output[str]


@dataclass
class Built:
    graph: ResourceGraph
    plans: tuple[NodeGroupPlan, ...]

    def groups(self) -> list[RecordedResource]:
        return self.graph.of_type(NODE_GROUP)

    def group(self, capacity_type: str) -> RecordedResource:
        (group,) = [g for g in self.groups() if g.inputs["capacityType"] == capacity_type]
        return group

    def plan(self, capacity_type: str) -> NodeGroupPlan:
        (plan,) = [p for p in self.plans if p.capacity_type == capacity_type]
        return plan


def build(pool: NodePool, context: AwsContext) -> Built:
    plans: list[tuple[NodeGroupPlan, ...]] = []

    def program() -> None:
        network = StandInNetwork([pulumi.Output.from_input(s) for s in PRIVATE_SUBNETS])
        cluster = StandInCluster(pulumi.Output.from_input(CLUSTER_NAME), pulumi.Output.from_input(CLUSTER_VERSION))
        args = GpuNodePoolArgs(pool, context, network, cluster)  # type: ignore[arg-type]  # stand-ins
        component = GpuNodePool(f"{context.env.name}-{pool.name}", args)
        plans.append(component.plans)
        pulumi.export("names", component.node_group_names)

    graph = run_program(program)
    return Built(graph, plans[0])


@pytest.fixture(scope="module")
def train(aws_env, aws_context) -> Built:
    """The aws-dev 8 x H100 pool with spot_with_fallback."""
    (pool,) = [p for p in aws_env.node_pools if p.name == "train"]
    return build(pool, aws_context)


def pool(**fields: Any) -> NodePool:
    return NodePool(**{"name": "serve", "accelerator": "L4", "max_nodes": 2, **fields})


# -- node groups --------------------------------------------------------------------------------
def test_spot_with_fallback_builds_a_spot_and_an_on_demand_node_group(train: Built) -> None:
    assert sorted(g.inputs["capacityType"] for g in train.groups()) == ["ON_DEMAND", "SPOT"]
    assert train.group("SPOT").name.endswith("-spot")
    assert train.group("ON_DEMAND").name.endswith("-on-demand")
    assert sorted(train.graph.stack_outputs["names"]) == sorted(g.outputs["nodeGroupName"] for g in train.groups())


def test_every_node_group_runs_only_in_the_private_subnets(train: Built) -> None:
    assert all(g.inputs["subnetIds"] == PRIVATE_SUBNETS for g in train.groups())


def test_node_groups_join_the_cluster_at_its_version(train: Built) -> None:
    assert all(
        (g.inputs["clusterName"], g.inputs["version"]) == (CLUSTER_NAME, CLUSTER_VERSION) for g in train.groups()
    )


def test_node_groups_are_built_as_planned(train: Built) -> None:
    for capacity in ("SPOT", "ON_DEMAND"):
        group, plan = train.group(capacity), train.plan(capacity)
        assert group.inputs["instanceTypes"] == list(plan.instance_types)
        assert group.inputs["amiType"] == plan.ami_type
        assert group.inputs["scalingConfig"] == {
            "minSize": plan.min_size, "desiredSize": plan.desired_size, "maxSize": plan.max_size,
        }  # fmt: skip
        assert group.inputs["labels"] == plan.labels
        assert group.inputs["taints"] == plan.eks_taints


def test_the_autoscaler_owns_the_desired_size_after_creation(train: Built) -> None:
    assert all(g.ignore_changes == (DESIRED_SIZE_PATH,) for g in train.groups())
    assert DESIRED_SIZE_PATH == "scalingConfig.desiredSize"  # the engine's (camelCase) property path


def test_node_groups_replace_one_node_at_a_time(train: Built) -> None:
    assert all(g.inputs["updateConfig"] == {"maxUnavailable": 1} for g in train.groups())


# -- nodes --------------------------------------------------------------------------------------
def test_launch_template_requires_imdsv2_with_a_hop_limit_that_keeps_pods_out(train: Built) -> None:
    metadata = train.graph.one(LAUNCH_TEMPLATE).inputs["metadataOptions"]
    assert metadata["httpTokens"] == "required"
    assert metadata["httpEndpoint"] == "enabled"
    assert metadata["httpPutResponseHopLimit"] == IMDS_HOP_LIMIT == 1


def test_root_volume_is_encrypted_gp3_of_the_spec_disk_size(train: Built, aws_env) -> None:
    (pool_spec,) = [p for p in aws_env.node_pools if p.name == "train"]
    (disk,) = train.graph.one(LAUNCH_TEMPLATE).inputs["blockDeviceMappings"]
    assert disk["deviceName"] == ROOT_DEVICE == "/dev/xvda"
    assert disk["ebs"] == {
        "volumeSize": pool_spec.disk_size_gb,
        "volumeType": "gp3",
        "encrypted": "true",
        "deleteOnTermination": "true",
    }


def test_every_node_group_launches_from_the_latest_template_version(train: Built) -> None:
    template = train.graph.one(LAUNCH_TEMPLATE)
    expected = {"id": template.id, "version": str(template.outputs["latestVersion"])}
    assert all(g.inputs["launchTemplate"] == expected for g in train.groups())


def test_instances_and_volumes_are_tagged_with_environment_tags_and_pool_labels(
    train: Built, aws_context, aws_env
) -> None:
    (pool_spec,) = [p for p in aws_env.node_pools if p.name == "train"]
    specs = {s["resourceType"]: s["tags"] for s in train.graph.one(LAUNCH_TEMPLATE).inputs["tagSpecifications"]}
    for kind in ("instance", "volume"):
        assert specs[kind].items() >= {**aws_context.tags, **pool_spec.labels}.items()


def test_node_role_holds_only_the_three_node_policies(train: Built) -> None:
    (role,) = train.graph.of_type(ROLE)
    trust = json.loads(role.inputs["assumeRolePolicy"])
    assert [s["Principal"] for s in trust["Statement"]] == [{"Service": "ec2.amazonaws.com"}]
    attachments = [a for a in train.graph.of_type(ATTACHMENT) if a.inputs["role"] == role.outputs["name"]]
    assert sorted(a.inputs["policyArn"] for a in attachments) == sorted(NODE_POLICY_ARNS)
    assert "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly" in NODE_POLICY_ARNS
    for group in train.groups():
        assert group.inputs["nodeRoleArn"] == role.outputs["arn"]
        assert {a.urn for a in attachments} <= set(group.dependencies)  # no node without its permissions


# -- autoscaler ---------------------------------------------------------------------------------
def test_autoscaler_tags_land_on_each_node_groups_own_asg(train: Built) -> None:
    for capacity in ("SPOT", "ON_DEMAND"):
        group = train.group(capacity)
        asg = group.outputs["resources"][0]["autoscalingGroups"][0]["name"]
        tags = [t.inputs for t in train.graph.of_type(ASG_TAG) if t.inputs["autoscalingGroupName"] == asg]
        assert {t["tag"]["key"]: t["tag"]["value"] for t in tags} == train.plan(capacity).autoscaler_tags
        assert not any(t["tag"]["propagateAtLaunch"] for t in tags)


def test_every_tag_resource_targets_some_node_groups_asg(train: Built) -> None:
    asgs = {g.outputs["resources"][0]["autoscalingGroups"][0]["name"] for g in train.groups()}
    assert {t.inputs["autoscalingGroupName"] for t in train.graph.of_type(ASG_TAG)} == asgs


def test_labels_differing_only_in_punctuation_get_distinct_tag_resources(aws_context) -> None:
    built = build(pool(labels={"team.name": "a", "team-name": "b"}), aws_context)
    names = [t.name for t in built.graph.of_type(ASG_TAG)]
    assert len(names) == len(set(names)) == len(built.plans[0].autoscaler_tags)


def test_tag_resource_names_are_readable_when_unambiguous() -> None:
    key = "k8s.io/cluster-autoscaler/node-template/label/aimodel-infra/pool"
    assert tag_slugs([key]) == {key: "node-template-label-aimodel-infra-pool"}


# -- variants -----------------------------------------------------------------------------------
def test_an_on_demand_pool_is_one_on_demand_group(aws_context) -> None:
    built = build(pool(capacity="on_demand"), aws_context)
    assert [g.inputs["capacityType"] for g in built.groups()] == ["ON_DEMAND"]


def test_a_spot_pool_is_one_spot_group(aws_context) -> None:
    built = build(pool(capacity="spot"), aws_context)
    assert [g.inputs["capacityType"] for g in built.groups()] == ["SPOT"]


def test_a_zero_size_pool_starts_empty_and_can_grow(aws_context) -> None:
    built = build(pool(min_nodes=0, max_nodes=3), aws_context)
    (group,) = built.groups()
    assert group.inputs["scalingConfig"] == {"minSize": 0, "desiredSize": 0, "maxSize": 3}


def test_a_cpu_pool_by_instance_type_has_no_gpu_taint(aws_context) -> None:
    built = build(NodePool(name="cpu", instance_type="m6i.xlarge", max_nodes=4), aws_context)
    (group,) = built.groups()
    assert group.inputs["instanceTypes"] == ["m6i.xlarge"]
    assert group.inputs["amiType"] == EKS_AMI_TYPE_CPU
    assert not group.inputs.get("taints")
    assert all("nvidia.com/gpu" not in t.inputs["tag"]["key"] for t in built.graph.of_type(ASG_TAG))


def test_every_resource_is_a_child_of_the_pool_component(train: Built) -> None:
    component = train.graph.one("aimodel:aws:GpuNodePool")
    assert all(train.graph.parent_of(r) == component for r in train.graph.resources if r.custom)


# -- applied to moto ----------------------------------------------------------------------------
def test_moto_accepts_the_node_groups_in_private_subnets_with_their_capacity_types() -> None:
    run = moto_run()
    private = {
        s["SubnetId"]
        for s in run.aws["subnets"]
        if any(t["Key"] == "kubernetes.io/role/internal-elb" for t in s.get("Tags", []))
    }
    node_groups = run.aws["node_groups"]
    assert all(set(g["subnets"]) == private for g in node_groups.values())
    names = run.graph.stack_outputs["node_pool_names"]["train"]
    assert sorted(node_groups[n]["capacityType"] for n in names) == ["ON_DEMAND", "SPOT"]
    for group in node_groups.values():
        template = run.aws["launch_templates"][group["launchTemplate"]["id"]]["LaunchTemplateData"]
        assert template["MetadataOptions"]["HttpTokens"] == "required"
        assert all(d["Ebs"]["Encrypted"] for d in template["BlockDeviceMappings"])
        role = next(r.outputs["name"] for r in run.graph.of_type(ROLE) if r.outputs["arn"] == group["nodeRole"])
        assert sorted(run.aws["attached_policies"][role]) == sorted(NODE_POLICY_ARNS)
