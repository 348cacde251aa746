"""What a built environment can bill, as plain data: each cloud's builder plan, ready to price.

Each cloud's ``billable(env, catalog)`` (named by its :class:`~aimodel_infra.cloud.CloudSupport`)
returns a :class:`BillablePlan` computed from the same plan functions its components use: the
scaling groups it creates (a fallback group is a group), the system pool, the NAT gateways and
every other fee-bearing resource with its quantity. :mod:`aimodel_infra.cost.estimate` only puts
prices on it, so a topology change in a builder changes the estimate with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from aimodel_infra.plan.capacity import GroupCapacity

ComputeKind = Literal["node_pool", "autoscaling_group", "system_pool"]


@dataclass(frozen=True)
class BilledGroup:
    """One scaling group as built: ``compute`` is the spec pool/group it belongs to."""

    compute: str
    kind: ComputeKind
    instance_type: str
    capacity: GroupCapacity
    min_nodes: int
    desired_nodes: int
    max_nodes: int
    #: Name of the group as the cloud will show it, for the reader ("train-spot").
    label: str = ""


@dataclass(frozen=True)
class BilledFee:
    """A fee-bearing resource: the catalog fee name, a label for the bill, and how many units.

    ``count`` is in the fee's own basis (gateways, GB, keys, clusters): the estimate multiplies it
    by the fee's units per month (hours for an hourly fee).
    """

    fee: str
    label: str
    count: float


@dataclass(frozen=True)
class BillablePlan:
    groups: tuple[BilledGroup, ...]
    fees: tuple[BilledFee, ...]
    notes: tuple[str, ...] = field(default=())
