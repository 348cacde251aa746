"""The GPU catalog: which shapes exist where, in which zones, and what they cost.

A :class:`Catalog` is an immutable, indexed view over the data files that
:mod:`aimodel_infra.catalog.importer` generates from the public SkyPilot catalog (see
``data/SOURCES.md`` for provenance). It is passed in rather than read from a global so tests and
users can hand in their own (``load_catalog(path)``), e.g. with negotiated prices.

What the catalog knows comes in three strengths, and the answers keep them apart:

- *priced* offerings (``offerings``): the type is sold in that region and the source prices it;
- *unpriced* offerings (``unpriced``): the source lists the type there without an on-demand price
  (AWS ``p5e.48xlarge``, GCP B200 hosts); usable when pinned, with a "not priced" warning;
- regions the data does not cover at all (:meth:`Catalog.covers_region` is False): absence of a
  shape there is no information, so the answer is "no data", never "not offered".

Zone lists, Kubernetes versions and zone exclusions are read on first use, so commands that do not
ask for them (``cost``, ``compare``) do not pay for reading them.
"""

# No ``from __future__ import annotations``: typing.NamedTuple compiles each string annotation into a
# ForwardRef when the class is created, ~10 us per field on every cold start of ``validate`` and ``cost``.
import csv
import io
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Generic, NamedTuple, TypeVar

from aimodel_infra.catalog.naming import ACCELERATOR_ALIASES, ACCELERATORS
from aimodel_infra.clouds import CLOUD_NAMES
from aimodel_infra.errors import CatalogError, close_matches

DATA_DIR = Path(__file__).parent / "data"
#: The bundled data has no trustworthy date: the SkyPilot commits it was read at are older than the
#: extract (2026-12-01) by an unknown margin. ``None`` means "unknown"; :data:`BUNDLED_DATA_AGE` says why.
SNAPSHOT_DATE: date | None = None
BUNDLED_DATA_AGE = (
    "list prices from the public SkyPilot catalog at pinned commits of unknown date (aws 001367d, gcp 017e250, "
    "azure 098741e), not current: AWS p5.48xlarge is $98.32/h there although AWS cut P5 on-demand prices by up "
    "to ~45% in June 2025, and no p6-b200 rows exist although that type launched in 2025; pass --catalog with "
    "your own prices"
)
HOURS_PER_MONTH = 730.0
T = TypeVar("T")

OFFERING_COLUMNS = (
    "cloud", "region", "instance_type", "accelerator", "accelerator_count",
    "accelerator_memory_gib", "vcpus", "memory_gib", "price_usd_per_hour",
    "spot_price_usd_per_hour", "source_commit",
)  # fmt: skip
#: Optional column: what is odd about a row's price in its source (shown next to answers that use it).
CAVEAT_COLUMN = "caveat"
CLOUDS = CLOUD_NAMES


class Offering(NamedTuple):
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
    #: What is suspect about this row's price in the source ("" when nothing is known to be).
    caveat: str = ""
    #: False for a type the source lists without a price: its prices are 0.0 and must not be summed silently.
    priced: bool = True

    @property
    def shape(self) -> str:
        """``8 x H100`` or ``cpu`` — how people say what an instance is."""
        return f"{self.accelerator_count} x {self.accelerator}" if self.accelerator else "cpu"

    @property
    def price_per_gpu_hour(self) -> float | None:
        """On-demand price of one GPU-hour (the whole instance's price over its GPUs); None for CPU or unpriced."""
        if not self.accelerator or not self.priced:
            return None
        return self.price_per_hour / self.accelerator_count


class DataSource(NamedTuple):
    """Where one cloud's offerings come from, and what that source covers."""

    cloud: str
    source: str
    commit: str
    #: Whether the source lists availability per zone (the Azure v6 file does not).
    zone_data: bool
    regions: frozenset[str]


