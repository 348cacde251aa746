"""What ``validate`` says beyond "valid": the zones each pool would use, and what to watch.

Zones come from the catalog's per-zone availability, read the cloud's way (its ``CloudSupport.zones_for``);
where the data has no zones placement is regional and the line says so. Warnings: a type the
catalog cannot price (cost totals leave it out), a price the source makes suspect, and a Kubernetes
version past or near the end of standard support (with what the control plane then costs).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aimodel_infra.catalog import Catalog
    from aimodel_infra.spec import Environment


def placement_lines(env: Environment, catalog: Catalog) -> list[str]:
    """One line per pool or group: the instance type it resolves to and the zones that offer it."""
    from aimodel_infra.registry import support

    cloud, region = env.cloud.value, env.region
    described = support(env.cloud)
    zones_for = described.load_zones_for()
    lines = []
    for compute in env.compute:
        offering = catalog.offering_for(
            cloud, region, compute.accelerator, compute.accelerator_count, compute.instance_type
        )
        if zones_for is not None:
            zones = zones_for(env, catalog, offering)
        else:
            zones = catalog.zones_offering(cloud, region, offering.instance_type)
        if not offering.priced and catalog.unpriced_instance(cloud, region, offering.instance_type) is None:
            where = f"zones unknown (the catalog does not list {offering.instance_type})"
        elif zones is None:
            where = f"regional placement (the catalog has no zone data for {cloud} {region})"
        elif not zones:
            where = "no zone of the region lists it in the catalog"
        else:
            where = f"{described.zone_label} {', '.join(zones)}"
        lines.append(f"{compute.name}: {offering.instance_type} ({offering.shape}) in {where}")
    if env.cluster is not None:
        version = env.cluster.kubernetes_version or "the cloud's default (the catalog has no version data)"
        lines.append(f"cluster: Kubernetes {version}")
    notes = described.load_placement_notes()
    return lines + (notes(env, catalog) if notes is not None else [])


def warning_lines(env: Environment, catalog: Catalog, today: date | None = None) -> list[str]:
    cloud, region = env.cloud.value, env.region
    warnings = []
    for compute in env.compute:
        offering = catalog.offering_for(
            cloud, region, compute.accelerator, compute.accelerator_count, compute.instance_type
        )
        if not offering.priced:
            warnings.append(
                f"{compute.name}: {offering.instance_type} is not priced in the catalog; cost totals leave it out"
            )
        elif offering.caveat:
            warnings.append(f"{compute.name}: {offering.instance_type} price in {region}: {offering.caveat}")
    if env.cluster is not None and env.cluster.kubernetes_version is not None:
        warnings += catalog.kubernetes_support_warnings(cloud, env.cluster.kubernetes_version, today or date.today())
    return warnings
