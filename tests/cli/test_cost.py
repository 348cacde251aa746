"""``cost``: the estimate's tables and verdict, the same numbers in JSON, exit 1 over budget."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from aimodel_infra.catalog import load_catalog
from aimodel_infra.catalog.catalog import DATA_DIR, OFFERING_COLUMNS
from aimodel_infra.cli.text import catalog_age, money
from aimodel_infra.cost import estimate
from aimodel_infra.spec import load_spec

from .plain_tables import table


def test_every_pool_group_and_system_pool_is_priced_in_the_table(run, stack) -> None:
    result = run("cost", stack)

    assert result.exit_code == 0, result.stderr
    expected = estimate(load_spec(stack))
    rows = table(result.stdout, f"Compute: {stack} ({expected.cloud} {expected.region})")
    assert [row["name"] for row in rows] == [c.name for c in expected.compute]
    for row, compute in zip(rows, expected.compute, strict=True):
        assert row["instance type"] == compute.instance_type
        assert row["shape"] == compute.shape
        assert row["worst case /mo"] == money(compute.worst_case_monthly)
    assert {c.kind for c in expected.compute} >= {"node_pool", "system_pool"}


def test_fees_totals_budget_and_catalog_age_are_shown(run, stack) -> None:
    result = run("cost", stack)

    expected = estimate(load_spec(stack))
    for fee in expected.fees:
        assert fee.name in result.stdout
    for total in (expected.min_monthly, expected.desired_monthly, expected.max_monthly, expected.worst_case_monthly):
        assert money(total) in result.stdout
    assert "within budget" in result.stdout
    assert catalog_age(expected.catalog_as_of) in result.stdout
    for note in expected.notes:
        assert note[:40] in result.stdout


def test_json_is_the_estimate_plus_where_the_prices_come_from(run, stack) -> None:
    result = run("cost", stack, "--json")

    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    expected = estimate(load_spec(stack)).to_dict()
    assert {key: payload[key] for key in expected} == expected
    assert (payload["spec"], payload["valid"]) == (stack, True)
    assert payload["catalog"]["as_of"] == expected["catalog_as_of"]
    assert payload["catalog"]["age_days"] == load_catalog().age_days()


def test_a_worst_case_over_budget_exits_1_and_says_by_how_much(run, write_spec, stack_environment) -> None:
    environment = stack_environment("gcp-dev")
    environment["budget"]["monthly_usd"] = 100
    path = write_spec(environment)

    result = run("cost", path)

    assert result.exit_code == 1
    worst = estimate(load_spec(path)).worst_case_monthly
    assert f"OVER BUDGET by {money(worst - 100)}" in result.stdout
    assert "within budget" not in result.stdout


def test_over_budget_in_json_still_prints_the_whole_estimate(run, write_spec, stack_environment) -> None:
    environment = stack_environment("aws-dev")
    environment["budget"]["monthly_usd"] = 100
    result = run("cost", write_spec(environment), "--json")

    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["over_budget"] is True
    assert payload["worst_case_monthly"] > payload["budget_monthly"] == 100


def test_a_spec_without_budget_says_so_and_passes(run, write_spec, stack_environment) -> None:
    environment = stack_environment("azure-dev")
    del environment["budget"]

    result = run("cost", write_spec(environment))

    assert result.exit_code == 0
    assert "no budget set" in result.stdout


def _price_override(tmp_path: Path, instance_type: str, region: str, new_price: float) -> Path:
    """A user CSV repeating one bundled row with another on-demand price and no spot price."""
    with (DATA_DIR / "offerings.csv").open(newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if (r["instance_type"], r["region"]) == (instance_type, region))
    row.update(price_usd_per_hour=str(new_price), spot_price_usd_per_hour="")
    path = tmp_path / "negotiated.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=OFFERING_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerow(row)
    return path


def test_a_user_catalog_replaces_bundled_prices_by_option_or_env_var(run, tmp_path) -> None:
    override = _price_override(tmp_path, "p5.48xlarge", "us-east-1", 12.5)

    by_option = json.loads(run("--catalog", str(override), "cost", "aws-dev", "--json").stdout)
    by_command_option = json.loads(run("cost", "aws-dev", "--json", "--catalog", str(override)).stdout)
    by_env = json.loads(run("cost", "aws-dev", "--json", env={"AIMODEL_INFRA_CATALOG": str(override)}).stdout)

    for payload in (by_option, by_command_option, by_env):
        train = next(c for c in payload["compute"] if c["name"] == "train")
        assert train["on_demand_hourly"] == 12.5
        assert train["spot_hourly"] is None
        assert str(override) in payload["catalog"]["source"]


def test_a_broken_user_catalog_is_an_error_naming_the_file(run, tmp_path) -> None:
    broken = tmp_path / "prices.csv"
    broken.write_text("cloud,region\naws,us-east-1\n")

    result = run("cost", "aws-dev", "--catalog", str(broken))

    assert result.exit_code == 1
    assert str(broken) in result.stderr
    assert "missing column" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_user_catalog_is_an_error_naming_the_file(run, tmp_path) -> None:
    missing = tmp_path / "nowhere.csv"

    result = run("cost", "aws-dev", env={"AIMODEL_INFRA_CATALOG": str(missing)})

    assert result.exit_code == 1
    assert f"cannot read catalog file {missing}" in result.stderr


def test_every_line_shows_its_unit_cost_per_gpu_hour(run) -> None:
    result = run("cost", "aws-dev", "--json")

    train = next(c for c in json.loads(result.stdout)["compute"] if c["name"] == "train")
    assert (train["gpus_per_node"], train["gpu_hourly"]) == (8, round(30.326 / 8, 6))
    assert "$/GPU-h" in run("cost", "aws-dev").stdout


def test_a_job_of_days_is_priced_at_the_chosen_size_with_the_hours_the_budget_buys(run) -> None:
    days = json.loads(run("cost", "aws-dev", "--days", "14", "--at", "max", "--json").stdout)["job"]
    hours = json.loads(run("cost", "aws-dev", "--hours", "336", "--json").stdout)["job"]

    assert days == hours, "two weeks is 336 hours, and max is the default size"
    assert days["hours"] == 336 and days["at"] == "max"
    assert days["budget_hours"] == pytest.approx(200_000 / days["hourly"])
    text = run("cost", "aws-dev", "--days", "14", env={"COLUMNS": "200"}).stdout
    assert "Job: 336 h (14 days) at max nodes" in text
    assert "which buys" in text and "per GPU-hour" in text


def test_a_job_length_given_twice_or_a_bad_size_is_a_usage_error(run) -> None:
    assert run("cost", "aws-dev", "--days", "1", "--hours", "2").exit_code == 2
    assert run("cost", "aws-dev", "--hours", "2", "--at", "most").exit_code == 2
    assert run("cost", "aws-dev", "--hours", "0").exit_code == 2


def test_over_budget_says_what_would_fit(run, write_spec, stack_environment) -> None:
    environment = stack_environment("aws-dev")
    environment["budget"]["monthly_usd"] = 150_000
    result = run("cost", write_spec(environment), env={"COLUMNS": "200"})

    assert result.exit_code == 1
    assert "What fits the budget:" in result.stdout
    assert "train: max_nodes 2 -> 1" in result.stdout
    assert "of the month's 730 hours" in result.stdout
    fit = json.loads(run("cost", write_spec(environment), "--json").stdout)["budget_fit"]
    assert {"name": "train", "max_nodes": 2, "fits_max_nodes": 1} == {
        k: v for k, v in next(p for p in fit["max_nodes"] if p["name"] == "train").items() if k != "worst_case_monthly"
    }


def test_over_budget_names_the_cheapest_placement_that_fits(run, write_spec, stack_environment) -> None:
    environment = stack_environment("gcp-dev")
    environment.update(region="us-east4")  # gcp-dev's worst case is ~$154k here and ~$95k in us-central1
    environment["budget"]["monthly_usd"] = 120_000

    result = run("cost", write_spec(environment), env={"COLUMNS": "200"})
    fit = json.loads(run("cost", write_spec(environment), "--json").stdout)["budget_fit"]

    assert result.exit_code == 1
    assert fit["placement"]["region"] != "us-east4" and fit["placement"]["worst_case_monthly"] <= 120_000
    place = fit["placement"]
    assert f"cheapest where it fits is {place['cloud']} {place['region']}" in result.stdout


def test_totals_say_what_they_leave_out_when_a_type_is_not_priced(run, tmp_path) -> None:
    spec = tmp_path / "cpu.yaml"
    spec.write_text(
        "name: cpu\ncloud: aws\nregion: us-east-2\ncluster: null\n"
        "autoscaling_groups:\n  - {name: web, instance_type: m6i.2xlarge, max_nodes: 2}\n"
    )
    result = run("cost", str(spec))
    assert result.exit_code == 0, result.stderr
    assert "totals leave out what the catalog cannot price: autoscaling group web (m6i.2xlarge)" in result.stdout
