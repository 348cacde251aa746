"""Which package builds which cloud. The only place that knows the list of clouds' builders.

Entries are small functions that import their cloud lazily, so choosing AWS never imports the
GCP or Azure SDK (each costs seconds), and type checkers can follow every entry. The policy
checks of a cloud are looked up here too; they read recorded graphs and import no SDK.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aimodel_infra.errors import AimodelError, Problem
from aimodel_infra.spec.models import Cloud, Environment

if TYPE_CHECKING:
    from aimodel_infra.base import CloudEnvironment
    from aimodel_infra.catalog import Catalog
    from aimodel_infra.policy.engine import CloudChecks

SpecRules = Callable[[Environment, "Catalog"], list[Problem]]
#: resource type -> the input keys whose change replaces the resource instead of updating it.
ReplacementKeys = Mapping[str, frozenset[str]]


@dataclass(frozen=True)
class CloudEntry:
    """How to reach one cloud's builder, policy checks and spec rules, each imported on first use.

    Only ``environment`` loads the cloud's SDK; the checks, rules and replacement keys are plain
    Python, so ``validate``, ``diff`` and the policy pack can use them without it.
    """

    environment: Callable[[], type[CloudEnvironment]]
    policy_checks: Callable[[], CloudChecks]
    spec_rules: Callable[[], SpecRules]
    replacement_keys: Callable[[], ReplacementKeys]
    install_hint: str


def _aws_environment() -> type[CloudEnvironment]:
    from aimodel_infra.aws import AwsEnvironment

    return AwsEnvironment


def _aws_policy_checks() -> CloudChecks:
    from aimodel_infra.aws.policy import CHECKS

    return CHECKS


def _aws_spec_rules() -> SpecRules:
    from aimodel_infra.aws.spec_rules import aws_problems

    return aws_problems


def _aws_replacement_keys() -> ReplacementKeys:
    from aimodel_infra.aws.replacements import REPLACED_ON_CHANGE

    return REPLACED_ON_CHANGE


REGISTRY: dict[Cloud, CloudEntry] = {
    Cloud.AWS: CloudEntry(
        environment=_aws_environment,
        policy_checks=_aws_policy_checks,
        spec_rules=_aws_spec_rules,
        replacement_keys=_aws_replacement_keys,
        install_hint="pip install 'aimodel-infra[aws]'",
    ),
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
        raise CloudNotSupported(
            f"building on {cloud.value} needs its SDK ({exc.name}): {cloud_entry.install_hint}"
        ) from None


def spec_problems(env: Environment, catalog: Catalog) -> list[Problem]:
    """The cloud's own limits on a valid spec; none for a cloud without a builder yet."""
    cloud_entry = REGISTRY.get(env.cloud)
    return cloud_entry.spec_rules()(env, catalog) if cloud_entry else []


def replacement_keys(cloud: Cloud) -> ReplacementKeys:
    """Which input changes replace a resource on ``cloud``; empty for a cloud without a builder."""
    cloud_entry = REGISTRY.get(cloud)
    return cloud_entry.replacement_keys() if cloud_entry else {}
