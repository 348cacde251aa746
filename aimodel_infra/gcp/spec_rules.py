"""What GCP would refuse in a spec that is otherwise valid, checked without any SDK.

The builder runs these before creating anything, and ``aimodel-infra validate`` runs them through
the registry, so a GCP-only limit is reported offline with every other problem: a missing project
or billing account, GKE's reserved label prefixes, a control-plane /28 that collides with the
network, a machine type no zone offers, a regional pool that would start above its maximum, a
Kubernetes version GKE does not offer, more budget e-mails than Cloud Billing notifies.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator
from datetime import date

from aimodel_infra.catalog import Catalog
from aimodel_infra.errors import AimodelError, Problem, SpecError
from aimodel_infra.gcp.catalog_data import (
    cluster_version,
    has_version_data,
    known_kubernetes_versions,
    kubernetes_version,
    today,
)
from aimodel_infra.gcp.images import image_source
from aimodel_infra.gcp.node_plan import plan_groups, plan_node_pools
from aimodel_infra.spec.checks import physical_bucket_prefix
from aimodel_infra.spec.cloud_settings import GkeReleaseChannel
from aimodel_infra.spec.models import Bucket, Compute, Environment

#: GKE rejects node labels with these prefixes (``NodePoolNodeConfigArgs.labels`` docstring:
#: "Kubernetes labels ... prefixed with kubernetes.io/ or k8s.io/ are rejected"; the system
#: subdomains under them too).
RESERVED_LABEL_PREFIXES = ("kubernetes.io/", "k8s.io/")
RESERVED_LABEL_SUFFIXES = (".kubernetes.io/", ".k8s.io/")
#: Cloud Billing budgets notify at most five monitoring channels (``BudgetAllUpdatesRuleArgs``:
#: "A maximum of 5 channels are allowed"); one channel per e-mail address.
MAX_NOTIFICATION_CHANNELS = 5


def gcp_problems(env: Environment, catalog: Catalog) -> list[Problem]:
    """Everything GCP would refuse in an otherwise valid spec, found before any resource exists."""
    problems = [*settings_problems(env), *control_plane_problems(env), *version_problems(env, catalog)]
    for i, pool in enumerate(env.node_pools):
        path = f"node_pools[{i}]"
        problems += label_problems(pool, path)
        problems += _problems_of(path, lambda p=pool, path=path: plan_node_pools(env, p, catalog, path))
    for i, group in enumerate(env.autoscaling_groups):
        path = f"autoscaling_groups[{i}]"
        problems += _problems_of(path, lambda g=group, path=path: plan_groups(env, g, catalog, path))
        problems += _problems_of(f"{path}.image", lambda g=group, path=path: image_source(g.image, f"{path}.image"))
    for i, bucket in enumerate(env.buckets):
        problems += bucket_problems(env, bucket, f"buckets[{i}]")
    problems += budget_problems(env)
    problems += gcp_input_problems(env)
    return problems


def bucket_problems(env: Environment, bucket: Bucket, path: str) -> list[Problem]:
    """Cloud Storage naming: a bucket name "cannot begin with the goog prefix" or contain "google"."""
    prefix = physical_bucket_prefix(env, bucket)
    if "google" in prefix or prefix.startswith("goog"):
        return [Problem(f"{path}.name", "GCS bucket names must not contain 'google' or start with 'goog'")]
    return []


def settings_problems(env: Environment) -> list[Problem]:
    """The project (always) and the billing account (with a budget) are facts only the user knows."""
    if env.gcp is None:
        return [
            Problem(
                "gcp.project",
                "GCP needs the project to build in; add 'gcp: {project: <project id>}' "
                "(and billing_account: XXXXXX-XXXXXX-XXXXXX when a budget is declared)",
            )
        ]
    if env.budget is not None and env.gcp.billing_account is None:
        return [
            Problem(
                "gcp.billing_account",
                "a budget on GCP is created on a Cloud Billing account; add gcp.billing_account "
                "(XXXXXX-XXXXXX-XXXXXX, see `gcloud billing accounts list`) or remove the budget",
            )
        ]
    return []


def control_plane_problems(env: Environment) -> list[Problem]:
    """The private control plane's /28 must not overlap any range the nodes, pods or services use."""
    if env.cluster is None or env.gcp is None:
        return []
    block = env.gcp.control_plane_cidr
    network = env.network
    ranges: dict[str, ipaddress.IPv4Network] = {
        "network.cidr": network.cidr,
        "network.pod_cidr": network.pod_cidr,
        "network.service_cidr": network.service_cidr,
    }
    return [
        Problem("gcp.control_plane_cidr", f"{block} overlaps {field} {cidr}; choose a /28 outside it")
        for field, cidr in ranges.items()
        if block.overlaps(cidr)
    ]


