"""Role assignments we make: no broad built-in roles, and data roles on one container only."""

from __future__ import annotations

from collections.abc import Iterator

from aimodel_infra.azure.policy.types import ROLE_ASSIGNMENT
from aimodel_infra.policy.engine import PolicyContext, Violation
from aimodel_infra.policy.values import known

#: Built-in roles that allow (almost) every action on their scope: Azure's wildcard roles.
BROAD_ROLES = {
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
    "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
}
#: Blob data roles (Storage Blob Data Reader / Contributor / Owner): only ever on one container.
BLOB_DATA_ROLES = {
    "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1": "Storage Blob Data Reader",
    "ba92f5b4-2d11-453d-a403-e96b0029c9fe": "Storage Blob Data Contributor",
    "b7e6dc6d-f1e8-4753-8033-0f276bb0955b": "Storage Blob Data Owner",
}
CONTAINER_SCOPE = "/blobServices/default/containers/"


def check_no_wildcard_iam(ctx: PolicyContext) -> Iterator[Violation]:
    for assignment in ctx.resources(ROLE_ASSIGNMENT):
        role = str(known(assignment.inputs.get("roleDefinitionId")) or "").rsplit("/", 1)[-1].lower()
        scope = known(assignment.inputs.get("scope"))
        if role in BROAD_ROLES:
            yield Violation(
                f"grants {BROAD_ROLES[role]}, which allows every action on {scope or 'its scope'}; "
                "assign a role that names the actions needed",
                assignment,
            )
        if role in BLOB_DATA_ROLES and isinstance(scope, str) and CONTAINER_SCOPE not in scope:
            yield Violation(
                f"grants {BLOB_DATA_ROLES[role]} on {scope}, wider than one container; scope it to the container",
                assignment,
            )