class KubernetesVersion(NamedTuple):
    """One managed-Kubernetes minor version on one cloud, with its documented support window.

    ``standard_support_end`` / ``extended_support_end`` are the last days of each period (None: the
    source gives no date). ``lts_only``: on the date the catalog was asked about (today unless given),
    AKS offers this version only under its paid long-term support (Premium tier): the versions the AKS
    page lists only in its LTS table, and any version past its community support but within LTS.
    ``ga_month`` is (year, month) where the source dates availability only
    to the month (AKS), so ``released`` stays None rather than a made-up day.
    """

    cloud: str
    version: str
    released: date | None
    standard_support_end: date | None
    extended_support_end: date | None
    lts_only: bool
    source: str
    ga_month: tuple[int, int] | None = None

    def available_on(self, today: date) -> bool:
        """Documented as generally available on ``today`` (a month-only date counts once that month is over)."""
        if self.released is not None:
            return self.released <= today
        return self.ga_month is not None and self.ga_month < (today.year, today.month)

    def support_on(self, today: date) -> str:
        """``standard``, ``extended`` (paid: EKS extended support, GKE Extended channel, AKS LTS), ``ended``
        or ``unknown`` (the source has no end date for the period ``today`` falls in)."""
        if not self.lts_only:
            if self.standard_support_end is None:
                return "unknown"
            if today <= self.standard_support_end:
                return "standard"
        if self.extended_support_end is None:
            return "unknown"
        return "extended" if today <= self.extended_support_end else "ended"

    def sort_key(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.version.split("."))


class Lazy(Generic[T]):
    """A value read on first use (zone lists, versions), so cold starts that never ask do not pay for it."""

    __slots__ = ("_load", "_value", "_loaded")

    def __init__(self, load: Callable[[], T]) -> None:
        self._load = load
        self._loaded = False

    @classmethod
    def of(cls, value: T) -> "Lazy[T]":
        lazy: Lazy[T] = cls(lambda: value)
        return lazy

    def get(self) -> T:
        if not self._loaded:
            self._value = self._load()
            self._loaded = True
        return self._value


#: (cloud, region, instance type, GPU count) -> zones offering that combination, stable order.
ZoneLists = Mapping[tuple[str, str, str, int], tuple[str, ...]]
#: (cloud, service, region) -> (zones the service refuses, source).
ZoneExclusions = Mapping[tuple[str, str, str], tuple[frozenset[str], str]]
#: How an instance type's family is spelt on each cloud (``m6i`` of ``m6i.2xlarge``, ``n2-standard``
#: of ``n2-standard-8``, ``Dsv5`` of ``Standard_D8s_v5``), to tell a real but unpriced type from a typo.
_FAMILY_PATTERNS: dict[str, str] = {
    "aws": r"^([a-z][a-z0-9-]*)\.([0-9]*(?:nano|micro|small|medium|large|xlarge|metal)(?:-[0-9]+xl)?)$",
    "gcp": r"^([a-z][a-z0-9]*-[a-z]+)-([0-9]+)(?:g)?(?:-[a-z]+)?$",
    "azure": r"^Standard_([A-Z]+)([0-9]+)(-[0-9]+)?([a-z]*)(_[A-Za-z0-9]+)*?(_v[0-9]+)?$",
}


def instance_family(cloud: str, instance_type: str) -> str | None:
    """The family part of an instance type name, or None when the name does not parse for that cloud."""
    pattern = _FAMILY_PATTERNS.get(cloud)
    match = re.match(pattern, instance_type) if pattern else None  # compiled on first use, then cached by re
    if match is None:
        return None
    if cloud == "azure":
        return f"{match.group(1)}{match.group(4)}{match.group(6) or ''}"
    return match.group(1)


class Fee(NamedTuple):
    """A price a user pays whatever the GPUs do (control plane, NAT, storage)."""

    cloud: str
    fee: str
    unit: str
    price_usd: float
    source: str


class Accelerator(NamedTuple):
    name: str
    memory_gib: float
    clouds: tuple[str, ...]
    counts: tuple[int, ...]


def _tie_break(reach: Mapping[str, int], offering: Offering) -> tuple[int, str]:
    return (-reach.get(offering.instance_type, 0), offering.instance_type)


class _CloudIndex:
    """One cloud's offerings by (region, accelerator, count) and by (region, instance type).

    Shapes list cheapest first (equal prices by :meth:`Catalog.tie_break`); one type's rows (a GCP N1
    host comes with 0, 1, 2 or 4 T4s) fewest GPUs first.
    """

    __slots__ = ("by_shape", "by_type", "unpriced", "reach")

    def __init__(self, priced: Sequence[Offering], unpriced: Sequence[Offering]) -> None:
        by_shape: dict[tuple[str, str, int], list[Offering]] = defaultdict(list)
        by_type: dict[tuple[str, str], list[Offering]] = defaultdict(list)
        for offering in priced:
            by_type[(offering.region, offering.instance_type)].append(offering)
            if offering.accelerator:
                by_shape[(offering.region, offering.accelerator, offering.accelerator_count)].append(offering)
        #: In how many regions each type is sold: the tie-break between types at one price.
        self.reach = Counter(instance_type for _, instance_type in by_type)
        for group in by_shape.values():
            if len(group) > 1:  # most shapes have one type in a region: nothing to order, on every cold start
                group.sort(key=lambda o: (o.price_per_hour, *_tie_break(self.reach, o)))
        listed: dict[tuple[str, str], list[Offering]] = defaultdict(list)
        for offering in unpriced:
            listed[(offering.region, offering.instance_type)].append(offering)
        for rows in (*by_type.values(), *listed.values()):
            if len(rows) > 1:
                rows.sort(key=lambda o: o.accelerator_count)
        self.by_shape = {k: tuple(v) for k, v in by_shape.items()}
        self.by_type = {k: tuple(v) for k, v in by_type.items()}
        self.unpriced = {k: tuple(v) for k, v in listed.items()}


