"""``diff`` on GCP: a change GKE or GCS cannot make in place shows as a replacement, others as updates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aimodel_infra.catalog import default_catalog
from aimodel_infra.diff import diff_environments
from aimodel_infra.spec.loader import parse_environment
from aimodel_infra.spec.models import Environment


def test_a_new_machine_replaces_the_pool_and_a_new_limit_updates_the_budget(
    gcp_env: Environment, document_variant: Callable[..., dict[str, Any]]
) -> None:
    document = document_variant(budget={"monthly_usd": 120000})
    document["node_pools"][1]["accelerator"] = "T4"
    head = parse_environment(document, default_catalog())
    changes = diff_environments(gcp_env, head).resources
    replaced = [c for c in changes if c.kind == "replace"]

    assert [(c.type, c.name) for c in replaced] == [("gcp:container/nodePool:NodePool", "gcp-dev-infer-on-demand")]
    assert "nodeConfig" in replaced[0].replaced_by
    [budget] = [c for c in changes if c.type == "gcp:billing/budget:Budget"]
    assert (budget.kind, budget.keys) == ("change", ("amount",))
