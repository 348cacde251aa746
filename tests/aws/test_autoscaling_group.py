"""AutoscalingGroup: GPU VMs in private subnets, shell-less, encrypted, bought as the spec says."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
import pulumi_aws.ec2 as ec2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aimodel_infra.aws.autoscaling_group import (
    SPOT_ALLOCATION_STRATEGY,
    SSM_CORE_POLICY_ARN,
    AutoscalingGroup,
    AutoscalingGroupArgs,
    instance_types,
    instances_distribution,
)
from aimodel_infra.aws.context import AwsContext
from aimodel_infra.aws.images import DEEP_LEARNING_AMI_PARAMETER, image_source
from aimodel_infra.aws.testing.moto import Apply
from aimodel_infra.catalog import Catalog, Offering, default_catalog
from aimodel_infra.errors import AimodelError
from aimodel_infra.spec.loader import load_spec
from aimodel_infra.spec.models import AutoscalingGroup as GroupSpec
from aimodel_infra.spec.models import Capacity
from aimodel_infra.testing import DefaultMocks, MotoBackend, run_program

ROOT = Path(__file__).resolve().parents[2]
ENV = load_spec("aws-dev", root=ROOT)
CONTEXT = AwsContext.for_environment(ENV, default_catalog())
BATCH = ENV.autoscaling_groups[0]

LT = "aws:ec2/launchTemplate:LaunchTemplate"
ASG = "aws:autoscaling/group:Group"
SG = "aws:ec2/securityGroup:SecurityGroup"
ROLE = "aws:iam/role:Role"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
PRIVATE_SUBNETS = ["subnet-private-a", "subnet-private-b"]


@dataclass(frozen=True)
class StandInNetwork:
    """What AutoscalingGroup reads from the Network component."""

    vpc_id: pulumi.Input[str]
    private_subnet_ids: list[pulumi.Input[str]]

    def private_subnet_ids_for(self, instance_type: str) -> pulumi.Output[list[str]]:
        """Every zone offers every type here; Network's own tests cover the zone choice."""
        return pulumi.Output.all(*self.private_subnet_ids)


def build(group: GroupSpec, context: AwsContext = CONTEXT, **run: Any):
    def program() -> None:
        network = StandInNetwork("vpc-0123456789abcdef0", [pulumi.Output.from_input(s) for s in PRIVATE_SUBNETS])
        asg = AutoscalingGroup(group.name, AutoscalingGroupArgs(group, context, network))
        pulumi.export("name", asg.name)
        pulumi.export("role", asg.instance_role.name)

    return run_program(program, **run)


def spec(**fields: Any) -> GroupSpec:
    return GroupSpec(**{"name": "serve", "accelerator": "A10G", **fields})


#: What the Deep Learning AMI parameter holds in these tests.
CURRENT_DLAMI = "ami-0fedcba9876543210"
#: The Deep Learning AMI is Ubuntu, whose root device is /dev/sda1 (not the mock's default /dev/xvda).
UBUNTU_ROOT_DEVICE = "/dev/sda1"


def ubuntu_image(args: dict) -> dict:
    (image_id,) = args["filters"][0]["values"]
    return {"id": image_id, "imageId": image_id, "rootDeviceName": UBUNTU_ROOT_DEVICE, "architecture": "x86_64"}


@pytest.fixture(scope="module")
def batch():
    """The aws-dev stack's spot group, built once."""
    mocks = DefaultMocks(
        invokes={"aws:ec2/getAmi:getAmi": ubuntu_image}, ssm_parameters={DEEP_LEARNING_AMI_PARAMETER: CURRENT_DLAMI}
    )
    return build(BATCH, mocks=mocks)


# -- plan ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("image", "template_image", "parameter"),
    [
        ("deep-learning", None, DEEP_LEARNING_AMI_PARAMETER),
        ("ami-0abc1234def567890", "ami-0abc1234def567890", None),
        ("resolve:ssm:/golden/gpu-ami", "resolve:ssm:/golden/gpu-ami", "/golden/gpu-ami"),
    ],
)
def test_image_source_reads_ssm_only_when_the_image_is_not_a_fixed_id(image, template_image, parameter) -> None:
    source = image_source(image)
    assert (source.template_image, source.parameter) == (template_image, parameter)


def test_image_source_rejects_other_clouds_images_naming_the_field() -> None:
    with pytest.raises(AimodelError, match=r"autoscaling_groups\[0\]\.image"):
        image_source("projects/p/global/images/i", "autoscaling_groups[0].image")


def test_on_demand_groups_have_no_spot_distribution() -> None:
    assert instances_distribution(Capacity.ON_DEMAND, 3) is None


