"""Which availability zones an environment uses, chosen by zone ID (pure, SDK-free).

AWS maps zone *names* (us-east-1a) to physical zones differently in every account; zone *IDs*
(use1-az1) are the same everywhere. So the facts we know are per zone ID: EKS refuses control-plane
subnets in some (use1-az3, usw1-az2, cac1-az3: EKS User Guide, "View Amazon EKS networking
requirements for VPC and subnets"), and each GPU type is offered in only some (the catalog's
per-zone data, from EC2 ``DescribeInstanceTypeOfferings`` by ``availability-zone-id`` as captured
in the SkyPilot catalog). The network asks the provider for the account's zones with those IDs
excluded, then takes the ``network.zones`` zones that offer the most of the spec's instance types;
each node group and autoscaling group then gets only the subnets of zones that offer its type.

The catalog calls are made through :func:`eks_excluded_zone_ids` and :func:`zones_offering`, which
fall back to "no exclusions" and "every zone" for a catalog without zone data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

from aimodel_infra.catalog import Catalog
from aimodel_infra.spec.models import Environment

#: EKS needs cluster subnets in at least two availability zones (EKS User Guide, subnet requirements).
EKS_MIN_ZONES: Final = 2


def eks_excluded_zone_ids(catalog: Catalog, region: str) -> tuple[str, ...]:
    """Zone IDs of ``region`` where EKS refuses cluster subnets (empty if the catalog does not say)."""
    known = getattr(catalog, "eks_unsupported_zone_ids", None)
    return tuple(sorted(known(region))) if known is not None else ()


def zones_offering(catalog: Catalog, region: str, instance_type: str) -> frozenset[str] | None:
    """Zone IDs of ``region`` offering ``instance_type``; None when the catalog has no zone data."""
    lookup = getattr(catalog, "zones_offering", None)
    found = lookup("aws", region, instance_type) if lookup is not None else None
    return frozenset(found) if found is not None else None


def choose_zones(zone_ids: Sequence[str], count: int, offered: Iterable[frozenset[str] | None]) -> list[str]:
    """``count`` of the account's usable ``zone_ids``: those offering the most of the spec's instance
    types first (``offered``: one set per type, None = unknown), the provider's order breaking ties."""
    if count > len(zone_ids):
        raise ValueError(
            f"network.zones asks for {count} zones but this account has {len(zone_ids)} usable ones "
            f"({', '.join(zone_ids) or 'none'}; zones EKS refuses are left out)"
        )
    sets = [s for s in offered if s is not None]
    rank = {z: sum(z in s for s in sets) for z in zone_ids}
    chosen = sorted(zone_ids, key=lambda z: -rank[z])[:count]
    return [z for z in zone_ids if z in chosen]


def zones_for_type(chosen: Sequence[str], offered: frozenset[str] | None) -> list[int]:
    """Indexes into ``chosen`` of the zones a group of this instance type may launch in."""
    if offered is None:
        return list(range(len(chosen)))
    return [i for i, z in enumerate(chosen) if z in offered]


def primary_instance_types(env: Environment, catalog: Catalog) -> list[str]:
    """The instance type each pool and group resolves to (what zone choice should favour)."""
    return [
        catalog.offering_for("aws", env.region, c.accelerator, c.accelerator_count, c.instance_type).instance_type
        for c in env.compute
    ]
