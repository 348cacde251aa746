"""How long the offline preview takes, and how it grows with the size of an environment.

The preview runs on every pull request, so its wall time is CI time. The reference point is the
cost of Pulumi's mocks themselves (TESTING.md: about 4 ms per resource under echo mocks); the
preview should stay close to that per resource, plus a fixed start-up (the SDK import).
A measurement, not a test.

    .venv/bin/python benchmarks/bench_preview.py            # table: stack sizes, seconds, ms/resource, peak RSS
    .venv/bin/pytest benchmarks/bench_preview.py --benchmark-enable
"""

from __future__ import annotations

import copy
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from aimodel_infra.catalog import default_catalog
from aimodel_infra.preview import run_preview
from aimodel_infra.spec import CONFIG_KEY, Environment, parse_environment

REPO_ROOT = Path(__file__).resolve().parents[1]
STACK_FILE = REPO_ROOT / "stacks" / "Pulumi.aws-dev.yaml"
MOCK_BASELINE_MS_PER_RESOURCE = 4.0


def aws_dev_document() -> dict[str, Any]:
    return yaml.safe_load(STACK_FILE.read_text())["config"][CONFIG_KEY]


def scaled(copies: int) -> Environment:
    """aws-dev with ``copies`` times its pools, groups and buckets (each copy renamed)."""
    base = aws_dev_document()
    doc = copy.deepcopy(base)
    for key in ("node_pools", "autoscaling_groups", "buckets"):
        doc[key] = []
    for i in range(copies):
        rename = {c["name"]: f"{c['name']}{i}" for c in [*base["node_pools"], *base["autoscaling_groups"]]}
        for key in ("node_pools", "autoscaling_groups"):
            doc[key] += [{**c, "name": rename[c["name"]]} for c in base[key]]
        doc["buckets"] += [
            {
                **b,
                "name": f"{b['name']}{i}",
                "readers": [rename[r] for r in b.get("readers", [])],
                "writers": [rename[w] for w in b.get("writers", [])],
            }
            for b in base["buckets"]
        ]
    doc["budget"] = {**doc["budget"], "monthly_usd": 10_000_000}
    return parse_environment(doc, default_catalog())


def time_preview(env: Environment, runs: int) -> tuple[float, int]:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        result = run_preview(env)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), len(result.resources)


def cold_cli_seconds() -> float:
    """One fresh process, as CI runs it: interpreter, imports, preview, rendering."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "aimodel_infra", "preview", "aws-dev", "--quiet"],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def test_bench_preview_aws_dev(benchmark: Any) -> None:
    env = scaled(1)
    result = benchmark(run_preview, env)
    assert result.passed


def main() -> None:
    run_preview(scaled(1))  # warm: SDK import and catalog load are paid once per process
    print(f"{'copies':>6} {'resources':>9} {'median s':>9} {'ms/resource':>11} {'vs mock baseline':>16}")
    for copies in (1, 4, 8):
        seconds, count = time_preview(scaled(copies), runs=3)
        per = 1000 * seconds / count
        print(f"{copies:>6} {count:>9} {seconds:>9.2f} {per:>11.2f} {per / MOCK_BASELINE_MS_PER_RESOURCE:>15.2f}x")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak_mib:.0f} MiB")
    print(f"cold `aimodel-infra preview aws-dev` (fresh process): {cold_cli_seconds():.2f} s")


if __name__ == "__main__":
    main()
