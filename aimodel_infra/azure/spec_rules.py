"""What Azure would refuse in a spec that is otherwise valid, checked without any SDK.

The builder runs these before creating anything and ``aimodel-infra validate`` runs them through
the registry, so an Azure-only limit is reported offline together with every other problem.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from aimodel_infra.azure.bucket_plan import given_key
from aimodel_infra.azure.names import SYSTEM_POOL_NAME
from aimodel_infra.azure.node_plan import AKS_RESERVED_PREFIX, plan_agent_pools
from aimodel_infra.azure.versions import aks_version, aks_versions, cluster_version
from aimodel_infra.catalog import Catalog
from aimodel_infra.errors import CatalogError, Problem
from aimodel_infra.spec.checks import physical_bucket_prefix
from aimodel_infra.spec.cloud_settings import AksTier
from aimodel_infra.spec.models import Environment, NatMode

#: An image resource id, or a Marketplace image URN publisher:offer:sku:version.
IMAGE = re.compile(r"(/subscriptions/.+/providers/Microsoft\.Compute/.+|[^:\s]+:[^:\s]+:[^:\s]+:[^:\s]+)", re.I)
IMAGE_FORMS = "an image resource id (/subscriptions/...) or a publisher:offer:sku:version URN"

#: AKS refuses these for the VNet, pod and service ranges: "AKS clusters may not use 169.254.0.0/16,
#: 172.30.0.0/16, 172.31.0.0/16, or 192.0.2.0/24" (AKS networking docs, "Kubernetes service address range").
AKS_RESERVED_RANGES = tuple(
    ipaddress.IPv4Network(cidr) for cidr in ("169.254.0.0/16", "172.30.0.0/16", "172.31.0.0/16", "192.0.2.0/24")
)
#: "Uncommitted blocks will expire and be permanently deleted after 7 days" (BlockBlobClient.CommitBlockList docs);
#: Azure has no setting for it.
UNCOMMITTED_BLOCK_DAYS = 7
#: "Budget can have up to five notifications" [SDK consumption.Budget docstring]; one is the forecast alert.
MAX_NOTIFICATIONS = 5


def azure_problems(env: Environment, catalog: Catalog) -> list[Problem]:
    """Every Azure-only problem of a valid spec, found before any resource exists."""
    return [
        *settings_problems(env),
        *egress_problems(env),
        *reserved_range_problems(env),
        *version_problems(env, catalog),
        *pool_problems(env, catalog),
        *image_problems(env),
        *bucket_problems(env),
        *budget_problems(env),
        *azure_input_problems(env),
    ]


def image_problems(env: Environment) -> Iterator[Problem]:
    for i, group in enumerate(env.autoscaling_groups):
        if group.image != "deep-learning" and not IMAGE.fullmatch(group.image):
            yield Problem(
                f"autoscaling_groups[{i}].image",
                f"{group.image!r} is not a valid azure image; use 'deep-learning' or {IMAGE_FORMS}",
            )


def settings_problems(env: Environment) -> Iterator[Problem]:
    if env.azure is None:
        yield Problem(
            "azure",
            "an Azure environment needs an 'azure:' block with subscription_id (the subscription to build in), "
            "e.g. azure: {subscription_id: 8f3c2a1e-5b7d-4c9e-a2f1-6d4b8e0c7a35}",
        )
        return
    if env.autoscaling_groups and env.azure.ssh_public_key is None:
        yield Problem(
            "azure.ssh_public_key",
            "GPU VM groups on Azure log in with an SSH key only (passwords are off); give an OpenSSH public key "
            "('ssh-ed25519 AAAA...')",
        )


def egress_problems(env: Environment) -> Iterator[Problem]:
    """AKS egress here is one NAT gateway on the one node subnet (outbound type userAssignedNATGateway)."""
    if env.network.nat is NatMode.PER_ZONE:
        yield Problem(
            "network.nat",
            "'per-zone' has no Azure equivalent here: a subnet takes one NAT gateway and all nodes share one "
            "node subnet, so zonal NAT gateways would need one subnet (and one pool) per zone; use 'single' "
            "(one regional NAT gateway with a static public IP)",
        )
    if env.network.nat is NatMode.NONE and env.cluster is not None:
        yield Problem(
            "network.nat",
            "an AKS cluster needs outbound access (node bootstrap, image pulls) and Azure's default outbound "
            "access is being retired; use 'single', or remove the cluster",
        )


def reserved_range_problems(env: Environment) -> Iterator[Problem]:
    net = env.network
    for path, cidr in (
        ("network.cidr", net.cidr),
        ("network.pod_cidr", net.pod_cidr),
        ("network.service_cidr", net.service_cidr),
    ):
        clashes = [str(r) for r in AKS_RESERVED_RANGES if cidr.overlaps(r)]
        if clashes:
            yield Problem(path, f"{cidr} overlaps {', '.join(clashes)}, which AKS reserves; choose another range")


def version_problems(env: Environment, catalog: Catalog) -> Iterator[Problem]:
    if env.cluster is None:
        return
    version = cluster_version(env.cluster, catalog)
    found = aks_version(catalog, version)
    path = "cluster.kubernetes_version"
    if found is None:
        known = ", ".join(aks_versions(catalog))
        yield Problem(path, f"AKS does not offer Kubernetes {version} (per our version data); offered: {known}")
        return
    tier = env.azure.cluster_tier if env.azure is not None else AksTier.STANDARD
    if found.lts_only and tier is not AksTier.PREMIUM:
        standard = [v for v in aks_versions(catalog) if not (aks_version(catalog, v) or found).lts_only]
        yield Problem(
            path,
            f"AKS offers {version} only under long-term support, which needs the Premium tier "
            f"(azure.cluster_tier: Premium, billed as Premium); got tier {tier.value}. "
            f"Use a standard-support version ({', '.join(standard)}) or set the Premium tier [{found.source}]",
        )


def pool_problems(env: Environment, catalog: Catalog) -> Iterator[Problem]:
    """Derived agent pool names must be distinct (and not the system pool's); labels and taints must not
    use AKS's reserved prefix; the VM size must be offered (the catalog check reports the details)."""
    owners: dict[str, str] = {SYSTEM_POOL_NAME: "the system pool"}
    for i, pool in enumerate(env.node_pools):
        path = f"node_pools[{i}]"
        try:
            plans = plan_agent_pools(pool, catalog, env.region)
        except CatalogError:
            continue  # the catalog check already says what is offered
        for plan in plans:
            other = owners.setdefault(plan.name, pool.name)
            if other != pool.name:
                yield Problem(
                    f"{path}.name",
                    f"becomes AKS agent pool {plan.name!r} (1-12 lowercase letters and digits), the same as "
                    f"{other}; rename one of them",
                )
        for key in pool.labels:
            if key.startswith(AKS_RESERVED_PREFIX):
                yield Problem(f"{path}.labels", f"label {key!r} uses the prefix {AKS_RESERVED_PREFIX!r} AKS reserves")
        for j, taint in enumerate(pool.taints):
            if taint.key.startswith(AKS_RESERVED_PREFIX):
                yield Problem(
                    f"{path}.taints[{j}].key",
                    f"taint {taint.key!r} uses the prefix {AKS_RESERVED_PREFIX!r} AKS reserves",
                )


def bucket_problems(env: Environment) -> Iterator[Problem]:
    for i, bucket in enumerate(env.buckets):
        prefix = physical_bucket_prefix(env, bucket)
        if "--" in prefix:
            # The bucket name cannot hold '--', but the environment name in front of it can.
            yield Problem(f"buckets[{i}].name", f"'{prefix}' has '--'; Azure container names allow only single hyphens")
        days = bucket.lifecycle.abort_incomplete_uploads_after_days
        if days != UNCOMMITTED_BLOCK_DAYS:
            yield Problem(
                f"buckets[{i}].lifecycle.abort_incomplete_uploads_after_days",
                f"Azure Blob Storage always deletes uncommitted blocks after {UNCOMMITTED_BLOCK_DAYS} days and "
                f"cannot be set otherwise; got {days}, use {UNCOMMITTED_BLOCK_DAYS} (or leave it out)",
            )


def budget_problems(env: Environment) -> Iterator[Problem]:
    if env.budget is None:
        return
    thresholds = sorted(set(env.budget.alert_thresholds_percent))
    allowed = MAX_NOTIFICATIONS - 1
    if len(thresholds) > allowed:
        yield Problem(
            "budget.alert_thresholds_percent",
            f"an Azure budget has at most {MAX_NOTIFICATIONS} notifications, one of them the forecast alert; "
            f"give at most {allowed} distinct thresholds, got {len(thresholds)}",
        )


# -- limits checked for issue 14 (inputs): addresses, key ids ---------------------------------------
#: Azure reserves five addresses in every subnet (Virtual Network FAQ, "Are there any restrictions on
#: using IP addresses within these subnets?"); nodes and VMs take one address each.
AZURE_RESERVED_PER_SUBNET = 5
#: Azure CNI Overlay gives each node a /24 of the pod CIDR (AKS docs, "Azure CNI Overlay networking").
AKS_POD_RANGE_PER_NODE = 256
#: A Key Vault key identifier (Key Vault docs, "Keys, secrets and certificates: object identifiers").
KEY_VAULT_KEY = re.compile(
    r"https://[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]\.vault\.azure\.net/keys/[a-zA-Z0-9-]{1,127}(/[0-9a-f]{32})?"
)
KEY_FORM = "/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<vault>/keys/<key>"


def azure_input_problems(env: Environment) -> list[Problem]:
    from aimodel_infra.spec.checks import AddressNeeds, address_capacity_problems

    needs = AddressNeeds(
        network_per_node=1,
        network_capacity=max(0, env.network.cidr.num_addresses - AZURE_RESERVED_PER_SUBNET),
        pod_range_per_node=AKS_POD_RANGE_PER_NODE,
        basis="1 per AKS node and VM; pods use the pod_cidr overlay",
    )
    problems = address_capacity_problems(env, needs)
    for i, bucket in enumerate(env.buckets):
        key = bucket.customer_key_id
        if key is None or given_key(key):
            continue
        if KEY_VAULT_KEY.fullmatch(key):
            detail = (
                "is a Key Vault key URL, which does not name the vault's resource group, so the stack cannot grant "
                "the storage account's identity use of the key; give the key's resource id"
            )
        else:
            detail = "is not a Key Vault key resource id; give"
        problems.append(Problem(f"buckets[{i}].customer_key_id", f"{key[:80]!r} {detail} {KEY_FORM}"))
    return problems
