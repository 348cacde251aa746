"""Which Kubernetes minor versions AKS offers, and which only under long-term support (LTS).

LTS needs the Premium tier and ``support_plan="AKSLongTermSupport"`` [SRC Azure/AKS CHANGELOG.md:
"switch non-LTS clusters ... to LTS by switching their tier to Premium"]. The catalog's version data
(``Catalog.kubernetes_version``, issue 8) is used when the catalog has it; until then the table
below, read from the AKS changelog, answers.
"""

# No ``from __future__ import annotations``: typing.NamedTuple compiles each string annotation into a
# ForwardRef when the class is created, ~10 us per field on every cold start of ``validate`` and ``cost``.
from datetime import date
from typing import Final, NamedTuple

from aimodel_infra.catalog import Catalog
from aimodel_infra.spec.models import Cluster

CHANGELOG: Final = "Azure/AKS CHANGELOG.md@8d1c8909 (2026-08-07)"
#: The version a cluster gets when the spec names none: the newest but one in standard support
#: (1.36 went GA on 2026-06-19; 1.35 has had its first months of patches).
FALLBACK_DEFAULT: Final = "1.35"


class AksVersion(NamedTuple):
    version: str
    lts_only: bool
    source: str


#: [SRC Azure/AKS CHANGELOG.md@8d1c8909]: 1.30 deprecated, LTS to stay (2026-07-17); 1.31 and 1.32 LTS versions,
#: 1.32 "now available only through Long Term Support" (2026-04-28); 1.33 "now available only under LTS"
#: (2026-07-17); 1.34 GA (2026-01-04); 1.35 GA (2026-03-05); 1.36 GA and LTS-eligible (2026-06-19).
FALLBACK_VERSIONS: Final[dict[str, AksVersion]] = {
    "1.30": AksVersion("1.30", True, f"{CHANGELOG}: Release Notes 2026-07-17"),
    "1.31": AksVersion("1.31", True, f"{CHANGELOG}: 1.31 and 1.32 designated LTS versions"),
    "1.32": AksVersion("1.32", True, f"{CHANGELOG}: Release Notes 2026-04-28"),
    "1.33": AksVersion("1.33", True, f"{CHANGELOG}: Release Notes 2026-07-17"),
    "1.34": AksVersion("1.34", False, f"{CHANGELOG}: Release Notes 2026-01-04 (GA)"),
    "1.35": AksVersion("1.35", False, f"{CHANGELOG}: Release Notes 2026-03-05 (GA)"),
    "1.36": AksVersion("1.36", False, f"{CHANGELOG}: Release Notes 2026-06-19 (GA)"),
}


def _has_version_data(catalog: Catalog) -> bool:
    """The catalog carries AKS version data (a catalog built from rows alone has the methods, no data)."""
    listing = getattr(catalog, "kubernetes_versions", None)
    return listing is not None and bool(listing("azure"))


def aks_version(catalog: Catalog, version: str) -> AksVersion | None:
    """What is known about ``version`` on AKS; None when AKS does not offer it (per the data)."""
    lookup = getattr(catalog, "kubernetes_version", None)
    if lookup is None or not _has_version_data(catalog):
        return FALLBACK_VERSIONS.get(version)
    found = lookup("azure", version)
    if found is None:
        return None
    return AksVersion(found.version, bool(found.lts_only), str(found.source))


def aks_versions(catalog: Catalog) -> list[str]:
    """Every minor version the data knows on AKS, oldest first."""
    listing = getattr(catalog, "kubernetes_versions", None)
    versions = [v.version for v in listing("azure")] if _has_version_data(catalog) else list(FALLBACK_VERSIONS)
    return sorted(versions, key=lambda v: tuple(int(p) for p in v.split(".")))


def default_version(catalog: Catalog, today: date | None = None) -> str:
    """AKS's default for a spec that names no version: the catalog's (issue 8), else ``FALLBACK_DEFAULT``."""
    lookup = getattr(catalog, "default_kubernetes_version", None)
    if lookup is not None:
        found = lookup("azure", today or date.today())
        if found:
            return str(getattr(found, "version", found))
    return FALLBACK_DEFAULT


def cluster_version(cluster: Cluster, catalog: Catalog) -> str:
    """The version the cluster is built with: the spec's, or AKS's default when the spec leaves it unset (None)."""
    return cluster.kubernetes_version or default_version(catalog)
