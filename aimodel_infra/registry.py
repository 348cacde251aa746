"""Which package supports which cloud: the one place that lists the clouds' packages.

Each entry names the cloud package's :class:`~aimodel_infra.cloud.CloudSupport`; nothing is
imported until a cloud is asked for, so choosing AWS never imports the GCP or Azure SDK (each
costs seconds), and the support modules themselves import no SDK at all.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from aimodel_infra.cloud import CloudNotSupported, CloudSupport, ReplacementKeys, load
from aimodel_infra.errors import Problem
from aimodel_infra.spec.models import Cloud, Environment

if TYPE_CHECKING:
    from aimodel_infra.catalog import Catalog
    from aimodel_infra.component import CloudEnvironment

REGISTRY: dict[Cloud, str] = {
    Cloud.AWS: "aimodel_infra.aws.support:SUPPORT",
    Cloud.GCP: "aimodel_infra.gcp.support:SUPPORT",
    Cloud.AZURE: "aimodel_infra.azure.support:SUPPORT",
}

__all__ = [
    "REGISTRY",
    "CloudNotSupported",
    "all_support",
    "environment_class",
    "replacement_keys",
    "spec_problems",
    "support",
]


@cache
def support(cloud: Cloud) -> CloudSupport:
    """The descriptor of ``cloud``; every value of :class:`Cloud` has one."""
    found: CloudSupport = load(REGISTRY[cloud])
    if found.cloud is not cloud:
        raise RuntimeError(f"{REGISTRY[cloud]} describes {found.cloud.value}, not {cloud.value}")
    return found


def all_support() -> list[CloudSupport]:
    return [support(cloud) for cloud in REGISTRY]


def builders() -> list[Cloud]:
    """The clouds that can be built (not only validated and priced)."""
    return [cloud for cloud in REGISTRY if support(cloud).has_builder]


def environment_class(cloud: Cloud) -> type[CloudEnvironment]:
    """The ComponentResource class that builds a whole environment on ``cloud``."""
    try:
        return support(cloud).load_environment()
    except CloudNotSupported as exc:
        if support(cloud).has_builder:
            raise
        available = ", ".join(c.value for c in builders())
        raise CloudNotSupported(f"{exc}; builders exist for: {available}") from None


def spec_problems(env: Environment, catalog: Catalog) -> list[Problem]:
    """The cloud's own limits on a structurally valid spec."""
    return support(env.cloud).load_spec_rules()(env, catalog)


def replacement_keys(cloud: Cloud) -> ReplacementKeys:
    """Which input changes replace a resource on ``cloud``."""
    return support(cloud).load_replacement_keys()
