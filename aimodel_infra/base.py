"""The contract every cloud package fulfils, so the program and preview treat clouds alike."""

from __future__ import annotations

from typing import Any

import pulumi

from aimodel_infra.catalog import Catalog
from aimodel_infra.spec.models import Environment


class CloudEnvironment(pulumi.ComponentResource):
    """A whole environment on one cloud, built from a validated :class:`Environment`.

    Subclasses take ``(name, env, catalog=None, opts=None)``, create every child with
    ``parent=self``, fill :attr:`exports` with the stack outputs a user needs (cluster name and
    endpoint, kubeconfig as a secret, pool and group names, bucket names, workload role ids),
    and call ``register_outputs``. Construction must be pure Pulumi: no cloud API calls, so the
    offline preview can run it under mocks.
    """

    exports: dict[str, Any]

    def __init__(self, type_token: str, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(type_token, name, None, opts)
        self.exports = {}


def environment_tags(env: Environment) -> dict[str, str]:
    """Tags every resource carries: the user's plus the two that tie a resource to its environment."""
    return {**env.tags, "aimodel-environment": env.name, "managed-by": "aimodel-infra"}


__all__ = ["Catalog", "CloudEnvironment", "environment_tags"]
