"""What the GCP builder asks the catalog, behind one small adapter.

The catalog is growing per-offering zone data (``Catalog.zones_offering``) and Kubernetes
version data (``Catalog.kubernetes_version``). Until a catalog has them, the answers fall back
to what it already knows: every zone of the region, and "no version data" (the builder then
checks the version at deploy time with the ``getEngineVersions`` invoke).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aimodel_infra.catalog import Catalog

CLOUD = "gcp"


def zone_names(catalog: Catalog, region: str, suffixes: tuple[str, ...]) -> tuple[str, ...]:
    """Full zone names (``us-central1-a``) from suffixes or names, in the catalog's order."""
    return tuple(z if z.startswith(f"{region}-") else f"{region}-{z}" for z in suffixes)


def region_zones(catalog: Catalog, region: str) -> tuple[str, ...]:
    """Every zone of the region the catalog knows, as full names."""
    return zone_names(catalog, region, catalog.zones_of(CLOUD, region))


def zones_offering(
    catalog: Catalog, region: str, machine_type: str, accelerator_count: int | None = None
) -> tuple[str, ...] | None:
    """Zones of ``region`` offering ``machine_type`` (full names, sorted); ``()`` when the data has zones
    for the region and none offers it; None when the catalog has no per-offering zone data there.

    ``accelerator_count`` narrows an N1 host to the zones that also have that many attached GPUs.
    """
    lookup = getattr(catalog, "zones_offering", None)
    if lookup is None:
        return None
    found = (
        lookup(CLOUD, region, machine_type, accelerator_count=accelerator_count)
        if accelerator_count
        else (lookup(CLOUD, region, machine_type))
    )
    return None if found is None else zone_names(catalog, region, tuple(found))


def kubernetes_version(catalog: Catalog, version: str) -> Any | None:
    """The catalog's record of GKE ``version`` (released, support ends, source), or None when unknown
    or when the catalog has no version data at all (see :func:`has_version_data`)."""
    lookup = getattr(catalog, "kubernetes_version", None)
    return lookup(CLOUD, version) if lookup is not None else None


def known_kubernetes_versions(catalog: Catalog) -> tuple[str, ...]:
    """Every GKE minor version the catalog knows; empty without version data."""
    lookup = getattr(catalog, "kubernetes_versions", None)
    if lookup is None:
        return ()
    return tuple(str(getattr(v, "version", v)) for v in lookup(CLOUD))


def cluster_version(env: Any, catalog: Catalog, on: date | None = None) -> str | None:
    """The minor version to build: the spec's, else the catalog's default for GKE on ``on``, else
    None (GKE then takes its release channel's default)."""
    version = env.cluster.kubernetes_version if env.cluster is not None else None
    if version:
        return str(version)
    default = getattr(catalog, "default_kubernetes_version", None)
    if default is None or not has_version_data(catalog):
        return None
    return str(default(CLOUD, on or today()))


def has_version_data(catalog: Catalog) -> bool:
    return bool(known_kubernetes_versions(catalog))


def today() -> date:
    return date.today()
