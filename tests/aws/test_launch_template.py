"""Every launch template of aws-dev (EKS node groups and the GPU ASG) carries the same hardening."""

from __future__ import annotations

import pytest

from aimodel_infra.testing import RecordedResource

from .example_stack import mocks_run

LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"


def templates() -> list[RecordedResource]:
    return mocks_run().of_type(LAUNCH_TEMPLATE)


def test_node_groups_and_the_autoscaling_group_both_launch_from_hardened_templates() -> None:
    owners = {mocks_run().parent_of(t).type for t in templates()}
    assert {"aimodel:aws:GpuNodePool", "aimodel:aws:Cluster", "aimodel:aws:AutoscalingGroup"} <= owners


@pytest.mark.parametrize("template", templates(), ids=lambda t: t.name)
def test_imdsv2_only_with_hop_limit_1_so_containers_and_pods_cannot_reach_the_instance_role(
    template: RecordedResource,
) -> None:
    assert template.inputs["metadataOptions"] == {
        "httpEndpoint": "enabled",
        "httpTokens": "required",
        "httpPutResponseHopLimit": 1,
    }


@pytest.mark.parametrize("template", templates(), ids=lambda t: t.name)
def test_root_volume_is_encrypted_gp3_and_every_launched_resource_is_tagged(template: RecordedResource) -> None:
    (root,) = template.inputs["blockDeviceMappings"]
    assert root["ebs"]["volumeType"] == "gp3"
    assert root["ebs"]["encrypted"] == "true"
    assert root["ebs"]["deleteOnTermination"] == "true"
    kinds = [spec["resourceType"] for spec in template.inputs["tagSpecifications"]]
    assert kinds == ["instance", "volume", "network-interface"]
    assert all(spec["tags"]["aimodel-environment"] == "aws-dev" for spec in template.inputs["tagSpecifications"])
