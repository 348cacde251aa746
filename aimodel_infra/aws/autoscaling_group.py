"""GPU VMs outside Kubernetes: an EC2 Auto Scaling group over the private subnets.

Each instance boots from a launch template with:

- the GPU image, resolved when Pulumi deploys (``deep-learning``: the AWS Deep Learning Base OSS
  NVIDIA driver AMI for Ubuntu 22.04, read from its public SSM parameter), so a new AMI reaches the
  group as an ordinary diff followed by an instance refresh, never as a surprise at scale-out;
  an ``ami-...`` id is used as given, and ``resolve:ssm:...`` is left for EC2 to resolve at launch;
- the shared hardening (:mod:`aimodel_infra.aws.launch_template`): IMDSv2 only with a hop limit
  of 1, an encrypted gp3 root volume of the spec's size on the image's own root device name, and
  tags on instances, volumes and interfaces. Hop limit 1 keeps containers on Docker's default
  bridge network away from the instance role's credentials (one hop further than the host). A
  job that needs the
  role (the datasets grant) runs on the host network (``docker run --network host``): a visible,
  per-job choice rather than the role handed to every container on the VM;
- no public IP and a security group with no ingress at all: shell access goes through SSM
  Session Manager, which is the only permission the instance role starts with
  (``AmazonSSMManagedInstanceCore``; bucket grants are added by WorkloadAccess).

Buying: ``on_demand`` uses the launch template directly. ``spot`` and ``spot_with_fallback`` use
a mixed instances policy over the chosen type and its exact look-alikes in the region
(:mod:`aimodel_infra.plan.candidates`; a pinned ``instance_type`` is kept alone), with the
``price-capacity-optimized`` spot strategy and capacity rebalancing. See :func:`instances_distribution`
for what the fallback guarantees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_aws.autoscaling as autoscaling
import pulumi_aws.ec2 as ec2
import pulumi_aws.iam as iam
import pulumi_aws.ssm as ssm

from aimodel_infra.aws.context import AwsContext, assume_role_policy
from aimodel_infra.aws.images import DEEP_LEARNING_IMAGE, ImageSource, image_source
from aimodel_infra.aws.launch_template import hardened_launch_template
from aimodel_infra.aws.names import IAM_ROLE_MAX, fit_name
from aimodel_infra.plan.candidates import candidate_types
from aimodel_infra.spec.models import AutoscalingGroup as GroupSpec
from aimodel_infra.spec.models import Capacity, ImageUpdates

if TYPE_CHECKING:
    from aimodel_infra.aws.network import Network

TYPE_TOKEN = "aimodel:aws:AutoscalingGroup"
SSM_CORE_POLICY_ARN = iam.ManagedPolicy.AMAZON_SSM_MANAGED_INSTANCE_CORE.value
#: Spot pools chosen by both price and spare capacity. Same-shape GPU types can differ several-fold
#: in price (g5.xlarge vs g5.16xlarge both carry one A10G), which "capacity-optimized" ignores.
SPOT_ALLOCATION_STRATEGY = "price-capacity-optimized"
#: On-demand instances (the fallback base) follow the override order, cheapest first.
ON_DEMAND_ALLOCATION_STRATEGY = "prioritized"
#: Instance refresh launches a replacement before terminating the old instance, so a group never
#: drops below its desired size during a rollout (at the price of one extra instance meanwhile).
REFRESH_MIN_HEALTHY_PERCENT = 100
REFRESH_MAX_HEALTHY_PERCENT = 200
ALL_EGRESS = {
    "description": "All outbound: package mirrors, container registries, S3 and AWS APIs through NAT",
    "protocol": "-1",
    "from_port": 0,
    "to_port": 0,
    "cidr_blocks": ["0.0.0.0/0"],
    "ipv6_cidr_blocks": ["::/0"],
}


# -- plan: pure functions -----------------------------------------------------------------------
def instances_distribution(capacity: Capacity, min_nodes: int) -> dict[str, Any] | None:
    """How the group splits on-demand and spot (``instances_distribution``); None for on-demand.

    ``spot``: every instance is spot. ``spot_with_fallback``: the first ``min_nodes`` instances
    are on-demand (``on_demand_base_capacity``), everything above is spot. This guarantees that
    the group's floor does not depend on spot (as far as on-demand GPU capacity exists: on-demand
    can run out too). It does not make the group launch on-demand when spot is short above the
    floor: those instances stay pending until some spot pool has capacity. With ``min_nodes: 0``
    it behaves exactly like ``spot``.
    """
    if capacity is Capacity.ON_DEMAND:
        return None
    return {
        "on_demand_base_capacity": min_nodes if capacity is Capacity.SPOT_WITH_FALLBACK else 0,
        "on_demand_percentage_above_base_capacity": 0,
        "on_demand_allocation_strategy": ON_DEMAND_ALLOCATION_STRATEGY,
        "spot_allocation_strategy": SPOT_ALLOCATION_STRATEGY,
    }


def instance_types(group: GroupSpec, context: AwsContext) -> list[str]:
    """Candidate instance types, cheapest first: the first is the launch template's default.

    :func:`aimodel_infra.plan.candidates.candidate_types`: a pinned ``instance_type`` stays alone;
    an accelerator request adds only exact look-alikes (same GPUs, vCPUs and memory), so the price
    the estimate shows holds whichever one spot capacity lands on.
    """
    offering = context.catalog.offering_for(
        "aws", context.region, group.accelerator, group.accelerator_count, group.instance_type
    )
    return list(candidate_types(offering, context.catalog, pinned=group.instance_type is not None))


def group_tags(tags: dict[str, str]) -> list[dict[str, Any]]:
    """The group's tags, each copied onto the instances it launches."""
    return [{"key": key, "value": value, "propagate_at_launch": True} for key, value in tags.items()]


