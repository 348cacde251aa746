"""Which package builds which cloud. The only place that knows the list of clouds' builders.

Entries are small functions that import their cloud lazily, so choosing AWS never imports the
GCP or Azure SDK (each costs seconds), and type checkers can follow every entry. The policy
checks of a cloud are looked up here too; they read recorded graphs and import no SDK.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aimodel_infra.errors import AimodelError
from aimodel_infra.spec.models import Cloud

if TYPE_CHECKING:
    from aimodel_infra.base import CloudEnvironment
    from aimodel_infra.policy.engine import CloudChecks


@dataclass(frozen=True)
class CloudEntry:
    """How to reach one cloud's builder and policy checks, both imported on first use."""

    environment: Callable[[], type[CloudEnvironment]]
    policy_checks: Callable[[], CloudChecks]
    install_hint: str


def _aws_environment() -> type[CloudEnvironment]:
    from aimodel_infra.aws import AwsEnvironment

    return AwsEnvironment


def _aws_policy_checks() -> CloudChecks:
    from aimodel_infra.aws.policy import CHECKS

    return CHECKS


REGISTRY: dict[Cloud, CloudEntry] = {
    Cloud.AWS: CloudEntry(_aws_environment, _aws_policy_checks, "pip install 'aimodel-infra[aws]'"),
}


class CloudNotSupported(AimodelError):
    """The spec names a cloud whose builder is not available (not written yet, or SDK missing)."""


def entry(cloud: Cloud) -> CloudEntry:
    try:
        return REGISTRY[cloud]
    except KeyError:
        available = ", ".join(c.value for c in REGISTRY)
        raise CloudNotSupported(
            f"cloud {cloud.value!r} can be validated, priced and compared, but it has no builder yet; "
            f"builders exist for: {available}"
        ) from None


def environment_class(cloud: Cloud) -> type[CloudEnvironment]:
    """The ComponentResource class that builds a whole environment on ``cloud``."""
    cloud_entry = entry(cloud)
    try:
        return cloud_entry.environment()
    except ImportError as exc:
        raise CloudNotSupported(f"building on {cloud.value} needs its SDK ({exc.name}): {cloud_entry.install_hint}") from None
