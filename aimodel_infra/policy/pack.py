"""The same checks inside a Pulumi policy pack (``policy/`` at the repo root).

A pack's stack validation receives ``StackValidationArgs.resources``: ``PolicyResource`` objects
(``resource_type``, ``props``, ``urn``, ``name``, ``opts``, ``provider``, ``parent``,
``dependencies``). :func:`graph_from_policy_resources` turns them into the
:class:`~aimodel_infra.graph.ResourceGraph` the offline preview records, so
:func:`~aimodel_infra.policy.engine.evaluate` runs unchanged on it. This module never imports
``pulumi_policy``: the pack passes the module in (:func:`build_policies`), so tests run the
adapter and the policies with stand-ins, and the project's environment never needs it.

What the pack cannot see: the analyzer protocol does not send ``retainOnDelete`` (pulumi-policy
1.21's ``PolicyResourceOptions`` has no such field), so the pack takes it as set and only the
offline preview checks that half of ``data-buckets-protected``. During ``pulumi preview`` values
computed by the cloud are unknown; checks skip what they cannot know.

Pulumi has no "waived" state: each rule is one policy at its rule's enforcement level, and one
advisory policy, ``aimodel-notes``, reports waived findings (with the exception's reason) and
findings a check downgraded (no budget declared), so they stay visible in every run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from aimodel_infra.policy.engine import Finding, evaluate
from aimodel_infra.policy.rules import RULES, Severity
from aimodel_infra.policy.values import known

if TYPE_CHECKING:
    from aimodel_infra.graph import RecordedResource, ResourceGraph
    from aimodel_infra.spec.models import Environment

PACK_NAME = "aimodel-infra"
NOTES_POLICY = "aimodel-notes"
STACK_TYPE = "pulumi:pulumi:Stack"
EnvironmentLoader = Callable[[], "Environment | None"]
ReportViolation = Callable[..., None]


# -- PolicyResource -> RecordedResource --------------------------------------------------------
def _target(value: Any) -> Any:
    """The raw container behind a pulumi_policy proxy (which raises on reading an unknown item)."""
    try:
        return value["__target"]
    except (KeyError, TypeError, IndexError):
        return value


def plain(value: Any) -> Any:
    """Props as plain dicts and lists; unknown values stay as the engine's sentinel strings,
    which :func:`aimodel_infra.policy.values.is_unknown` recognizes."""
    if isinstance(value, str | bytes):
        return value
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in _target(value).items()}
    if isinstance(value, Sequence):
        return [plain(item) for item in _target(value)]
    return value


def _provider_ref(resource: Any) -> str | None:
    provider = getattr(resource, "provider", None)
    if provider is None:
        return None
    provider_id = known(plain(getattr(provider, "props", {})).get("id")) or ""
    return f"{provider.urn}::{provider_id}"


def record(resource: Any) -> RecordedResource:
    """One ``PolicyResource`` as the recorder would have recorded it."""
    from aimodel_infra.graph import RecordedResource

    props = plain(resource.props)
    opts = resource.opts
    parent = getattr(resource, "parent", None)
    resource_id = known(props.get("id"))
    provider = getattr(resource, "provider", None)
    return RecordedResource(
        urn=resource.urn,
        type=resource.resource_type,
        name=resource.name,
        custom=provider is not None or resource.resource_type.startswith("pulumi:providers:"),
        parent=parent.urn if parent is not None else getattr(opts, "parent", None),
        dependencies=tuple(d.urn for d in getattr(resource, "dependencies", []) or []),
        inputs=props,
        outputs=props,
        id=resource_id if isinstance(resource_id, str) else None,
        provider=_provider_ref(resource),
        protect=bool(opts.protect),
        retain_on_delete=bool(getattr(opts, "retain_on_delete", True)),  # not sent by the engine: see module doc
        delete_before_replace=bool(getattr(opts, "delete_before_replace", False)),
        ignore_changes=tuple(getattr(opts, "ignore_changes", ()) or ()),
    )


def graph_from_policy_resources(resources: Iterable[Any]) -> ResourceGraph:
    """The stack's resources as a ResourceGraph (the stack itself only as ``stack_urn``)."""
    from aimodel_infra.graph import ResourceGraph

    resources = list(resources)
    stack_urn = next((r.urn for r in resources if r.resource_type == STACK_TYPE), None)
    recorded = [record(r) for r in resources if r.resource_type != STACK_TYPE]
    return ResourceGraph(recorded, stack_outputs={}, secret_outputs=set(), invokes=[], stack_urn=stack_urn)