def held_image(spec: GroupSpec) -> list[str]:
    """``ignore_changes`` that keeps a 'deep-learning' image until the user asks for a newer one
    (``image_updates: on-request``): the SSM parameter moves with every DLAMI release, and a changed
    image id would make the instance refresh roll the whole fleet during an unrelated `pulumi up`."""
    if spec.image == DEEP_LEARNING_IMAGE and spec.image_updates is ImageUpdates.ON_REQUEST:
        return ["image_id"]
    return []


# -- component ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class AutoscalingGroupArgs:
    group: GroupSpec
    context: AwsContext
    network: Network


class AutoscalingGroup(pulumi.ComponentResource):
    """One spec autoscaling group. Exposes ``name``, ``instance_role`` and ``group``."""

    name: pulumi.Output[str]
    instance_role: iam.Role
    group: autoscaling.Group

    def __init__(self, name: str, args: AutoscalingGroupArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        spec, context = args.group, args.context
        path = _group_path(context, spec)
        source = image_source(spec.image, f"{path}.image")
        types = instance_types(spec, context)
        super().__init__(TYPE_TOKEN, name, None, opts)
        tags = context.tags_for(spec.name, **{"aimodel-compute": spec.name})

        self.instance_role = self._instance_role(name, tags)
        profile = iam.InstanceProfile(f"{name}-profile", role=self.instance_role.name, tags=tags, opts=self._child())
        security_group = ec2.SecurityGroup(
            f"{name}-sg",
            description=f"{spec.name}: no inbound traffic (shell via SSM), all outbound",
            vpc_id=args.network.vpc_id,
            ingress=[],
            egress=[ALL_EGRESS],
            tags=tags,
            opts=self._child(),
        )
        template = self._launch_template(name, spec, source, types[0], profile, security_group, tags)
        self.group = self._group(name, spec, args.network, template, types, tags)
        self.name = self.group.name
        self.register_outputs({"name": self.name, "instance_role_arn": self.instance_role.arn})

    def _child(self, **extra: Any) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, **extra)

    def _instance_role(self, name: str, tags: dict[str, str]) -> iam.Role:
        role = iam.Role(
            fit_name(name, "instance-role", IAM_ROLE_MAX),
            assume_role_policy=assume_role_policy("ec2.amazonaws.com"),
            tags=tags,
            opts=self._child(),
        )
        iam.RolePolicyAttachment(f"{name}-ssm-core", role=role.name, policy_arn=SSM_CORE_POLICY_ARN, opts=self._child())
        return role

    def _resolve_image(self, source: ImageSource) -> tuple[pulumi.Output[str], pulumi.Output[str]]:
        """(image for the launch template, the image's root device name), read at deploy time."""
        invoke = pulumi.InvokeOutputOptions(parent=self)  # inherits the component's provider (region)
        if source.parameter is not None:
            # insecure_value: an AMI id is no secret, and `value` would mark the template secret.
            ami_id = ssm.get_parameter_output(name=source.parameter, opts=invoke).insecure_value
        else:
            assert source.template_image is not None
            ami_id = pulumi.Output.from_input(source.template_image)
        template_image = pulumi.Output.from_input(source.template_image) if source.template_image else ami_id
        image = ec2.get_ami_output(filters=[{"name": "image-id", "values": [ami_id]}], opts=invoke)
        return template_image, image.root_device_name

    def _launch_template(
        self,
        name: str,
        spec: GroupSpec,
        source: ImageSource,
        instance_type: str,
        profile: iam.InstanceProfile,
        security_group: ec2.SecurityGroup,
        tags: dict[str, str],
    ) -> ec2.LaunchTemplate:
        image_id, root_device = self._resolve_image(source)
        return hardened_launch_template(
            f"{name}-lt",
            description=f"{spec.name}: IMDSv2 only (hop limit 1), encrypted gp3 root volume, no public IP",
            root_device=root_device,
            disk_size_gb=spec.disk_size_gb,
            tags=tags,
            instance_tags=tags,
            opts=self._child(ignore_changes=held_image(spec)),
            image_id=image_id,
            instance_type=instance_type,
            iam_instance_profile={"arn": profile.arn},
            network_interfaces=[
                {
                    "device_index": 0,
                    "associate_public_ip_address": "false",
                    "security_groups": [security_group.id],
                    "delete_on_termination": "true",
                }
            ],
        )

    def _group(
        self,
        name: str,
        spec: GroupSpec,
        network: Network,
        template: ec2.LaunchTemplate,
        types: list[str],
        tags: dict[str, str],
    ) -> autoscaling.Group:
        version = template.latest_version.apply(str)
        distribution = instances_distribution(spec.capacity, spec.min_nodes)
        placement: dict[str, Any]
        if distribution is None:
            placement = {"launch_template": {"id": template.id, "version": version}}
        else:
            placement = {
                "mixed_instances_policy": {
                    "launch_template": {
                        "launch_template_specification": {"launch_template_id": template.id, "version": version},
                        "overrides": [{"instance_type": t} for t in types],
                    },
                    "instances_distribution": distribution,
                }
            }
        return autoscaling.Group(
            name,
            vpc_zone_identifiers=network.private_subnet_ids_for(types[0]),
            min_size=spec.min_nodes,
            max_size=spec.max_nodes,
            desired_capacity=spec.desired,
            capacity_rebalance=distribution is not None,
            instance_refresh={
                "strategy": "Rolling",
                "preferences": {
                    "min_healthy_percentage": REFRESH_MIN_HEALTHY_PERCENT,
                    "max_healthy_percentage": REFRESH_MAX_HEALTHY_PERCENT,
                    "skip_matching": True,
                },
            },
            # GPU capacity (spot above all) can take a long while; the group keeps trying on its
            # own, so a deploy does not wait for instances and fail when they are slow to come.
            wait_for_capacity_timeout="0",
            tags=group_tags(tags),
            # Scaling (by people or autoscalers) moves desired_capacity; a deploy must not undo it.
            opts=self._child(ignore_changes=["desired_capacity"]),
            **placement,
        )


def _group_path(context: AwsContext, spec: GroupSpec) -> str:
    index = next((i for i, g in enumerate(context.env.autoscaling_groups) if g.name == spec.name), None)
    return f"autoscaling_groups[{index}]" if index is not None else f"autoscaling_groups[name={spec.name}]"
