"""The component every cloud's environment is: what the program and preview build and export.

The typed half of the contract is :class:`aimodel_infra.cloud.CloudSupport`; this is the Pulumi
half, kept apart because it imports Pulumi while the descriptor must not.
"""

from __future__ import annotations

from typing import Any

import pulumi

from aimodel_infra.catalog import Catalog
from aimodel_infra.cloud import EXPORT_KEYS
from aimodel_infra.spec.models import Environment


class CloudEnvironment(pulumi.ComponentResource):
    """A whole environment on one cloud, built from a validated :class:`Environment`.

    Subclasses take ``(name, env, catalog=None, opts=None)``, create every child with
    ``parent=self``, fill :attr:`exports` with every key of
    :data:`~aimodel_infra.cloud.EXPORT_KEYS` (cluster keys only with a cluster) plus their own
    extras, and call ``register_outputs``. Construction must be pure Pulumi: no cloud API calls,
    so the offline preview can run it under mocks.
    """

    exports: dict[str, Any]

    def __init__(self, type_token: str, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(type_token, name, None, opts)
        self.exports = {}


def kept_options(parent: pulumi.Resource, keep: bool) -> pulumi.ResourceOptions:
    """Options of a child that holds data (a bucket, its key, an account): with ``keep`` (the spec's
    ``deletion_protection``) Pulumi refuses to delete it and leaves it in the cloud if the stack drops it."""
    return pulumi.ResourceOptions(parent=parent, protect=True if keep else None, retain_on_delete=keep or None)


def buildable(env: Environment, catalog: Catalog | None) -> Catalog:
    """The catalog to build with, once the cloud's own rules accept ``env`` (SpecError listing every
    problem otherwise). Components are public API: a program may hand them a spec that never went
    through ``parse_environment``, so each environment checks before it creates anything."""
    from aimodel_infra.catalog import default_catalog
    from aimodel_infra.errors import SpecError
    from aimodel_infra.registry import spec_problems

    catalog = catalog or default_catalog()
    problems = spec_problems(env, catalog)
    if problems:
        raise SpecError(problems)
    return catalog


def missing_exports(exports: dict[str, Any], env: Environment) -> list[str]:
    """Neutral export keys an environment failed to fill (the contract test asks this)."""
    from aimodel_infra.cloud import CLUSTER_EXPORT_KEYS

    wanted = [k for k in EXPORT_KEYS if env.cluster is not None or k not in CLUSTER_EXPORT_KEYS]
    return [k for k in wanted if k not in exports]


__all__ = ["Catalog", "CloudEnvironment", "buildable", "missing_exports"]
