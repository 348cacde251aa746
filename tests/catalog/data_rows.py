"""The bundled catalog's CSV rows, read once for the catalog tests (parametrize needs them at import)."""

from __future__ import annotations

import csv

from aimodel_infra.catalog.catalog import DATA_DIR


def read_rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


OFFERING_ROWS = read_rows("offerings.csv")
CPU_ROWS = read_rows("cpu_shapes.csv")
REGION_ROWS = read_rows("regions.csv")
FEE_ROWS = read_rows("fees.csv")