@dataclass(frozen=True)
class Catalog:
    """Indexed, read-only catalog. Build with :func:`load_catalog` or :meth:`from_rows`."""

    offerings: tuple[Offering, ...]
    fees: Mapping[tuple[str, str], Fee] = field(default_factory=dict)
    #: Zone suffixes of every known region (data/regions.csv), for the network's zone count.
    zones: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    #: When the prices were true, if known; the bundled data's date is unknown (see ``age_note``).
    as_of: date | None = SNAPSHOT_DATE
    source: str = "bundled snapshot"
    #: Types the source lists in a region without an on-demand price.
    unpriced: tuple[Offering, ...] = ()
    #: Per cloud: the source, its commit, whether it has zones, which regions it covers.
    sources: tuple[DataSource, ...] = ()
    zone_lists: Lazy[ZoneLists] = field(default_factory=lambda: Lazy.of({}))
    versions: Lazy[tuple[KubernetesVersion, ...]] = field(default_factory=lambda: Lazy.of(()))
    zone_exclusions: Lazy[ZoneExclusions] = field(default_factory=lambda: Lazy.of({}))
    #: What is known about how old the prices are, for output where ``as_of`` is None.
    age_note: str = ""

    def __post_init__(self) -> None:
        priced: dict[str, list[Offering]] = defaultdict(list)
        unpriced: dict[str, list[Offering]] = defaultdict(list)
        for offering in self.offerings:
            priced[offering.cloud].append(offering)
        for offering in self.unpriced:
            unpriced[offering.cloud].append(offering)
        object.__setattr__(self, "_rows_by_cloud", (priced, unpriced))
        object.__setattr__(self, "_indexes", {})
        object.__setattr__(self, "_sources", {s.cloud: s for s in self.sources})

    def _index(self, cloud: str) -> _CloudIndex:
        """The lookups of one cloud, built when first asked: a spec is on one cloud, so ``validate`` and
        ``cost`` index only its rows (a third of the catalog for AWS) on their cold start."""
        indexes: dict[str, _CloudIndex] = self._indexes  # type: ignore[attr-defined]
        if cloud not in indexes:
            priced, unpriced = self._rows_by_cloud  # type: ignore[attr-defined]
            indexes[cloud] = _CloudIndex(priced.get(cloud, ()), unpriced.get(cloud, ()))
        return indexes[cloud]

    def tie_break(self, offering: Offering) -> tuple[int, str]:
        """How two types of one shape at the same price are ordered: the type offered in more regions
        first (the mainstream machine, e.g. GCP's a3-highgpu-8g, not the regional a3-edgegpu-8g variant
        sold at its price), then by name. ``find`` and ``compare`` both order by it."""
        return _tie_break(self._index(offering.cloud).reach, offering)

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
        """Accelerators the data offers somewhere, priced or not."""
        return sorted({o.accelerator for o in (*self.offerings, *self.unpriced) if o.accelerator})

    def canonical_accelerator(self, name: str) -> str | None:
        """The catalog's name for what a user typed (case and common aliases forgiven), or None.

        Names come from the one vocabulary (``naming.ACCELERATORS``) plus any a user's CSV adds.
        """
        wanted = name.strip().upper()
        wanted = ACCELERATOR_ALIASES.get(wanted, wanted)
        known = {*ACCELERATORS, *self.accelerator_names()}
        return next((k for k in sorted(known) if k.upper() == wanted), None)

    def suggest_accelerators(self, name: str) -> list[str]:
        names = self.accelerator_names()
        by_upper = {n.upper(): n for n in names}
        close = close_matches(name.strip().upper(), by_upper, n=3, cutoff=0.4)
        return [by_upper[c] for c in close]

    # -- offerings ----------------------------------------------------------------------------
    def find(self, cloud: str, region: str, accelerator: str, count: int) -> tuple[Offering, ...]:
        """Instance types with exactly ``count`` x ``accelerator`` in that region, cheapest first
        (equal prices in :meth:`tie_break` order)."""
        return self._index(cloud).by_shape.get((region, accelerator, count), ())

    def instance(self, cloud: str, region: str, instance_type: str, count: int | None = None) -> Offering | None:
        """The priced offering of that type there (with ``count`` GPUs when given; else the fewest GPUs)."""
        return _with_count(self._index(cloud).by_type.get((region, instance_type), ()), count)

    def find_by_type(self, cloud: str, region: str, instance_type: str) -> tuple[Offering, ...]:
        """Every priced offering of that type there (a GCP N1 host: one per T4 count)."""
        return self._index(cloud).by_type.get((region, instance_type), ())

    def unpriced_instance(
        self, cloud: str, region: str, instance_type: str, count: int | None = None
    ) -> Offering | None:
        """The type as the source lists it there without a price (``priced`` False), or None."""
        return _with_count(self._index(cloud).unpriced.get((region, instance_type), ()), count)

    def find_unpriced(self, cloud: str, region: str, accelerator: str, count: int) -> tuple[Offering, ...]:
        """Types with that shape the source lists in the region without a price."""
        return tuple(
            o for o in self.unpriced
            if (o.cloud, o.region, o.accelerator, o.accelerator_count) == (cloud, region, accelerator, count)
        )  # fmt: skip

    def offering_for(
        self, cloud: str, region: str, accelerator: str | None, count: int | None, instance_type: str | None
    ) -> Offering:
        """The instance a compute request resolves to: the pinned type, else the cheapest with that shape.

        A pinned type the data lists without a price, or a real type of a known family the data does not
        list at all (``m6i.2xlarge``), resolves to an unpriced offering (``priced`` False, prices 0.0) so
        that totals can say what they leave out instead of refusing a buildable spec.
        """
        if instance_type is not None:
            wanted = count if accelerator is not None and count is not None else None
            offering = self.instance(cloud, region, instance_type, wanted)
            offering = offering or self.unpriced_instance(cloud, region, instance_type, wanted)
            offering = offering or self.unlisted_instance(cloud, region, instance_type, accelerator, count)
            if offering is None:
                raise CatalogError(f"{instance_type} is not in the catalog for {cloud} {region}")
            return offering
        if accelerator is None:
            raise CatalogError("a compute request needs an accelerator or an instance type")
        offered = self.find(cloud, region, accelerator, count or 1)
        if not offered:
            raise CatalogError(self.not_offered_message(cloud, region, accelerator, count or 1))
        return offered[0]

    def unlisted_instance(
        self, cloud: str, region: str, instance_type: str, accelerator: str | None = None, count: int | None = None
    ) -> Offering | None:
        """An unpriced stand-in for a type the data does not list, when its family is one the cloud's data knows.

        ``m6i.2xlarge`` is a real AWS type (family m6i is in the data); ``m6x.2xlarge`` is a typo. The shape
        (vCPUs, memory) is unknown (0); a GPU count comes from the request, since the data cannot say it.
        """
        family = instance_family(cloud, instance_type)
        if family is None or family not in self.families(cloud):
            return None
        return Offering(
            cloud, region, instance_type, accelerator, (count or 1) if accelerator else 0, 0.0, 0.0, 0.0, 0.0, None,
            "not in the catalog", caveat=f"{instance_type} is not in the catalog's data: not priced", priced=False,
        )  # fmt: skip

    def families(self, cloud: str) -> frozenset[str]:
        """Instance families the cloud's data lists (priced or not)."""
        cache: dict[str, frozenset[str]] = self.__dict__.setdefault("_families", {})
        if cloud not in cache:
            names = {o.instance_type for o in (*self.offerings, *self.unpriced) if o.cloud == cloud}
            cache[cloud] = frozenset(f for f in (instance_family(cloud, n) for n in names) if f)
        return cache[cloud]

    def not_offered_message(self, cloud: str, region: str, accelerator: str, count: int) -> str:
        """Why ``count`` x ``accelerator`` cannot be placed there: not offered (the data covers the region), or
        no data (it does not), with where it is offered instead."""
        if not self.covers_region(cloud, region):
            return self.no_data_message(cloud, region)
        places = self.placements(accelerator, count)
        same_cloud = [r for c, r in places if c == cloud]
        unpriced = self.find_unpriced(cloud, region, accelerator, count)
        if unpriced:
            types = ", ".join(o.instance_type for o in unpriced)
            return (
                f"{count} x {accelerator} ({types}) is offered on {cloud} in {region} but the catalog has no "
                "price for it; pin instance_type to use it unpriced, or pass --catalog with your own prices"
            )
        if same_cloud:
            where = f"on {cloud} it is offered in {', '.join(same_cloud)}"
        elif places:
            where = f"{cloud} does not offer it; offered in {', '.join(f'{c} {r}' for c, r in places)}"
        else:
            counts = self.counts_offered(accelerator, cloud)
            where = f"{accelerator} comes in counts of {', '.join(map(str, counts)) or 'none'} on {cloud}"
        return f"{count} x {accelerator} is not offered on {cloud} in {region}; {where}"

    def no_data_message(self, cloud: str, region: str) -> str:
        covered = self.covered_regions(cloud)
        listing = f"it covers {', '.join(covered)}" if covered else f"it has no {cloud} regions"
        return f"the catalog has no data for {region} ({listing}); pass --catalog with your own prices"

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
            for o in (*self.offerings, *self.unpriced)
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
        priced_by_cloud = self._rows_by_cloud[0]  # type: ignore[attr-defined]
        return [(cloud, *key) for cloud in priced_by_cloud for key in self._index(cloud).by_shape]

    def placements(self, accelerator: str, count: int) -> list[tuple[str, str]]:
        """Every (cloud, region) offering ``count`` x ``accelerator``."""
        return sorted({(c, r) for (c, r, a, n) in self.shape_keys() if a == accelerator and n == count})

    def counts_offered(self, accelerator: str, cloud: str | None = None) -> list[int]:
        return sorted({n for (c, _, a, n) in self.shape_keys() if a == accelerator and cloud in (None, c)})

    def instance_regions(self, cloud: str, instance_type: str) -> list[str]:
        """Regions whose data lists the type, priced or not."""
        rows = (*self.offerings, *self.unpriced)
        return sorted({o.region for o in rows if o.cloud == cloud and o.instance_type == instance_type})

    def instance_types(self, cloud: str) -> list[str]:
        return sorted({o.instance_type for o in (*self.offerings, *self.unpriced) if o.cloud == cloud})

    def regions(self, cloud: str) -> list[str]:
        """Known regions of a cloud: the region list, plus any region an offering names."""
        known = {r for (c, r) in self.zones if c == cloud}
        known |= {o.region for o in self.offerings if o.cloud == cloud}
        return sorted(known)

    def zones_of(self, cloud: str, region: str) -> tuple[str, ...]:
        """Zone suffixes of a region (``a b c`` on AWS/GCP, ``1 2 3`` on Azure); empty if unknown."""
        return self.zones.get((cloud, region), ())

    # -- coverage and placement ----------------------------------------------------------------
    def covers_region(self, cloud: str, region: str) -> bool:
        """Whether the data has offerings for that region at all (absence of a shape is then information)."""
        source = self._sources.get(cloud)  # type: ignore[attr-defined]
        if source is not None and region in source.regions:
            return True
        return any(o.cloud == cloud and o.region == region for o in (*self.offerings, *self.unpriced))

    def covered_regions(self, cloud: str) -> list[str]:
        source = self._sources.get(cloud)  # type: ignore[attr-defined]
        regions = set(source.regions) if source else set()
        regions |= {o.region for o in (*self.offerings, *self.unpriced) if o.cloud == cloud}
        return sorted(regions)

    def data_source(self, cloud: str) -> DataSource | None:
        return self._sources.get(cloud)  # type: ignore[attr-defined]

    def zones_offering(
        self, cloud: str, region: str, instance_type: str, *, accelerator_count: int | None = None
    ) -> tuple[str, ...] | None:
        """Zones of the region that offer the type, sorted (GCP zone names like ``us-central1-a``; AWS zone
        IDs like ``use1-az1``, which each account maps to its own zone names: filter the provider's
        availability zones by zone ID).

        ``None`` when the data has no zone information for that cloud or region (Azure in the bundled
        data, a region outside the data, a user's CSV row): place regionally. An empty tuple when the
        data has zones for the region but none offers the type. ``accelerator_count`` narrows a GCP N1 host
        to the zones that also have that many T4s.
        """
        source = self._sources.get(cloud)  # type: ignore[attr-defined]
        if source is None or not source.zone_data or region not in source.regions:
            return None
        lists = self.zone_lists.get()
        if accelerator_count is not None:
            return lists.get((cloud, region, instance_type, accelerator_count), ())
        found: set[str] = set()
        for count in range(0, 17):
            found.update(lists.get((cloud, region, instance_type, count), ()))
        return tuple(sorted(found))

    def unsupported_zones(self, cloud: str, service: str, region: str) -> frozenset[str]:
        """Zones (AWS: zone IDs) of the region where a managed service refuses to run, e.g. EKS control-plane
        subnets; see data/unsupported_zones.csv for the source."""
        return self.zone_exclusions.get().get((cloud, service, region), (frozenset(), ""))[0]

    def eks_unsupported_zone_ids(self, region: str) -> frozenset[str]:
        """AWS zone IDs of ``region`` where EKS refuses cluster (control-plane) subnets, e.g. ``use1-az3``."""
        return self.unsupported_zones("aws", "eks", region)

    # -- Kubernetes versions -------------------------------------------------------------------
    def kubernetes_versions(self, cloud: str, today: date | None = None) -> tuple[KubernetesVersion, ...]:
        """Every documented minor version of the cloud's managed Kubernetes, oldest first, as of ``today``
        (``lts_only`` depends on the date on AKS). Empty when the catalog has no version data for the cloud."""
        on = today or date.today()
        found = (_as_of(v, on) for v in self.versions.get() if v.cloud == cloud)
        return tuple(sorted(found, key=KubernetesVersion.sort_key))

    def kubernetes_version(self, cloud: str, version: str, today: date | None = None) -> KubernetesVersion | None:
        return next((v for v in self.kubernetes_versions(cloud, today) if v.version == version), None)

    def default_kubernetes_version(self, cloud: str, today: date) -> str:
        """The newest version the sources say the cloud offers on ``today`` in standard support.

        Raises CatalogError when the sources do not reach ``today`` (no version known to be in standard
        support then): a default must not be guessed.
        """
        candidates = [v for v in self.kubernetes_versions(cloud, today) if v.available_on(today)
                      and v.support_on(today) == "standard"]  # fmt: skip
        if not candidates:
            raise CatalogError(
                f"the catalog knows no {cloud} Kubernetes version in standard support on {today.isoformat()}; "
                "set cluster.kubernetes_version explicitly"
            )
        return candidates[-1].version

    def control_plane_fee_name(self, cloud: str, version: str, today: date) -> str:
        """The fee past standard support (:func:`past_standard_fee`) while ``version`` is past it on ``today``
        (EKS extended support, GKE Extended channel, AKS LTS), else ``control_plane``: what a billable plan bills."""
        known = self.kubernetes_version(cloud, version, today)
        if known is not None and known.support_on(today) == "extended":
            return past_standard_fee(cloud)
        return "control_plane"

    def kubernetes_support_warnings(self, cloud: str, version: str, today: date, within_days: int = 90) -> list[str]:
        """What a user should hear about ``version`` on ``today``: past or near the end of standard support
        (and what the control plane then costs), LTS-only, or no documented dates."""
        known = self.kubernetes_version(cloud, version, today)
        offered = ", ".join(v.version for v in self.kubernetes_versions(cloud, today)) or "none"
        if known is None:
            return [f"{cloud} Kubernetes {version}: the catalog has no support dates for it (it knows {offered})"]
        status = known.support_on(today)
        standard, extended = self.fee(cloud, "control_plane"), self.fee(cloud, past_standard_fee(cloud))
        extra = (
            f"; the control plane then costs ${extended.price_usd:.2f}/h instead of ${standard.price_usd:.2f}/h"
            if standard and extended
            else "; the catalog has no price for the control plane then (not included in cost)"
        )
        lts = " (AKS LTS: needs the Premium tier)" if cloud == "azure" else ""
        end = known.standard_support_end
        if status == "standard" and end is not None and (end - today).days <= within_days:
            return [f"{cloud} Kubernetes {version} leaves standard support on {end.isoformat()} "
                    f"(in {(end - today).days} days){lts}{extra}"]  # fmt: skip
        if status == "extended":
            since = f"standard support ended {end.isoformat()}" if end else "offered only under long-term support"
            until = known.extended_support_end.isoformat() if known.extended_support_end else "an undated end"
            return [f"{cloud} Kubernetes {version} is in extended support ({since}; until {until}){lts}{extra}"]
        if status == "ended":
            return [f"{cloud} Kubernetes {version} is out of support; use one of {offered}"]
        if status == "unknown":
            return [f"{cloud} Kubernetes {version}: the source gives no end date for its current support period"]
        return []

    def fee(self, cloud: str, name: str) -> Fee | None:
        return self.fees.get((cloud, name))

    def age_days(self, today: date | None = None) -> int | None:
        """Days since ``as_of``; None when the data's date is unknown."""
        if self.as_of is None:
            return None
        return ((today or date.today()) - self.as_of).days

    # -- construction -------------------------------------------------------------------------
    def with_overrides(self, rows: Iterable[Offering], source: str, as_of: date) -> "Catalog":
        """A catalog whose rows for the same (cloud, region, instance type) are replaced by ``rows``."""
        rows = list(rows)
        replacing = {(o.cloud, o.region, o.instance_type): o for o in rows}
        kept = [o for o in self.offerings if (o.cloud, o.region, o.instance_type) not in replacing]
        unpriced = [o for o in self.unpriced if (o.cloud, o.region, o.instance_type) not in replacing]
        return Catalog(
            offerings=tuple(kept) + tuple(o for o in rows if o.priced),
            fees=self.fees,
            zones=self.zones,
            # The catalog is only as fresh as its stalest part; an unknown date stays unknown.
            as_of=None if self.as_of is None else min(self.as_of, as_of),
            source=f"{self.source} + {source}",
            unpriced=tuple(unpriced) + tuple(o for o in rows if not o.priced),
            sources=self.sources,
            zone_lists=self.zone_lists,
            versions=self.versions,
            zone_exclusions=self.zone_exclusions,
            age_note=self.age_note,
        )


