"""Names Azure limits: AKS agent pools, storage accounts, Key Vaults (patterns pinned as the docs state them)."""

from __future__ import annotations

import re

import pytest

from aimodel_infra.azure.names import agent_pool_name, key_vault_name, storage_account_name

AKS_POOL = re.compile(r"^[a-z][a-z0-9]{0,11}$")  # 1-12 lowercase letters and digits, starts with a letter
STORAGE_ACCOUNT = re.compile(r"^[a-z0-9]{3,24}$")
KEY_VAULT = re.compile(r"^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$")
SUB_A = "8f3c2a1e-5b7d-4c9e-a2f1-6d4b8e0c7a35"
SUB_B = "11111111-2222-3333-4444-555555555555"
POOL_NAMES = ["train", "infer", "a", "gpu-h100-x8", "inference-large-a", "inference-large-b", "a" * 32, "x1-2-3"]


@pytest.mark.parametrize("name", POOL_NAMES)
@pytest.mark.parametrize("capacity", ["spot", "on_demand"])
def test_agent_pool_names_fit_aks(name: str, capacity: str) -> None:
    assert AKS_POOL.match(agent_pool_name(name, capacity))  # type: ignore[arg-type]


def test_short_pool_names_stay_readable() -> None:
    assert (agent_pool_name("train", "spot"), agent_pool_name("train", "on_demand")) == ("trainspot", "trainreg")


def test_pool_names_are_deterministic_and_distinct() -> None:
    names = [agent_pool_name(n, c) for n in POOL_NAMES for c in ("spot", "on_demand")]
    assert len(set(names)) == len(names)
    assert names == [agent_pool_name(n, c) for n in POOL_NAMES for c in ("spot", "on_demand")]


@pytest.mark.parametrize(("env", "bucket"), [("azure-dev", "checkpoints"), ("e" * 20, "b" * 40), ("ab", "abc")])
def test_storage_account_names_fit_and_differ_per_subscription(env: str, bucket: str) -> None:
    a, b = storage_account_name(env, bucket, SUB_A), storage_account_name(env, bucket, SUB_B)
    assert STORAGE_ACCOUNT.match(a) and STORAGE_ACCOUNT.match(b)
    assert a != b
    assert a == storage_account_name(env, bucket, SUB_A)


def test_storage_account_names_start_with_the_environment_and_bucket() -> None:
    assert storage_account_name("azure-dev", "models", SUB_A).startswith("azuredevmodels")


@pytest.mark.parametrize("env", ["azure-dev", "e" * 20, "a-b", "ml"])
def test_key_vault_names_fit(env: str) -> None:
    name = key_vault_name(env, SUB_A)
    assert KEY_VAULT.match(name) and "--" not in name
    assert name != key_vault_name(env, SUB_B)
