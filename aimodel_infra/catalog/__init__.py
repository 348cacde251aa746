"""GPU catalog: accelerators, instance shapes, list prices and fixed fees, with their sources."""

from __future__ import annotations

import os
from functools import lru_cache

from aimodel_infra.catalog.catalog import (
    HOURS_PER_MONTH,
    SNAPSHOT_DATE,
    Accelerator,
    Catalog,
    Fee,
    Offering,
    load_catalog,
    read_offerings,
)
from aimodel_infra.catalog.naming import GCP_ACCELERATOR_TYPES, gcp_accelerator_type

#: Environment variable naming a user CSV that overrides the bundled prices (same columns).
CATALOG_ENV_VAR = "AIMODEL_INFRA_CATALOG"


@lru_cache(maxsize=4)
def _cached(extra_csv: str | None) -> Catalog:
    return load_catalog(extra_csv)


def default_catalog() -> Catalog:
    """The bundled catalog, plus ``$AIMODEL_INFRA_CATALOG`` when set; read once per process."""
    return _cached(os.environ.get(CATALOG_ENV_VAR) or None)


__all__ = [
    "CATALOG_ENV_VAR",
    "GCP_ACCELERATOR_TYPES",
    "HOURS_PER_MONTH",
    "SNAPSHOT_DATE",
    "Accelerator",
    "Catalog",
    "Fee",
    "Offering",
    "default_catalog",
    "gcp_accelerator_type",
    "load_catalog",
    "read_offerings",
]
