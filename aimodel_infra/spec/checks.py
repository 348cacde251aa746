"""Rules that need more than one field or the catalog, each reported with its field path.

They run after pydantic has accepted the document's structure, and they collect every problem
instead of stopping at the first, so one run of ``validate`` shows the user everything to fix.
"""

# No ``from __future__ import annotations``: typing.NamedTuple compiles each string annotation into a
# ForwardRef when the class is created, ~10 us per field on every cold start of ``validate`` and ``cost``.
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from aimodel_infra.catalog import Catalog
from aimodel_infra.clouds import CLOUD_NAMES
from aimodel_infra.errors import Problem, close_matches
from aimodel_infra.plan.naming import AUTONAME_SUFFIX
from aimodel_infra.spec.models import Bucket, Compute, Environment
from aimodel_infra.spec.paths import compute_index_path

#: Auto-naming appends '-' and 7 random characters to a bucket's logical name.
AUTONAME_SUFFIX_LENGTH = AUTONAME_SUFFIX
BUCKET_NAME_MAX = 63


def check_environment(env: Environment, catalog: Catalog) -> list[Problem]:
    """Every problem with an already well-formed environment; empty when it can be built."""
    return [
        *_check_region(env, catalog),
        *_check_names(env),
        *_check_derived_names(env),
        *_check_kubernetes_version(env, catalog),
        *_check_endpoint(env),
        *_check_network(env, catalog),
        *_check_compute(env, catalog),
        *_check_buckets(env),
        *_check_policy_exceptions(env),
    ]


