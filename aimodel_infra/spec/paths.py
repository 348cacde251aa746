"""Field paths of spec items, as error messages print them (``node_pools[1].accelerator``).

Pools and groups are addressed by name everywhere else; messages must point at the YAML the user
wrote, so every package that reports a problem about a named item asks here for its path.
"""

from __future__ import annotations

from aimodel_infra.spec.models import Environment


def compute_index_path(env: Environment, index: int) -> str:
    """Path of the index-th item of ``env.compute`` (node pools first, then groups)."""
    pools = len(env.node_pools)
    return f"node_pools[{index}]" if index < pools else f"autoscaling_groups[{index - pools}]"


def compute_path(env: Environment, name: str) -> str:
    """Path of the pool or group called ``name``; ``node_pools[?]`` style when it is not in the spec."""
    for index, pool in enumerate(env.node_pools):
        if pool.name == name:
            return f"node_pools[{index}]"
    for index, group in enumerate(env.autoscaling_groups):
        if group.name == name:
            return f"autoscaling_groups[{index}]"
    return f"compute[{name}]"


def bucket_path(env: Environment, name: str) -> str:
    for index, bucket in enumerate(env.buckets):
        if bucket.name == name:
            return f"buckets[{index}]"
    return f"buckets[{name}]"
