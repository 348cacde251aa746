"""no-wildcard-iam: the IAM documents we author grant named actions on named resources.

Read: standalone and inline role policies, and role trust policies (JSON strings, parsed).
Not read: AWS managed policies we only attach (AWS writes those), and resource policies (bucket
and KMS key policies; the public-bucket rule reads bucket policies). Deny statements may be as
broad as they like. Resource "*" is accepted only when every action is one AWS authorizes on
"*" alone (Describe* calls and the few listed in ``RESOURCE_STAR_ONLY_ACTIONS``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from aimodel_infra.aws.policy.types import IAM_POLICY, IAM_ROLE
from aimodel_infra.policy.engine import PolicyContext, Violation
from aimodel_infra.policy.values import as_dict, as_list, json_document

if TYPE_CHECKING:
    from aimodel_infra.graph import RecordedResource

IAM_DOCUMENT_TYPES = (
    IAM_POLICY,
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
)
SERVICE_WIDE_ACTION = re.compile(r"^[A-Za-z0-9-]+:\*$")
RESOURCE_STAR_ONLY_ACTIONS = frozenset({"ecr:GetAuthorizationToken", "sts:GetCallerIdentity", "s3:ListAllMyBuckets"})
TRUST_POLICY = "assume_role_policy"

#: (resource, where in it, parsed document or None, why it could not be parsed or None)
Document = tuple["RecordedResource", str, "dict[str, Any] | None", "str | None"]


def _needs_any_resource(action: str) -> bool:
    return action in RESOURCE_STAR_ONLY_ACTIONS or action.partition(":")[2].startswith("Describe")


def _everyone(principal: Any) -> bool:
    return principal == "*" or "*" in as_list(as_dict(principal).get("AWS"))


def statement_wildcards(statement: dict[str, Any], *, trust: bool = False) -> list[str]:
    """What is too broad in one statement ([] for Deny); trust policies are also checked for Principal '*'."""
    if statement.get("Effect", "Allow") != "Allow":
        return []
    actions = [str(a) for a in as_list(statement.get("Action"))]
    problems = [f"Action {a!r}" for a in actions if a == "*" or SERVICE_WIDE_ACTION.match(a)]
    if statement.get("NotAction") is not None:
        problems.append("NotAction (everything not listed)")
    resources = [str(r) for r in as_list(statement.get("Resource"))]
    if "*" in resources and not (actions and all(_needs_any_resource(a) for a in actions)):
        problems.append("Resource '*'")
    if statement.get("NotResource") is not None:
        problems.append("NotResource (everything not listed)")
    if trust and _everyone(statement.get("Principal")):
        problems.append("Principal '*' (anyone may assume the role)")
    return problems


def _parsed(r: RecordedResource, where: str, value: Any) -> Document:
    try:
        return r, where, json_document(value), None
    except ValueError as exc:
        return r, where, None, str(exc)


def authored_documents(ctx: PolicyContext) -> Iterator[Document]:
    for r in ctx.resources(*IAM_DOCUMENT_TYPES):
        yield _parsed(r, "policy", r.inputs.get("policy"))
    for role in ctx.resources(IAM_ROLE):
        yield _parsed(role, TRUST_POLICY, role.inputs.get("assumeRolePolicy"))
        for inline in (as_dict(p) for p in as_list(role.inputs.get("inlinePolicies"))):
            yield _parsed(role, f"inline policy {inline.get('name') or '(unnamed)'}", inline.get("policy"))


def check_no_wildcard_iam(ctx: PolicyContext) -> Iterator[Violation]:
    for r, where, document, error in authored_documents(ctx):
        if error is not None:
            yield Violation(f"{where} cannot be read ({error}), so it cannot be shown to be least-privilege", r)
            continue
        statements = [as_dict(s) for s in as_list((document or {}).get("Statement"))]
        for index, statement in enumerate(statements):
            problems = statement_wildcards(statement, trust=where == TRUST_POLICY)
            if problems:
                label = statement.get("Sid") or f"#{index}"
                yield Violation(
                    f"{where} statement {label} allows {', '.join(problems)}; name the actions and resources", r
                )
