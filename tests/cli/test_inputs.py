"""The CLI reads specs from anywhere a user points it, and answers every failure in the format asked for."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

PLAIN = "name: ml-dev\ncloud: aws\nregion: us-east-1\nnode_pools:\n  - name: train\n    accelerator: H100:8\n"


def test_dash_reads_the_spec_from_stdin(run) -> None:
    from typer.testing import CliRunner

    from aimodel_infra.cli import app

    result = CliRunner().invoke(app, ["--json", "validate", "-"], input=PLAIN)
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["source"] == "<stdin>"


def test_a_directory_as_spec_says_so_in_json(run, tmp_path: Path) -> None:
    result = run("--json", "validate", str(tmp_path))
    assert result.exit_code == 1
    assert json.loads(result.stdout)["problems"][0]["message"].endswith(
        "is a directory; give a YAML file, a stack name, or - for stdin"
    )


@pytest.mark.parametrize("as_json", [True, False])
def test_a_non_utf8_file_name_is_printed_not_a_crash(run, tmp_path: Path, as_json: bool) -> None:
    name = os.fsdecode(os.fsencode(str(tmp_path)) + b"/sp\xffec.yaml")
    Path(name).write_text(PLAIN)
    result = run(*(["--json"] if as_json else []), "validate", name)
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)["source"] if as_json else result.stdout
    assert "sp\\xffec.yaml" in shown


def test_a_catalog_price_of_1e308_is_refused_so_json_stays_json(run, tmp_path: Path) -> None:
    csv = tmp_path / "prices.csv"
    csv.write_text(
        "cloud,region,instance_type,accelerator,accelerator_count,accelerator_memory_gib,vcpus,memory_gib,"
        "price_usd_per_hour,spot_price_usd_per_hour,source_commit\n"
        "aws,us-east-1,p5.48xlarge,H100,8,80,192,2048,1e308,,x\n"
    )
    result = run("--json", "cost", "aws-dev", "--catalog", str(csv))
    payload = json.loads(result.stdout, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    assert result.exit_code == 1
    assert payload["kind"] == "CatalogError" and "at most 100,000, got 1e308" in payload["error"]
