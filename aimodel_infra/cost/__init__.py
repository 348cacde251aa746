"""Cost: what an environment costs where its spec puts it, and where it would be cheapest.

Pure functions over a validated :class:`~aimodel_infra.spec.Environment` and the catalog; no
Pulumi and no provider SDK is imported, so ``cost`` and ``compare`` run anywhere in milliseconds.
"""

from aimodel_infra.cost.compare import (
    BASES,
    Basis,
    CompareError,
    Comparison,
    PlacedCompute,
    Placement,
    Unplaced,
    compare,
)
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
