"""Policy rules over the recorded resource graph: what would really be created, not only the spec.

    from aimodel_infra.policy import evaluate
    from aimodel_infra.registry import support

    report = evaluate(graph, env, support(env.cloud).load_policy_checks())
    if not report.passed: ...

Rule metadata lives in :mod:`.rules` (cloud-neutral, imported by ``validate`` for the
``policy_exceptions`` check); the engine in :mod:`.engine`; each cloud's checks in its own
package (``aimodel_infra.aws.policy``). Engine names load on first use so that importing the
rule list stays cheap.
"""

from __future__ import annotations

from aimodel_infra.exports import lazy_exports
from aimodel_infra.policy.rules import RULES, Rule, Severity, known_rule_ids

_ENGINE_NAMES = ("CloudChecks", "Finding", "PolicyContext", "PolicyReport", "Violation", "evaluate")

__all__ = ["RULES", "Rule", "Severity", "known_rule_ids", *_ENGINE_NAMES]


__getattr__ = lazy_exports(__name__, dict.fromkeys(_ENGINE_NAMES, "engine"))
