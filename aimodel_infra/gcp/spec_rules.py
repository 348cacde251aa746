"""What GCP would refuse in a spec that is otherwise valid, checked without any SDK."""

from __future__ import annotations

import re

from aimodel_infra.catalog import Catalog
from aimodel_infra.errors import Problem
from aimodel_infra.spec.checks import physical_bucket_prefix
from aimodel_infra.spec.models import Environment

#: Compute Engine image references: a global image or an image family of a project.
IMAGE = re.compile(r"projects/[a-z][-a-z0-9]*/global/images/(family/)?[a-z][-a-z0-9]*")
IMAGE_FORMS = "projects/<project>/global/images/<image> or .../images/family/<family>"


def gcp_problems(env: Environment, catalog: Catalog) -> list[Problem]:
    problems = []
    for i, group in enumerate(env.autoscaling_groups):
        if group.image != "deep-learning" and not IMAGE.fullmatch(group.image):
            problems.append(
                Problem(
                    f"autoscaling_groups[{i}].image",
                    f"{group.image!r} is not a valid gcp image; use 'deep-learning' or {IMAGE_FORMS}",
                )
            )
    for i, bucket in enumerate(env.buckets):
        prefix = physical_bucket_prefix(env, bucket)
        # Cloud Storage bucket naming: "cannot begin with the goog prefix" or contain "google".
        if "google" in prefix or prefix.startswith("goog"):
            problems.append(
                Problem(f"buckets[{i}].name", "GCS bucket names must not contain 'google' or start with 'goog'")
            )
    problems += gcp_input_problems(env)
    return problems


# -- limits checked for issue 14 (inputs): addresses, key names, label counts ----------------------
#: Google Cloud reserves four addresses in every subnet's primary range (VPC docs, "Reserved IP
#: addresses in IPv4 subnets"); nodes and VMs take one address each from it.
GCP_RESERVED_PER_SUBNET = 4
#: GKE gives each node a /24 of the Pod range at the default of 110 Pods per node (GKE docs,
#: "Configure maximum Pods per node": the range per node is twice the max Pods, rounded up).
GKE_POD_RANGE_PER_NODE = 256
#: Cloud KMS key resource names (Cloud KMS docs, "Resource names"); the key ring's location must be the
#: bucket's location (Cloud Storage docs, "Customer-managed encryption keys": same location as the data).
KMS_KEY_NAME = re.compile(
    r"projects/[a-z][-a-z0-9]{4,28}[a-z0-9]/locations/(?P<location>[a-z0-9-]+)/keyRings/[\w-]{1,63}/cryptoKeys/[\w-]{1,63}"
)
#: Compute Engine allows 64 labels per resource (Resource Manager docs, "Labels: requirements").
GCP_LABEL_LIMIT = 64
#: Labels the builders add to every resource (environment, managed-by) and to nodes (pool, capacity...).
GCP_LABELS_ADDED = 2 + 4


def gcp_input_problems(env: Environment) -> list[Problem]:
    from aimodel_infra.spec.checks import AddressNeeds, address_capacity_problems

    needs = AddressNeeds(
        network_per_node=1,
        network_capacity=max(0, env.network.cidr.num_addresses - GCP_RESERVED_PER_SUBNET),
        pod_range_per_node=GKE_POD_RANGE_PER_NODE,
        basis="1 per GKE node and VM; pods use the pod_cidr secondary range",
    )
    problems = address_capacity_problems(env, needs)
    for i, bucket in enumerate(env.buckets):
        key = bucket.customer_key_id
        if key is None:
            continue
        path = f"buckets[{i}].customer_key_id"
        match = KMS_KEY_NAME.fullmatch(key)
        if match is None:
            problems.append(
                Problem(
                    path,
                    f"{key[:80]!r} is not a Cloud KMS key name; use projects/<project>/locations/{env.region}/"
                    "keyRings/<ring>/cryptoKeys/<key>",
                )
            )
        elif match.group("location") != env.region:
            problems.append(
                Problem(
                    path,
                    f"the key ring is in {match.group('location')} but the bucket is in {env.region}; Cloud "
                    "Storage needs the key in the bucket's location",
                )
            )
    from aimodel_infra.spec.paths import compute_path

    for compute in [*env.node_pools, *env.autoscaling_groups]:
        count = len({**compute.labels, **env.tags}) + GCP_LABELS_ADDED
        if count > GCP_LABEL_LIMIT:
            problems.append(
                Problem(
                    f"{compute_path(env, compute.name)}.labels",
                    f"its VMs would carry {count} labels; Google Cloud allows {GCP_LABEL_LIMIT}: "
                    f"remove {count - GCP_LABEL_LIMIT}",
                )
            )
    return problems
