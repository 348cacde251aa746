"""``compare``: placements ranked cheapest first, deltas against the spec's own region, the rest explained."""

from __future__ import annotations

import json

import pytest

from aimodel_infra.cli.text import catalog_age, money
from aimodel_infra.cost import BASES, compare
from aimodel_infra.spec import load_spec

from .plain_tables import table

BUNDLED_AS_OF = None  # the bundled data has no trustworthy date


def test_json_ranks_placements_cheapest_first_with_deltas_to_the_current_one(run, stack) -> None:
    result = run("compare", stack, "--json", "--top", "50")

    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    monthly = [p["monthly"] for p in payload["placements"]]
    assert monthly == sorted(monthly)
    current = next(p for p in payload["placements"] if p["is_current"])
    assert payload["current"] == {"cloud": current["cloud"], "region": current["region"], "monthly": current["monthly"]}
    for placement in payload["placements"]:
        assert placement["delta_monthly"] == pytest.approx(placement["monthly"] - current["monthly"])


def test_json_matches_the_cost_module_comparison(run, stack) -> None:
    payload = json.loads(run("compare", stack, "--json", "--top", "50").stdout)

    expected = compare(load_spec(stack)).to_dict()
    assert payload["placements_total"] == len(expected["placements"])
    assert [{k: p[k] for k in expected["placements"][0]} for p in payload["placements"]] == expected["placements"]
    assert payload["unplaced"] == expected["unplaced"]
    assert payload["basis"] == "max"


def test_the_table_shows_each_placement_in_rank_order_and_marks_the_current_one(run, stack) -> None:
    result = run("compare", stack)

    assert result.exit_code == 0, result.stderr
    placements = compare(load_spec(stack)).placements
    rows = table(result.stdout, "Cheapest placements at max nodes")
    assert len(rows) == min(10, len(placements))
    for rank, (row, placement) in enumerate(zip(rows, placements, strict=False), start=1):
        assert [row["rank"], row["cloud"], row["region"], row["monthly"]] == [
            str(rank), placement.cloud, placement.region, money(placement.monthly)
        ]  # fmt: skip
        assert (row["vs current"] == "current") == placement.is_current
    assert catalog_age(BUNDLED_AS_OF) in result.stdout


def test_regions_that_lack_a_shape_are_listed_with_the_reason(run) -> None:
    result = run("compare", "aws-dev")

    unplaced = compare(load_spec("aws-dev")).unplaced
    assert unplaced, "the bundled catalog has regions without 8 x H100"
    assert "Could not be placed" in result.stdout
    for item in unplaced:
        assert any(item.region in line and item.reasons[0] in line for line in result.stdout.splitlines())


def test_top_limits_the_placements_shown(run) -> None:
    payload = json.loads(run("compare", "gcp-dev", "--json", "--top", "2").stdout)

    assert len(payload["placements"]) == 2
    assert payload["placements_total"] > 2
    human = run("compare", "gcp-dev", "--top", "2")
    assert f"showing 2 of {payload['placements_total']} placements" in human.stdout


def test_cloud_filter_still_reports_deltas_against_the_current_placement(run) -> None:
    result = run("compare", "aws-dev", "--cloud", "gcp", "--cloud", "AZURE", "--json", "--at", "min")

    payload = json.loads(result.stdout)

    assert {p["cloud"] for p in payload["placements"]} | {u["cloud"] for u in payload["unplaced"]} <= {"gcp", "azure"}
    own = compare(load_spec("aws-dev"), clouds=["aws"], regions=["us-east-1"], basis="min").placements[0]
    assert payload["current"]["monthly"] == pytest.approx(own.monthly)


def test_the_basis_prices_pools_at_min_desired_or_max_nodes(run) -> None:
    by_basis = {basis: json.loads(run("compare", "aws-dev", "--json", "--at", basis).stdout) for basis in BASES}

    for basis, payload in by_basis.items():
        assert payload["basis"] == basis
    monthly = {
        basis: {(p["cloud"], p["region"]): p["monthly"] for p in payload["placements"]}
        for basis, payload in by_basis.items()
    }
    assert monthly["max"]
    for where, at_max in monthly["max"].items():
        assert monthly["min"][where] <= monthly["desired"][where] <= at_max


def test_an_unknown_basis_or_cloud_is_a_usage_error(run) -> None:
    for args in (("--at", "often"), ("--cloud", "oracle")):
        result = run("compare", "aws-dev", *args)
        assert result.exit_code == 2, args
        assert args[1] in result.stderr
        assert result.stdout == ""


def test_a_region_without_offerings_is_invalid_input_naming_the_known_ones(run) -> None:
    result = run("compare", "aws-dev", "--region", "mars-1")

    assert result.exit_code == 1
    assert "'mars-1'" in result.stderr
    assert "us-east-1" in result.stderr


def test_help_lists_every_basis_and_cloud_the_options_accept(run) -> None:
    from aimodel_infra.catalog.catalog import CLOUDS

    help_text = run("compare", "--help").stdout

    for word in (*BASES, *CLOUDS):
        assert word in help_text


def test_a_placement_resting_on_a_suspect_price_carries_a_visible_caveat(run) -> None:
    """GCP us-central1 H100 prices are half the cross-region median in the source: the answer says so."""
    payload = json.loads(run("compare", "gcp-dev", "--region", "us-central1", "--json").stdout)
    [placement] = payload["placements"]
    [train] = [c for c in placement["compute"] if c["name"] == "train"]
    assert train["instance_type"].startswith("a3-") and "median across regions" in train["caveat"]
    text = run("compare", "gcp-dev", "--region", "us-central1", env={"COLUMNS": "250"}).stdout
    assert f"caveat: gcp us-central1 {train['instance_type']}: {train['caveat']}" in text
