"""Advisory preflight: the vCPU quota the graph needs at its largest, and the resource providers it uses.

Azure caps vCPUs per region twice: per VM family (e.g. the family of ``Standard_ND96isr_H100_v5``) and in
total ("Total Regional vCPUs"); Spot VMs draw from their own regional quota ("Total Regional Low-priority
vCPUs") [DOC Azure quota guide, MicrosoftDocs resource-manager-core-quotas-request]. New subscriptions
often have 0 for GPU families, so a pool that cannot scale past 0 is found here, not mid-training.
No Azure API is called: sizes' vCPUs come from the catalog, node counts from the recorded graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from aimodel_infra.azure.policy.types import AGENT_POOL, AUTOSCALE, MANAGED_CLUSTER, SCALE_SET
from aimodel_infra.policy.engine import PolicyContext, Violation
from aimodel_infra.policy.values import as_dict, as_list, known

SPOT_QUOTA = "Total Regional Low-priority vCPUs"
REGULAR_QUOTA = "Total Regional vCPUs"
#: Type-token module -> the resource provider namespace that must be registered in the subscription.
PROVIDERS = {
    "containerservice": "Microsoft.ContainerService",
    "compute": "Microsoft.Compute",
    "network": "Microsoft.Network",
    "storage": "Microsoft.Storage",
    "keyvault": "Microsoft.KeyVault",
    "managedidentity": "Microsoft.ManagedIdentity",
    "consumption": "Microsoft.Consumption",
    "monitor": "Microsoft.Insights",
}


def _vcpus(ctx: PolicyContext, size: str) -> float | None:
    from aimodel_infra.catalog import default_catalog

    offering = default_catalog().instance("azure", ctx.env.region, size)
    return offering.vcpus if offering is not None else None


def _demand(ctx: PolicyContext) -> Iterator[tuple[str, str, int]]:
    """(vm size, 'Spot' | 'Regular', nodes at most) for every pool and scale set."""
    for pool in ctx.resources(AGENT_POOL):
        size, count = known(pool.inputs.get("vmSize")), known(pool.inputs.get("maxCount"))
        if isinstance(size, str) and isinstance(count, int):
            yield size, known(pool.inputs.get("scaleSetPriority")) or "Regular", count
    for cluster in ctx.resources(MANAGED_CLUSTER):
        for profile in (as_dict(p) for p in as_list(cluster.inputs.get("agentPoolProfiles"))):
            size = known(profile.get("vmSize"))
            count = known(profile.get("maxCount")) or known(profile.get("count"))
            if isinstance(size, str) and isinstance(count, int):
                yield size, "Regular", count
    maxima = _autoscale_maxima(ctx)
    for scale_set in ctx.resources(SCALE_SET):
        sku = as_dict(scale_set.inputs.get("sku"))
        priority = known(as_dict(scale_set.inputs.get("virtualMachineProfile")).get("priority")) or "Regular"
        count = maxima.get(scale_set.id or "", known(sku.get("capacity")))
        if isinstance(known(sku.get("name")), str) and isinstance(count, int):
            yield sku["name"], priority, count


def _autoscale_maxima(ctx: PolicyContext) -> dict[str, int]:
    maxima: dict[str, int] = {}
    for setting in ctx.resources(AUTOSCALE):
        target = known(setting.inputs.get("targetResourceUri"))
        for profile in (as_dict(p) for p in as_list(setting.inputs.get("profiles"))):
            maximum = known(as_dict(profile.get("capacity")).get("maximum"))
            if isinstance(target, str) and maximum is not None:
                maxima[target] = max(maxima.get(target, 0), int(maximum))
    return maxima


def check_gpu_quota(ctx: PolicyContext) -> Iterator[Violation]:
    region = ctx.env.region
    per_size: dict[tuple[str, str], int] = defaultdict(int)
    for size, priority, count in _demand(ctx):
        per_size[(size, priority)] += count
    totals: dict[str, float] = defaultdict(float)
    for (size, priority), nodes in sorted(per_size.items()):
        vcpus = _vcpus(ctx, size)
        if vcpus is None:
            yield Violation(f"{size}: vCPUs unknown to the catalog; check its family quota in {region} by hand")
            continue
        need = nodes * vcpus
        totals[priority] += need
        if priority == "Spot":
            continue  # spot VMs count against the low-priority quota only
        yield Violation(
            f"{size} ({priority}): up to {nodes} nodes x {vcpus:g} vCPUs = {need:g} vCPUs of its VM family's "
            f"quota in {region}"
        )
    if totals.get("Spot"):
        yield Violation(f"Spot pools need up to {totals['Spot']:g} vCPUs of '{SPOT_QUOTA}' in {region}")
    if totals.get("Regular"):
        yield Violation(f"regular VMs need up to {totals['Regular']:g} vCPUs of '{REGULAR_QUOTA}' in {region}")
    modules = {r.type.split(":")[1] for r in ctx.graph.resources if r.type.startswith("azure-native:")}
    if "containerservice" in modules:
        modules.add("compute")  # AKS runs its nodes as VM scale sets in the subscription
    providers = sorted(PROVIDERS[m] for m in modules if m in PROVIDERS)
    if providers:
        yield Violation(f"register these resource providers in the subscription first: {', '.join(providers)}")
