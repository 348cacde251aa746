"""Advisory preflight: the EC2 vCPU quotas the graph needs at its largest (no AWS API is called).

EC2 limits running instances by vCPUs per instance-family group and purchase option: "Running
On-Demand P instances", "All P Spot Instance Requests", and so on (the EC2 User Guide lists the
Spot quota types "All DL / F / G and VT / Inf / P / Standard (A, C, D, H, I, M, R, T, Z) / Trn / X
Spot Instance Requests"); new accounts often start at 0 for P and G. Sizes' vCPUs come from the
catalog, node counts from the recorded node groups and autoscaling groups.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from aimodel_infra.aws.policy.types import AUTOSCALING_GROUP, NODE_GROUP
from aimodel_infra.policy.engine import PolicyContext, Violation
from aimodel_infra.policy.values import as_dict, as_list, known

#: Instance-type prefix -> the family group EC2 quotas are named after (longest prefixes first).
FAMILY_GROUPS = (("trn", "Trn"), ("inf", "Inf"), ("dl", "DL"), ("vt", "G and VT"), ("p", "P"), ("g", "G and VT"),
                 ("f", "F"), ("x", "X"))  # fmt: skip
STANDARD = "Standard (A, C, D, H, I, M, R, T, Z)"


def family_group(instance_type: str) -> str:
    family = re.match(r"[a-z]+", instance_type)
    prefix = family.group(0) if family else ""
    return next((group for start, group in FAMILY_GROUPS if prefix.startswith(start)), STANDARD)


def quota_name(instance_type: str, spot: bool) -> str:
    group = family_group(instance_type)
    return f"All {group} Spot Instance Requests" if spot else f"Running On-Demand {group} instances"


def _demand(ctx: PolicyContext) -> Iterator[tuple[str, bool, int]]:
    """(instance type, spot, instances at most) per node group and autoscaling group."""
    for group in ctx.resources(NODE_GROUP):
        types = as_list(group.inputs.get("instanceTypes"))
        most = known(as_dict(group.inputs.get("scalingConfig")).get("maxSize"))
        if types and isinstance(most, int):
            yield str(types[0]), known(group.inputs.get("capacityType")) == "SPOT", most
    for group in ctx.resources(AUTOSCALING_GROUP):
        policy = as_dict(group.inputs.get("mixedInstancesPolicy"))
        overrides = as_list(as_dict(policy.get("launchTemplate")).get("overrides"))
        most = known(group.inputs.get("maxSize"))
        if not overrides or not isinstance(most, int):
            continue
        instance_type = str(as_dict(overrides[0]).get("instanceType"))
        distribution = as_dict(policy.get("instancesDistribution"))
        base = int(known(distribution.get("onDemandBaseCapacity")) or 0)
        on_demand_share = int(known(distribution.get("onDemandPercentageAboveBaseCapacity")) or 0)
        yield instance_type, False, base + (most - base) * on_demand_share // 100
        if on_demand_share < 100:
            yield instance_type, True, most - base


def check_gpu_quota(ctx: PolicyContext) -> Iterator[Violation]:
    from aimodel_infra.catalog import default_catalog

    catalog, region = default_catalog(), ctx.env.region
    needed: dict[str, float] = defaultdict(float)
    for instance_type, spot, count in _demand(ctx):
        offering = catalog.instance("aws", region, instance_type)
        if offering is None:
            yield Violation(f"{instance_type}: vCPUs unknown to the catalog; check its EC2 quota in {region} by hand")
        elif count:
            needed[quota_name(instance_type, spot)] += count * offering.vcpus
    for quota, vcpus in sorted(needed.items()):
        yield Violation(f"needs up to {vcpus:g} vCPUs of the EC2 quota '{quota}' in {region}")
