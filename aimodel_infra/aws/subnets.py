"""Where each subnet goes in the VPC: a pure plan, computed before any resource exists.

Layout for ``zones`` zones: the VPC is cut into the smallest power of two of equal *slots* that
holds one slot per zone plus one more. Zone ``i``'s private subnet is slot ``i``; the public
subnets share the last slot. Slots between them stay free for growth. For 10.0.0.0/16 and three
zones: private 10.0.0.0/18, 10.0.64.0/18, 10.0.128.0/18 and public /20s from 10.0.192.0/18.

Why private subnets get nearly everything: EKS gives every pod an address from the node's subnet
(VPC CNI), so a few GPU nodes with many pods each consume private addresses quickly, while the
public subnets hold only NAT gateways and load balancers. A public subnet is at most a quarter
the size of a private one.

Changing ``zones`` re-plans every subnet (they are replaced): choose the zone count up front.
"""

# No ``from __future__ import annotations``: typing.NamedTuple compiles each string annotation into a
# ForwardRef when the class is created, ~10 us per field on every cold start of ``validate`` and ``cost``.
import ipaddress
import math
from typing import Final, NamedTuple

from aimodel_infra.spec.models import NatMode

#: The VPC CIDR sizes AWS accepts, and so the sizes a subnet can have (/16 largest, /28 smallest).
AWS_LARGEST_SUBNET_PREFIX: Final = 16
AWS_SMALLEST_SUBNET_PREFIX: Final = 28
MAX_ZONES: Final = 6
#: A public subnet is 2**PUBLIC_SHRINK_BITS times smaller than a private one, at least.
PUBLIC_SHRINK_BITS: Final = 2


class ZoneSubnets(NamedTuple):
    """The two subnets of one availability zone (index into the region's available zones)."""

    zone_index: int
    public: ipaddress.IPv4Network
    private: ipaddress.IPv4Network


class SubnetPlan(NamedTuple):
    vpc: ipaddress.IPv4Network
    zones: tuple[ZoneSubnets, ...]

    @property
    def public(self) -> list[ipaddress.IPv4Network]:
        return [z.public for z in self.zones]

    @property
    def private(self) -> list[ipaddress.IPv4Network]:
        return [z.private for z in self.zones]


def plan_subnets(
    vpc: ipaddress.IPv4Network, zones: int, *, largest_prefix: int = AWS_LARGEST_SUBNET_PREFIX
) -> SubnetPlan:
    """One public and one private subnet per zone inside ``vpc``, none overlapping (see module doc).

    ``largest_prefix`` caps subnet size (AWS: /16), so a larger VPC leaves the rest of each slot free.
    """
    if not 1 <= zones <= MAX_ZONES:
        raise ValueError(f"zones must be 1 to {MAX_ZONES}, got {zones}")
    slot_prefix = vpc.prefixlen + _bits_for(zones + 1)
    private_prefix = max(slot_prefix, largest_prefix)
    public_prefix = max(slot_prefix + _bits_for(zones), private_prefix + PUBLIC_SHRINK_BITS)
    if public_prefix > AWS_SMALLEST_SUBNET_PREFIX:
        raise ValueError(f"{vpc} is too small for {zones} zones: public subnets would be /{public_prefix}")
    slots = list(vpc.subnets(new_prefix=slot_prefix))
    private = [_first(slot, private_prefix) for slot in slots[:zones]]
    public_area = slots[-1].subnets(new_prefix=public_prefix)
    public = [next(public_area) for _ in range(zones)]
    return SubnetPlan(vpc, tuple(ZoneSubnets(i, public[i], private[i]) for i in range(zones)))


def _bits_for(count: int) -> int:
    """Bits needed to number ``count`` equal parts."""
    return math.ceil(math.log2(count)) if count > 1 else 0


def _first(network: ipaddress.IPv4Network, prefix: int) -> ipaddress.IPv4Network:
    return next(network.subnets(new_prefix=prefix))


def nat_zones(mode: NatMode, zones: int) -> list[int]:
    """Zones that get a NAT gateway (in their public subnet)."""
    if mode is NatMode.NONE:
        return []
    if mode is NatMode.SINGLE:
        return [0]
    return list(range(zones))


def nat_for_zone(mode: NatMode, zone: int) -> int | None:
    """The zone whose NAT gateway zone ``zone``'s private subnet routes through; None for no route."""
    if mode is NatMode.NONE:
        return None
    return 0 if mode is NatMode.SINGLE else zone
