"""GPU VM groups: an instance template per capacity group (no external IP, TERMINATE on maintenance,
spot provisioning, the DLVM image resolved at deploy, attached T4s on N1), a regional MIG over the
zones offering the machine, an autoscaler within min/max, rolling updates."""

from __future__ import annotations

import pytest

from aimodel_infra.errors import SpecError
from aimodel_infra.gcp.images import image_source
from aimodel_infra.testing import ResourceGraph

from .example_stack import machine

TEMPLATE = "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate"
GROUP = "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager"
AUTOSCALER = "gcp:compute/regionAutoscaler:RegionAutoscaler"


def test_the_template_boots_the_resolved_deep_learning_image_on_a_supported_disk(graph: ResourceGraph) -> None:
    template = graph.one(TEMPLATE)
    [disk] = template.inputs["disks"]
    image = "https://www.googleapis.com/compute/v1/projects/deeplearning-platform-release/global/images/"
    assert disk["sourceImage"].startswith(image + "common-cu128-ubuntu-2204-nvidia-570-")
    assert (disk["boot"], disk["autoDelete"], disk["diskSizeGb"], disk["diskType"]) == (True, True, 200, "pd-balanced")
    lookups = [a for token, a in graph.invokes if token == "gcp:compute/getImage:getImage"]
    assert lookups == [{"family": "common-cu128-ubuntu-2204-nvidia-570", "project": "deeplearning-platform-release"}]


def test_n1_hosts_get_their_t4_attached(graph: ResourceGraph) -> None:
    template = graph.one(TEMPLATE)
    assert template.inputs["machineType"] == machine("T4", 1)
    assert template.inputs["machineType"].startswith("n1-")  # T4s attach to N1 hosts
    assert template.inputs["guestAccelerators"] == [{"type": "nvidia-tesla-t4", "count": 1}]


def test_spot_vms_stop_for_maintenance_and_are_deleted_on_preemption(graph: ResourceGraph) -> None:
    assert graph.one(TEMPLATE).inputs["scheduling"] == {
        "provisioningModel": "SPOT",
        "preemptible": True,
        "automaticRestart": False,
        "onHostMaintenance": "TERMINATE",
        "instanceTerminationAction": "DELETE",
    }


def test_vms_have_no_external_ip_a_shielded_boot_and_their_own_account(graph: ResourceGraph) -> None:
    template = graph.one(TEMPLATE)
    [interface] = template.inputs["networkInterfaces"]
    assert "accessConfigs" not in interface or interface["accessConfigs"] == []
    assert interface["subnetwork"] == graph.one("gcp:compute/subnetwork:Subnetwork").id
    assert template.inputs["shieldedInstanceConfig"]["enableVtpm"] is True
    assert template.inputs["metadata"]["enable-oslogin"] == "TRUE"
    assert template.inputs["metadata"]["block-project-ssh-keys"] == "TRUE"
    account = template.inputs["serviceAccount"]["email"]
    assert account == "gcp-dev-batch-wl@ml-platform-dev-4821.iam.gserviceaccount.com"
    assert template.inputs["labels"]["aimodel-accelerator"] == "nvidia-tesla-t4"


def test_the_group_spreads_over_the_zones_and_the_autoscaler_owns_its_size(graph: ResourceGraph) -> None:
    group, scaler = graph.one(GROUP), graph.one(AUTOSCALER)
    assert group.inputs["distributionPolicyZones"] == ["us-central1-a", "us-central1-b", "us-central1-c"]
    assert group.inputs["distributionPolicyTargetShape"] == "ANY"
    assert group.inputs["versions"] == [
        {"name": "primary", "instanceTemplate": graph.one(TEMPLATE).outputs["selfLink"]}
    ]
    assert "targetSize" not in group.inputs and "targetSize" in group.ignore_changes
    policy = group.inputs["updatePolicy"]
    assert (policy["type"], policy["instanceRedistributionType"]) == ("PROACTIVE", "NONE")
    assert (policy["maxSurgeFixed"], policy["maxUnavailableFixed"]) == (3, 0)
    assert scaler.inputs["target"] == group.id
    assert (scaler.inputs["autoscalingPolicy"]["minReplicas"], scaler.inputs["autoscalingPolicy"]["maxReplicas"]) == (
        0,
        4,
    )


@pytest.mark.parametrize(
    ("image", "source"),
    [
        ("projects/my-proj/global/images/family/my-family", ("my-proj", "my-family", None)),
        ("projects/my-proj/global/images/my-image", (None, None, "projects/my-proj/global/images/my-image")),
    ],
)
def test_an_image_or_family_of_the_users_is_taken_as_given(image: str, source: tuple) -> None:
    found = image_source(image)
    assert (found.project, found.family, found.image) == source


def test_an_image_of_another_cloud_is_refused_naming_the_field() -> None:
    with pytest.raises(SpecError) as caught:
        image_source("ami-0123456789abcdef0", "autoscaling_groups[0].image")
    assert caught.value.problems[0].path == "autoscaling_groups[0].image"
