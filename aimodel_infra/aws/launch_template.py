"""The one launch-template builder: the hardening every EC2 instance we launch gets.

Used by EKS node groups (:mod:`aimodel_infra.aws.nodes`) and GPU autoscaling groups
(:mod:`aimodel_infra.aws.autoscaling_group`), so neither can drift from the other:

- IMDSv2 only (``http_tokens: required``) with a hop limit of 1. The response to a metadata
  request then cannot cross one more network hop, so a pod (EKS) or a container on Docker's
  default bridge network (autoscaling groups) cannot read the instance role's credentials; only
  processes on the host network can. Workloads get AWS access through IRSA (pods) or, on the VMs,
  by running on the host network on purpose (``docker run --network host``), which makes the
  choice visible in the job definition instead of granting it to every container on the VM;
- an encrypted gp3 root volume of the requested size, deleted with the instance; no ``iops`` or
  ``throughput`` is set, so it runs (and bills) at gp3's included 3,000 IOPS and 125 MiB/s;
- tags on the instances, volumes and network interfaces launched from it (group tags and
  provider default tags do not reach volumes and interfaces).
"""

from __future__ import annotations

from typing import Any, Final

import pulumi
import pulumi_aws.ec2 as ec2

from aimodel_infra.aws.node_plan import ROOT_VOLUME_TYPE

IMDS_HOP_LIMIT: Final = 1
TAGGED_AT_LAUNCH: Final = ("instance", "volume", "network-interface")


def hardened_launch_template(
    name: str,
    *,
    description: str,
    root_device: pulumi.Input[str],
    disk_size_gb: int,
    tags: dict[str, str],
    instance_tags: dict[str, str],
    opts: pulumi.ResourceOptions,
    **settings: Any,
) -> ec2.LaunchTemplate:
    """A launch template with the hardening above plus the caller's own ``settings`` (image,
    instance type, profile, interfaces: whatever its kind of group may set in a template)."""
    return ec2.LaunchTemplate(
        name,
        description=description,
        metadata_options=ec2.LaunchTemplateMetadataOptionsArgs(
            http_endpoint="enabled",
            http_tokens="required",
            http_put_response_hop_limit=IMDS_HOP_LIMIT,
        ),
        block_device_mappings=[
            ec2.LaunchTemplateBlockDeviceMappingArgs(
                device_name=root_device,
                ebs=ec2.LaunchTemplateBlockDeviceMappingEbsArgs(
                    volume_size=disk_size_gb,
                    volume_type=ROOT_VOLUME_TYPE,
                    encrypted="true",
                    delete_on_termination="true",
                ),
            )
        ],
        tag_specifications=[
            ec2.LaunchTemplateTagSpecificationArgs(resource_type=kind, tags=instance_tags) for kind in TAGGED_AT_LAUNCH
        ],
        update_default_version=True,
        tags=tags,
        opts=opts,
        **settings,
    )
