"""How long ``compare`` (and ``estimate``) take over the whole bundled catalog.

The budget is 50 ms for a compare of an example stack over the whole catalog (every cloud and region
of the SkyPilot extract), because the CLI runs it interactively. A measurement, not a test: timings
depend on the machine. The answer stays the brute-force optimum (tests/cost/test_compare.py).

    .venv/bin/pytest benchmarks/bench_compare.py --benchmark-enable   # pytest-benchmark table
    .venv/bin/python benchmarks/bench_compare.py                      # plain timeit, no plugin

(pytest only collects ``bench_*.py`` when the file is named, or with ``-o python_files='bench_*.py'``.)
"""

from __future__ import annotations

import functools
import sys
import timeit
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))  # this checkout's package, not whichever one is installed

from aimodel_infra.catalog import Catalog, load_catalog  # noqa: E402
from aimodel_infra.cost import compare, estimate  # noqa: E402
from aimodel_infra.spec import Environment, load_spec  # noqa: E402

STACKS = ("aws-dev", "gcp-dev", "azure-dev")
BUDGET_SECONDS = 0.050


def _load(name: str, catalog: Catalog) -> Environment:
    return load_spec(name, catalog, root=REPO_ROOT)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.mark.parametrize("name", STACKS)
def test_bench_compare_whole_catalog(benchmark: Any, name: str, catalog: Catalog) -> None:
    env = _load(name, catalog)
    result = benchmark(compare, env, catalog=catalog)
    assert result.placements or result.unplaced


@pytest.mark.parametrize("name", STACKS)
def test_bench_estimate(benchmark: Any, name: str, catalog: Catalog) -> None:
    env = _load(name, catalog)
    result = benchmark(estimate, env, catalog)
    assert result.compute


def main(repeat: int = 7, number: int = 200) -> None:
    """Best-of-``repeat`` mean per call, and its share of the 50 ms budget."""
    catalog = load_catalog()
    regions = len({(o.cloud, o.region) for o in catalog.offerings})
    print(f"catalog: {len(catalog.offerings)} priced + {len(catalog.unpriced)} unpriced offerings in {regions} regions")
    print(f"{'call':<28}{'ms/call':>10}{'of 50 ms':>12}")
    for name in STACKS:
        env = _load(name, catalog)
        for label, call in (
            (f"compare({name})", functools.partial(compare, env, catalog=catalog)),
            (f"estimate({name})", functools.partial(estimate, env, catalog)),
        ):
            seconds = min(timeit.repeat(call, repeat=repeat, number=number)) / number
            print(f"{label:<28}{seconds * 1e3:>10.3f}{seconds / BUDGET_SECONDS:>11.2%}")


if __name__ == "__main__":
    main()
