"""Offline preview: what `pulumi up` would create, what it costs and which policies it breaks.

It runs the very program `pulumi up` runs (:func:`aimodel_infra.program.main`) under recording
mocks in preview mode, so it needs no credentials, network or Pulumi CLI, and the graph the
policies read is the real one, not a re-derivation from the spec. Importing this module loads no
cloud SDK; running a preview loads only the SDK of the environment's cloud.

JSON shape (``Preview.to_dict()``, stable)::

    {"environment": str, "cloud": str, "region": str, "passed": bool,
     "seconds": float,
     "summary": {"create": int, "by_type": {type: count}},
     "resources": [{"type", "name", "parent": {"type", "name"} | null, "custom": bool,
                    "protect": bool, "retain_on_delete": bool, "inputs": {...}}],
     "cost": CostEstimate.to_dict(),
     "policy": PolicyReport.to_dict(),
     "api_reach": {"resources": ["<type> <name>", ...],   # created through the Kubernetes API
                   "deployer_access": "private-network" | "allowed-cidrs" | null}}
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aimodel_infra.catalog import Catalog, default_catalog
from aimodel_infra.cost import CostEstimate, estimate
from aimodel_infra.errors import AimodelError
from aimodel_infra.graph import needs_api_reach
from aimodel_infra.spec.loader import CONFIG_KEY, PROJECT_NAME
from aimodel_infra.spec.models import Environment

if TYPE_CHECKING:
    from aimodel_infra.graph import RecordedResource, ResourceGraph
    from aimodel_infra.policy.engine import PolicyReport

ResourceCallback = Callable[["RecordedResource"], None]


@dataclass(frozen=True)
class Preview:
    """One offline preview: the recorded graph, its cost, and the policy findings on it."""

    env: Environment
    graph: ResourceGraph
    cost: CostEstimate
    policy: PolicyReport
    seconds: float

    @property
    def passed(self) -> bool:
        """What CI gates on: no unwaived mandatory finding, and the worst case within budget."""
        return self.policy.passed and not self.cost.over_budget

    @property
    def resources(self) -> list[RecordedResource]:
        """Everything the run registered (the recorder keeps the stack apart), ordered by type and name.

        Registration order changes from run to run (resources wait on each other's outputs), and
        a report or PR comment that reorders itself on every push hides the real changes.
        """
        return sorted(self.graph.resources, key=lambda r: (r.type, r.name, r.urn))

    @property
    def needs_api_reach(self) -> list[RecordedResource]:
        """Resources created through the Kubernetes API: `pulumi up` must reach the cluster's endpoint."""
        return [r for r in self.resources if needs_api_reach(r)]

    def api_reach_note(self) -> str | None:
        """How the deployer reaches the API for those resources, in words; None when there are none."""
        cluster = self.env.cluster
        if not self.needs_api_reach or cluster is None:
            return None
        access = cluster.in_cluster.deployer_access.value
        how = (
            "run `pulumi up` from inside the environment's network (a self-hosted runner in its private subnets, "
            "a VPN or a bastion)"
            if access == "private-network"
            else f"the public endpoint admits only {', '.join(map(str, cluster.allowed_cidrs))}: include the deployer"
        )
        return f"{len(self.needs_api_reach)} in-cluster resources need the Kubernetes API ({access}): {how}"

    def counts_by_type(self) -> Counter[str]:
        return Counter(r.type for r in self.resources if r.custom)

    def to_dict(self) -> dict[str, Any]:
        counts = self.counts_by_type()
        return {
            "environment": self.env.name,
            "cloud": self.env.cloud.value,
            "region": self.env.region,
            "passed": self.passed,
            "seconds": round(self.seconds, 3),
            "summary": {"create": sum(counts.values()), "by_type": dict(sorted(counts.items()))},
            "resources": [self._resource_dict(r) for r in self.resources],
            "cost": self.cost.to_dict(),
            "policy": self.policy.to_dict(),
            "api_reach": {
                "resources": [f"{r.type} {r.name}" for r in self.needs_api_reach],
                "deployer_access": self.env.cluster.in_cluster.deployer_access.value if self.env.cluster else None,
            },
        }

    def _resource_dict(self, resource: RecordedResource) -> dict[str, Any]:
        parent = self.graph.parent_of(resource)
        return {
            "type": resource.type,
            "name": resource.name,
            "parent": None if parent is None else {"type": parent.type, "name": parent.name},
            "custom": resource.custom,
            "protect": resource.protect,
            "retain_on_delete": resource.retain_on_delete,
            "inputs": resource.inputs,
        }


def record_environment(
    env: Environment, catalog: Catalog | None = None, on_resource: ResourceCallback | None = None
) -> ResourceGraph:
    """Run the Pulumi program for ``env`` under recording mocks in preview mode.

    The builder is looked up first: inside the program an unsupported cloud becomes a
    ``pulumi.RunError`` (plain text for the Pulumi CLI, a traceback here), while out here it is a
    :class:`~aimodel_infra.registry.CloudNotSupported` the CLI reports as a message.
    """
    import pulumi

    from aimodel_infra import program
    from aimodel_infra.recording import run_program
    from aimodel_infra.registry import environment_class
    from aimodel_infra.testing.mocks import DefaultMocks

    environment_class(env.cloud)
    catalog = catalog or default_catalog()
    config = {CONFIG_KEY: env.model_dump(mode="json")}
    try:
        return run_program(
            lambda: program.main(catalog),
            project=PROJECT_NAME,
            stack=env.name,
            config=config,
            preview=True,
            on_resource=on_resource,
            mocks=DefaultMocks(offline_placeholders=True),
        )
    except AimodelError:
        raise
    except pulumi.RunError as exc:
        # The program's own report of invalid input (what `pulumi up` prints without a traceback).
        raise PreviewError(str(exc)) from None
    except LookupError as exc:
        # A data source the offline answers do not know: say so, never a traceback.
        raise PreviewError(f"cannot be resolved offline: {exc}") from None


class PreviewError(AimodelError):
    """The offline preview could not run the program to the end; the message says why."""


def run_preview(
    env: Environment, catalog: Catalog | None = None, on_resource: ResourceCallback | None = None
) -> Preview:
    """Record, price and check ``env``; the caller decides how to show it and what to exit with."""
    from aimodel_infra.policy.engine import evaluate
    from aimodel_infra.registry import support

    catalog = catalog or default_catalog()
    started = time.perf_counter()
    graph = record_environment(env, catalog, on_resource)
    report = evaluate(graph, env, support(env.cloud).load_policy_checks())
    return Preview(env, graph, estimate(env, catalog), report, time.perf_counter() - started)
