"""A bucket's Azure settings as plain data: soft delete, lifecycle rules, customer key references."""

# No ``from __future__ import annotations``: typing.NamedTuple compiles each string annotation into a
# ForwardRef when the class is created, ~10 us per field on every cold start of ``validate`` and ``cost``.
import re
from typing import Any, Final, NamedTuple

from aimodel_infra.spec.models import Bucket as BucketSpec

#: Days deleted blobs and containers stay restorable (soft delete), whatever the purpose.
SOFT_DELETE_DAYS: Final = 14
#: A Key Vault key given by its ARM resource id (the only form a role assignment can be scoped to).
KEY_RESOURCE_ID: Final = re.compile(
    r"^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[^/]+/providers/Microsoft\.KeyVault/vaults/"
    r"(?P<vault>[a-zA-Z0-9-]{3,24})/keys/(?P<key>[a-zA-Z0-9-]{1,127})$"
)


class GivenKey(NamedTuple):
    resource_id: str
    vault_uri: str
    key_name: str


def given_key(key_id: str) -> GivenKey | None:
    """A ``customer_key_id`` as scope, vault URI and key name; None when it is not a key resource id."""
    match = KEY_RESOURCE_ID.match(key_id)
    if match is None:
        return None
    return GivenKey(key_id, f"https://{match['vault']}.vault.azure.net/", match["key"])


def lifecycle_rules(bucket: BucketSpec) -> list[dict[str, Any]]:
    """Management policy rules (ManagementPolicyRuleArgs as dicts) for the bucket's container; [] for none.

    ``prefix_match`` is ``<container>/``: a rule filter's prefix starts with the container name.
    """
    lifecycle = bucket.lifecycle
    actions: dict[str, Any] = {}
    if lifecycle.cold_after_days is not None:
        actions["base_blob"] = {"tier_to_cool": {"days_after_modification_greater_than": lifecycle.cold_after_days}}
    if lifecycle.expire_noncurrent_after_days is not None:
        actions["version"] = {"delete": {"days_after_creation_greater_than": lifecycle.expire_noncurrent_after_days}}
    if not actions:
        return []
    return [
        {
            "name": f"{bucket.name}-lifecycle",
            "type": "Lifecycle",
            "enabled": True,
            "definition": {
                "filters": {"blob_types": ["blockBlob"], "prefix_match": [f"{bucket.name}/"]},
                "actions": actions,
            },
        }
    ]
