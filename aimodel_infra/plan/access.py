"""Which pool or group may read or write which bucket, from the buckets' ``readers``/``writers``.

Every cloud grants exactly these and nothing wider: the grant list is the whole of a workload's
data access. Writing implies reading.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from aimodel_infra.spec.models import Bucket


@dataclass(frozen=True)
class BucketGrant:
    """Access to one spec bucket: read, or read and write."""

    bucket: Bucket
    write: bool


def grants_for(compute_name: str, buckets: Iterable[Bucket]) -> tuple[BucketGrant, ...]:
    """The grants ``compute_name`` has, in the buckets' order."""
    grants = []
    for bucket in buckets:
        if compute_name in bucket.writers:
            grants.append(BucketGrant(bucket, write=True))
        elif compute_name in bucket.readers:
            grants.append(BucketGrant(bucket, write=False))
    return tuple(grants)