#: The fee a control plane bills at past standard support, where it is not ``control_plane_extended`` (EKS
#: extended support, GKE's Extended channel): AKS keeps such versions only under LTS, on the Premium tier.
PAST_STANDARD_FEES = {"azure": "control_plane_premium"}


def past_standard_fee(cloud: str) -> str:
    return PAST_STANDARD_FEES.get(cloud, "control_plane_extended")


def _as_of(version: KubernetesVersion, today: date) -> KubernetesVersion:
    """An AKS version past its community support and within LTS is LTS-only on ``today``."""
    end, lts_end = version.standard_support_end, version.extended_support_end
    if version.cloud == "azure" and not version.lts_only and end is not None and lts_end is not None:
        if end < today <= lts_end:
            return version._replace(lts_only=True)
    return version


def _with_count(rows: tuple[Offering, ...], count: int | None) -> Offering | None:
    if count is None:
        return rows[0] if rows else None
    return next((o for o in rows if o.accelerator_count == count), None)


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
    # An empty on-demand price: the source lists the type there but does not price it.
    price = number("price_usd_per_hour", optional=True)
    spot = number("spot_price_usd_per_hour", optional=True)
    # The source reports spot == on-demand where it has no real spot price (all Azure H100 sizes):
    # a "discount" of zero is not a price, so it is treated as unknown.
    if spot is not None and (price is None or spot >= price):
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
        accelerator_memory_gib=number("accelerator_memory_gib", optional=True) or 0.0,
        vcpus=number("vcpus", optional=True) or 0.0,
        memory_gib=number("memory_gib", optional=True) or 0.0,
        price_per_hour=price or 0.0,
        spot_price_per_hour=spot,
        source=text("source_commit"),
        caveat=text(CAVEAT_COLUMN),
        priced=price is not None,
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


