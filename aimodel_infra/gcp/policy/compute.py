"""Rules on what runs nodes and VMs: secrets encryption, external IPs, the metadata server, the API
endpoint, and the GPU quota they need."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from aimodel_infra.gcp.policy.types import (
    AUTOSCALER_TYPES,
    CLUSTER,
    GROUP_MANAGER_TYPES,
    INSTANCE,
    INSTANCE_TEMPLATE_TYPES,
    NODE_POOL,
)
from aimodel_infra.gcp.quota import GpuDemand, quota_needs
from aimodel_infra.policy.engine import PolicyContext, Violation
from aimodel_infra.policy.values import as_dict, as_list, is_open_network, is_unknown, known, truthy

ACCELERATOR_LABEL = "aimodel-accelerator"
ACCELERATOR_COUNT_LABEL = "aimodel-accelerator-count"


def unencrypted_cluster_secrets(ctx: PolicyContext) -> Iterator[Violation]:
    for cluster in ctx.resources(CLUSTER):
        encryption = as_dict(cluster.inputs.get("databaseEncryption"))
        key = encryption.get("keyName")
        if known(encryption.get("state")) != "ENCRYPTED" or not (key or is_unknown(key)):
            yield Violation(
                "Kubernetes secrets are not encrypted with a Cloud KMS key; set database_encryption "
                "state ENCRYPTED with a key_name",
                cluster,
            )


def check_gpu_nodes_private(ctx: PolicyContext) -> Iterator[Violation]:
    for cluster in ctx.resources(CLUSTER):
        private = as_dict(cluster.inputs.get("privateClusterConfig"))
        if not truthy(private.get("enablePrivateNodes")) and not is_unknown(private.get("enablePrivateNodes")):
            yield Violation("nodes get external IPs; set private_cluster_config.enable_private_nodes = true", cluster)
    for pool in ctx.resources(NODE_POOL):
        network = as_dict(pool.inputs.get("networkConfig"))
        if known(network.get("enablePrivateNodes")) is False:
            yield Violation("overrides private nodes off; remove network_config.enable_private_nodes", pool)
    for r in ctx.resources(*INSTANCE_TEMPLATE_TYPES, INSTANCE):
        interfaces = [as_dict(i) for i in as_list(r.inputs.get("networkInterfaces"))]
        if any(as_list(i.get("accessConfigs")) for i in interfaces):
            yield Violation("a network interface has access_configs (an external IP); remove them", r)


def _legacy_endpoints_off(metadata: Any) -> bool:
    return str(as_dict(metadata).get("disable-legacy-endpoints", "")).lower() == "true"


def check_metadata_protected(ctx: PolicyContext) -> Iterator[Violation]:
    """GCP's side of imdsv2-required: pods must not read node credentials from the metadata server."""
    for pool in ctx.resources(NODE_POOL):
        config = as_dict(pool.inputs.get("nodeConfig"))
        mode = known(as_dict(config.get("workloadMetadataConfig")).get("mode"))
        if mode != "GKE_METADATA":
            yield Violation(
                f"workload_metadata_config.mode is {mode!r}; set GKE_METADATA so pods cannot read the node's token",
                pool,
            )
        if not _legacy_endpoints_off(config.get("metadata")):
            yield Violation("legacy metadata endpoints are on; set metadata disable-legacy-endpoints = 'true'", pool)


def check_cluster_endpoint_restricted(ctx: PolicyContext) -> Iterator[Violation]:
    for cluster in ctx.resources(CLUSTER):
        private = as_dict(cluster.inputs.get("privateClusterConfig"))
        if truthy(private.get("enablePrivateEndpoint")):
            continue
        networks = cluster.inputs.get("masterAuthorizedNetworksConfig")
        blocks = [as_dict(b).get("cidrBlock") for b in as_list(as_dict(networks).get("cidrBlocks"))]
        if not as_dict(networks) and not is_unknown(networks):
            yield Violation(
                "public API endpoint without master authorized networks, so the whole internet can reach it; "
                "list the allowed CIDRs or make the endpoint private",
                cluster,
            )
            continue
        if not blocks:
            yield Violation("public API endpoint with no authorized CIDRs; list them or make it private", cluster)
        if truthy(as_dict(networks).get("gcpPublicCidrsAccessEnabled")):
            yield Violation("authorized networks admit every Google Cloud public IP; set it false", cluster)
        open_cidrs = [str(c) for c in blocks if is_open_network(c)]
        if open_cidrs:
            yield Violation(
                f"public API endpoint open to {', '.join(open_cidrs)}; list only the networks that need it", cluster
            )


# -- gpu-quota ------------------------------------------------------------------------------------
def _pool_demands(ctx: PolicyContext) -> Iterator[GpuDemand]:
    for pool in ctx.resources(NODE_POOL):
        config = as_dict(pool.inputs.get("nodeConfig"))
        autoscaling = as_dict(pool.inputs.get("autoscaling"))
        zones = len(as_list(pool.inputs.get("nodeLocations"))) or 1
        high = known(autoscaling.get("totalMaxNodeCount"))
        if high is None:  # per-zone limits or a fixed size
            per_zone = known(autoscaling.get("maxNodeCount")) or known(pool.inputs.get("nodeCount")) or 0
            high = per_zone * zones
        for accelerator in (as_dict(a) for a in as_list(config.get("guestAccelerators"))):
            kind, count = known(accelerator.get("type")), known(accelerator.get("count"))
            if isinstance(kind, str) and isinstance(count, int):
                yield GpuDemand(pool.name, ctx.env.region, kind, count, int(high), truthy(config.get("spot")))


def _template_gpus(template: Any) -> tuple[str, int] | None:
    labels = as_dict(template.inputs.get("labels"))
    kind, count = known(labels.get(ACCELERATOR_LABEL)), known(labels.get(ACCELERATOR_COUNT_LABEL))
    if isinstance(kind, str) and count is not None:
        return kind, int(count)
    for accelerator in (as_dict(a) for a in as_list(template.inputs.get("guestAccelerators"))):
        if isinstance(known(accelerator.get("type")), str):
            return accelerator["type"], int(known(accelerator.get("count")) or 1)
    return None


def _group_demands(ctx: PolicyContext) -> Iterator[GpuDemand]:
    """A group's GPUs: its template's accelerator times its autoscaler's maximum (matched by dependency)."""
    for group in ctx.resources(*GROUP_MANAGER_TYPES):
        templates = [t for t in ctx.resources(*INSTANCE_TEMPLATE_TYPES) if t.urn in group.dependencies]
        scalers = [s for s in ctx.resources(*AUTOSCALER_TYPES) if group.urn in s.dependencies]
        if not templates or not scalers:
            continue
        gpus = _template_gpus(templates[0])
        high = known(as_dict(scalers[0].inputs.get("autoscalingPolicy")).get("maxReplicas"))
        if gpus is None or high is None:
            continue
        spot = known(as_dict(templates[0].inputs.get("scheduling")).get("provisioningModel")) == "SPOT"
        yield GpuDemand(group.name, ctx.env.region, gpus[0], gpus[1], int(high), spot)


def check_gpu_quota(ctx: PolicyContext) -> Iterator[Violation]:
    """Advisory: the GPU quota each metric needs at maximum size, to request before deploying."""
    for need in quota_needs([*_pool_demands(ctx), *_group_demands(ctx)]):
        where = "across all regions" if need.region == "global" else f"in {need.region}"
        yield Violation(
            f"needs {need.gpus} GPUs of quota {need.metric} {where} at maximum size ({', '.join(need.units)}); "
            "check `gcloud compute regions describe` / the Quotas page and request an increase before deploying"
        )
