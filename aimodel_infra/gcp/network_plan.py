"""What the spec's network becomes on GCP, as plain data (shared by the Network component and cost)."""

from __future__ import annotations

from typing import Final

from aimodel_infra.spec.models import NatMode
from aimodel_infra.spec.models import Network as NetworkSpec

PODS_RANGE: Final = "pods"
SERVICES_RANGE: Final = "services"


def builds_nat(mode: NatMode) -> bool:
    """Cloud NAT is regional: one Router + NAT for ``single`` and ``per-zone`` alike, none for ``none``."""
    return mode is not NatMode.NONE


def secondary_ranges(spec: NetworkSpec) -> list[dict[str, str]]:
    """The subnet's secondary ranges a VPC-native cluster takes its pod and service addresses from."""
    return [
        {"range_name": PODS_RANGE, "ip_cidr_range": str(spec.pod_cidr)},
        {"range_name": SERVICES_RANGE, "ip_cidr_range": str(spec.service_cidr)},
    ]
