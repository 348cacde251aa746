"""GPU VM groups: Flexible scale sets, SSH keys only, no public IP, manual upgrades, identity, autoscale bounds."""

from __future__ import annotations

import pytest

from aimodel_infra.testing import ResourceGraph

from .example_stack import SSH_KEY, SUBSCRIPTION
from .view import IDENTITY, SUBNET, one

SCALE_SET = "azure-native:compute:VirtualMachineScaleSet"
AUTOSCALE = "azure-native:monitor:AutoscaleSetting"


@pytest.fixture(scope="module")
def batch(graph_of, document_variant) -> ResourceGraph:
    group = {"name": "batch", "accelerator": "T4", "capacity": "spot_with_fallback", "min_nodes": 0, "max_nodes": 3}
    settings = {"subscription_id": SUBSCRIPTION, "ssh_public_key": SSH_KEY}
    return graph_of(document_variant(autoscaling_groups=[group], azure=settings))


def test_spot_with_fallback_is_a_spot_and_a_regular_scale_set(batch: ResourceGraph) -> None:
    sets = {r.name: r.inputs for r in batch.of_type(SCALE_SET)}
    assert set(sets) == {"azure-dev-batch-spot", "azure-dev-batch-on-demand"}
    spot = sets["azure-dev-batch-spot"]["virtualMachineProfile"]
    assert (spot["priority"], spot["evictionPolicy"], spot["billingProfile"]) == ("Spot", "Delete", {"maxPrice": -1})
    assert sets["azure-dev-batch-on-demand"]["virtualMachineProfile"]["priority"] == "Regular"
    assert {s["sku"]["name"] for s in sets.values()} == {"Standard_NC4as_T4_v3"}
    assert {s["orchestrationMode"] for s in sets.values()} == {"Flexible"}


def test_login_is_by_ssh_key_only(batch: ResourceGraph) -> None:
    for scale_set in batch.of_type(SCALE_SET):
        linux = scale_set.inputs["virtualMachineProfile"]["osProfile"]["linuxConfiguration"]
        assert linux["disablePasswordAuthentication"] is True
        assert linux["ssh"]["publicKeys"] == [{"path": "/home/azureuser/.ssh/authorized_keys", "keyData": SSH_KEY}]


def test_instances_have_no_public_ip_and_sit_in_the_node_subnet(batch: ResourceGraph) -> None:
    subnet = one(batch, SUBNET)
    for scale_set in batch.of_type(SCALE_SET):
        (nic,) = scale_set.inputs["virtualMachineProfile"]["networkProfile"]["networkInterfaceConfigurations"]
        (ip,) = nic["ipConfigurations"]
        assert ip["subnet"] == {"id": subnet.id} and "publicIPAddressConfiguration" not in ip


def test_the_deep_learning_image_has_drivers_and_upgrades_are_manual(batch: ResourceGraph) -> None:
    for scale_set in batch.of_type(SCALE_SET):
        profile = scale_set.inputs["virtualMachineProfile"]["storageProfile"]
        assert profile["imageReference"] == {
            "publisher": "microsoft-dsvm",
            "offer": "ubuntu-hpc",
            "sku": "2204",
            "version": "latest",
        }
        assert profile["osDisk"]["managedDisk"] == {"storageAccountType": "Premium_LRS"}
        assert scale_set.inputs["upgradePolicy"] == {
            "mode": "Manual",
            "automaticOSUpgradePolicy": {"enableAutomaticOSUpgrade": False},
        }


def test_the_group_runs_as_its_workload_identity(batch: ResourceGraph) -> None:
    identity = one(batch, IDENTITY, "azure-dev-batch-access-identity")
    for scale_set in batch.of_type(SCALE_SET):
        assert scale_set.inputs["identity"] == {"type": "UserAssigned", "userAssignedIdentities": [identity.id]}


def test_autoscale_keeps_each_scale_set_within_its_bounds(batch: ResourceGraph) -> None:
    targets = {r.id: r for r in batch.of_type(SCALE_SET)}
    bounds = {}
    for setting in batch.of_type(AUTOSCALE):
        (profile,) = setting.inputs["profiles"]
        bounds[targets[setting.inputs["targetResourceUri"]].name] = profile["capacity"]
    assert bounds == {
        "azure-dev-batch-spot": {"minimum": "0", "default": "0", "maximum": "3"},
        "azure-dev-batch-on-demand": {"minimum": "0", "default": "0", "maximum": "3"},
    }
    assert all(r.ignore_changes == ("sku.capacity",) for r in targets.values())
    assert batch.stack_outputs["autoscaling_group_names"]["batch"] in {r.outputs["name"] for r in targets.values()}
