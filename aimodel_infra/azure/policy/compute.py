"""Rules on what runs VMs: OS disks, public IPs, the cluster's API endpoint and secrets encryption."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from aimodel_infra.azure.policy.types import AGENT_POOL, MANAGED_CLUSTER, SCALE_SET
from aimodel_infra.policy.engine import PolicyContext, Violation
from aimodel_infra.policy.values import as_dict, as_list, is_open_network, is_unknown, known, truthy


def _pools(ctx: PolicyContext) -> Iterator[tuple[Any, dict[str, Any], str]]:
    """(resource, pool properties, label) for every agent pool and every inline cluster pool."""
    for pool in ctx.resources(AGENT_POOL):
        yield pool, pool.inputs, f"agent pool {known(pool.inputs.get('agentPoolName'))}"
    for cluster in ctx.resources(MANAGED_CLUSTER):
        for profile in (as_dict(p) for p in as_list(cluster.inputs.get("agentPoolProfiles"))):
            yield cluster, profile, f"inline pool {known(profile.get('name'))}"


def unencrypted_disks(ctx: PolicyContext) -> Iterator[Violation]:
    """A managed OS disk is encrypted at rest by the platform; an ephemeral one only with encryption at host."""
    for resource, pool, label in _pools(ctx):
        disk = known(pool.get("osDiskType"))
        if (
            disk != "Managed"
            and not truthy(pool.get("enableEncryptionAtHost"))
            and not is_unknown(pool.get("osDiskType"))
        ):
            shown = repr(disk) if disk else "unset (AKS picks Ephemeral where the size's cache fits)"
            yield Violation(
                f"{label}: OS disk type {shown} is not a managed (platform-encrypted) disk; set os_disk_type "
                "'Managed' or enable encryption at host",
                resource,
            )
    for scale_set in ctx.resources(SCALE_SET):
        os_disk = as_dict(
            as_dict(as_dict(scale_set.inputs.get("virtualMachineProfile")).get("storageProfile")).get("osDisk")
        )
        if not as_dict(os_disk.get("managedDisk")).get("storageAccountType"):
            yield Violation("OS disk is not declared as a managed disk; give os_disk.managed_disk", scale_set)


def unencrypted_cluster_secrets(ctx: PolicyContext) -> Iterator[Violation]:
    for cluster in ctx.resources(MANAGED_CLUSTER):
        kms = as_dict(as_dict(cluster.inputs.get("securityProfile")).get("azureKeyVaultKms"))
        if not truthy(kms.get("enabled")) or not (known(kms.get("keyId")) or is_unknown(kms.get("keyId"))):
            yield Violation(
                "Kubernetes secrets are not encrypted with a Key Vault key; set security_profile.azure_key_vault_kms "
                "(enabled, key_id)",
                cluster,
            )


def check_gpu_nodes_private(ctx: PolicyContext) -> Iterator[Violation]:
    for resource, pool, label in _pools(ctx):
        if truthy(pool.get("enableNodePublicIP")):
            yield Violation(f"{label}: nodes get public IPs; set enable_node_public_ip = false", resource)
        if not known(pool.get("vnetSubnetID")) and not is_unknown(pool.get("vnetSubnetID")):
            yield Violation(
                f"{label}: no vnet_subnet_id, so AKS puts nodes in a VNet of its own outside our NAT and "
                "network rules; give it the node subnet",
                resource,
            )
    for scale_set in ctx.resources(SCALE_SET):
        network = as_dict(as_dict(scale_set.inputs.get("virtualMachineProfile")).get("networkProfile"))
        for nic in (as_dict(n) for n in as_list(network.get("networkInterfaceConfigurations"))):
            for ip in (as_dict(i) for i in as_list(nic.get("ipConfigurations"))):
                if ip.get("publicIPAddressConfiguration"):
                    yield Violation("gives instances public IPs; remove public_ip_address_configuration", scale_set)


def check_cluster_endpoint_restricted(ctx: PolicyContext) -> Iterator[Violation]:
    for cluster in ctx.resources(MANAGED_CLUSTER):
        access = as_dict(cluster.inputs.get("apiServerAccessProfile"))
        if truthy(access.get("enablePrivateCluster")):
            continue
        ranges = access.get("authorizedIPRanges")
        if not as_list(ranges) and not is_unknown(ranges):
            yield Violation(
                "public API server with no authorized_ip_ranges, which AKS treats as open to the internet; "
                "list the allowed CIDRs or make the cluster private",
                cluster,
            )
        open_ranges = [str(c) for c in as_list(ranges) if is_open_network(c)]
        if open_ranges:
            yield Violation(
                f"public API server open to {', '.join(open_ranges)}; list only the networks that need it", cluster
            )