@given(min_nodes=st.integers(min_value=0, max_value=1000))
def test_spot_groups_are_all_spot_whatever_their_floor(min_nodes: int) -> None:
    distribution = instances_distribution(Capacity.SPOT, min_nodes)
    assert distribution is not None
    assert distribution["on_demand_base_capacity"] == 0
    assert distribution["on_demand_percentage_above_base_capacity"] == 0
    assert distribution["spot_allocation_strategy"] == SPOT_ALLOCATION_STRATEGY


@given(min_nodes=st.integers(min_value=0, max_value=1000))
def test_spot_with_fallback_keeps_the_floor_on_demand_and_the_rest_spot(min_nodes: int) -> None:
    distribution = instances_distribution(Capacity.SPOT_WITH_FALLBACK, min_nodes)
    assert distribution is not None
    assert distribution["on_demand_base_capacity"] == min_nodes
    assert distribution["on_demand_percentage_above_base_capacity"] == 0
    assert distribution["spot_allocation_strategy"] == SPOT_ALLOCATION_STRATEGY


def _offering(
    instance_type: str, accelerator: str, count: int, price: float, region: str = "us-east-1", vcpus: float = 4.0
) -> Offering:
    return Offering("aws", region, instance_type, accelerator, count, 24.0, vcpus, vcpus * 4, price, price / 3, "test")


SMALL_CATALOG = Catalog(
    offerings=(
        _offering("g5.4xlarge", "A10G", 1, 1.62, vcpus=16),
        _offering("g5.xlarge", "A10G", 1, 1.01),
        _offering("g5x.xlarge", "A10G", 1, 1.05),  # an exact look-alike
        _offering("g5.2xlarge", "A10G", 1, 1.21, vcpus=8),
        _offering("g5.12xlarge", "A10G", 4, 5.67),  # same GPU, other count
        _offering("g6.xlarge", "L4", 1, 0.80),  # other GPU
        _offering("g5.8xlarge", "A10G", 1, 2.45, region="us-west-2"),  # other region
    )
)


def test_accelerator_requests_list_only_exact_look_alikes_so_the_price_holds() -> None:
    """g5.2xlarge and g5.4xlarge carry the same A10G but more vCPUs and memory (and cost more): the
    group buys spot price-capacity-optimized, so listing them would let it run pricier machines
    than the estimate prices. The same rule as the node groups (aimodel_infra.plan.candidates)."""
    context = AwsContext.for_environment(ENV, SMALL_CATALOG)
    assert instance_types(spec(capacity="spot"), context) == ["g5.xlarge", "g5x.xlarge"]


def test_a_pinned_instance_type_is_used_alone() -> None:
    context = AwsContext.for_environment(ENV, SMALL_CATALOG)
    assert instance_types(spec(instance_type="g5.2xlarge", capacity="spot"), context) == ["g5.2xlarge"]


# -- the aws-dev group --------------------------------------------------------------------------
def test_launch_template_uses_the_deep_learning_ami_resolved_at_deploy_time(batch) -> None:
    template = batch.one(LT)
    assert ("aws:ssm/getParameter:getParameter", {"name": DEEP_LEARNING_AMI_PARAMETER}) in batch.invokes
    assert template.inputs["imageId"] == CURRENT_DLAMI


def test_launch_template_requires_imdsv2(batch) -> None:
    metadata = batch.one(LT).inputs["metadataOptions"]
    assert metadata["httpTokens"] == "required"
    assert metadata["httpEndpoint"] == "enabled"


def test_root_volume_is_encrypted_gp3_of_the_spec_size_on_the_images_root_device(batch) -> None:
    (mapping,) = batch.one(LT).inputs["blockDeviceMappings"]
    ami_lookups = [args for token, args in batch.invokes if token == "aws:ec2/getAmi:getAmi"]
    assert ami_lookups == [{"filters": [{"name": "image-id", "values": [CURRENT_DLAMI]}]}]
    assert mapping["deviceName"] == UBUNTU_ROOT_DEVICE
    assert mapping["ebs"]["volumeType"] == "gp3"
    assert mapping["ebs"]["encrypted"] == "true"
    assert mapping["ebs"]["volumeSize"] == BATCH.disk_size_gb


def test_instances_get_no_public_ip_and_only_the_groups_security_group(batch) -> None:
    (interface,) = batch.one(LT).inputs["networkInterfaces"]
    assert interface["associatePublicIpAddress"] == "false"
    assert interface["securityGroups"] == [batch.one(SG).id]


