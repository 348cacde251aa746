"""The long variant of the input fuzzer (tests/fuzz): many seeded mutations through every command.

    .venv/bin/python benchmarks/fuzz_inputs.py --seed 14 --size 40        # 40 random cases per stack
    .venv/bin/python benchmarks/fuzz_inputs.py --seed 7 --size 200 --commands validate,cost

Prints the size (specs x commands), the runtime, and every failure (crash, bad exit, invalid JSON,
hang, nonsense accepted, duplicate URN) with the case that caused it; exits 1 when there is one.
Same generator and judge as the quick variant in the suite, so a failure here reproduces there
with the same seed. A measurement, not a test: it takes minutes on a shared machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tests"))
sys.path.insert(0, str(REPO_ROOT))

from fuzz.mutations import COMMANDS, Report, generate, run_case, write_case  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from aimodel_infra.cli import app  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--size", type=int, default=40, help="random mutations per example stack")
    parser.add_argument("--commands", default=",".join(COMMANDS), help="comma-separated subset of commands")
    args = parser.parse_args(argv)
    commands = tuple(c for c in args.commands.split(",") if c)

    import os

    os.chdir(REPO_ROOT)
    os.environ.pop("AIMODEL_INFRA_CATALOG", None)
    runner = CliRunner()
    cases = generate(args.seed, args.size)
    report = Report()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for index, case in enumerate(cases):
            path = write_case(case, Path(tmp), index)
            report.outcomes += run_case(lambda argv: runner.invoke(app, argv), case, path, commands)
    seconds = time.perf_counter() - started
    print(
        f"{len(cases)} specs x {len(commands)} commands = {len(report.outcomes)} runs in {seconds:.1f} s "
        f"(seed {args.seed}, {args.size} random per stack); {report.summary()}"
    )
    for outcome in report.failures:
        print(f"  {outcome.case.stack} [{outcome.case.mutation}] {outcome.command}: {outcome.failure}")
    slowest = max(report.outcomes, key=lambda o: o.seconds)
    print(f"slowest run: {slowest.command} {slowest.case.stack} [{slowest.case.mutation}] {slowest.seconds:.1f} s")
    return 1 if report.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
