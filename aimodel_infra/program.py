"""The Pulumi program: what `pulumi up -s <stack>` and the offline preview both run.

It reads the structured stack config ``aimodel-infra:environment``, validates it exactly like the
CLI does, and hands it to the cloud's builder from the registry. Invalid input stops the run with
:class:`pulumi.RunError`, which Pulumi prints as a plain message without a traceback.
"""

from __future__ import annotations

import pulumi

from aimodel_infra.catalog import Catalog, default_catalog
from aimodel_infra.errors import AimodelError
from aimodel_infra.registry import environment_class
from aimodel_infra.spec.loader import PROJECT_NAME, parse_environment


def main(catalog: Catalog | None = None) -> None:
    """Build the environment described by the current stack's config and export its outputs."""
    try:
        data = pulumi.Config(PROJECT_NAME).require_object("environment")
        env = parse_environment(data, catalog or default_catalog(), source=f"stack {pulumi.get_stack()}")
        environment = environment_class(env.cloud)(env.name, env, catalog)
    except AimodelError as exc:
        raise pulumi.RunError(str(exc)) from None
    for key, value in environment.exports.items():
        pulumi.export(key, value)