def _check_region(env: Environment, catalog: Catalog) -> Iterator[Problem]:
    known = catalog.regions(env.cloud.value)
    if known and env.region not in known:
        close = close_matches(env.region.lower(), known, n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        yield Problem("region", f"unknown {env.cloud.value} region {env.region!r}; {hint}known: {', '.join(known)}")


def _check_names(env: Environment) -> Iterator[Problem]:
    for index, name in _duplicated([c.name for c in env.compute]):
        yield Problem(
            f"{compute_index_path(env, index)}.name", f"duplicate name {name!r}; pools and groups need unique names"
        )
    for index, name in _duplicated([b.name for b in env.buckets]):
        yield Problem(f"buckets[{index}].name", f"duplicate bucket name {name!r}")
    if env.node_pools and env.cluster is None:
        yield Problem("cluster", "node_pools need a cluster; remove 'cluster: null' or the node pools")


def _check_network(env: Environment, catalog: Catalog) -> Iterator[Problem]:
    net = env.network
    ranges = {"network.cidr": net.cidr, "network.pod_cidr": net.pod_cidr, "network.service_cidr": net.service_cidr}
    items = list(ranges.items())
    for i, (path_a, a) in enumerate(items):
        for path_b, b in items[i + 1 :]:
            if a.overlaps(b):
                yield Problem(path_b, f"{b} overlaps {path_a} {a}; the ranges must be disjoint")
    zones = catalog.zones_of(env.cloud.value, env.region)
    if zones and net.zones > len(zones):
        yield Problem("network.zones", f"{env.region} has {len(zones)} zone(s) ({' '.join(zones)}); got {net.zones}")
    elif not zones and (env.cloud.value, env.region) in catalog.zones and net.zones > 1:
        # A listed region with an empty zone list has no availability zones (Azure westus, say).
        yield Problem("network.zones", f"{env.region} has no availability zones; use zones: 1; got {net.zones}")


def _check_compute(env: Environment, catalog: Catalog) -> Iterator[Problem]:
    for index, compute in enumerate(env.compute):
        path = compute_index_path(env, index)
        yield from _check_machine(env, compute, path, catalog)


def _check_machine(env: Environment, compute: Compute, path: str, catalog: Catalog) -> Iterator[Problem]:
    cloud, region = env.cloud.value, env.region
    if compute.accelerator is not None:
        request = gpu_request(compute, cloud, region, catalog)
        if request is None:
            close = catalog.suggest_accelerators(compute.accelerator)
            hint = f"did you mean {', '.join(close)}? " if close else ""
            yield Problem(
                f"{path}.accelerator",
                f"unknown accelerator {compute.accelerator!r}; {hint}known: {', '.join(catalog.accelerator_names())}",
            )
            return
        canonical, count = request
        offered = catalog.find(cloud, region, canonical, count)
        if compute.instance_type and _unpriced_pin(catalog, cloud, region, compute.instance_type, canonical, count):
            return  # a real type the data cannot price: accepted, and validate/cost say "not priced"
        if not offered:
            hint = _count_hint(compute, catalog, cloud, region, canonical)
            message = hint or _not_offered_message(catalog, cloud, region, canonical, count)
            yield Problem(f"{path}.accelerator", message)
            return
        if compute.instance_type and compute.instance_type not in {o.instance_type for o in offered}:
            choices = ", ".join(o.instance_type for o in offered)
            yield Problem(
                f"{path}.instance_type",
                f"{compute.instance_type} does not have {count} x {canonical}; in {region} that is {choices}",
            )
        return
    assert compute.instance_type is not None
    pinned = compute.instance_type
    if catalog.instance(cloud, region, pinned) is None and not _unpriced_pin(catalog, cloud, region, pinned):
        elsewhere = catalog.instance_regions(cloud, pinned)
        if not catalog.covers_region(cloud, region):
            detail = catalog.no_data_message(cloud, region)
        elif elsewhere:
            detail = f"not offered in {region}; offered in {', '.join(elsewhere)}"
        else:
            types = catalog.instance_types(cloud)
            close = close_matches(pinned, types, n=3, cutoff=0.6)
            hint = f"did you mean {', '.join(close)}? " if close else ""
            families = ", ".join(sorted(catalog.families(cloud)))
            detail = f"unknown {cloud} instance type; {hint}known families: {families}"
        yield Problem(f"{path}.instance_type", f"{pinned}: {detail}")


def _unpriced_pin(
    catalog: Catalog, cloud: str, region: str, instance_type: str, accelerator: str | None = None, count: int = 0
) -> bool:
    """A pinned type the data lists there without a price, or an unlisted size of a family the data knows."""
    listed = catalog.unpriced_instance(cloud, region, instance_type)
    if listed is not None:
        return accelerator is None or (listed.accelerator, listed.accelerator_count) == (accelerator, count)
    if catalog.instance_regions(cloud, instance_type) or not catalog.covers_region(cloud, region):
        return False  # listed elsewhere only (not offered here), or no data for the region at all
    return catalog.unlisted_instance(cloud, region, instance_type) is not None


def gpu_request(compute: Compute, cloud: str, region: str, catalog: Catalog) -> tuple[str, int] | None:
    """The (accelerator, GPUs per node) a compute item asks for, named as the catalog names them.

    A pinned GPU instance type says both on its own (``p5.48xlarge`` is 8 x H100): it fills in the
    accelerator when none is given (else the pool would be built as a CPU pool) and the count when
    none is given (else ``accelerator: H100`` + ``p5.48xlarge`` would be checked as 1 x H100).
    None for a CPU-only request or an accelerator name the catalog does not know.
    """
    pinned = None
    if compute.instance_type:
        pinned = catalog.instance(cloud, region, compute.instance_type)
        pinned = pinned or catalog.unpriced_instance(cloud, region, compute.instance_type)
    if compute.accelerator is None:
        return (pinned.accelerator, pinned.accelerator_count) if pinned and pinned.accelerator else None
    canonical = catalog.canonical_accelerator(compute.accelerator)
    if canonical is None:
        return None
    count_given = "accelerator_count" in compute.model_fields_set
    if not count_given and pinned is not None and pinned.accelerator == canonical:
        return canonical, pinned.accelerator_count
    return canonical, compute.accelerator_count or 1


def _count_hint(compute: Compute, catalog: Catalog, cloud: str, region: str, accelerator: str) -> str | None:
    """For an accelerator given without a count (which means 1): the counts this cloud sells it in,
    here, so ``accelerator: H100`` on AWS says "set accelerator_count: 8" instead of pointing at
    another cloud that sells single H100s."""
    if "accelerator_count" in compute.model_fields_set or compute.instance_type:
        return None
    here = [n for n in catalog.counts_offered(accelerator, cloud) if catalog.find(cloud, region, accelerator, n)]
    if not here:
        return None
    shapes = ", ".join(f"{n} ({catalog.find(cloud, region, accelerator, n)[0].instance_type})" for n in here)
    return (
        f"{accelerator} without accelerator_count means 1 GPU per node, which {cloud} does not sell in {region}; "
        f"it sells {accelerator} nodes with {shapes} GPUs: set accelerator_count: {here[0]}"
    )


def _not_offered_message(catalog: Catalog, cloud: str, region: str, accelerator: str, count: int) -> str:
    """ "Not offered" only where the data covers the region; else "no data" (see Catalog.not_offered_message)."""
    return catalog.not_offered_message(cloud, region, accelerator, count)


#: The policy rule an open API endpoint breaks; waiving it (with a reason) is the one way to keep one.
ENDPOINT_RULE = "cluster-endpoint-restricted"


def _check_endpoint(env: Environment) -> Iterator[Problem]:
    """``allowed_cidrs: [0.0.0.0/0]`` is a public API for everyone: refused by validate, as the preview's
    policy refuses it, unless the environment waives that rule with a reason."""
    if env.cluster is None or any(e.rule == ENDPOINT_RULE for e in env.policy_exceptions):
        return
    for index, cidr in enumerate(env.cluster.allowed_cidrs):
        if cidr.prefixlen == 0:
            yield Problem(
                f"cluster.allowed_cidrs[{index}]",
                f"{cidr} opens the API server to the whole internet; list the networks that need it (e.g. your "
                f"VPN egress 203.0.113.0/24), or waive the rule in policy_exceptions: rule {ENDPOINT_RULE}",
            )


def _check_kubernetes_version(env: Environment, catalog: Catalog) -> Iterator[Problem]:
    """A version no source documents on any cloud (``1.99``) fails here, when the catalog carries version
    data (``Catalog.kubernetes_versions``); without data only the syntax rule of the model applies.

    The data is only as complete as its sources (data/SOURCES.md): a version missing for one cloud but
    not newer than what another cloud documents (EKS 1.36 while AKS documents 1.37) may well exist, so it
    is not refused; ``validate`` warns that the catalog has no support dates for it.
    """
    listing = getattr(catalog, "kubernetes_versions", None)
    if env.cluster is None or listing is None or env.cluster.kubernetes_version is None:
        return
    cloud, version = env.cloud.value, env.cluster.kubernetes_version
    documented = [v for c in CLOUD_NAMES for v in listing(c)]
    if not documented:
        return
    newest = max(documented, key=lambda v: _minor(v.version))
    if _minor(version) > _minor(newest.version):
        offered = ", ".join(v.version for v in listing(cloud)) or "none"
        yield Problem(
            "cluster.kubernetes_version",
            f"Kubernetes {version} is newer than any version the catalog's sources document (newest: "
            f"{newest.version} on {newest.cloud}); {cloud} versions in the catalog: {offered}",
        )


def _minor(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".") if part.isdigit())


