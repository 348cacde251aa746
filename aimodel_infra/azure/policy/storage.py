"""Storage rules. A bucket is a storage account (tagged with its purpose) and one container; its
settings live on the account itself, on its BlobServiceProperties and on a management lock."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from aimodel_infra.azure.policy.types import BLOB_CONTAINER, BLOB_SERVICE, LOCK, STORAGE_ACCOUNT, resource_tags
from aimodel_infra.policy.engine import PolicyContext, Violation, missing_deletion_guards
from aimodel_infra.policy.values import as_dict, is_unknown, known, truthy

if TYPE_CHECKING:
    from aimodel_infra.testing import RecordedResource

PURPOSE_TAG = "aimodel-bucket-purpose"
DATA_PURPOSES = frozenset({"datasets", "checkpoints", "models"})
VERSIONED_PURPOSES = frozenset({"checkpoints", "models"})


def _account_names(account: RecordedResource) -> set[str]:
    names = (account.inputs.get("accountName"), account.outputs.get("name"))
    return {n for n in names if isinstance(known(n), str) and n}


def attached(ctx: PolicyContext, account: RecordedResource, *types: str) -> list[RecordedResource]:
    """Resources of ``types`` on ``account``: by account name, or by id (locks), or by dependency."""
    names, ids = _account_names(account), {account.id, account.outputs.get("id")}
    found = []
    for r in ctx.resources(*types):
        target = known(r.inputs.get("accountName")) or known(r.inputs.get("scope"))
        if target in names or target in ids or (target is None and account.urn in r.dependencies):
            found.append(r)
    return found


def purpose(account: RecordedResource) -> str | None:
    value = resource_tags(account).get(PURPOSE_TAG)
    return value if isinstance(value, str) else None


def customer_key_violations(ctx: PolicyContext) -> Iterator[Violation]:
    """Storage is always encrypted at rest (Microsoft-managed keys); customer-key buckets must use Key Vault."""
    wanted = {b.name for b in ctx.env.buckets if b.encryption.value == "customer-key"}
    for account in ctx.resources(STORAGE_ACCOUNT):
        containers = {known(c.inputs.get("containerName")) for c in attached(ctx, account, BLOB_CONTAINER)}
        if not containers & wanted:
            continue
        encryption = as_dict(account.inputs.get("encryption"))
        if known(encryption.get("keySource")) != "Microsoft.Keyvault" and not is_unknown(encryption.get("keySource")):
            yield Violation(
                "holds a customer-key bucket but encrypts with Microsoft-managed keys; set encryption.key_source "
                "'Microsoft.Keyvault' with the bucket's Key Vault key",
                account,
            )


def check_no_public_buckets(ctx: PolicyContext) -> Iterator[Violation]:
    for account in ctx.resources(STORAGE_ACCOUNT):
        if known(account.inputs.get("allowBlobPublicAccess")) is not False:
            yield Violation("allows public blob access; set allow_blob_public_access = false", account)
        if known(account.inputs.get("allowSharedKeyAccess")) is not False:
            yield Violation(
                "allows shared-key access (account keys and SAS tokens that bypass Entra ID); "
                "set allow_shared_key_access = false",
                account,
            )
        rules = as_dict(account.inputs.get("networkRuleSet"))
        if (
            known(rules.get("defaultAction")) != "Deny"
            and known(account.inputs.get("publicNetworkAccess")) != "Disabled"
        ):
            yield Violation(
                "accepts traffic from any network; set network_rule_set.default_action 'Deny', allow the node subnet",
                account,
            )
    for container in ctx.resources(BLOB_CONTAINER):
        access = known(container.inputs.get("publicAccess"))
        if access not in (None, "None"):
            yield Violation(f"public access {access!r}; set public_access 'None'", container)


def check_versioned_checkpoints(ctx: PolicyContext) -> Iterator[Violation]:
    for account in ctx.resources(STORAGE_ACCOUNT):
        kind = purpose(account)
        if kind not in VERSIONED_PURPOSES:
            continue
        services = attached(ctx, account, BLOB_SERVICE)
        if not any(truthy(s.inputs.get("isVersioningEnabled")) for s in services):
            yield Violation(
                f"{kind} account without blob versioning: an overwrite or delete loses data for good; "
                "remove 'versioning: false' from the bucket",
                account,
            )


def check_data_buckets_protected(ctx: PolicyContext) -> Iterator[Violation]:
    for account in ctx.resources(STORAGE_ACCOUNT):
        kind = purpose(account)
        if kind not in DATA_PURPOSES:
            continue
        missing = missing_deletion_guards(account)
        locks = [lock for lock in attached(ctx, account, LOCK) if known(lock.inputs.get("level")) == "CanNotDelete"]
        if not locks:
            missing.append("a CanNotDelete management lock")
        if missing:
            yield Violation(
                f"{kind} account lacks {', '.join(missing)}, so a destroy, a replace or a portal click would "
                "delete its data; keep 'deletion_protection: true'",
                account,
            )
