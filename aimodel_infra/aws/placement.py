"""Where AWS places a pool, as ``validate`` reports it: zone IDs offering the type, minus the zone
IDs EKS refuses for cluster subnets (SDK-free)."""

from __future__ import annotations

from aimodel_infra.catalog import Catalog, Offering
from aimodel_infra.spec.models import Environment


def _excluded(env: Environment, catalog: Catalog) -> frozenset[str]:
    return catalog.eks_unsupported_zone_ids(env.region) if env.cluster is not None else frozenset()


def zones_for(env: Environment, catalog: Catalog, offering: Offering) -> tuple[str, ...] | None:
    zones = catalog.zones_offering("aws", env.region, offering.instance_type)
    if zones is None:
        return None
    excluded = _excluded(env, catalog)
    return tuple(z for z in zones if z not in excluded)


def placement_notes(env: Environment, catalog: Catalog) -> list[str]:
    excluded = _excluded(env, catalog)
    if not excluded:
        return []
    return [f"cluster subnets avoid {', '.join(sorted(excluded))} (EKS does not support those zone IDs)"]
