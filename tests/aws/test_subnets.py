"""The subnet planner: inside the VPC, no overlaps, one public and one private subnet per zone."""

from __future__ import annotations

import ipaddress
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aimodel_infra.aws.subnets import (
    AWS_LARGEST_SUBNET_PREFIX,
    AWS_SMALLEST_SUBNET_PREFIX,
    MAX_ZONES,
    PUBLIC_SHRINK_BITS,
    SubnetPlan,
    plan_subnets,
)
from aimodel_infra.spec.models import PRIVATE_RANGES

SPEC_PREFIXES = st.integers(min_value=8, max_value=20)  # what spec.models.Network allows
ZONES = st.integers(min_value=1, max_value=MAX_ZONES)


@st.composite
def vpcs(draw: st.DrawFn) -> ipaddress.IPv4Network:
    """Any network a spec may give: a /8 to /20 inside one of the RFC 1918 ranges."""
    prefix = draw(SPEC_PREFIXES)
    space = draw(st.sampled_from([r for r in PRIVATE_RANGES if r.prefixlen <= prefix]))
    index = draw(st.integers(min_value=0, max_value=2 ** (prefix - space.prefixlen) - 1))
    return ipaddress.IPv4Network((int(space.network_address) + index * 2 ** (32 - prefix), prefix))


def all_subnets(plan: SubnetPlan) -> list[ipaddress.IPv4Network]:
    return [*plan.public, *plan.private]


@given(vpc=vpcs(), zones=ZONES)
def test_every_subnet_lies_inside_the_vpc(vpc: ipaddress.IPv4Network, zones: int) -> None:
    plan = plan_subnets(vpc, zones)
    assert all(subnet.subnet_of(vpc) for subnet in all_subnets(plan))


@given(vpc=vpcs(), zones=ZONES)
def test_no_two_subnets_overlap(vpc: ipaddress.IPv4Network, zones: int) -> None:
    plan = plan_subnets(vpc, zones)
    for a, b in combinations(all_subnets(plan), 2):
        assert not a.overlaps(b), f"{a} overlaps {b}"


@given(vpc=vpcs(), zones=ZONES)
def test_each_zone_gets_exactly_one_public_and_one_private_subnet(vpc: ipaddress.IPv4Network, zones: int) -> None:
    plan = plan_subnets(vpc, zones)
    assert [z.zone_index for z in plan.zones] == list(range(zones))
    assert len(plan.public) == len(plan.private) == zones


@given(vpc=vpcs(), zones=ZONES)
def test_subnet_sizes_are_ones_aws_accepts(vpc: ipaddress.IPv4Network, zones: int) -> None:
    for subnet in all_subnets(plan_subnets(vpc, zones)):
        assert AWS_LARGEST_SUBNET_PREFIX <= subnet.prefixlen <= AWS_SMALLEST_SUBNET_PREFIX, subnet


@given(vpc=vpcs(), zones=ZONES)
def test_private_subnets_are_at_least_four_times_the_public_ones(vpc: ipaddress.IPv4Network, zones: int) -> None:
    plan = plan_subnets(vpc, zones)
    for zone in plan.zones:
        assert zone.private.num_addresses >= 2**PUBLIC_SHRINK_BITS * zone.public.num_addresses


@given(prefix=st.integers(min_value=AWS_LARGEST_SUBNET_PREFIX, max_value=20), zones=ZONES)
def test_in_a_vpc_aws_accepts_private_subnets_hold_at_least_half_the_addresses(prefix: int, zones: int) -> None:
    vpc = ipaddress.IPv4Network(f"10.0.0.0/{prefix}")
    plan = plan_subnets(vpc, zones)
    assert sum(s.num_addresses for s in plan.private) * 2 >= vpc.num_addresses


@pytest.mark.parametrize("zones", [0, MAX_ZONES + 1])
def test_zone_counts_outside_one_to_six_are_refused(zones: int) -> None:
    with pytest.raises(ValueError, match="zones"):
        plan_subnets(ipaddress.IPv4Network("10.0.0.0/16"), zones)


def test_going_from_two_to_three_zones_keeps_the_existing_subnets() -> None:
    """Both plans cut the VPC into four slots, so the third zone only adds subnets (no replacement)."""
    vpc = ipaddress.IPv4Network("10.0.0.0/16")
    two, three = plan_subnets(vpc, 2), plan_subnets(vpc, 3)
    assert three.zones[:2] == two.zones
