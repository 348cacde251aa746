"""What a built environment can bill, as plain data: each cloud's builder plan, ready to price.

Each cloud's ``billable(env, catalog)`` (named by its :class:`~aimodel_infra.cloud.CloudSupport`)
returns a :class:`BillablePlan` computed from the same plan functions its components use: the
scaling groups it creates (a fallback group is a group), the system pool, the NAT gateways and
every other fee-bearing resource with its quantity. :mod:`aimodel_infra.cost.estimate` only puts
prices on it, so a topology change in a builder changes the estimate with it.

Each group also says what root disk each of its nodes gets (``disk_gb``) and the catalog fee that
disk bills at per GB-month (``disk_fee``, from the cloud's ``root_disk_fee`` rule, which ``compare``
uses too; None where the cloud's root disks are not priced, and the plan's notes say why): a node
that runs has its disk, so every node-hour carries its disk's share.
"""

# No ``from __future__ import annotations``: typing.NamedTuple compiles each string annotation into a
# ForwardRef when the class is created, ~10 us per field on every cold start of ``cost``.
from typing import Literal, NamedTuple

from aimodel_infra.plan.capacity import GroupCapacity

ComputeKind = Literal["node_pool", "autoscaling_group", "system_pool"]


class BilledGroup(NamedTuple):
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
    #: Root disk of each node, GB, as the builder sizes it (a launch template volume, a boot disk).
    disk_gb: int = 0
    #: Catalog fee that root disk bills at per GB-month ("root_disk_gp3"); None: not priced (see notes).
    disk_fee: str | None = None


class BilledFee(NamedTuple):
    """A fee-bearing resource: the catalog fee name, a label for the bill, and how many units.

    ``count`` is in the fee's own basis (gateways, GB, keys, clusters): the estimate multiplies it
    by the fee's units per month (hours for an hourly fee).
    """

    fee: str
    label: str
    count: float


class BillablePlan(NamedTuple):
    groups: tuple[BilledGroup, ...]
    fees: tuple[BilledFee, ...]
    notes: tuple[str, ...] = ()
