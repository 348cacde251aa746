"""Physical names Azure limits more tightly than the spec: agent pools, storage accounts, Key Vaults.

- AKS Linux agent pool names: 1-12 lowercase letters and digits, starting with a letter
  [ISSUE Azure/AKS-Construction#465; PSRule Azure.AKS.SystemPoolNaming / Azure.AKS.PoolNaming].
  Spec pool names allow 32 characters and hyphens, so each pool's capacity groups get a
  deterministic short name; the spec name stays in the ``aimodel-infra/pool`` label.
- Storage accounts: 3-24 lowercase letters and digits, globally unique across Azure. Pulumi's
  auto-naming produced invalid and too-long names [ISSUE pulumi/pulumi-azure-native#3665, #4294],
  so the name is explicit: environment and bucket, then a digest of subscription, environment and
  bucket (two subscriptions using the same environment name do not collide).
- Key Vaults: 3-24 letters, digits and hyphens, globally unique; a deleted vault's name stays
  reserved for its soft-delete retention, so the name carries the same kind of digest.

Everything here is pure: the same spec and subscription always give the same names.
"""

from __future__ import annotations

import re
from typing import Final

from aimodel_infra.plan.capacity import GroupCapacity
from aimodel_infra.plan.naming import digest, short_name

AGENT_POOL_MAX: Final = 12
STORAGE_ACCOUNT_MAX: Final = 24
KEY_VAULT_MAX: Final = 24
SYSTEM_POOL_NAME: Final = "system"
#: What each capacity group appends to its pool's agent pool name ("Regular" is Azure's on-demand).
CAPACITY_SUFFIXES: Final[dict[GroupCapacity, str]] = {"spot": "spot", "on_demand": "reg"}
AGENT_POOL_PATTERN: Final = re.compile(r"^[a-z][a-z0-9]{0,11}$")
STORAGE_ACCOUNT_PATTERN: Final = re.compile(r"^[a-z0-9]{3,24}$")
KEY_VAULT_PATTERN: Final = re.compile(r"^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$")
_SUFFIX_DIGEST: Final = 8


def alnum(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def agent_pool_name(pool_name: str, capacity: GroupCapacity) -> str:
    """``train`` + spot -> ``trainspot``; long names are cut and end in a digest of the pool name."""
    suffix = CAPACITY_SUFFIXES[capacity]
    room = AGENT_POOL_MAX - len(suffix)
    base = alnum(pool_name)
    stem = base if base == pool_name and len(base) <= room else short_name(pool_name, room)
    return f"{stem}{suffix}"


def storage_account_name(environment: str, bucket: str, subscription_id: str) -> str:
    """``<env><bucket>`` (cut to fit) plus an 8-character digest of subscription, environment and bucket."""
    tail = digest(f"{subscription_id}\0{environment}\0{bucket}", _SUFFIX_DIGEST)
    return alnum(f"{environment}{bucket}")[: STORAGE_ACCOUNT_MAX - _SUFFIX_DIGEST] + tail


def key_vault_name(environment: str, subscription_id: str) -> str:
    """``<env>-kv-<digest>``: one vault per environment holds its cluster and bucket keys."""
    tail = digest(f"{subscription_id}\0{environment}\0vault", _SUFFIX_DIGEST)
    stem = re.sub(r"-+", "-", environment)[: KEY_VAULT_MAX - _SUFFIX_DIGEST - 4].strip("-")
    return f"{stem}-kv-{tail}"


def node_resource_group_name(environment: str) -> str:
    """The resource group AKS creates for the node VM scale sets (we choose it, the budget watches it)."""
    return f"{environment}-aks-nodes"
