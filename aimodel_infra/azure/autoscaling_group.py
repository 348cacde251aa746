"""GPU VMs outside Kubernetes: one Flexible VM scale set per capacity group, with an autoscale setting.

- Image: ``deep-learning`` is Microsoft's Ubuntu-HPC 22.04 image (``microsoft-dsvm:ubuntu-hpc:2204``,
  NVIDIA driver, CUDA, NCCL, MOFED preinstalled [SRC Azure/azhpc-images README]); or an image
  resource id (``/subscriptions/.../images/...`` or a gallery image version) or a
  Marketplace URN ``publisher:offer:sku:version``. ``version="latest"``
  is resolved when a VM is created, not on later deploys.
- Automatic OS image upgrades off (``upgrade_policy.mode="Manual"``): a new image must not reimage
  instances in the middle of a training job.
- SSH key login only (``disable_password_authentication``), the key from ``azure.ssh_public_key``.
- No public IP: the NIC has only a private address in the node subnet (egress through the NAT gateway).
- The group's user-assigned identity (from :class:`WorkloadAccess`) is its only identity.
- Spot: ``priority="Spot"``, eviction ``Delete``, ``max_price=-1`` (pay up to the on-demand price).
  ``spot_with_fallback`` is a Spot scale set plus a Regular one from 0 to ``max_nodes``.
- Autoscale: an ``AutoscaleSetting`` keeps each scale set within its min/max (default = desired);
  its rules scale on average CPU. The scale set's ``sku.capacity`` then belongs to autoscale
  (ignored on later deploys).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import pulumi
import pulumi_azure_native.compute as compute
import pulumi_azure_native.monitor as monitor

from aimodel_infra.azure.context import AzureContext
from aimodel_infra.azure.names import alnum
from aimodel_infra.azure.node_plan import SCALE_SET_PRIORITY, SPOT_EVICTION_POLICY, SPOT_MAX_PRICE
from aimodel_infra.plan.capacity import CapacityGroup, capacity_groups
from aimodel_infra.spec.models import AutoscalingGroup as GroupSpec

if TYPE_CHECKING:
    from aimodel_infra.azure.network import Network

TYPE_TOKEN: Final = "aimodel:azure:AutoscalingGroup"
DEEP_LEARNING_IMAGE: Final = {"publisher": "microsoft-dsvm", "offer": "ubuntu-hpc", "sku": "2204", "version": "latest"}
CAPACITY_PATH: Final = "sku.capacity"
NETWORK_API_VERSION: Final = "2022-11-01"


def image_reference(image: str) -> compute.ImageReferenceArgs:
    """``deep-learning``, a ``publisher:offer:sku:version`` URN, or an image resource id."""
    if image == "deep-learning":
        return compute.ImageReferenceArgs(**DEEP_LEARNING_IMAGE)
    if not image.startswith("/"):
        publisher, offer, sku, version = image.split(":")
        return compute.ImageReferenceArgs(publisher=publisher, offer=offer, sku=sku, version=version)
    return compute.ImageReferenceArgs(id=image)


def cpu_rule(target: pulumi.Input[str], direction: str, operator: str, threshold: float) -> monitor.ScaleRuleArgs:
    """One step up or down on the scale set's average CPU over 10 minutes."""
    return monitor.ScaleRuleArgs(
        metric_trigger=monitor.MetricTriggerArgs(
            metric_name="Percentage CPU",
            metric_resource_uri=target,
            operator=operator,
            statistic="Average",
            threshold=threshold,
            time_aggregation="Average",
            time_grain="PT1M",
            time_window="PT10M",
        ),
        scale_action=monitor.ScaleActionArgs(direction=direction, type="ChangeCount", value="1", cooldown="PT10M"),
    )


@dataclass(frozen=True)
class AutoscalingGroupArgs:
    group: GroupSpec
    context: AzureContext
    network: Network
    identity_id: pulumi.Input[str]


