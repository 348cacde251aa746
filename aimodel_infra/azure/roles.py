"""Role assignments and user-assigned identities, the way every component here makes them.

``principal_type="ServicePrincipal"`` is always set for managed identities: a brand-new identity
is not yet replicated when its role assignment is made, and without the type ARM fails with
"PrincipalNotFound" [ISSUE Azure/avdaccelerator#99; mspnp/aks-baseline#52]. (The SDK's own
default is ``User``, which Azure refuses for a service principal: "UnmatchedPrincipalType".)
"""

from __future__ import annotations

import pulumi
import pulumi_azure_native.authorization as authorization
import pulumi_azure_native.managedidentity as managedidentity

from aimodel_infra.azure.cluster_plan import role_definition_id
from aimodel_infra.azure.context import AzureContext
from aimodel_infra.component import kept_options


def user_assigned_identity(
    name: str, context: AzureContext, parent: pulumi.Resource, keep: bool = False, **tags: str
) -> managedidentity.UserAssignedIdentity:
    """``keep``: protect and retain it (the identity a retained storage account reads its key with)."""
    return managedidentity.UserAssignedIdentity(
        name,
        resource_group_name=context.resource_group_name,
        location=context.location,
        tags=context.tags_for(**tags),
        opts=kept_options(parent, keep),
    )


def assign_role(
    name: str,
    context: AzureContext,
    *,
    scope: pulumi.Input[str],
    role: str,
    principal_id: pulumi.Input[str],
    parent: pulumi.Resource,
    principal_type: str = "ServicePrincipal",
    description: str | None = None,
    keep: bool = False,
) -> authorization.RoleAssignment:
    return authorization.RoleAssignment(
        name,
        scope=scope,
        role_definition_id=role_definition_id(context.subscription_id, role),
        principal_id=principal_id,
        principal_type=principal_type,
        description=description,
        opts=kept_options(parent, keep),
    )
