"""Cost: what an environment costs where its spec puts it, and where it would be cheapest.

Pure functions over a validated :class:`~aimodel_infra.spec.Environment` and the catalog; no
Pulumi and no provider SDK is imported, so ``cost`` and ``compare`` run anywhere in milliseconds.

The comparison's names load on first use (PEP 562): ``cost`` prices one placement and never needs
:mod:`aimodel_infra.cost.comparison`, so its cold start skips it. The estimate's are imported here,
before anything can import the submodule ``estimate`` and shadow the function of that name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aimodel_infra.cost.estimate import (
    ComputeCost,
    ComputeKind,
    CostEstimate,
    FeeCost,
    SizeCost,
    estimate,
    expected_hourly,
    worst_hourly,
)
from aimodel_infra.exports import lazy_exports

if TYPE_CHECKING:
    from aimodel_infra.cost.comparison import (
        BASES,
        Basis,
        CompareError,
        Comparison,
        PlacedCompute,
        Placement,
        Unplaced,
        compare,
    )

#: Names of :mod:`aimodel_infra.cost.comparison` exported here.
_COMPARISON = frozenset(
    {"BASES", "Basis", "CompareError", "Comparison", "PlacedCompute", "Placement", "Unplaced", "compare"}
)

__all__ = [
    "BASES",
    "Basis",
    "CompareError",
    "Comparison",
    "ComputeCost",
    "ComputeKind",
    "CostEstimate",
    "FeeCost",
    "PlacedCompute",
    "Placement",
    "SizeCost",
    "Unplaced",
    "compare",
    "estimate",
    "expected_hourly",
    "worst_hourly",
]


__getattr__ = lazy_exports(__name__, dict.fromkeys(_COMPARISON, "comparison"))
