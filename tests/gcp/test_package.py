"""aimodel_infra.gcp: every component importable from the package, the SDK loaded only when building."""

from __future__ import annotations

import subprocess
import sys

import pytest

import aimodel_infra.gcp as gcp_package

#: What validate, cost, diff and the policy pack import: none may load pulumi_gcp (or Pulumi).
SDK_FREE = (
    "aimodel_infra.gcp.support",
    "aimodel_infra.gcp.spec_rules",
    "aimodel_infra.gcp.policy",
    "aimodel_infra.gcp.replacements",
    "aimodel_infra.gcp.billable",
    "aimodel_infra.gcp.quota",
)


@pytest.mark.parametrize("name", gcp_package.__all__)
def test_every_exported_name_resolves_to_its_class(name: str) -> None:
    exported = getattr(gcp_package, name)
    assert isinstance(exported, type) and exported.__name__ == name


def test_all_lists_exactly_the_lazily_exported_names() -> None:
    assert sorted(gcp_package.__all__) == sorted(gcp_package._EXPORTS)


def test_the_offline_modules_load_neither_pulumi_nor_pulumi_gcp() -> None:
    imports = "; ".join(f"import {m}" for m in SDK_FREE)
    code = f"import sys; {imports}; print(sorted(m for m in ('pulumi', 'pulumi_gcp') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_mock_tables_load_pulumi_but_not_the_sdk() -> None:
    code = "import sys, aimodel_infra.gcp.testing.tables; print('pulumi_gcp' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
