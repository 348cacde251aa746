"""The bundled catalog's CSV rows, read once for the catalog tests (parametrize needs them at import)."""

from __future__ import annotations

import csv

from aimodel_infra.catalog.catalog import DATA_DIR


def read_rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


_ALL_ROWS = read_rows("offerings.csv")
#: Priced GPU rows, priced CPU rows, and rows the source lists without an on-demand price.
OFFERING_ROWS = [r for r in _ALL_ROWS if r["price_usd_per_hour"] and r["accelerator"]]
CPU_ROWS = [r for r in _ALL_ROWS if r["price_usd_per_hour"] and not r["accelerator"]]
UNPRICED_ROWS = [r for r in _ALL_ROWS if not r["price_usd_per_hour"]]
ZONE_ROWS = read_rows("zones.csv")
REGION_ROWS = read_rows("regions.csv")
FEE_ROWS = read_rows("fees.csv")
