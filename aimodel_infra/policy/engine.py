"""Run a cloud's policy checks over a recorded resource graph and report what they found.

The engine knows no cloud. A cloud package hands it a :class:`CloudChecks`: a table from rule id
(:mod:`aimodel_infra.policy.rules`) to a small check function. A check reads the recorded graph
(what Pulumi would really create, with its options and inputs, not the spec) through a
:class:`PolicyContext` and yields :class:`Violation` s; the engine turns them into findings,
applies the environment's ``policy_exceptions`` (a waived finding keeps the exception's reason)
and decides ``passed``. The same checks run in the offline preview and in the Pulumi policy pack.

JSON shape of :meth:`PolicyReport.to_dict` (stable; keys are only ever added)::

    {"environment": str, "cloud": str,
     "passed": bool,                       # no unwaived mandatory finding
     "rules_checked": [rule id, ...],
     "counts": {"mandatory": int, "advisory": int, "waived": int},
     "findings": [Finding], "waived": [Finding],
     "exceptions": [{"rule": str, "reason": str, "waived_findings": int}]}

    Finding = {"rule": str, "title": str, "severity": "mandatory" | "advisory",
               "resource": {"type": str, "name": str, "urn": str} | null,   # null: the whole stack
               "message": str,                  # names the resource and what is wrong
               "fix": str,                      # how to fix it, in the producing cloud's terms
               "waived_reason": str | null}     # set only in "waived"
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from aimodel_infra.policy.rules import RULES, Rule, Severity
from aimodel_infra.policy.values import as_dict, known, truthy
from aimodel_infra.spec.models import Environment

if TYPE_CHECKING:
    from aimodel_infra.graph import RecordedResource, ResourceGraph


@dataclass(frozen=True)
class Violation:
    """What a check reports: the offending resource (None for the stack as a whole) and why.

    ``message`` says what is wrong and what to change, without repeating the resource (the
    engine prefixes it). ``severity`` is None for the rule's own; a check lowers it when the same
    rule is only advice in some environments (no budget declared).
    """

    message: str
    resource: RecordedResource | None = None
    severity: Severity | None = None


Check = Callable[["PolicyContext"], Iterable[Violation]]


def budget_presence(ctx: PolicyContext, budgets: list[RecordedResource], what: str) -> Iterator[Violation]:
    """The half of ``budget-alerts`` every cloud shares: a declared budget must be built (``what``
    names the cloud's budget resource); without one declared, only advice to declare it."""
    if ctx.env.budget is None:
        if not budgets:
            yield Violation(
                "no budget declared, so nobody hears about runaway GPU spend; add 'budget:' to the environment",
                severity=Severity.ADVISORY,
            )
        return
    if not budgets:
        yield Violation(f"the environment declares a budget but no {what} would be created")


def missing_deletion_guards(resource: RecordedResource) -> list[str]:
    """What keeps ``resource`` (a data bucket or account) from being deleted that it lacks: Pulumi's
    protect and retain_on_delete, and a false ``forceDestroy`` where the provider has one."""
    missing = [option for option in ("protect", "retain_on_delete") if not getattr(resource, option)]
    if truthy(resource.inputs.get("forceDestroy")):
        missing.append("force_destroy=false")
    return missing


def unguarded_data_buckets(buckets: Iterable[tuple[RecordedResource, str]]) -> Iterator[Violation]:
    """A data-buckets-protected finding for each (bucket, purpose) that lacks a deletion guard."""
    for bucket, purpose in buckets:
        missing = missing_deletion_guards(bucket)
        if missing:
            yield Violation(
                f"{purpose} bucket lacks {', '.join(missing)}, so a destroy or replace would delete its data; "
                "keep 'deletion_protection: true'",
                bucket,
            )


@dataclass(frozen=True)
class CloudChecks:
    """The policy checks of one cloud: ``{rule id: check}``.

    A cloud package defines one module-level instance (``aimodel_infra.aws.policy.CHECKS``) and
    the registry returns it; a check must read only the graph (no SDK import, no cloud call), so
    the pack can run it on the engine's data. Unknown rule ids are a programming error and fail
    at import, before any report could silently miss them.
    """

    cloud: str
    checks: Mapping[str, Check]
    #: rule id -> how to fix a finding on this cloud (its settings, its resource names).
    remedies: Mapping[str, str] = field(default_factory=dict)
    #: Resource types that take tags/labels, for ``required-tags`` (and the contract test).
    taggable_types: frozenset[str] = frozenset()
    #: rule id -> why the rule does not apply to this cloud (IMDSv2 exists on AWS only). Every
    #: shared rule is either checked or declared here, so a new rule cannot be silently skipped.
    not_applicable: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = sorted((set(self.checks) | set(self.remedies) | set(self.not_applicable)) - set(RULES))
        if unknown:
            raise ValueError(
                f"{self.cloud} checks name unknown rules {unknown}; add them to aimodel_infra.policy.rules"
            )
        missing = sorted(set(self.checks) - set(self.remedies))
        if missing:
            raise ValueError(f"{self.cloud} checks give no remedy for {missing}: say how to fix them on {self.cloud}")

    def remedy(self, rule_id: str) -> str:
        return self.remedies[rule_id]

    @property
    def unaccounted_rules(self) -> list[str]:
        """Shared rules this cloud neither checks nor declares not applicable (should be none)."""
        return [r for r in RULES if r not in self.checks and r not in self.not_applicable]

    @property
    def rule_ids(self) -> list[str]:
        """The rules this cloud checks, in the documented rule order."""
        return [rule_id for rule_id in RULES if rule_id in self.checks]


@dataclass
class PolicyContext:
    """What a check may read: the recorded graph, the environment, and graph look-ups they share."""

    graph: ResourceGraph
    env: Environment

    def resources(self, *types: str) -> list[RecordedResource]:
        """Resources of any of ``types``, in registration order."""
        wanted = set(types)
        return [r for r in self.graph.resources if r.type in wanted]

    @cached_property
    def expected_tags(self) -> dict[str, str]:
        """The tags every taggable resource should carry (imported late: ``base`` loads Pulumi)."""
        from aimodel_infra.conventions import environment_tags

        return environment_tags(self.env)

    @cached_property
    def _by_physical_id(self) -> dict[str, RecordedResource]:
        found: dict[str, RecordedResource] = {}
        for r in self.graph.resources:
            for value in (r.id, r.outputs.get("id")):
                if isinstance(known(value), str) and value:
                    found.setdefault(value, r)
        return found

    def by_physical_id(self, physical_id: Any) -> RecordedResource | None:
        """The resource whose cloud id is ``physical_id`` (subnet-..., a bucket name), if recorded."""
        return self._by_physical_id.get(physical_id) if isinstance(physical_id, str) else None

    def ancestors(self, resource: RecordedResource) -> Iterator[RecordedResource]:
        """Parent, grandparent, ... up to (not including) the stack."""
        parent = self.graph.parent_of(resource)
        while parent is not None:
            yield parent
            parent = self.graph.parent_of(parent)

    def ancestor_of_type(self, resource: RecordedResource, type_: str) -> RecordedResource | None:
        return next((a for a in self.ancestors(resource) if a.type == type_), None)

    def provider_inputs(self, resource: RecordedResource) -> dict[str, Any]:
        """Inputs of the explicit provider ``resource`` uses ({} for the default provider).

        A provider reference is ``<urn>::<id>``; provider options such as default tags apply to
        the resource even though its own inputs do not show them.
        """
        if not resource.provider:
            return {}
        urn = resource.provider.rsplit("::", 1)[0]
        provider = next((r for r in self.graph.resources if r.urn == urn), None)
        return as_dict(provider.inputs) if provider is not None else {}


@dataclass(frozen=True)
class Finding:
    """One violation as reported: which rule, how severe, which resource, what to do."""

    rule: str
    severity: Severity
    message: str
    fix: str
    resource_type: str | None = None
    resource_name: str | None = None
    urn: str | None = None
    waived_reason: str | None = None

    @property
    def waived(self) -> bool:
        return self.waived_reason is not None

    @property
    def title(self) -> str:
        return RULES[self.rule].title

    def __str__(self) -> str:
        waived = f" (waived: {self.waived_reason})" if self.waived else ""
        return f"[{self.severity.value}] {self.rule}: {self.message}{waived}"

    def to_dict(self) -> dict[str, Any]:
        resource = None
        if self.resource_type is not None:
            resource = {"type": self.resource_type, "name": self.resource_name, "urn": self.urn}
        return {
            "rule": self.rule,
            "title": self.title,
            "severity": self.severity.value,
            "resource": resource,
            "message": self.message,
            "fix": self.fix,
            "waived_reason": self.waived_reason,
        }


@dataclass(frozen=True)
class PolicyReport:
    """Every finding of one evaluation; ``passed`` is what CI gates on."""

    environment: str
    cloud: str
    rules_checked: tuple[str, ...]
    findings: tuple[Finding, ...]
    waived: tuple[Finding, ...] = ()
    exceptions: tuple[tuple[str, str], ...] = ()

    @property
    def mandatory(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.MANDATORY]

    @property
    def advisory(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ADVISORY]

    @property
    def passed(self) -> bool:
        """No unwaived mandatory finding; advisory findings and waived ones never fail a run."""
        return not self.mandatory

    def for_rule(self, rule_id: str) -> list[Finding]:
        """Unwaived findings of one rule (tests and renderers ask this often)."""
        return [f for f in self.findings if f.rule == rule_id]

    def to_dict(self) -> dict[str, Any]:
        return {
            "environment": self.environment,
            "cloud": self.cloud,
            "passed": self.passed,
            "rules_checked": list(self.rules_checked),
            "counts": {"mandatory": len(self.mandatory), "advisory": len(self.advisory), "waived": len(self.waived)},
            "findings": [f.to_dict() for f in self.findings],
            "waived": [f.to_dict() for f in self.waived],
            "exceptions": [
                {"rule": rule, "reason": reason, "waived_findings": sum(1 for f in self.waived if f.rule == rule)}
                for rule, reason in self.exceptions
            ],
        }


def evaluate(
    graph: ResourceGraph, env: Environment, checks: CloudChecks, only: Collection[str] | None = None
) -> PolicyReport:
    """Run ``checks`` (or the subset ``only``) on ``graph`` and apply ``env.policy_exceptions``."""
    context = PolicyContext(graph, env)
    waivers = {exception.rule: exception.reason for exception in env.policy_exceptions}
    rule_ids = [rule_id for rule_id in checks.rule_ids if only is None or rule_id in only]
    found = [
        _finding(RULES[rule_id], violation, waivers.get(rule_id), checks.remedy(rule_id))
        for rule_id in rule_ids
        for violation in checks.checks[rule_id](context)
    ]
    return PolicyReport(
        environment=env.name,
        cloud=checks.cloud,
        rules_checked=tuple(rule_ids),
        findings=tuple(f for f in found if not f.waived),
        waived=tuple(f for f in found if f.waived),
        exceptions=tuple(waivers.items()),
    )


def _finding(rule: Rule, violation: Violation, waived_reason: str | None, remedy: str) -> Finding:
    resource = violation.resource
    subject = f"{resource.type} {resource.name!r}: " if resource is not None else ""
    return Finding(
        rule=rule.id,
        severity=violation.severity or rule.severity,
        message=f"{subject}{violation.message}",
        fix=remedy,
        resource_type=resource.type if resource is not None else None,
        resource_name=resource.name if resource is not None else None,
        urn=resource.urn if resource is not None else None,
        waived_reason=waived_reason,
    )