def label_problems(compute: Compute, path: str) -> list[Problem]:
    return [
        Problem(
            f"{path}.labels",
            f"GKE rejects node labels under kubernetes.io/ and k8s.io/; {key!r} is one, use your own prefix",
        )
        for key in compute.labels
        if key.startswith(RESERVED_LABEL_PREFIXES) or any(s in key for s in RESERVED_LABEL_SUFFIXES)
    ]


def version_problems(env: Environment, catalog: Catalog, on: date | None = None) -> list[Problem]:
    """The version must be one GKE offers, still supported in the chosen channel.

    Without version data in the catalog nothing is decided offline: the build then checks the
    version against ``getEngineVersions`` at deploy time (see :mod:`aimodel_infra.gcp.cluster`).
    """
    if env.cluster is None or not has_version_data(catalog):
        return []
    try:
        version = cluster_version(env, catalog, on)
    except AimodelError as error:  # the catalog knows no default for the day
        return [Problem("cluster.kubernetes_version", str(error))]
    if version is None:
        return []
    record = kubernetes_version(catalog, version)
    path = "cluster.kubernetes_version"
    if record is None:
        known = ", ".join(known_kubernetes_versions(catalog))
        return [
            Problem(path, f"Kubernetes {version} is not among the GKE versions the catalog lists ({known}); use one")
        ]
    channel = env.gcp.release_channel if env.gcp else GkeReleaseChannel.REGULAR
    day = on or today()
    standard_end = getattr(record, "standard_support_end", None)
    extended_end = getattr(record, "extended_support_end", None)
    if channel is GkeReleaseChannel.EXTENDED:
        if extended_end is not None and extended_end < day:
            return [Problem(path, f"GKE extended support for {version} ended on {extended_end}; use a newer version")]
        if extended_end is None and standard_end is not None and standard_end < day:
            return [
                Problem(
                    path,
                    f"GKE standard support for {version} ended on {standard_end} and the catalog's sources give no "
                    "end date for its Extended-channel support, so it cannot be checked offline; use a newer version",
                )
            ]
        return []
    if standard_end is not None and standard_end < day:
        hint = " or gcp.release_channel: EXTENDED" if extended_end and extended_end >= day else ""
        return [
            Problem(
                path,
                f"GKE standard support for {version} ended on {standard_end}, so the {channel.value} channel no "
                f"longer offers it; use a newer version{hint}",
            )
        ]
    return []


def budget_problems(env: Environment) -> list[Problem]:
    if env.budget is None:
        return []
    emails = set(env.budget.alert_emails)
    if len(emails) <= MAX_NOTIFICATION_CHANNELS:
        return []
    return [
        Problem(
            "budget.alert_emails",
            f"a Cloud Billing budget notifies at most {MAX_NOTIFICATION_CHANNELS} channels (one per address); "
            f"got {len(emails)}: use a group address",
        )
    ]


def _problems_of(path: str, plan: Callable[[], object]) -> Iterator[Problem]:
    try:
        plan()
    except SpecError as error:
        yield from error.problems
    except AimodelError as error:
        yield Problem(path, str(error))


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