class AutoscalingGroup(pulumi.ComponentResource):
    """Exposes ``scale_sets`` and ``names`` (one per capacity group) and ``name`` (the first)."""

    def __init__(self, name: str, args: AutoscalingGroupArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        spec, context = args.group, args.context
        self.offering = context.catalog.offering_for(
            "azure", context.location, spec.accelerator, spec.accelerator_count, spec.instance_type
        )
        self.scale_sets = [self._scale_set(name, group, args) for group in capacity_groups(spec)]
        self.names = [s.name for s in self.scale_sets]
        self.name = self.names[0]
        self.register_outputs({"names": self.names})

    def _scale_set(self, name: str, group: CapacityGroup, args: AutoscalingGroupArgs) -> compute.VirtualMachineScaleSet:
        spec, context = args.group, args.context
        settings = context.settings
        spot = group.capacity == "spot"
        scale_set = compute.VirtualMachineScaleSet(
            f"{name}-{group.suffix}",
            resource_group_name=context.resource_group_name,
            location=context.location,
            orchestration_mode="Flexible",
            platform_fault_domain_count=1,
            single_placement_group=False,
            sku=compute.SkuArgs(name=self.offering.instance_type, tier="Standard", capacity=group.desired_nodes),
            identity=compute.VirtualMachineScaleSetIdentityArgs(
                type="UserAssigned", user_assigned_identities=[args.identity_id]
            ),
            upgrade_policy=compute.UpgradePolicyArgs(
                mode="Manual",
                automatic_os_upgrade_policy=compute.AutomaticOSUpgradePolicyArgs(enable_automatic_os_upgrade=False),
            ),
            virtual_machine_profile=compute.VirtualMachineScaleSetVMProfileArgs(
                priority=SCALE_SET_PRIORITY[group.capacity],
                eviction_policy=SPOT_EVICTION_POLICY if spot else None,
                billing_profile=compute.BillingProfileArgs(max_price=SPOT_MAX_PRICE) if spot else None,
                storage_profile=compute.VirtualMachineScaleSetStorageProfileArgs(
                    image_reference=image_reference(spec.image),
                    os_disk=compute.VirtualMachineScaleSetOSDiskArgs(
                        create_option="FromImage",
                        disk_size_gb=spec.disk_size_gb,
                        managed_disk=compute.VirtualMachineScaleSetManagedDiskParametersArgs(
                            storage_account_type="Premium_LRS"
                        ),
                    ),
                ),
                os_profile=compute.VirtualMachineScaleSetOSProfileArgs(
                    computer_name_prefix=alnum(spec.name)[:9],
                    admin_username=settings.admin_username,
                    linux_configuration=compute.LinuxConfigurationArgs(
                        disable_password_authentication=True,
                        ssh=compute.SshConfigurationArgs(
                            public_keys=[
                                compute.SshPublicKeyArgs(
                                    path=f"/home/{settings.admin_username}/.ssh/authorized_keys",
                                    key_data=settings.ssh_public_key,
                                )
                            ]
                        ),
                    ),
                ),
                network_profile=compute.VirtualMachineScaleSetNetworkProfileArgs(
                    network_api_version=NETWORK_API_VERSION,
                    network_interface_configurations=[
                        compute.VirtualMachineScaleSetNetworkConfigurationArgs(
                            name="nic",
                            primary=True,
                            enable_accelerated_networking=True,
                            ip_configurations=[
                                compute.VirtualMachineScaleSetIPConfigurationArgs(
                                    name="private",
                                    primary=True,
                                    subnet=compute.ApiEntityReferenceArgs(id=args.network.node_subnet_id),
                                )
                            ],
                        )
                    ],
                ),
            ),
            tags=context.tags_for(**{"aimodel-compute": spec.name, "aimodel-capacity": group.suffix}),
            opts=pulumi.ResourceOptions(parent=self, ignore_changes=[CAPACITY_PATH]),
        )
        self._autoscale(name, group, scale_set, context)
        return scale_set

    def _autoscale(
        self, name: str, group: CapacityGroup, scale_set: compute.VirtualMachineScaleSet, context: AzureContext
    ) -> None:
        monitor.AutoscaleSetting(
            f"{name}-{group.suffix}-autoscale",
            resource_group_name=context.resource_group_name,
            location=context.location,
            target_resource_uri=scale_set.id,
            enabled=True,
            profiles=[
                monitor.AutoscaleProfileArgs(
                    name="within-spec-bounds",
                    capacity=monitor.ScaleCapacityArgs(
                        minimum=str(group.min_nodes), default=str(group.desired_nodes), maximum=str(group.max_nodes)
                    ),
                    rules=[
                        cpu_rule(scale_set.id, "Increase", "GreaterThan", 70),
                        cpu_rule(scale_set.id, "Decrease", "LessThan", 20),
                    ],
                )
            ],
            tags=context.tags_for(),
            opts=pulumi.ResourceOptions(parent=self),
        )