class ZoneListFile(Mapping[tuple[str, str, str, int], tuple[str, ...]]):
    """data/zones.csv as a mapping, parsed one region at a time.

    ``validate`` and ``cost`` ask for the zones of one region, on every run: parsing the file's
    1,200 rows for that was a tenth of the catalog's cost of a cold start. Only the lines of the
    region asked for are parsed (each cloud and region once); iterating parses everything.
    """

    def __init__(self, text: str) -> None:
        self._lines = text.splitlines()
        header = next(csv.reader(self._lines[:1]))
        self._columns = [header.index(c) for c in ("cloud", "region", "instance_type", "accelerator_count", "zones")]
        self._regions: dict[tuple[str, str], dict[tuple[str, str, str, int], tuple[str, ...]]] = {}

    def _region(self, cloud: str, region: str) -> dict[tuple[str, str, str, int], tuple[str, ...]]:
        key = (cloud, region)
        if key not in self._regions:
            prefix = f"{cloud},{region},"
            self._regions[key] = self._parse(line for line in self._lines[1:] if line.startswith(prefix))
        return self._regions[key]

    def _parse(self, lines: Iterable[str]) -> dict[tuple[str, str, str, int], tuple[str, ...]]:
        cloud, region, kind, count, zones = self._columns
        return {
            (row[cloud], row[region], row[kind], int(row[count])): tuple(row[zones].split())
            for row in csv.reader(lines)
        }

    def __getitem__(self, key: tuple[str, str, str, int]) -> tuple[str, ...]:
        return self._region(key[0], key[1])[key]

    def _everything(self) -> dict[tuple[str, str, str, int], tuple[str, ...]]:
        return self._parse(self._lines[1:])

    def __iter__(self) -> Iterator[tuple[str, str, str, int]]:
        return iter(self._everything())

    def __len__(self) -> int:
        return len(self._everything())


