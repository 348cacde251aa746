"""Rules that need more than one field or the catalog, each reported with its field path.

They run after pydantic has accepted the document's structure, and they collect every problem
instead of stopping at the first, so one run of ``validate`` shows the user everything to fix.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterator

from aimodel_infra.catalog import Catalog
from aimodel_infra.errors import Problem
from aimodel_infra.policy.rules import known_rule_ids
from aimodel_infra.spec.models import Bucket, Compute, Environment
from aimodel_infra.spec.paths import compute_index_path

#: Auto-naming appends '-' and 7 random characters to a bucket's logical name.
AUTONAME_SUFFIX_LENGTH = 8
BUCKET_NAME_MAX = 63


def check_environment(env: Environment, catalog: Catalog) -> list[Problem]:
    """Every problem with an already well-formed environment; empty when it can be built."""
    return [
        *_check_region(env, catalog),
        *_check_names(env),
        *_check_network(env, catalog),
        *_check_compute(env, catalog),
        *_check_buckets(env),
        *_check_policy_exceptions(env),
    ]


def _check_region(env: Environment, catalog: Catalog) -> Iterator[Problem]:
    known = catalog.regions(env.cloud.value)
    if known and env.region not in known:
        close = difflib.get_close_matches(env.region.lower(), known, n=3, cutoff=0.6)
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
        if not offered:
            yield Problem(f"{path}.accelerator", _not_offered_message(catalog, cloud, region, canonical, count))
            return
        if compute.instance_type and compute.instance_type not in {o.instance_type for o in offered}:
            choices = ", ".join(o.instance_type for o in offered)
            yield Problem(
                f"{path}.instance_type",
                f"{compute.instance_type} does not have {count} x {canonical}; in {region} that is {choices}",
            )
        return
    assert compute.instance_type is not None
    if catalog.instance(cloud, region, compute.instance_type) is None:
        elsewhere = catalog.instance_regions(cloud, compute.instance_type)
        if elsewhere:
            detail = f"not offered in {region}; offered in {', '.join(elsewhere)}"
        else:
            detail = f"unknown {cloud} instance type; known: {', '.join(catalog.instance_types(cloud))}"
        yield Problem(f"{path}.instance_type", f"{compute.instance_type}: {detail}")


def gpu_request(compute: Compute, cloud: str, region: str, catalog: Catalog) -> tuple[str, int] | None:
    """The (accelerator, GPUs per node) a compute item asks for, named as the catalog names them.

    A pinned GPU instance type says both on its own (``p5.48xlarge`` is 8 x H100): it fills in the
    accelerator when none is given (else the pool would be built as a CPU pool) and the count when
    none is given (else ``accelerator: H100`` + ``p5.48xlarge`` would be checked as 1 x H100).
    None for a CPU-only request or an accelerator name the catalog does not know.
    """
    pinned = catalog.instance(cloud, region, compute.instance_type) if compute.instance_type else None
    if compute.accelerator is None:
        return (pinned.accelerator, pinned.accelerator_count) if pinned and pinned.accelerator else None
    canonical = catalog.canonical_accelerator(compute.accelerator)
    if canonical is None:
        return None
    count_given = "accelerator_count" in compute.model_fields_set
    if not count_given and pinned is not None and pinned.accelerator == canonical:
        return canonical, pinned.accelerator_count
    return canonical, compute.accelerator_count or 1


def _not_offered_message(catalog: Catalog, cloud: str, region: str, accelerator: str, count: int) -> str:
    places = catalog.placements(accelerator, count)
    same_cloud = [r for c, r in places if c == cloud]
    if same_cloud:
        where = f"on {cloud} it is offered in {', '.join(same_cloud)}"
    elif places:
        where = f"{cloud} does not offer it; offered in {', '.join(f'{c} {r}' for c, r in places)}"
    else:
        counts = catalog.counts_offered(accelerator, cloud)
        where = f"{accelerator} comes in counts of {', '.join(map(str, counts)) or 'none'} on {cloud}"
    return f"{count} x {accelerator} is not offered on {cloud} in {region}; {where}"


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
    """A mistyped rule id would waive nothing while the spec reads as if it did."""
    known = known_rule_ids()
    for index, exception in enumerate(env.policy_exceptions):
        if exception.rule not in known:
            close = difflib.get_close_matches(exception.rule, known, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            message = f"unknown rule {exception.rule!r}; {hint}known: {', '.join(known)}"
            yield Problem(f"policy_exceptions[{index}].rule", message)