#: Words the builders append to a pool's or group's name to name what it becomes: its capacity
#: groups (plan.capacity), its bucket grants (``<pool>-access-<bucket>``). A name that is another
#: name plus one of these words can derive the very logical name the other derives (pools ``x``
#: and ``x-access-b``, buckets ``b-access-c`` and ``c``: both ``x-access-b-access-c``), and Pulumi
#: refuses two resources with one URN.
DERIVATION_WORDS = ("spot", "on-demand", "access")


def _check_derived_names(env: Environment) -> Iterator[Problem]:
    """Spec names whose derived logical names could collide, rejected before anything is built."""
    names = [c.name for c in env.compute]
    for index, name in enumerate(names):
        for other in names:
            word = _derivation_clash(other, name)
            if word:
                yield Problem(
                    f"{compute_index_path(env, index)}.name",
                    f"{name!r} is {other!r} plus '-{word}', a suffix the builders append to {other!r} for the "
                    f"resources it becomes, so both could name the same resource; choose a name that does not "
                    f"start with '{other}-{word}'",
                )
                break
    yield from _grant_name_clashes(env)


def _derivation_clash(base: str, name: str) -> str | None:
    """The derivation word ``name`` continues ``base`` with (``x`` and ``x-spot-1`` -> ``spot``), or None."""
    if name == base or not name.startswith(base + "-"):
        return None
    rest = name[len(base) + 1 :]
    return next((w for w in DERIVATION_WORDS if rest == w or rest.startswith(w + "-")), None)


