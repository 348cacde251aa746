"""What Azure would refuse in a spec that is otherwise valid, checked without any SDK."""

from __future__ import annotations

import re

from aimodel_infra.catalog import Catalog
from aimodel_infra.errors import Problem
from aimodel_infra.spec.checks import physical_bucket_prefix
from aimodel_infra.spec.models import Environment

#: An image resource id, or a Marketplace image URN publisher:offer:sku:version.
IMAGE = re.compile(r"(/subscriptions/.+/providers/Microsoft\.Compute/.+|[^:\s]+:[^:\s]+:[^:\s]+:[^:\s]+)", re.I)
IMAGE_FORMS = "an image resource id (/subscriptions/...) or a publisher:offer:sku:version URN"


def azure_problems(env: Environment, catalog: Catalog) -> list[Problem]:
    problems = []
    for i, group in enumerate(env.autoscaling_groups):
        if group.image != "deep-learning" and not IMAGE.fullmatch(group.image):
            problems.append(
                Problem(
                    f"autoscaling_groups[{i}].image",
                    f"{group.image!r} is not a valid azure image; use 'deep-learning' or {IMAGE_FORMS}",
                )
            )
    for i, bucket in enumerate(env.buckets):
        prefix = physical_bucket_prefix(env, bucket)
        if "--" in prefix:
            # The bucket name cannot hold '--', but the environment name in front of it can.
            problems.append(
                Problem(f"buckets[{i}].name", f"'{prefix}' has '--'; Azure container names allow only single hyphens")
            )
    problems += azure_input_problems(env)
    return problems


# -- limits checked for issue 14 (inputs): addresses, key ids ---------------------------------------
#: Azure reserves five addresses in every subnet (Virtual Network FAQ, "Are there any restrictions on
#: using IP addresses within these subnets?"); nodes and VMs take one address each.
AZURE_RESERVED_PER_SUBNET = 5
#: Azure CNI Overlay gives each node a /24 of the pod CIDR (AKS docs, "Azure CNI Overlay networking").
AKS_POD_RANGE_PER_NODE = 256
#: A Key Vault key identifier (Key Vault docs, "Keys, secrets and certificates: object identifiers").
#: The URL carries no region, so the key's region cannot be checked offline.
KEY_VAULT_KEY = re.compile(
    r"https://[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]\.vault\.azure\.net/keys/[a-zA-Z0-9-]{1,127}(/[0-9a-f]{32})?"
)


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
        if key is not None and not KEY_VAULT_KEY.fullmatch(key):
            problems.append(
                Problem(
                    f"buckets[{i}].customer_key_id",
                    f"{key[:80]!r} is not a Key Vault key identifier; use https://<vault>.vault.azure.net/keys/<key>"
                    "[/<version>]",
                )
            )
    return problems
