"""Where GCP places a pool, as ``validate`` reports it (SDK-free): N1 hosts take their GPUs as
accelerators, and a zone may offer an N1 host with fewer GPUs than the pool asks, so zones are
looked up with the GPU count."""

from __future__ import annotations

from aimodel_infra.catalog import Catalog, Offering
from aimodel_infra.spec.models import Environment


def zones_for(env: Environment, catalog: Catalog, offering: Offering) -> tuple[str, ...] | None:
    return catalog.zones_offering(
        "gcp", env.region, offering.instance_type, accelerator_count=offering.accelerator_count
    )