def _grant_name_clashes(env: Environment) -> Iterator[Problem]:
    """The per-grant names every cloud derives, ``<compute>-access-<bucket>`` and ``<compute>-<bucket>``,
    computed and compared, so two different grants cannot share one."""
    seen: dict[str, tuple[str, str]] = {}
    for index, bucket in enumerate(env.buckets):
        for compute in dict.fromkeys([*bucket.readers, *bucket.writers]):
            for derived in (f"{compute}-access-{bucket.name}", f"{compute}-{bucket.name}"):
                first = seen.setdefault(derived, (compute, bucket.name))
                if first != (compute, bucket.name):
                    yield Problem(
                        f"buckets[{index}].name",
                        f"the grant of {bucket.name!r} to {compute!r} and of {first[1]!r} to {first[0]!r} both "
                        f"derive the name {derived!r}; rename one of the buckets or pools",
                    )


class AddressNeeds(NamedTuple):
    """What one cloud's nodes take from the spec's address ranges; numbers come from the cloud package.

    ``network_per_node``: addresses of ``network.cidr`` one Kubernetes node takes (on EKS the node and
    its pods, VPC CNI; elsewhere the node alone). ``pod_range_per_node``: addresses of ``pod_cidr``
    reserved per node (GKE and AKS overlay: a /24 per node). ``network_capacity``: the addresses
    nodes can get (the builder's node subnets, less what the cloud reserves in each).
    """

    network_per_node: int
    network_capacity: int
    pod_range_per_node: int = 0
    network_per_vm: int = 1
    basis: str = ""


def nodes_at_max(env: Environment) -> tuple[int, int]:
    """(Kubernetes nodes, VMs) when every scaling group is at its maximum: the spot and on-demand
    fallback groups of a pool both count (plan.capacity), and the system pool."""
    from aimodel_infra.plan.capacity import capacity_groups

    nodes = sum(g.max_nodes for pool in env.node_pools for g in capacity_groups(pool))
    if env.cluster is not None:
        nodes += env.cluster.system_nodes
    vms = sum(g.max_nodes for group in env.autoscaling_groups for g in capacity_groups(group))
    return nodes, vms


