"""GPU VMs outside Kubernetes: a regional managed instance group (MIG) with an autoscaler.

Per capacity group (spot, on-demand; both for ``spot_with_fallback``):

- a ``RegionInstanceTemplate``: the catalog's machine type (N1 hosts get their T4 as
  ``guest_accelerators``; A2/A3/G2 carry their GPUs), the image resolved at deploy time
  (:mod:`aimodel_infra.gcp.images`), a boot disk of ``disk_size_gb`` on a disk type the family
  supports (Google-encrypted), ``on_host_maintenance = TERMINATE`` (GPU VMs cannot live-migrate),
  spot provisioning with ``instance_termination_action = DELETE`` where asked (the group recreates
  preempted VMs), **no external IP** (no ``access_configs``: outbound through Cloud NAT), a
  shielded VM (vTPM, integrity monitoring; secure boot off, because the deep learning image's
  NVIDIA driver modules are not signed for it), OS Login, no project-wide SSH keys, and the
  group's own service account (bucket grants come from WorkloadAccess); a gVNIC interface (the
  A3 family's network; Google's public images, the deep learning ones included, declare gVNIC
  support, a custom image without it fails at VM creation);
- a ``RegionInstanceGroupManager`` over the zones that offer the machine type, target shape
  ``ANY`` (capacity wherever it is; GCP needs redistribution off for it), proactive rolling
  updates that surge one VM per zone before replacing (no serving capacity lost);
- a ``RegionAutoscaler`` within the spec's min/max on CPU utilization. A CPU signal cannot grow a
  group from zero: with ``min_nodes: 0`` (and the fallback group) scale out by hand
  (``gcloud compute instance-groups managed resize``) or by a custom metric.

The template is immutable: any change creates a new one (auto-named) and the group rolls to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import pulumi
import pulumi_gcp as gcp

from aimodel_infra.gcp.context import CLOUD_PLATFORM_SCOPE, COMPUTE_LABEL, GcpContext
from aimodel_infra.gcp.images import ImageSource, image_source
from aimodel_infra.gcp.names import BASE_INSTANCE_NAME_MAX, COMPUTE_NAME_MAX, fit_name
from aimodel_infra.gcp.node_plan import GroupPlan, plan_groups
from aimodel_infra.gcp.workload_access import workload_account
from aimodel_infra.spec.models import AutoscalingGroup as GroupSpec
from aimodel_infra.spec.models import ImageUpdates

if TYPE_CHECKING:
    from aimodel_infra.gcp.network import Network

TYPE_TOKEN: Final = "aimodel:gcp:AutoscalingGroup"
CPU_TARGET: Final = 0.6
COOLDOWN_SECONDS: Final = 300
ACCELERATOR_LABEL: Final = "aimodel-accelerator"
ACCELERATOR_COUNT_LABEL: Final = "aimodel-accelerator-count"
GROUP_METADATA: Final = {"install-nvidia-driver": "True", "enable-oslogin": "TRUE", "block-project-ssh-keys": "TRUE"}


# -- plan: pure functions -----------------------------------------------------------------------
def scheduling(spot: bool) -> dict[str, Any]:
    """GPU VMs stop for host maintenance; spot VMs are SPOT + preemptible, never restarted in place."""
    if spot:
        return {
            "provisioning_model": "SPOT",
            "preemptible": True,
            "automatic_restart": False,
            "on_host_maintenance": "TERMINATE",
            "instance_termination_action": "DELETE",
        }
    return {"provisioning_model": "STANDARD", "automatic_restart": True, "on_host_maintenance": "TERMINATE"}


def template_labels(context: GcpContext, plan: GroupPlan) -> dict[str, str]:
    labels = context.labels_for(**{COMPUTE_LABEL: plan.group_name, "aimodel-capacity": plan.group.suffix})
    if plan.machine.accelerator_type:
        labels |= {
            ACCELERATOR_LABEL: plan.machine.accelerator_type,
            ACCELERATOR_COUNT_LABEL: str(plan.machine.accelerator_count),
        }
    return labels


def held_image(spec: GroupSpec, source: ImageSource) -> list[str]:
    """``ignore_changes`` that keeps an image resolved from a family (the Deep Learning VM family moves
    with every release) until the user asks (``image_updates: follow-latest``): a new image would
    replace the template and the group's rolling update would restart running VMs."""
    if source.family is not None and spec.image_updates is ImageUpdates.ON_REQUEST:
        return ["disks[0].sourceImage"]
    return []


def group_path(context: GcpContext, spec: GroupSpec) -> str:
    index = next((i for i, g in enumerate(context.env.autoscaling_groups) if g.name == spec.name), None)
    return f"autoscaling_groups[{index}]" if index is not None else f"autoscaling_groups[name={spec.name}]"


