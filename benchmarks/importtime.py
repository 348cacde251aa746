"""Cold start of the offline commands: wall time per run, and what the imports cost.

``validate`` and ``cost`` are run on every edit and in CI, so their start-up is the product.
This script runs each command N times as a fresh process (wall time: min, median, max, next to
a bare ``python -c pass`` and ``python -c 'import pydantic'``), reports each command as a ratio to
``import pydantic`` in wall time and in CPU time (the steadier one when other jobs share the cores;
target <= 2.5x), then runs once under ``python -X importtime`` to list the most expensive imports,
and fails (exit 1) if any ``pulumi*`` module was imported.

The commands run with their output captured, as CI jobs and editors run them, so ``cost`` writes
its report as plain text (:mod:`aimodel_infra.cli.plain`); one more line measures ``cost`` as a
terminal gets it (rich's tables, ``TTY_COMPATIBLE=1``), for information, next to its floor.

Two reference lines show what the libraries alone cost, exited the way the CLI exits (collector
off, no teardown): the parts of pydantic the spec models use plus PyYAML (the floor of ``validate``
and ``cost`` before any of our code runs), and the same plus rich's console and table (the floor
of ``cost`` at a terminal).

An editable install (``pip install -e``, the README's) loads its import finder at the start of every
process, ``import pydantic`` included, which lowers the ratios: the finder's imports are ones the
commands make anyway. The report says when the interpreter has one; to measure a regular install::

    python3 -m venv /tmp/regular && /tmp/regular/bin/pip install -q .
    /tmp/regular/bin/python benchmarks/importtime.py

Usage (from the repository root)::

    .venv/bin/python benchmarks/importtime.py [--runs 10] [--top 15]
"""

from __future__ import annotations

import argparse
import os
import resource
import site
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

REPO_ROOT = Path(__file__).resolve().parents[1]
#: The libraries alone, imported and left as the fast path leaves (no GC, os._exit).
LIBRARIES = (
    "import gc; gc.disable()\n"
    "from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError\n"
    "from pydantic import field_validator, model_validator\n"
    "import yaml\n"
)
WITH_RICH = "from rich.console import Console\nfrom rich.table import Table\n"
LEAVE = "import os; os._exit(0)"
COMMANDS = (("validate", "aws-dev"), ("cost", "aws-dev"), ("cost", "aws-dev", "--json"))
#: ``cost`` drawn for a terminal: rich's own switch, no colour codes, the width a wide terminal has.
AT_A_TERMINAL = {"TTY_COMPATIBLE": "1", "TERM": "dumb", "COLUMNS": "200"}
#: Runs the CLI exactly as the console script does (``console_main``), under the interpreter this script runs on.
ENTRY = (
    "import sys; from aimodel_infra.cli import console_main\n"
    "sys.argv = ['aimodel-infra', *sys.argv[1:]]; console_main()"
)


@dataclass(frozen=True)
class ImportLine:
    module: str
    self_us: int
    cumulative_us: int


#: Child processes may write and use bytecode caches, as an installed package does (pydantic's are
#: in site-packages); with PYTHONDONTWRITEBYTECODE set, every run would recompile our sources. What
#: would make their captured output count as a terminal's is left out too.
CHILD_ENV = {
    k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "TTY_COMPATIBLE", "FORCE_COLOR")
}


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Timings:
    """Wall and CPU seconds of each run of one command line."""

    wall: list[float]
    cpu: list[float]


class Run(NamedTuple):
    argv: list[str]
    env: dict[str, str] = CHILD_ENV


def _timed_run(run: Run) -> tuple[float, float]:
    start, start_cpu = time.perf_counter(), _child_cpu()
    subprocess.run(run.argv, cwd=REPO_ROOT, check=True, capture_output=True, env=run.env)
    return time.perf_counter() - start, _child_cpu() - start_cpu


def interleaved_runs(commands: dict[str, Run], runs: int) -> dict[str, Timings]:
    """``runs`` fresh processes of every command line, one of each per round, after a warm-up round.

    Round-robin, so a burst of load from another job slows the baseline and the commands alike
    and their ratio stays fair. The warm-up writes bytecode caches; the exit code must be 0 (a
    failing run measures nothing). CPU time (user + system of the child) barely moves when other
    jobs share the cores, so its ratio is the steadier one on a busy machine.
    """
    timings = {label: Timings([], []) for label in commands}
    for command in commands.values():
        _timed_run(command)
    for _ in range(runs):
        for label, command in commands.items():
            wall, cpu = _timed_run(command)
            timings[label].wall.append(wall)
            timings[label].cpu.append(cpu)
    return timings


def import_profile(args: tuple[str, ...]) -> list[ImportLine]:
    """``-X importtime`` of one run, parsed: every module with its own and cumulative microseconds."""
    argv = [sys.executable, "-X", "importtime", "-c", ENTRY, *args]
    result = subprocess.run(argv, cwd=REPO_ROOT, check=True, capture_output=True, text=True, env=CHILD_ENV)
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


#: validate and cost may take at most this many times ``python -c 'import pydantic'`` (issue 8).
TARGET_RATIO = 2.5
COMMAND_LABELS = frozenset(f"aimodel-infra {' '.join(args)}" for args in COMMANDS)
TERMINAL_LABEL = "aimodel-infra cost aws-dev (at a terminal: rich)"


def _ratio(times: list[float], baseline: list[float]) -> str:
    """Median and best-case ratio to the baseline; the minimum is the steadier one on a shared machine."""
    median = statistics.median(times) / statistics.median(baseline)
    best = min(times) / min(baseline)
    return f"{median:.2f}x import pydantic (median), {best:.2f}x (min)"


def editable_installs() -> list[str]:
    """The editable-install hooks every process of this interpreter loads at start-up (site's .pth files)."""
    return sorted(path.name for folder in site.getsitepackages() for path in Path(folder).glob("__editable__*.pth"))


def report(runs: int, top: int) -> bool:
    """Print the measurements; True when no pulumi module was imported by any command."""
    print(f"cold start over {runs} interleaved runs ({sys.executable})")
    if editable := editable_installs():
        print(f"editable install ({', '.join(editable)}): every process loads its finder first, so ratios run lower")
        print("than in a regular install (see this script's docstring to measure one)")
    commands = {
        "python -c pass": Run([sys.executable, "-c", "pass"]),
        "python -c 'import pydantic'": Run([sys.executable, "-c", "import pydantic"]),
        "floor: pydantic + yaml": Run([sys.executable, "-c", LIBRARIES + LEAVE]),
        "floor: pydantic + yaml + rich": Run([sys.executable, "-c", LIBRARIES + WITH_RICH + LEAVE]),
        **{f"aimodel-infra {' '.join(args)}": Run([sys.executable, "-c", ENTRY, *args]) for args in COMMANDS},
        TERMINAL_LABEL: Run([sys.executable, "-c", ENTRY, "cost", "aws-dev"], {**CHILD_ENV, **AT_A_TERMINAL}),
    }
    timings = interleaved_runs(commands, runs)
    pydantic = timings["python -c 'import pydantic'"]
    for label, measured in timings.items():
        print(_summary(label, measured.wall))
        if label.startswith(("aimodel-infra", "floor")):
            wall, cpu = _ratio(measured.wall, pydantic.wall), _ratio(measured.cpu, pydantic.cpu)
            target = f" (target <= {TARGET_RATIO}x)" if label in COMMAND_LABELS else ""
            print(f"{'':28} wall {wall}; CPU {cpu}{target}")
    clean = True
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
