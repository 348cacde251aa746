"""Rules on what runs instances: disks, IP addresses, instance metadata, the cluster endpoint."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from aimodel_infra.aws.policy.types import AUTOSCALING_GROUP, EKS_CLUSTER, INSTANCE, LAUNCH_TEMPLATE, NODE_GROUP, SUBNET
from aimodel_infra.policy.engine import PolicyContext, Violation
from aimodel_infra.policy.values import as_dict, as_list, is_open_network, is_unknown, known, truthy


def unencrypted_disks(ctx: PolicyContext) -> Iterator[Violation]:
    for template in ctx.resources(LAUNCH_TEMPLATE):
        devices = [as_dict(m) for m in as_list(template.inputs.get("blockDeviceMappings")) if as_dict(m).get("ebs")]
        if not devices:
            yield Violation(
                "declares no EBS block device, so the root volume's encryption is whatever the image "
                "and account default say; declare the root device with ebs.encrypted = true",
                template,
            )
        for device in devices:
            if not truthy(as_dict(device["ebs"]).get("encrypted")):
                name = known(device.get("deviceName")) or "(unnamed)"
                yield Violation(f"EBS device {name} is not encrypted; set ebs.encrypted = true", template)


def node_groups_without_disk_settings(ctx: PolicyContext) -> Iterator[Violation]:
    """A managed node group without a launch template gets EKS's default disk, encrypted only if
    the account's EBS default encryption happens to be on."""
    for group in ctx.resources(NODE_GROUP):
        if not as_dict(group.inputs.get("launchTemplate")) and not is_unknown(group.inputs.get("launchTemplate")):
            yield Violation(
                "has no launch template, so its disks' encryption is left to the account default; "
                "give it a launch template with encrypted EBS devices",
                group,
            )


def unencrypted_cluster_secrets(ctx: PolicyContext) -> Iterator[Violation]:
    for cluster in ctx.resources(EKS_CLUSTER):
        config = as_dict(cluster.inputs.get("encryptionConfig"))
        key = as_dict(config.get("provider")).get("keyArn")
        if "secrets" not in as_list(config.get("resources")) or not (key or is_unknown(key)):
            yield Violation(
                "Kubernetes secrets are not envelope-encrypted; set encryption_config with "
                "resources ['secrets'] and a KMS key",
                cluster,
            )


def _public_subnets(ctx: PolicyContext, subnet_ids: list[Any]) -> list[str]:
    subnets = [ctx.by_physical_id(known(s)) for s in subnet_ids]
    return [s.name for s in subnets if s and s.type == SUBNET and truthy(s.inputs.get("mapPublicIpOnLaunch"))]


def check_gpu_nodes_private(ctx: PolicyContext) -> Iterator[Violation]:
    groups = [(g, g.inputs.get("subnetIds")) for g in ctx.resources(NODE_GROUP)]
    groups += [(g, g.inputs.get("vpcZoneIdentifiers")) for g in ctx.resources(AUTOSCALING_GROUP)]
    for group, subnet_ids in groups:
        if not as_list(subnet_ids) and not is_unknown(subnet_ids):
            yield Violation(
                "names no subnets, so instances land in the default VPC's public subnets; give it the private subnets",
                group,
            )
        public = _public_subnets(ctx, as_list(subnet_ids))
        if public:
            yield Violation(f"uses subnets that assign public IPs ({', '.join(public)}); use private subnets", group)
    for template in ctx.resources(LAUNCH_TEMPLATE):
        interfaces = [as_dict(i) for i in as_list(template.inputs.get("networkInterfaces"))]
        if any(truthy(i.get("associatePublicIpAddress")) for i in interfaces):
            yield Violation(
                "associates a public IP; set associate_public_ip_address = 'false' on its interfaces", template
            )
    for instance in ctx.resources(INSTANCE):
        if truthy(instance.inputs.get("associatePublicIpAddress")):
            yield Violation("has a public IP; set associate_public_ip_address = false", instance)


def check_imdsv2_required(ctx: PolicyContext) -> Iterator[Violation]:
    for r in ctx.resources(LAUNCH_TEMPLATE, INSTANCE):
        options = as_dict(r.inputs.get("metadataOptions"))
        tokens, endpoint = known(options.get("httpTokens")), known(options.get("httpEndpoint"))
        if tokens != "required" and endpoint != "disabled":
            shown = repr(tokens) if tokens else "unset (IMDSv1 allowed)"
            yield Violation(f"metadata_options.http_tokens is {shown}; set it to 'required'", r)


def check_cluster_endpoint_restricted(ctx: PolicyContext) -> Iterator[Violation]:
    for cluster in ctx.resources(EKS_CLUSTER):
        vpc = as_dict(cluster.inputs.get("vpcConfig"))
        if known(vpc.get("endpointPublicAccess")) is False:  # unset means public: the EKS default
            continue
        cidrs = vpc.get("publicAccessCidrs")
        if not as_list(cidrs) and not is_unknown(cidrs):
            yield Violation(
                "public API endpoint with no public_access_cidrs, which AWS treats as 0.0.0.0/0; "
                "list the allowed CIDRs or make the endpoint private",
                cluster,
            )
        open_cidrs = [str(c) for c in as_list(cidrs) if is_open_network(c)]
        if open_cidrs:
            yield Violation(
                f"public API endpoint open to {', '.join(open_cidrs)}; list only the networks that need it", cluster
            )