# -- component ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class AutoscalingGroupArgs:
    group: GroupSpec
    context: GcpContext
    network: Network


class AutoscalingGroup(pulumi.ComponentResource):
    """One spec autoscaling group. Exposes ``name`` (the first group's name), ``names``,
    ``account`` (the VMs' service account), ``groups`` and ``plans``."""

    name: pulumi.Output[str]

    def __init__(self, name: str, args: AutoscalingGroupArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        spec, context = args.group, args.context
        path = group_path(context, spec)
        source = image_source(spec.image, f"{path}.image")
        self.plans = plan_groups(context.env, spec, context.catalog, path)
        super().__init__(TYPE_TOKEN, name, None, opts)
        self._context = context
        self.account = workload_account(name, context, spec.name, self)
        image = self._image(source)
        self._held = held_image(spec, source)
        self.groups = [self._group(name, plan, args.network, image) for plan in self.plans]
        self.names = [g.name for g in self.groups]
        self.name = self.names[0]
        self.register_outputs({"names": self.names, "service_account": self.account.email})

    def _image(self, source: ImageSource) -> pulumi.Output[str]:
        if source.image is not None:
            return pulumi.Output.from_input(source.image)
        found = gcp.compute.get_image_output(
            family=source.family, project=source.project, opts=self._context.invoke_options(self)
        )
        return found.self_link

    def _group(
        self, name: str, plan: GroupPlan, network: Network, image: pulumi.Output[str]
    ) -> gcp.compute.RegionInstanceGroupManager:
        context, machine = self._context, plan.machine
        base = f"{name}-{plan.group.suffix}"
        child = pulumi.ResourceOptions(parent=self)
        template = gcp.compute.RegionInstanceTemplate(
            fit_name(name, plan.group.suffix, COMPUTE_NAME_MAX),
            project=context.project,
            region=context.region,
            description=f"{plan.group_name} ({plan.group.suffix}) in {context.env.name}",
            machine_type=machine.machine_type,
            guest_accelerators=(
                [{"type": machine.accelerator_type, "count": machine.accelerator_count}]
                if machine.attaches_gpus
                else None
            ),
            disks=[
                {
                    "boot": True,
                    "auto_delete": True,
                    "source_image": image,
                    "disk_size_gb": plan.disk_size_gb,
                    "disk_type": machine.boot_disk_type,
                }
            ],
            scheduling=scheduling(plan.group.capacity == "spot"),
            network_interfaces=[{"subnetwork": network.subnetwork_id, "nic_type": "GVNIC"}],
            service_account={"email": self.account.email, "scopes": [CLOUD_PLATFORM_SCOPE]},
            shielded_instance_config={
                "enable_secure_boot": False,
                "enable_vtpm": True,
                "enable_integrity_monitoring": True,
            },
            metadata=dict(GROUP_METADATA),
            labels=template_labels(context, plan),
            opts=pulumi.ResourceOptions(parent=self, ignore_changes=self._held),
        )
        zones = len(plan.zones)
        group = gcp.compute.RegionInstanceGroupManager(
            fit_name(name, plan.group.suffix, COMPUTE_NAME_MAX),
            project=context.project,
            region=context.region,
            base_instance_name=fit_name(base, "", BASE_INSTANCE_NAME_MAX, autoname_suffix=0),
            versions=[{"name": "primary", "instance_template": template.self_link}],
            distribution_policy_zones=list(plan.zones),
            distribution_policy_target_shape="ANY",
            update_policy={
                "type": "PROACTIVE",
                "minimal_action": "REPLACE",
                "instance_redistribution_type": "NONE",
                # Regional groups take fixed surge/unavailable of 0 or at least one per zone.
                "max_surge_fixed": zones,
                "max_unavailable_fixed": 0,
            },
            wait_for_instances=False,
            # The autoscaler owns the size; a deploy must not undo a scale-out.
            opts=pulumi.ResourceOptions(parent=self, ignore_changes=["targetSize"]),
        )
        gcp.compute.RegionAutoscaler(
            fit_name(name, f"{plan.group.suffix}-autoscaler", COMPUTE_NAME_MAX),
            project=context.project,
            region=context.region,
            target=group.id,
            autoscaling_policy={
                "min_replicas": plan.group.min_nodes,
                "max_replicas": plan.group.max_nodes,
                "cooldown_period": COOLDOWN_SECONDS,
                "cpu_utilization": {"target": CPU_TARGET},
                "mode": "ON",
            },
            opts=child,
        )
        return group