def read_zone_lists(path: Path) -> ZoneListFile:
    """data/zones.csv: which zones of a region offer each (instance type, GPU count)."""
    return ZoneListFile(path.read_text(encoding="utf-8"))


def read_sources(path: Path) -> tuple[DataSource, ...]:
    with path.open(newline="", encoding="utf-8") as handle:
        return tuple(
            DataSource(
                row["cloud"], row["source"], row["commit"], row["zone_data"] == "yes", frozenset(row["regions"].split())
            )  # fmt: skip
            for row in csv.DictReader(handle)
        )


def read_zone_exclusions(path: Path) -> dict[tuple[str, str, str], tuple[frozenset[str], str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            (row["cloud"], row["service"], row["region"]): (frozenset(row["zones"].split()), row["source"])
            for row in csv.DictReader(handle)
        }


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def read_kubernetes_versions(path: Path) -> tuple[KubernetesVersion, ...]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    versions = []
    for row in rows:
        month = row["ga_month"]
        versions.append(
            KubernetesVersion(
                cloud=row["cloud"],
                version=row["version"],
                released=_day(row["released"]),
                standard_support_end=_day(row["standard_support_end"]),
                extended_support_end=_day(row["extended_support_end"]),
                lts_only=row["lts_only"] == "yes",
                source=row["source"],
                ga_month=(int(month[:4]), int(month[5:7])) if month else None,
            )
        )
    return tuple(versions)


def _bundled(name: str) -> Path:
    return DATA_DIR / name


def _optional(name: str, read: Callable[[Path], T], empty: T) -> Lazy[T]:
    path = _bundled(name)
    return Lazy(lambda: read(path) if path.exists() else empty)


def read_bundled_offerings(path: Path) -> list[Offering]:
    """The generated offerings file, read without per-cell checks (a test regenerates it from the
    importer and ``read_offerings`` parses it strictly): cold starts of validate/cost read it every run.

    A line without a quote is split on commas (the importer quotes only cells that hold one), and
    each record is made as the tuple it is: together a third faster than ``csv.reader`` and the
    NamedTuple constructor over the 1,300 rows.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    (cloud, region, kind, accelerator, count, gpu_memory, vcpus, memory, price, spot, commit, caveat) = (
        header.index(c) for c in (*OFFERING_COLUMNS, CAVEAT_COLUMN)
    )
    make = tuple.__new__
    offerings = []
    for line in lines[1:]:
        row = line.split(",") if '"' not in line else next(csv.reader([line]))
        on_demand = float(row[price]) if row[price] else None
        spot_price = float(row[spot]) if row[spot] else None
        if spot_price is not None and (on_demand is None or spot_price >= on_demand):
            spot_price = None
        offerings.append(
            make(Offering, (
                row[cloud], row[region], row[kind], row[accelerator] or None, int(row[count]),
                float(row[gpu_memory] or 0), float(row[vcpus] or 0), float(row[memory] or 0), on_demand or 0.0,
                spot_price, row[commit], row[caveat], on_demand is not None,
            ))
        )  # fmt: skip
    return offerings


def load_catalog(extra_csv: Path | str | None = None) -> Catalog:
    """The bundled catalog, optionally with a user's CSV whose rows replace or add to it.

    A user CSV's age is its file's modification date; the catalog's ``as_of`` is the older of the two
    (the bundled data's date is unknown, so it stays unknown: the catalog is only as fresh as its
    stalest part).
    """
    rows = read_bundled_offerings(_bundled("offerings.csv"))
    fees = read_fees(_bundled("fees.csv")) if _bundled("fees.csv").exists() else {}
    zones = read_zones(_bundled("regions.csv")) if _bundled("regions.csv").exists() else {}
    catalog = Catalog(
        offerings=tuple(o for o in rows if o.priced),
        fees=fees,
        zones=zones,
        unpriced=tuple(o for o in rows if not o.priced),
        sources=read_sources(_bundled("provenance.csv")),
        zone_lists=_optional("zones.csv", read_zone_lists, {}),
        versions=_optional("kubernetes_versions.csv", read_kubernetes_versions, ()),
        zone_exclusions=_optional("unsupported_zones.csv", read_zone_exclusions, {}),
        age_note=BUNDLED_DATA_AGE,
    )
    if extra_csv is None:
        return catalog
    path = Path(extra_csv)
    user_rows = read_offerings(path)
    modified = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).date()
    return catalog.with_overrides(user_rows, source=str(path), as_of=modified)
