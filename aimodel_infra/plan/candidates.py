"""Which instance types a pool or group may run on: the chosen type and its exact look-alikes.

More candidate types mean more spot capacity pools to draw from, but only types that are the same
machine to a scheduler and to the bill may join: the same accelerator and count, the same vCPUs and
the same memory. A cluster autoscaler simulates a group's first type when it scales from zero, so a
bigger look-alike would be mis-sized; and the cost estimate prices a group by its types, so a
16xlarge hiding behind a 1xlarge would cost several times what was printed. A pinned
``instance_type`` (the user chose it) and a CPU-only request stay alone.
"""

from __future__ import annotations

from aimodel_infra.catalog import Catalog, Offering


def same_shape(a: Offering, b: Offering) -> bool:
    """Same accelerator, count, vCPUs and memory: interchangeable for scheduling and for price."""
    return (a.accelerator, a.accelerator_count, a.vcpus, a.memory_gib) == (
        b.accelerator,
        b.accelerator_count,
        b.vcpus,
        b.memory_gib,
    )


def candidate_types(offering: Offering, catalog: Catalog, *, pinned: bool) -> tuple[str, ...]:
    """``offering``'s type first, then every other type of its region of the same shape, cheapest first."""
    if pinned or offering.accelerator is None:
        return (offering.instance_type,)
    alike = catalog.find(offering.cloud, offering.region, offering.accelerator, offering.accelerator_count)
    others = [o.instance_type for o in alike if same_shape(o, offering) and o.instance_type != offering.instance_type]
    return (offering.instance_type, *others)
