"""The GPU catalog: which shapes exist where, and what they cost.

A :class:`Catalog` is an immutable, indexed view over rows of the snapshot CSV (see
``data/README.md`` for provenance). It is passed in rather than read from a global so tests and
users can hand in their own (``Catalog.from_csv``), e.g. with negotiated prices.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from aimodel_infra.catalog.naming import ACCELERATOR_ALIASES
from aimodel_infra.clouds import CLOUD_NAMES
from aimodel_infra.errors import CatalogError

DATA_DIR = Path(__file__).parent / "data"
#: The month the bundled snapshot was taken (data/README.md: "Snapshot taken 2026-11").
SNAPSHOT_DATE = date(2026, 11, 1)
HOURS_PER_MONTH = 730.0

OFFERING_COLUMNS = (
    "cloud", "region", "instance_type", "accelerator", "accelerator_count",
    "accelerator_memory_gib", "vcpus", "memory_gib", "price_usd_per_hour",
    "spot_price_usd_per_hour", "source_commit",
)  # fmt: skip
CLOUDS = CLOUD_NAMES


@dataclass(frozen=True, slots=True)
class Offering:
    """One instance type in one region, with its list prices (whole instance, GPUs included)."""

    cloud: str
    region: str
    instance_type: str
    accelerator: str | None
    accelerator_count: int
    accelerator_memory_gib: float
    vcpus: float
    memory_gib: float
    price_per_hour: float
    spot_price_per_hour: float | None
    source: str

    @property
    def shape(self) -> str:
        """``8 x H100`` or ``cpu`` — how people say what an instance is."""
        return f"{self.accelerator_count} x {self.accelerator}" if self.accelerator else "cpu"


@dataclass(frozen=True, slots=True)
class Fee:
    """A price a user pays whatever the GPUs do (control plane, NAT, storage)."""

    cloud: str
    fee: str
    unit: str
    price_usd: float
    source: str


@dataclass(frozen=True, slots=True)
class Accelerator:
    name: str
    memory_gib: float
    clouds: tuple[str, ...]
    counts: tuple[int, ...]


@dataclass(frozen=True)
class Catalog:
    """Indexed, read-only catalog. Build with :func:`load_catalog` or :meth:`from_rows`."""

    offerings: tuple[Offering, ...]
    fees: Mapping[tuple[str, str], Fee] = field(default_factory=dict)
    zones: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    as_of: date = SNAPSHOT_DATE
    source: str = "bundled snapshot"

    def __post_init__(self) -> None:
        by_shape: dict[tuple[str, str, str, int], list[Offering]] = defaultdict(list)
        by_type: dict[tuple[str, str, str], Offering] = {}
        for offering in self.offerings:
            by_type[(offering.cloud, offering.region, offering.instance_type)] = offering
            if offering.accelerator:
                key = (offering.cloud, offering.region, offering.accelerator, offering.accelerator_count)
                by_shape[key].append(offering)
        for group in by_shape.values():
            group.sort(key=lambda o: (o.price_per_hour, o.instance_type))
        object.__setattr__(self, "_by_shape", {k: tuple(v) for k, v in by_shape.items()})
        object.__setattr__(self, "_by_type", by_type)

    # -- accelerators -------------------------------------------------------------------------
    def accelerators(self) -> list[Accelerator]:
        """Every accelerator in the catalog with its memory per GPU and where it is offered."""
        seen: dict[str, list[Offering]] = defaultdict(list)
        for offering in self.offerings:
            if offering.accelerator:
                seen[offering.accelerator].append(offering)
        return [
            Accelerator(
                name=name,
                memory_gib=max(o.accelerator_memory_gib for o in rows),
                clouds=tuple(c for c in CLOUDS if any(o.cloud == c for o in rows)),
                counts=tuple(sorted({o.accelerator_count for o in rows})),
            )
            for name, rows in sorted(seen.items())
        ]

    def accelerator_names(self) -> list[str]:
        return sorted({o.accelerator for o in self.offerings if o.accelerator})

    def canonical_accelerator(self, name: str) -> str | None:
        """The catalog's name for what a user typed (case and common aliases forgiven), or None."""
        wanted = name.strip().upper()
        wanted = ACCELERATOR_ALIASES.get(wanted, wanted)
        return next((known for known in self.accelerator_names() if known.upper() == wanted), None)

    def suggest_accelerators(self, name: str) -> list[str]:
        names = self.accelerator_names()
        by_upper = {n.upper(): n for n in names}
        close = difflib.get_close_matches(name.strip().upper(), list(by_upper), n=3, cutoff=0.4)
        return [by_upper[c] for c in close]

    # -- offerings ----------------------------------------------------------------------------
    def find(self, cloud: str, region: str, accelerator: str, count: int) -> tuple[Offering, ...]:
        """Instance types with exactly ``count`` x ``accelerator`` in that region, cheapest first."""
        return self._by_shape.get((cloud, region, accelerator, count), ())  # type: ignore[attr-defined]

    def instance(self, cloud: str, region: str, instance_type: str) -> Offering | None:
        return self._by_type.get((cloud, region, instance_type))  # type: ignore[attr-defined]

    def offering_for(
        self, cloud: str, region: str, accelerator: str | None, count: int | None, instance_type: str | None
    ) -> Offering:
        """The instance a compute request resolves to: the pinned type, else the cheapest with that shape."""
        if instance_type is not None:
            offering = self.instance(cloud, region, instance_type)
            if offering is None:
                raise CatalogError(f"{instance_type} is not in the catalog for {cloud} {region}")
            return offering
        if accelerator is None:
            raise CatalogError("a compute request needs an accelerator or an instance type")
        offered = self.find(cloud, region, accelerator, count or 1)
        if not offered:
            raise CatalogError(f"{count or 1} x {accelerator} is not offered on {cloud} in {region}")
        return offered[0]

    def select(
        self,
        cloud: str | None = None,
        region: str | None = None,
        accelerator: str | None = None,
        count: int | None = None,
        *,
        gpu_only: bool = True,
    ) -> list[Offering]:
        """Filtered listing for humans (the ``catalog`` command); not for hot paths."""
        rows = [
            o
            for o in self.offerings
            if (cloud is None or o.cloud == cloud)
            and (region is None or o.region == region)
            and (accelerator is None or o.accelerator == accelerator)
            and (count is None or o.accelerator_count == count)
            and (o.accelerator or not gpu_only)
        ]
        return sorted(
            rows, key=lambda o: (o.accelerator or "", o.accelerator_count, o.cloud, o.region, o.price_per_hour)
        )

    def shape_keys(self) -> list[tuple[str, str, str, int]]:
        """Every (cloud, region, accelerator, count) that has at least one offering."""
        return list(self._by_shape)  # type: ignore[attr-defined]

    def placements(self, accelerator: str, count: int) -> list[tuple[str, str]]:
        """Every (cloud, region) offering ``count`` x ``accelerator``."""
        return sorted({(c, r) for (c, r, a, n) in self.shape_keys() if a == accelerator and n == count})

    def counts_offered(self, accelerator: str, cloud: str | None = None) -> list[int]:
        return sorted({n for (c, _, a, n) in self.shape_keys() if a == accelerator and cloud in (None, c)})

    def instance_regions(self, cloud: str, instance_type: str) -> list[str]:
        return sorted(o.region for o in self.offerings if o.cloud == cloud and o.instance_type == instance_type)

    def instance_types(self, cloud: str) -> list[str]:
        return sorted({o.instance_type for o in self.offerings if o.cloud == cloud})

    def regions(self, cloud: str) -> list[str]:
        """Known regions of a cloud: the region list, plus any region an offering names."""
        known = {r for (c, r) in self.zones if c == cloud}
        known |= {o.region for o in self.offerings if o.cloud == cloud}
        return sorted(known)

    def zones_of(self, cloud: str, region: str) -> tuple[str, ...]:
        """Zone suffixes of a region (``a b c`` on AWS/GCP, ``1 2 3`` on Azure); empty if unknown."""
        return self.zones.get((cloud, region), ())

    def fee(self, cloud: str, name: str) -> Fee | None:
        return self.fees.get((cloud, name))

    def age_days(self, today: date | None = None) -> int:
        return ((today or date.today()) - self.as_of).days

    # -- construction -------------------------------------------------------------------------
    def with_overrides(self, rows: Iterable[Offering], source: str, as_of: date) -> Catalog:
        """A catalog whose rows for the same (cloud, region, instance type) are replaced by ``rows``."""
        replacing = {(o.cloud, o.region, o.instance_type): o for o in rows}
        kept = [o for o in self.offerings if (o.cloud, o.region, o.instance_type) not in replacing]
        return Catalog(
            offerings=tuple(kept) + tuple(replacing.values()),
            fees=self.fees,
            zones=self.zones,
            as_of=min(self.as_of, as_of),
            source=f"{self.source} + {source}",
        )


