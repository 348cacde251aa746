"""``catalog``: offerings filtered by accelerator, cloud, region and count, with the prices' age."""

from __future__ import annotations

import json

import pytest

from aimodel_infra.catalog import default_catalog
from aimodel_infra.cli.render import DASH
from aimodel_infra.cli.text import catalog_age, price

from .plain_tables import table


@pytest.mark.parametrize("cloud", ["aws", "gcp", "azure"])
def test_json_lists_exactly_the_catalog_offerings_that_match(run, cloud: str) -> None:
    result = run("catalog", "--cloud", cloud, "--accelerator", "H100", "--json")

    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    expected = default_catalog().select(cloud=cloud, accelerator="H100")
    assert [(o["region"], o["instance_type"]) for o in payload["offerings"]] == [
        (o.region, o.instance_type) for o in expected
    ]
    assert all(o["cloud"] == cloud and o["accelerator"] == "H100" for o in payload["offerings"])
    assert payload["filters"] == {"accelerator": "H100", "cloud": cloud, "region": None, "count": None}


def test_the_accelerator_is_matched_in_any_case_or_alias(run) -> None:
    canonical = run("catalog", "--accelerator", "L4", "--json").stdout

    assert run("catalog", "--accelerator", "l4", "--json").stdout == canonical
    assert run("catalog", "--accelerator", "nvidia-l4", "--json").stdout == canonical


def test_the_table_shows_shape_memory_and_both_prices_or_a_dash(run) -> None:
    result = run("catalog", "--accelerator", "H100", "--count", "8")

    assert result.exit_code == 0, result.stderr
    offerings = default_catalog().select(accelerator="H100", count=8)
    rows = table(result.stdout, "GPU offerings")
    assert len(rows) == len(offerings)
    for row, offering in zip(rows, offerings, strict=True):
        assert [row["cloud"], row["region"], row["instance type"], row["shape"]] == [
            offering.cloud, offering.region, offering.instance_type, "8 x H100"
        ]  # fmt: skip
        assert row["on-demand $/h"] == price(offering.price_per_hour)
        spot = offering.spot_price_per_hour
        assert row["spot $/h"] == (DASH if spot is None else price(spot))
    assert any(row["spot $/h"] == DASH for row in rows), "the snapshot has H100 sizes without a spot price"


def test_the_footer_gives_the_prices_age_and_source(run) -> None:
    result = run("catalog", "--region", "us-east-1")

    catalog = default_catalog()
    assert catalog_age(catalog.as_of) in result.stdout
    assert f"source: {catalog.source}" in result.stdout


def test_an_unknown_accelerator_exits_1_naming_the_known_ones(run) -> None:
    result = run("catalog", "--accelerator", "Z100")

    assert result.exit_code == 1
    assert "'Z100'" in result.stderr
    for name in default_catalog().accelerator_names():
        assert name in result.stderr


def test_an_unknown_accelerator_in_json_is_a_json_error(run) -> None:
    result = run("--json", "catalog", "--accelerator", "Z100")

    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["kind"] == "CatalogError"
    assert payload["problems"][0]["message"] == payload["error"]


def test_an_unknown_region_exits_1_naming_the_known_ones(run) -> None:
    result = run("catalog", "--cloud", "gcp", "--region", "us-east-1")

    assert result.exit_code == 1
    for region in default_catalog().regions("gcp"):
        assert region in result.stderr


def test_filters_that_match_nothing_say_so_without_failing(run) -> None:
    result = run("catalog", "--accelerator", "H100", "--count", "3")

    assert result.exit_code == 0
    assert "no offerings match" in result.stdout


def test_sorting_by_price_per_gpu_hour_puts_unpriced_rows_last(run) -> None:
    payload = json.loads(run("catalog", "--accelerator", "H200", "--sort", "gpu-price", "--json").stdout)
    rows = payload["offerings"]
    priced = [r["gpu_hourly"] for r in rows if r["on_demand_hourly"] is not None]
    assert priced == sorted(priced)
    assert [r["on_demand_hourly"] for r in rows[len(priced) :]] == [None] * (len(rows) - len(priced))
    assert any(r["instance_type"] == "p5e.48xlarge" for r in rows[len(priced) :])
    for r in rows[: len(priced)]:
        assert r["gpu_hourly"] == pytest.approx(r["on_demand_hourly"] / r["accelerator_count"])


def test_cheapest_per_cloud_is_one_row_per_cloud_at_the_lowest_gpu_hour(run) -> None:
    payload = json.loads(run("catalog", "--accelerator", "H100", "--cheapest", "--json").stdout)
    rows = payload["offerings"]
    assert sorted(r["cloud"] for r in rows) == ["aws", "azure", "gcp"]
    everything = default_catalog().select(accelerator="H100")
    for row in rows:
        best = min(o.price_per_gpu_hour for o in everything if o.cloud == row["cloud"] and o.priced)
        assert row["gpu_hourly"] == pytest.approx(best)


def test_an_unknown_sort_key_exits_1_naming_the_allowed_ones(run) -> None:
    result = run("catalog", "--sort", "cost")
    assert result.exit_code == 1
    assert "--sort must be one of shape, price, gpu-price, spot, region; got 'cost'" in result.stderr


#: The H100 regions the SkyPilot extract's README lists (H100/H100 VM coverage section), per cloud.
EXTRACT_H100_REGIONS = {
    "aws": ["ap-northeast-1", "ap-south-1", "ap-southeast-2", "ca-central-1", "eu-north-1", "eu-west-2",
            "us-east-1", "us-east-2", "us-west-1", "us-west-2"],
    "gcp": ["asia-east1", "asia-northeast1", "asia-northeast3", "asia-south1", "asia-southeast1",
            "australia-southeast1", "europe-north1", "europe-west1", "europe-west2", "europe-west3", "europe-west4",
            "northamerica-northeast2", "us-central1", "us-east4", "us-east5", "us-west1", "us-west4"],
    "azure": ["eastus", "eastus2", "southcentralus", "westus", "westus3"],
}  # fmt: skip


def test_every_h100_region_of_the_extract_is_listed_by_catalog_accelerator_h100(run) -> None:
    payload = json.loads(run("catalog", "--accelerator", "H100", "--json").stdout)
    listed = {
        cloud: sorted({o["region"] for o in payload["offerings"] if o["cloud"] == cloud})
        for cloud in EXTRACT_H100_REGIONS
    }
    assert listed == EXTRACT_H100_REGIONS
