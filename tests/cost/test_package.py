"""``aimodel_infra.cost`` exports the functions, whatever was imported first."""

from __future__ import annotations

import subprocess
import sys

import pytest

ORDERS = [
    "from aimodel_infra.cost import compare, estimate",
    "import aimodel_infra.cost.comparison\nimport aimodel_infra.cost.estimate\n"
    "from aimodel_infra.cost import compare, estimate",
    "import aimodel_infra.cost.job\nfrom aimodel_infra.cost import estimate, compare",
]


@pytest.mark.parametrize("imports", ORDERS, ids=["package", "submodules-first", "job-first"])
def test_compare_and_estimate_are_the_functions_not_their_modules(imports) -> None:
    check = "import types\nprint(*(isinstance(f, types.FunctionType) for f in (compare, estimate)))"
    code = f"{imports}\n{check}"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert result.stdout.split() == ["True", "True"]


def test_every_exported_name_resolves() -> None:
    import aimodel_infra.cost as cost

    assert all(getattr(cost, name) is not None for name in cost.__all__)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = cost.nope
