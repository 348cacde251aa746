"""The policy pack runs the same checks on what Pulumi hands a pack, without pulumi_policy installed.

The stand-ins below mirror pulumi-policy 1.21: ``PolicyResource`` (resource_type, props, urn,
name, opts, provider, parent, dependencies), ``PolicyResourceOptions`` (no retain_on_delete),
and the props proxy that raises when an unknown value is read and hands its raw container out
under the key ``"__target"``.
"""

from __future__ import annotations

import runpy
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from aimodel_infra.aws.policy import CHECKS
from aimodel_infra.policy.pack import NOTES_POLICY, build_policies, graph_from_policy_resources
from aimodel_infra.policy.rules import RULES, Severity
from aimodel_infra.policy.values import is_unknown
from aimodel_infra.spec.models import PolicyException
from aimodel_infra.testing import ResourceGraph
from aimodel_infra.testing.builder import STACK_URN

from .graphs import ENV, changed, compliant_graph

PACK_DIR = Path(__file__).resolve().parents[3] / "policy"
UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


class UnknownValueError(Exception):
    pass


class ProxyDict(Mapping):
    """Like pulumi_policy.proxy._DictProxy: reading an unknown item raises."""

    def __init__(self, target: dict[str, Any]) -> None:
        self._target = {k: proxied(v) for k, v in target.items()}

    def __getitem__(self, key: str) -> Any:
        if key == "__target":
            return self._target
        value = self._target[key]
        if value == UNKNOWN_STRING:
            raise UnknownValueError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._target)

    def __len__(self) -> int:
        return len(self._target)


def proxied(value: Any) -> Any:
    if isinstance(value, dict):
        return ProxyDict(value)
    if isinstance(value, list):
        return [proxied(v) for v in value]
    return value


@dataclass
class Options:
    protect: bool = False
    ignore_changes: list[str] = field(default_factory=list)
    delete_before_replace: bool | None = None
    parent: str | None = None


@dataclass
class PolicyResource:
    resource_type: str
    props: Any
    urn: str
    name: str
    opts: Options
    provider: Any = None
    parent: PolicyResource | None = None
    dependencies: list[PolicyResource] = field(default_factory=list)


def as_policy_resources(graph: ResourceGraph) -> list[PolicyResource]:
    """The graph as a pack would receive it (props are the outputs, here the recorded inputs)."""
    provider = SimpleNamespace(
        resource_type="pulumi:providers:aws",
        urn="urn:...:pulumi:providers:aws::default",
        name="default",
        props={"id": "prov-1"},
    )
    stack = PolicyResource("pulumi:pulumi:Stack", ProxyDict({}), STACK_URN, "aimodel-infra-test", Options())
    by_urn: dict[str, PolicyResource] = {STACK_URN: stack}
    for r in graph.resources:
        props = {**r.inputs, **({"id": r.id} if r.id else {})}
        by_urn[r.urn] = PolicyResource(
            r.type, ProxyDict(props), r.urn, r.name, Options(protect=r.protect), provider=provider if r.custom else None
        )
    for r in graph.resources:
        by_urn[r.urn].parent = by_urn.get(r.parent or "")
        by_urn[r.urn].dependencies = [by_urn[d] for d in r.dependencies]
    return list(by_urn.values())


# -- the adapter ----------------------------------------------------------------------------------
def test_the_adapted_graph_keeps_types_names_parents_dependencies_inputs_and_protect() -> None:
    original = compliant_graph()
    adapted = graph_from_policy_resources(as_policy_resources(original))
    assert adapted.stack_urn == STACK_URN
    assert len(adapted.resources) == len(original.resources)
    for before, after in zip(original.resources, adapted.resources, strict=True):
        assert (after.type, after.name, after.urn) == (before.type, before.name, before.urn)
        assert after.parent == before.parent
        assert (after.dependencies, after.protect, after.id) == (before.dependencies, before.protect, before.id)
        assert {k: v for k, v in after.inputs.items() if k != "id"} == before.inputs
        assert isinstance(after.inputs, dict)


def test_unknown_props_are_read_without_raising_and_stay_unknown() -> None:
    graph = changed(
        compliant_graph(),
        "cluster",
        inputs={"encryptionConfig": {"resources": ["secrets"], "provider": {"keyArn": UNKNOWN_STRING}}},
    )
    adapted = graph_from_policy_resources(as_policy_resources(graph))
    cluster = next(r for r in adapted.resources if r.name == "cluster")
    assert is_unknown(cluster.inputs["encryptionConfig"]["provider"]["keyArn"])