def test_security_group_allows_no_inbound_traffic_and_all_outbound(batch) -> None:
    group = batch.one(SG)
    assert group.inputs["ingress"] == []
    (egress,) = group.inputs["egress"]
    assert egress["protocol"] == "-1" and egress["cidrBlocks"] == ["0.0.0.0/0"]
    assert group.inputs["vpcId"] == "vpc-0123456789abcdef0"


def test_instance_role_is_for_ec2_and_starts_with_ssm_access_only(batch) -> None:
    role = batch.one(ROLE)
    trust = json.loads(role.inputs["assumeRolePolicy"])
    assert [s["Principal"] for s in trust["Statement"]] == [{"Service": "ec2.amazonaws.com"}]
    attachments = batch.of_type(ATTACHMENT)
    assert [a.inputs["policyArn"] for a in attachments] == [SSM_CORE_POLICY_ARN]
    assert attachments[0].inputs["role"] == role.outputs["name"]
    profile = batch.one("aws:iam/instanceProfile:InstanceProfile")
    assert batch.one(LT).inputs["iamInstanceProfile"] == {"arn": profile.outputs["arn"]}


def test_instance_type_comes_from_the_catalog(batch) -> None:
    offering = CONTEXT.catalog.offering_for("aws", ENV.region, BATCH.accelerator, BATCH.accelerator_count, None)
    assert batch.one(LT).inputs["instanceType"] == offering.instance_type


def test_group_spans_the_private_subnets_with_the_spec_sizes(batch) -> None:
    group = batch.one(ASG)
    assert group.inputs["vpcZoneIdentifiers"] == PRIVATE_SUBNETS
    assert (group.inputs["minSize"], group.inputs["desiredCapacity"], group.inputs["maxSize"]) == (
        BATCH.min_nodes,
        BATCH.desired,
        BATCH.max_nodes,
    )
    assert group.ignore_changes == ("desiredCapacity",)


def test_spot_group_uses_a_mixed_instances_policy_with_capacity_rebalance(batch) -> None:
    group = batch.one(ASG)
    policy = group.inputs["mixedInstancesPolicy"]
    assert "launchTemplate" not in group.inputs
    assert group.inputs["capacityRebalance"] is True
    assert policy["instancesDistribution"]["onDemandBaseCapacity"] == 0
    assert policy["launchTemplate"]["launchTemplateSpecification"]["launchTemplateId"] == batch.one(LT).id
    overrides = [o["instanceType"] for o in policy["launchTemplate"]["overrides"]]
    assert overrides == instance_types(BATCH, CONTEXT)


def test_instance_refresh_rolls_without_dropping_below_desired(batch) -> None:
    refresh = batch.one(ASG).inputs["instanceRefresh"]
    assert refresh["strategy"] == "Rolling"
    assert refresh["preferences"]["minHealthyPercentage"] == 100


def test_every_tag_propagates_to_instances_and_every_taggable_resource_is_tagged(batch) -> None:
    tags = batch.one(ASG).inputs["tags"]
    assert all(t["propagateAtLaunch"] for t in tags)
    assert {t["key"]: t["value"] for t in tags}.items() >= CONTEXT.tags.items()
    for resource in (
        batch.one(LT),
        batch.one(SG),
        batch.one(ROLE),
        batch.one("aws:iam/instanceProfile:InstanceProfile"),
    ):
        assert resource.inputs["tags"].items() >= CONTEXT.tags.items(), resource
    kinds = {spec["resourceType"] for spec in batch.one(LT).inputs["tagSpecifications"]}
    assert kinds >= {"instance", "volume"}


def test_every_child_is_parented_by_the_component(batch) -> None:
    component = batch.one("aimodel:aws:AutoscalingGroup")
    assert {r.urn for r in batch.descendants(component)} == {r.urn for r in batch.resources if r.custom}
    assert all(batch.parent_of(r) == component for r in batch.resources if r.custom)


# -- variants -----------------------------------------------------------------------------------
def test_on_demand_group_uses_the_launch_template_directly() -> None:
    graph = build(spec(capacity="on_demand", min_nodes=1, max_nodes=2))
    group = graph.one(ASG)
    assert "mixedInstancesPolicy" not in group.inputs
    assert group.inputs["launchTemplate"]["id"] == graph.one(LT).id
    assert group.inputs["capacityRebalance"] is False


def test_spot_with_fallback_group_buys_its_floor_on_demand() -> None:
    group = spec(capacity="spot_with_fallback", min_nodes=2, max_nodes=6)
    distribution = build(group).one(ASG).inputs["mixedInstancesPolicy"]["instancesDistribution"]
    assert distribution["onDemandBaseCapacity"] == group.min_nodes
    assert distribution["onDemandPercentageAboveBaseCapacity"] == 0


