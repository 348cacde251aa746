"""What every GKE node pool here shares: its service account and its hardened node settings.

- Nodes run as a dedicated service account (never the Compute Engine default one, which holds
  Editor on the project) with only what a node needs: ``roles/container.defaultNodeServiceAccount``
  (logs, metrics, metadata; the role GKE documents for node service accounts, also
  terraform-google-kubernetes-engine's choice) and ``roles/artifactregistry.reader`` for image
  pulls from the project's registries. Workloads get their permissions through Workload Identity
  (WorkloadAccess), never through the node account.
- The GKE metadata server (``workload_metadata_config.mode = GKE_METADATA``) stands between pods
  and the instance metadata service, so a pod cannot read the node account's token (the
  IMDSv2-hop-limit analogue); legacy metadata endpoints are off.
- Shielded nodes with secure boot and integrity monitoring (GKE's managed NVIDIA drivers on COS
  are signed, so secure boot does not block them); Container-Optimized OS with containerd; gVNIC.
- Boot disks are always encrypted by Google; ``disk_type`` is left to GKE, which picks
  ``pd-balanced`` or ``hyperdisk-balanced``, whichever the machine family supports.
"""

from __future__ import annotations

from typing import Any, Final

import pulumi
import pulumi_gcp as gcp

from aimodel_infra.gcp.context import CLOUD_PLATFORM_SCOPE, GcpContext
from aimodel_infra.gcp.names import account_id

NODE_ROLES: Final = ("roles/container.defaultNodeServiceAccount", "roles/artifactregistry.reader")
IMAGE_TYPE: Final = "COS_CONTAINERD"
LEGACY_ENDPOINTS_OFF: Final = {"disable-legacy-endpoints": "true"}


def node_service_account(
    name: str, context: GcpContext, parent: pulumi.Resource
) -> tuple[gcp.serviceaccount.Account, list[gcp.projects.IAMMember]]:
    """The nodes' service account and its project roles (node pools must wait for the roles)."""
    account = gcp.serviceaccount.Account(
        f"{name}-nodes",
        project=context.project,
        account_id=account_id(context.env.name, "gke-nodes"),
        display_name=f"GKE nodes of {context.env.name}",
        description="GKE node service account: logs, metrics and image pulls only",
        opts=pulumi.ResourceOptions(parent=parent),
    )
    grants = [
        gcp.projects.IAMMember(
            f"{name}-nodes-{role.rsplit('/', 1)[-1]}",
            project=context.project,
            role=role,
            member=account.member,
            opts=pulumi.ResourceOptions(parent=parent),
        )
        for role in NODE_ROLES
    ]
    return account, grants


def hardened_node_settings(service_account_email: pulumi.Input[str]) -> dict[str, Any]:
    """The ``node_config`` fields every pool shares (see module doc)."""
    return {
        "service_account": service_account_email,
        "oauth_scopes": [CLOUD_PLATFORM_SCOPE],
        "image_type": IMAGE_TYPE,
        "workload_metadata_config": {"mode": "GKE_METADATA"},
        "metadata": dict(LEGACY_ENDPOINTS_OFF),
        "shielded_instance_config": {"enable_secure_boot": True, "enable_integrity_monitoring": True},
        "gvnic": {"enabled": True},
    }