def read_offerings(path: Path) -> list[Offering]:
    """Parse an offerings CSV (the snapshot's columns); errors name the file, line and column."""
    reader = csv.DictReader(io.StringIO(_read_text(path), newline=""))
    try:
        missing = [c for c in OFFERING_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            expected = ", ".join(OFFERING_COLUMNS)
            raise CatalogError(f"{path}: missing column(s) {', '.join(missing)}; expected {expected}")
        return [_offering_from_row(row, path, reader.line_num) for row in reader]
    except csv.Error as exc:
        raise CatalogError(f"{path}:{reader.line_num}: malformed CSV ({exc})") from None


def _read_text(path: Path) -> str:
    """The file's text; a user's CSV saved by a spreadsheet may start with a BOM or not be UTF-8."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read catalog file {path}: {exc.strerror}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        byte = raw[exc.start]
        raise CatalogError(f"{path}:{line}: not UTF-8 text (byte {byte:#04x}); save the CSV as UTF-8") from None


#: No price per hour, GPU count, vCPU count or GiB of an instance comes near this; a larger number is a
#: typo or an attack, and 1e308 times hours times nodes is infinity.
MAX_CATALOG_NUMBER = 100_000


def _offering_from_row(row: dict[str, str | None], path: Path, line: int) -> Offering:
    def text(column: str) -> str:
        # A short row leaves its missing cells as None (csv.DictReader's restval).
        return (row.get(column) or "").strip()

    def number(column: str, *, optional: bool = False) -> float | None:
        cell = text(column)
        if not cell and optional:
            return None
        try:
            value = float(cell)
        except ValueError:
            raise CatalogError(f"{path}:{line}: column {column} must be a number, got {cell!r}") from None
        if not math.isfinite(value) or value < 0:
            raise CatalogError(f"{path}:{line}: column {column} must be a finite number >= 0, got {cell}")
        if value > MAX_CATALOG_NUMBER:
            # Absurd numbers overflow sums to infinity, which JSON cannot carry: refuse them here.
            raise CatalogError(f"{path}:{line}: column {column} must be at most {MAX_CATALOG_NUMBER:,}, got {cell}")
        return value

    for column in ("cloud", "region", "instance_type"):
        if not text(column):
            raise CatalogError(f"{path}:{line}: column {column} must not be empty")
    cloud = text("cloud")
    if cloud not in CLOUDS:
        raise CatalogError(f"{path}:{line}: column cloud must be one of {', '.join(CLOUDS)}, got {cloud!r}")
    price = number("price_usd_per_hour")
    spot = number("spot_price_usd_per_hour", optional=True)
    assert price is not None
    # The source reports spot == on-demand where it has no real spot price (all Azure H100 sizes):
    # a "discount" of zero is not a price, so it is treated as unknown.
    if spot is not None and spot >= price:
        spot = None
    accelerator = text("accelerator") or None
    count = number("accelerator_count") or 0
    if accelerator and (count < 1 or count != int(count)):
        raise CatalogError(f"{path}:{line}: column accelerator_count must be a whole number >= 1 for {accelerator}")
    return Offering(
        cloud=cloud,
        region=text("region"),
        instance_type=text("instance_type"),
        accelerator=accelerator,
        accelerator_count=int(count) if accelerator else 0,
        accelerator_memory_gib=number("accelerator_memory_gib") or 0.0,
        vcpus=number("vcpus") or 0.0,
        memory_gib=number("memory_gib") or 0.0,
        price_per_hour=price,
        spot_price_per_hour=spot,
        source=text("source_commit"),
    )


def read_fees(path: Path) -> dict[tuple[str, str], Fee]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            (row["cloud"], row["fee"]): Fee(
                row["cloud"], row["fee"], row["unit"], float(row["price_usd"]), row["source"]
            )
            for row in csv.DictReader(handle)
        }


def read_zones(path: Path) -> dict[tuple[str, str], tuple[str, ...]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {(row["cloud"], row["region"]): tuple(row["zones"].split()) for row in csv.DictReader(handle)}


def _bundled(name: str) -> Path:
    return DATA_DIR / name


def load_catalog(extra_csv: Path | str | None = None) -> Catalog:
    """The bundled catalog, optionally with a user's CSV whose rows replace or add to it.

    A user CSV's age is its file's modification date, so the catalog's ``as_of`` becomes the
    older of the two: the catalog is only as fresh as its stalest part.
    """
    offerings = read_offerings(_bundled("offerings.csv"))
    cpu = _bundled("cpu_shapes.csv")
    if cpu.exists():
        offerings += read_offerings(cpu)
    fees = read_fees(_bundled("fees.csv")) if _bundled("fees.csv").exists() else {}
    zones = read_zones(_bundled("regions.csv")) if _bundled("regions.csv").exists() else {}
    catalog = Catalog(offerings=tuple(offerings), fees=fees, zones=zones)
    if extra_csv is None:
        return catalog
    path = Path(extra_csv)
    rows = read_offerings(path)
    modified = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).date()
    return catalog.with_overrides(rows, source=str(path), as_of=modified)
