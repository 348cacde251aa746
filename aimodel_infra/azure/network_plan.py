"""The VNet's layout as plain data: the node subnet, NAT gateways, the cluster DNS address."""

from __future__ import annotations

import ipaddress

from aimodel_infra.spec.models import NatMode
from aimodel_infra.spec.models import Network as NetworkSpec

#: ``dns_service_ip`` is the tenth address of the service range (AKS's own default 10.0.0.10 in 10.0.0.0/16).
DNS_SERVICE_HOST = 10


def node_subnet_cidr(network: NetworkSpec) -> ipaddress.IPv4Network:
    """The first half of the VNet. With Azure CNI Overlay only nodes take VNet addresses (pods use
    ``pod_cidr``), so half a /16 is 32,763 nodes; the other half stays free for private endpoints
    and later subnets without renumbering."""
    return next(network.cidr.subnets(prefixlen_diff=1))


def nat_gateway_count(network: NetworkSpec) -> int:
    """NAT gateways: one (regional, no zone) for ``single``. ``per-zone`` is refused by the spec rules
    (one node subnet takes one gateway); a price for it (``compare``) counts the zonal gateways it
    would need, one per zone."""
    return {NatMode.NONE: 0, NatMode.SINGLE: 1, NatMode.PER_ZONE: network.zones}[network.nat]


def dns_service_ip(network: NetworkSpec) -> str:
    return str(network.service_cidr[DNS_SERVICE_HOST])