# -- policies ----------------------------------------------------------------------------------
def stack_environment() -> Environment | None:
    """The environment from the stack config the Pulumi CLI passes to the pack; None without one.

    Structure only (pydantic): the catalog checks already ran when the program read the same config.
    """
    import pulumi
    from pydantic import ValidationError

    from aimodel_infra.spec.loader import PROJECT_NAME
    from aimodel_infra.spec.models import Environment

    data = pulumi.Config(PROJECT_NAME).get_object("environment")
    if data is None:
        return None
    try:
        return Environment.model_validate(data)
    except ValidationError:
        return None


def _findings(args: Any, load_environment: EnvironmentLoader, only: Sequence[str] | None) -> list[Finding] | None:
    from aimodel_infra.registry import support

    env = load_environment()
    if env is None:
        not_applicable = getattr(args, "not_applicable", None)
        if callable(not_applicable):
            not_applicable("the stack has no valid aimodel-infra:environment config")
        return None
    report = evaluate(graph_from_policy_resources(args.resources), env, support(env.cloud).load_policy_checks(), only)
    return [*report.findings, *report.waived]


def violation_text(finding: Finding) -> str:
    waived = f" [waived: {finding.waived_reason}]" if finding.waived else ""
    return f"{finding.message}{waived} Fix: {finding.fix}"


def _is_note(finding: Finding) -> bool:
    return finding.waived or finding.severity is not RULES[finding.rule].severity


def rule_validator(rule_id: str, load_environment: EnvironmentLoader) -> Callable[[Any, ReportViolation], None]:
    """The stack validation of one rule: report its unwaived findings at the rule's own severity."""

    def validate(args: Any, report_violation: ReportViolation) -> None:
        for finding in _findings(args, load_environment, [rule_id]) or []:
            if not _is_note(finding):
                report_violation(violation_text(finding), finding.urn)

    return validate


def notes_validator(load_environment: EnvironmentLoader) -> Callable[[Any, ReportViolation], None]:
    """Waived and downgraded findings of every rule, reported as advice."""

    def validate(args: Any, report_violation: ReportViolation) -> None:
        for finding in _findings(args, load_environment, None) or []:
            if _is_note(finding):
                report_violation(f"{finding.rule}: {violation_text(finding)}", finding.urn)

    return validate


def build_policies(sdk: Any, load_environment: EnvironmentLoader = stack_environment) -> list[Any]:
    """One ``StackValidationPolicy`` per rule plus the notes policy, built with ``sdk`` (the
    ``pulumi_policy`` module, or a stand-in in tests)."""
    levels = {Severity.MANDATORY: sdk.EnforcementLevel.MANDATORY, Severity.ADVISORY: sdk.EnforcementLevel.ADVISORY}
    policies = [
        sdk.StackValidationPolicy(
            name=rule.id,
            description=rule.title,
            validate=rule_validator(rule.id, load_environment),
            enforcement_level=levels[rule.severity],
            remediation_steps=rule.fix,
        )
        for rule in RULES.values()
    ]
    notes = sdk.StackValidationPolicy(
        name=NOTES_POLICY,
        description="Waived findings (with the exception's reason) and advice, shown so they are not forgotten",
        validate=notes_validator(load_environment),
        enforcement_level=sdk.EnforcementLevel.ADVISORY,
    )
    return [*policies, notes]
