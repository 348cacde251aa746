"""Every generated input through every command: no crash, no hang, one JSON document, nonsense refused.

The quick variant: every nonsense class on every cloud's stack through ``validate`` (and, for the
cheap commands, ``cost`` and ``compare``), and a few seeded random mutations through all five
commands. ``benchmarks/fuzz_inputs.py`` runs the same generator with more seeds and sizes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from aimodel_infra.cli import app

from .mutations import REPO_ROOT, Case, generate, run_case, write_case

SEED = 14
RANDOM_PER_STACK = 2
NONSENSE = [c for c in generate(SEED, 0) if c.must_fail]
RANDOM = [c for c in generate(SEED, RANDOM_PER_STACK, nonsense=False)]


@pytest.fixture
def invoke(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.delenv("AIMODEL_INFRA_CATALOG", raising=False)
    runner = CliRunner()
    return lambda args: runner.invoke(app, args)


def _ids(cases: list[Case]) -> list[str]:
    return [f"{c.stack}:{c.mutation}" for c in cases]


@pytest.mark.parametrize("case", NONSENSE, ids=_ids(NONSENSE))
def test_nonsense_is_refused_by_validate_and_the_cheap_commands(case: Case, invoke, tmp_path: Path) -> None:
    outcomes = run_case(invoke, case, write_case(case, tmp_path, 0), ("validate", "cost", "compare"))

    assert [o.failure for o in outcomes] == [None, None, None]
    for outcome in outcomes:
        assert outcome.exit_code == 1
        assert outcome.payload["valid"] is False and outcome.payload["problems"], outcome.payload


@pytest.mark.parametrize("case", RANDOM, ids=_ids(RANDOM))
def test_random_mutations_go_through_every_command_cleanly(case: Case, invoke, tmp_path: Path) -> None:
    outcomes = run_case(invoke, case, write_case(case, tmp_path, 0), ("validate", "cost", "compare", "preview", "diff"))

    assert [(o.command, o.failure) for o in outcomes if o.failure] == []


def test_the_generator_is_seeded() -> None:
    def texts(seed: int) -> list[str]:
        return [c.text for c in generate(seed, 4, nonsense=False)]

    assert texts(SEED) == texts(SEED)
    assert texts(SEED) != texts(SEED + 1)