def address_capacity_problems(env: Environment, needs: AddressNeeds) -> list[Problem]:
    """More nodes at max size than the network (or the pod range) can address: the autoscaler would
    stop short of ``max_nodes`` with "insufficient IP addresses" while the spec, and the worst-case
    cost, promise it."""
    nodes, vms = nodes_at_max(env)
    problems = []
    wanted = nodes * needs.network_per_node + vms * needs.network_per_vm
    if wanted > needs.network_capacity:
        problems.append(
            Problem(
                "network.cidr",
                f"{nodes} Kubernetes nodes and {vms} VMs at max size need {wanted:,} addresses "
                f"({needs.basis}), but {env.network.cidr} gives nodes {needs.network_capacity:,}; "
                "use a larger network.cidr or lower max_nodes",
            )
        )
    pod_range = env.network.pod_cidr.num_addresses
    if needs.pod_range_per_node and nodes * needs.pod_range_per_node > pod_range:
        problems.append(
            Problem(
                "network.pod_cidr",
                f"{nodes} Kubernetes nodes at max size take {nodes * needs.pod_range_per_node:,} pod addresses "
                f"({needs.pod_range_per_node} per node), but {env.network.pod_cidr} has {pod_range:,}; "
                f"use a larger pod_cidr (at most {pod_range // needs.pod_range_per_node} nodes fit) or lower max_nodes",
            )
        )
    return problems


def tag_count_problems(path: str, counts: Iterable[tuple[str, int]], limit: int, cloud_words: str) -> list[Problem]:
    """Resources that would carry more tags (or labels) than the cloud allows, first one per path."""
    for what, count in counts:
        if count > limit:
            return [
                Problem(path, f"{what} would carry {count} {cloud_words}; the cloud allows {limit}: use fewer tags")
            ]
    return []


def _check_buckets(env: Environment) -> Iterator[Problem]:
    compute_names = {c.name for c in env.compute}
    for index, bucket in enumerate(env.buckets):
        path = f"buckets[{index}]"
        for role in ("readers", "writers"):
            unknown = [n for n in getattr(bucket, role) if n not in compute_names]
            if unknown:
                known = ", ".join(sorted(compute_names)) or "none"
                yield Problem(
                    f"{path}.{role}", f"{', '.join(unknown)} not a node pool or autoscaling group; known: {known}"
                )
        yield from (Problem(f"{path}.name", message) for message in bucket_name_problems(env, bucket))


def physical_bucket_prefix(env: Environment, bucket: Bucket) -> str:
    """The logical name Pulumi auto-names from: the physical name is this plus '-' and 7 characters."""
    return f"{env.name}-{bucket.name}"


def bucket_name_problems(env: Environment, bucket: Bucket) -> list[str]:
    """The length rule every cloud's bucket names share once auto-naming adds its suffix (each
    cloud's own naming rules are in its ``spec_rules``)."""
    prefix = physical_bucket_prefix(env, bucket)
    problems = []
    if len(prefix) + AUTONAME_SUFFIX_LENGTH > BUCKET_NAME_MAX:
        room = BUCKET_NAME_MAX - AUTONAME_SUFFIX_LENGTH - len(env.name) - 1
        problems.append(
            f"'{prefix}' plus the {AUTONAME_SUFFIX_LENGTH}-character unique suffix exceeds "
            f"{BUCKET_NAME_MAX} characters; use at most {room} characters"
        )
    return problems


def _duplicated(names: list[str]) -> Iterator[tuple[int, str]]:
    counts = Counter(names)
    seen: set[str] = set()
    for index, name in enumerate(names):
        if counts[name] > 1 and name in seen:
            yield index, name
        seen.add(name)


def _check_policy_exceptions(env: Environment) -> Iterator[Problem]:
    """A mistyped rule id would waive nothing while the spec reads as if it did.

    The rule list is imported here, and only for a spec that waives something: most specs waive
    nothing, and ``validate``'s cold start skips the policy package.
    """
    if not env.policy_exceptions:
        return
    from aimodel_infra.policy.rules import known_rule_ids

    known = known_rule_ids()
    for index, exception in enumerate(env.policy_exceptions):
        if exception.rule not in known:
            close = close_matches(exception.rule, known, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            message = f"unknown rule {exception.rule!r}; {hint}known: {', '.join(known)}"
            yield Problem(f"policy_exceptions[{index}].rule", message)