def test_spot_group_may_use_every_exact_look_alike_and_defaults_to_the_cheapest() -> None:
    context = AwsContext.for_environment(ENV, SMALL_CATALOG)
    graph = build(spec(capacity="spot"), context)
    template = graph.one(LT).inputs["instanceType"]
    overrides = graph.one(ASG).inputs["mixedInstancesPolicy"]["launchTemplate"]["overrides"]
    assert [o["instanceType"] for o in overrides] == ["g5.xlarge", "g5x.xlarge"]
    assert template == "g5.xlarge"


def test_zero_size_group_is_valid_and_starts_empty() -> None:
    group = build(spec(min_nodes=0, max_nodes=1)).one(ASG)
    assert (group.inputs["minSize"], group.inputs["desiredCapacity"]) == (0, 0)


def test_fixed_ami_is_used_as_given_without_reading_ssm() -> None:
    graph = build(spec(image="ami-0abc1234def567890"))
    assert graph.one(LT).inputs["imageId"] == "ami-0abc1234def567890"
    assert not [args for token, args in graph.invokes if token == "aws:ssm/getParameter:getParameter"]


def test_resolve_ssm_image_is_left_for_ec2_to_resolve_at_launch() -> None:
    graph = build(
        spec(
            image="resolve:ssm:/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id"
        )
    )
    assert graph.one(LT).inputs["imageId"].startswith("resolve:ssm:/aws/service/deeplearning/")


def test_request_the_catalog_cannot_serve_fails_with_a_project_error() -> None:
    with pytest.raises(AimodelError, match="H100"):
        build(spec(accelerator="H100", accelerator_count=3))


# -- moto ---------------------------------------------------------------------------------------
def attach_aws_managed_policy(a: Apply) -> tuple[str, dict[str, Any]]:
    """moto has AWS managed policies only if it loads all of them (seconds on every start and
    reset): check the role exists and leave the policy ARN to the graph tests above."""
    a.client("iam").get_role(RoleName=a.get("role"))
    a.skip("AWS managed policy attachment")
    return f"{a.get('role')}-attachment", {}


def test_group_and_template_are_accepted_by_moto_and_read_back() -> None:
    group = spec(capacity="spot_with_fallback", min_nodes=0, max_nodes=3, disk_size_gb=300)

    def program() -> None:
        vpc = ec2.Vpc("vpc", cidr_block="10.9.0.0/16")
        subnets = [
            ec2.Subnet(f"private-{z}", vpc_id=vpc.id, cidr_block=f"10.9.{i}.0/24", availability_zone=f"us-east-1{z}").id
            for i, z in enumerate("ab")
        ]
        AutoscalingGroup("serve", AutoscalingGroupArgs(group, CONTEXT, StandInNetwork(vpc.id, subnets)))

    translators = {ATTACHMENT: attach_aws_managed_policy}
    with MotoBackend(region="us-east-1", translators=translators) as aws:
        graph = run_program(program, backend=aws)
        name = graph.one(ASG).outputs["name"]
        (described,) = aws.client("autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=[name])[
            "AutoScalingGroups"
        ]
        template = aws.client("ec2").describe_launch_template_versions(LaunchTemplateId=graph.one(LT).id)[
            "LaunchTemplateVersions"
        ][0]
        sg = aws.client("ec2").describe_security_groups(GroupIds=[graph.one(SG).id])["SecurityGroups"][0]

    assert (described["MinSize"], described["MaxSize"]) == (group.min_nodes, group.max_nodes)
    assert set(described["VPCZoneIdentifier"].split(",")) == {s.id for s in graph.of_type("aws:ec2/subnet:Subnet")}
    distribution = described["MixedInstancesPolicy"]["InstancesDistribution"]
    assert distribution["SpotAllocationStrategy"] == SPOT_ALLOCATION_STRATEGY
    data = template["LaunchTemplateData"]
    assert data["MetadataOptions"]["HttpTokens"] == "required"
    (volume,) = data["BlockDeviceMappings"]
    assert volume["Ebs"]["Encrypted"] is True and volume["Ebs"]["VolumeSize"] == 300
    assert sg["IpPermissions"] == []


def test_every_security_group_rule_of_aws_dev_says_why_it_exists() -> None:
    from .example_stack import mocks_run

    groups = mocks_run().of_type("aws:ec2/securityGroup:SecurityGroup")
    rules = [rule for g in groups for rule in (*g.inputs.get("ingress", []), *g.inputs.get("egress", []))]
    assert rules and all(rule.get("description") for rule in rules)