def test_retain_on_delete_is_taken_as_set_when_the_engine_does_not_send_it() -> None:
    [resource] = [r for r in as_policy_resources(compliant_graph()) if r.name == "pt-datasets"]
    assert not hasattr(resource.opts, "retain_on_delete")
    assert graph_from_policy_resources([resource]).resources[0].retain_on_delete is True
    resource.opts = SimpleNamespace(**vars(resource.opts), retain_on_delete=False)
    assert graph_from_policy_resources([resource]).resources[0].retain_on_delete is False


# -- the policies ---------------------------------------------------------------------------------
class EnforcementLevel(Enum):
    ADVISORY = "advisory"
    MANDATORY = "mandatory"


@dataclass
class StackValidationPolicy:
    name: str
    description: str
    validate: Any
    enforcement_level: EnforcementLevel
    remediation_steps: str | None = None


FAKE_SDK = SimpleNamespace(EnforcementLevel=EnforcementLevel, StackValidationPolicy=StackValidationPolicy)


class NotApplicable(Exception):
    pass


def run(policy: StackValidationPolicy, graph: ResourceGraph) -> list[tuple[str, str | None]]:
    """Call the policy as pulumi_policy would; return (message, urn) of each violation."""
    reported: list[tuple[str, str | None]] = []

    def not_applicable(reason: str) -> None:
        raise NotApplicable(reason)

    args = SimpleNamespace(resources=as_policy_resources(graph), not_applicable=not_applicable)
    policy.validate(args, lambda message, urn=None: reported.append((message, urn)))
    return reported


def policies(env=ENV) -> dict[str, StackValidationPolicy]:
    return {p.name: p for p in build_policies(FAKE_SDK, load_environment=lambda: env)}


def test_there_is_one_policy_per_rule_at_its_severity_plus_the_notes_policy() -> None:
    built = policies()
    assert set(built) == {*RULES, NOTES_POLICY}
    for rule in RULES.values():
        expected = EnforcementLevel.MANDATORY if rule.severity is Severity.MANDATORY else EnforcementLevel.ADVISORY
        assert built[rule.id].enforcement_level is expected
    assert built[NOTES_POLICY].enforcement_level is EnforcementLevel.ADVISORY


def test_a_compliant_stack_reports_no_violation_in_any_policy() -> None:
    graph = compliant_graph()
    reported = {name: run(policy, graph) for name, policy in policies().items()}
    assert all(not violations for violations in reported.values()), reported


def test_a_violation_is_reported_by_its_rule_only_with_the_resource_urn_and_fix() -> None:
    graph = changed(compliant_graph(), "train-lt", inputs={"metadataOptions": {"httpTokens": "optional"}})
    reported = {name: run(policy, graph) for name, policy in policies().items()}
    [(message, urn)] = reported.pop("imdsv2-required")
    assert urn is not None and urn.endswith("::train-lt")
    assert "'train-lt'" in message and CHECKS.remedy("imdsv2-required") in message
    assert all(not v for v in reported.values()), reported


def test_a_waived_finding_leaves_its_rule_and_shows_in_the_notes_with_the_reason() -> None:
    reason = "vendor image needs IMDSv1 until the next release"
    env = ENV.model_copy(update={"policy_exceptions": [PolicyException(rule="imdsv2-required", reason=reason)]})
    graph = changed(compliant_graph(), "train-lt", inputs={"metadataOptions": {"httpTokens": "optional"}})
    built = policies(env)
    assert run(built["imdsv2-required"], graph) == []
    [(note, _)] = run(built[NOTES_POLICY], graph)
    assert note.startswith("imdsv2-required") and reason in note


def test_a_stack_without_environment_config_is_not_applicable() -> None:
    built = build_policies(FAKE_SDK, load_environment=lambda: None)
    with pytest.raises(NotApplicable, match="aimodel-infra:environment"):
        run(built[0], compliant_graph())


# -- the pack directory ---------------------------------------------------------------------------
def test_importing_the_pack_entry_builds_nothing_and_loads_no_policy_sdk() -> None:
    namespace = runpy.run_path(str(PACK_DIR / "__main__.py"), run_name="pack_entry")
    assert callable(namespace["main"])
    assert "pulumi_policy" not in sys.modules


def test_the_pack_is_a_python_pack_with_its_own_pinned_requirements() -> None:
    project = yaml.safe_load((PACK_DIR / "PulumiPolicy.yaml").read_text())
    assert project["runtime"]["name"] == "python"
    requirements = (PACK_DIR / "requirements.txt").read_text().splitlines()
    assert any(line.startswith("pulumi-policy==") for line in requirements)
