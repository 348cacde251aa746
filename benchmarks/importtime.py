"""Cold start of the offline commands: wall time per run, and what the imports cost.

``validate`` and ``cost`` are run on every edit and in CI, so their start-up is the product.
This script runs each command N times as a fresh process (wall time: min, median, max, next to
a bare ``python -c pass``), then once under ``python -X importtime`` to list the most expensive
imports, and fails (exit 1) if any ``pulumi*`` module was imported.

Usage (from the repository root)::

    .venv/bin/python benchmarks/importtime.py [--runs 10] [--top 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
COMMANDS = (("validate", "aws-dev"), ("cost", "aws-dev"))
#: Runs the CLI exactly as the console script does, under the interpreter this script runs on.
ENTRY = "import sys; from aimodel_infra.cli import main; sys.argv = ['aimodel-infra', *sys.argv[1:]]; main()"


@dataclass(frozen=True)
class ImportLine:
    module: str
    self_us: int
    cumulative_us: int


def wall_times(argv: list[str], runs: int) -> list[float]:
    """Seconds per run of a fresh process; the exit code must be 0 (a failing run measures nothing)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, cwd=REPO_ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def import_profile(args: tuple[str, ...]) -> list[ImportLine]:
    """``-X importtime`` of one run, parsed: every module with its own and cumulative microseconds."""
    argv = [sys.executable, "-X", "importtime", "-c", ENTRY, *args]
    result = subprocess.run(argv, cwd=REPO_ROOT, check=True, capture_output=True, text=True)
    lines = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line.removeprefix("import time:").split("|")
        lines.append(ImportLine(name[1:].rstrip(), int(self_us), int(cumulative_us)))  # nesting: 2 spaces a level
    return lines


def _summary(label: str, times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    return f"{label:<28} min {ms[0]:7.0f} ms   median {statistics.median(ms):7.0f} ms   max {ms[-1]:7.0f} ms"


def report(runs: int, top: int) -> bool:
    """Print the measurements; True when no pulumi module was imported by any command."""
    print(f"cold start over {runs} runs ({sys.executable})")
    print(_summary("python -c pass", wall_times([sys.executable, "-c", "pass"], runs)))
    clean = True
    for args in COMMANDS:
        print(_summary(f"aimodel-infra {' '.join(args)}", wall_times([sys.executable, "-c", ENTRY, *args], runs)))
    for args in COMMANDS:
        profile = import_profile(args)
        roots = [line for line in profile if not line.module.startswith(" ")]
        total_ms = sum(line.cumulative_us for line in roots) / 1000
        pulumi = sorted({line.module.strip() for line in profile if line.module.strip().startswith("pulumi")})
        print(f"\n-X importtime, aimodel-infra {' '.join(args)}: {len(profile)} modules, {total_ms:.0f} ms in imports")
        for line in sorted(roots, key=lambda item: item.cumulative_us, reverse=True)[:top]:
            print(f"  {line.cumulative_us / 1000:8.1f} ms  {line.module}")
        print(f"  pulumi modules imported: {', '.join(pulumi) if pulumi else 'none'}")
        clean = clean and not pulumi
    return clean


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="fresh processes per command (default 10)")
    parser.add_argument("--top", type=int, default=15, help="most expensive top-level imports to list (default 15)")
    options = parser.parse_args()
    return 0 if report(options.runs, options.top) else 1


if __name__ == "__main__":
    sys.exit(main())
