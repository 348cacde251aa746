"""How a pool's capacity choice becomes scaling groups: the split every cloud builds the same way.

``on_demand`` and ``spot`` are one group each, with the spec's sizes. ``spot_with_fallback`` is
two: a spot group with the spec's sizes, ranked first, and an on-demand group from 0 to the same
maximum, ranked second, that the autoscaler grows only when spot capacity does not come. Both are
real scaling units with their own maximum, so together they can run up to twice ``max_nodes``
(spot and on-demand at once); the cost estimate prices exactly that ceiling.
"""

# No ``from __future__ import annotations``: typing.NamedTuple compiles each string annotation into a
# ForwardRef when the class is created, ~10 us per field on every cold start of ``validate`` and ``cost``.
from typing import Final, Literal, NamedTuple

from aimodel_infra.spec.models import Capacity, Compute

GroupCapacity = Literal["spot", "on_demand"]
#: Autoscaler priorities (higher is tried first): spot before its on-demand fallback.
SPOT_PRIORITY: Final = 50
ON_DEMAND_PRIORITY: Final = 10
SUFFIXES: Final[dict[str, str]] = {"spot": "spot", "on_demand": "on-demand"}


class CapacityGroup(NamedTuple):
    """One scaling group of a pool: what it buys, its sizes and its rank for the autoscaler."""

    capacity: GroupCapacity
    min_nodes: int
    desired_nodes: int
    max_nodes: int
    priority: int
    fallback: bool = False

    @property
    def suffix(self) -> str:
        """Name suffix and capacity label value: ``spot`` or ``on-demand``."""
        return SUFFIXES[self.capacity]


def capacity_groups(compute: Compute) -> tuple[CapacityGroup, ...]:
    """The scaling groups of one pool (see module doc), spot first."""
    sizes = (compute.min_nodes, compute.desired, compute.max_nodes)
    if compute.capacity is Capacity.ON_DEMAND:
        return (CapacityGroup("on_demand", *sizes, priority=ON_DEMAND_PRIORITY),)
    spot = CapacityGroup("spot", *sizes, priority=SPOT_PRIORITY)
    if compute.capacity is Capacity.SPOT:
        return (spot,)
    fallback = CapacityGroup("on_demand", 0, 0, compute.max_nodes, priority=ON_DEMAND_PRIORITY, fallback=True)
    return spot, fallback
