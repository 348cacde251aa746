"""The catalog: what it loads, how it answers, and how a user's CSV changes it.

Expected values are read back from the bundled CSV files with the csv module, so these tests
check the catalog's rules (indexing, ordering, overrides), not numbers copied by hand.
"""

from __future__ import annotations

import csv
import os
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from aimodel_infra.catalog import (
    CATALOG_ENV_VAR,
    GCP_ACCELERATOR_TYPES,
    SNAPSHOT_DATE,
    Catalog,
    Offering,
    default_catalog,
    gcp_accelerator_type,
    load_catalog,
    read_offerings,
)
from aimodel_infra.catalog.catalog import CLOUDS, DATA_DIR, OFFERING_COLUMNS
from aimodel_infra.errors import CatalogError

from .data_rows import CPU_ROWS, FEE_ROWS, OFFERING_ROWS, REGION_ROWS, UNPRICED_ROWS

#: The system pool's CPU shape per cloud, as each cloud's builder plans it (pinned literals).
SYSTEM_INSTANCE_TYPES = {"aws": "m6i.large", "gcp": "e2-standard-4", "azure": "Standard_D4s_v5"}

DOCUMENTED_ACCELERATORS = {
    "B200", "H200", "H100-MEGA", "H100", "A100", "A100-80GB", "L40S", "L4", "A10G", "A10", "T4",
}  # fmt: skip


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _key(row: dict[str, str]) -> tuple[str, str, str]:
    return row["cloud"], row["region"], row["instance_type"]


def _full_key(row: dict[str, str]) -> tuple[str, str, str, int]:
    """A GCP N1 host comes with 0, 1, 2 or 4 T4s: the GPU count is part of what an offering is."""
    return row["cloud"], row["region"], row["instance_type"], int(row["accelerator_count"])


def _write_csv(path: Path, rows: list[dict[str, object]], columns: tuple[str, ...] = OFFERING_COLUMNS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _set_file_date(path: Path, day: date) -> None:
    stamp = datetime.combine(day, time(12), tzinfo=UTC).timestamp()
    os.utime(path, (stamp, stamp))


# -- loading -----------------------------------------------------------------------------------


def test_bundled_catalog_holds_every_offering_and_cpu_shape_row_once(catalog):
    rows = OFFERING_ROWS + CPU_ROWS
    assert len({_full_key(r) for r in rows}) == len(rows), "an offering appears twice in the data"
    assert len(catalog.offerings) == len(rows)
    assert {(o.cloud, o.region, o.instance_type, o.accelerator_count) for o in catalog.offerings} == {
        _full_key(r) for r in rows
    }


def test_rows_without_an_on_demand_price_are_unpriced_offerings_not_priced_ones(catalog):
    assert UNPRICED_ROWS, "the bundled data lists p5e.48xlarge and B200 hosts without prices"
    assert {(o.cloud, o.region, o.instance_type) for o in catalog.unpriced} == {_key(r) for r in UNPRICED_ROWS}
    assert all(not o.priced and o.price_per_gpu_hour is None for o in catalog.unpriced)
    assert all(o.priced for o in catalog.offerings)


def test_bundled_catalog_date_is_unknown_and_says_why(catalog):
    """The SkyPilot commits are older than their extraction date: no "as of" date is claimed."""
    assert SNAPSHOT_DATE is None and catalog.as_of is None and catalog.age_days() is None
    assert "98.32" in catalog.age_note and "p6-b200" in catalog.age_note


def test_accelerators_are_the_documented_ones(catalog):
    assert set(catalog.accelerator_names()) == DOCUMENTED_ACCELERATORS


def test_accelerators_carry_memory_per_gpu_clouds_and_counts_from_the_rows(catalog):
    for accelerator in catalog.accelerators():
        rows = [r for r in OFFERING_ROWS if r["accelerator"] == accelerator.name]
        assert accelerator.memory_gib == max(float(r["accelerator_memory_gib"]) for r in rows)
        assert set(accelerator.clouds) == {r["cloud"] for r in rows}
        assert accelerator.counts == tuple(sorted({int(r["accelerator_count"]) for r in rows}))


@pytest.mark.parametrize("name,memory_gib", [("H100", 80), ("H200", 141), ("A100", 40), ("A100-80GB", 80), ("T4", 16)])
def test_memory_per_gpu_tells_the_a100_variants_apart(catalog, name, memory_gib):
    assert {a.name: a.memory_gib for a in catalog.accelerators()}[name] == memory_gib


def test_offering_shape_reads_like_people_say_it(catalog):
    assert catalog.instance("aws", "us-east-1", "p5.48xlarge").shape == "8 x H100"
    assert catalog.instance("aws", "us-east-1", SYSTEM_INSTANCE_TYPES["aws"]).shape == "cpu"


# -- finding ---------------------------------------------------------------------------------


def test_find_returns_every_instance_of_a_shape_cheapest_first(catalog):
    for cloud, region, accelerator, count in catalog.shape_keys():
        found = catalog.find(cloud, region, accelerator, count)
        expected = {
            o for o in catalog.offerings
            if (o.cloud, o.region, o.accelerator, o.accelerator_count) == (cloud, region, accelerator, count)
        }  # fmt: skip
        assert set(found) == expected
        assert [o.price_per_hour for o in found] == sorted(o.price_per_hour for o in found)


def _h100_node(instance_type: str, price: float) -> Offering:
    return Offering("aws", "us-east-1", instance_type, "H100", 8, 80, 192, 2048, price, None, "test")


def test_find_orders_by_price_then_by_name():
    catalog = Catalog(offerings=(_h100_node("c.48x", 3.0), _h100_node("b.48x", 1.0), _h100_node("a.48x", 3.0)))
    assert [o.instance_type for o in catalog.find("aws", "us-east-1", "H100", 8)] == ["b.48x", "a.48x", "c.48x"]


def test_at_equal_prices_the_type_sold_in_more_regions_comes_first():
    def h100(instance_type: str, region: str) -> Offering:
        return Offering("gcp", region, instance_type, "H100", 8, 80, 208, 1872, 43.0, None, "test")

    catalog = Catalog(offerings=(h100("a-edge", "r-1"), h100("b-main", "r-1"), h100("b-main", "r-2")))

    assert [o.instance_type for o in catalog.find("gcp", "r-1", "H100", 8)] == ["b-main", "a-edge"]


def test_h100_8_on_gcp_resolves_to_a3_highgpu_not_the_edge_variant_at_its_price(catalog):
    """us-central1 sells a3-edgegpu-8g (13 regions in the data) at a3-highgpu-8g's price (14 regions)."""
    edge, high = (catalog.instance("gcp", "us-central1", t) for t in ("a3-edgegpu-8g", "a3-highgpu-8g"))
    assert edge is not None and high is not None and edge.price_per_hour == high.price_per_hour

    assert catalog.offering_for("gcp", "us-central1", "H100", 8, None).instance_type == "a3-highgpu-8g"


def test_find_answers_empty_for_a_shape_not_offered(catalog):
    assert catalog.find("aws", "us-east-1", "H100", 3) == ()
    assert catalog.find("aws", "atlantis-1", "H100", 8) == ()


def test_placements_are_every_cloud_and_region_with_the_shape(catalog):
    for accelerator in catalog.accelerator_names():
        for count in catalog.counts_offered(accelerator):
            rows = [r for r in OFFERING_ROWS if (r["accelerator"], int(r["accelerator_count"])) == (accelerator, count)]
            assert catalog.placements(accelerator, count) == sorted({(r["cloud"], r["region"]) for r in rows})


def test_counts_offered_can_be_narrowed_to_a_cloud(catalog):
    for accelerator in catalog.accelerators():
        per_cloud = [set(catalog.counts_offered(accelerator.name, cloud)) for cloud in CLOUDS]
        assert set().union(*per_cloud) == set(catalog.counts_offered(accelerator.name)) == set(accelerator.counts)


def test_offering_for_a_pinned_type_is_that_row(catalog):
    for row in OFFERING_ROWS:
        count = int(row["accelerator_count"])
        offering = catalog.offering_for(row["cloud"], row["region"], row["accelerator"], count, row["instance_type"])
        assert (offering.cloud, offering.region, offering.instance_type, offering.accelerator_count) == _full_key(row)


def test_a_pinned_n1_host_without_a_count_is_the_host_with_the_fewest_gpus(catalog):
    assert catalog.offering_for("gcp", "us-central1", None, None, "n1-standard-8").accelerator_count == 0
    assert catalog.offering_for("gcp", "us-central1", "T4", 4, "n1-standard-8").accelerator_count == 4


def test_offering_for_an_accelerator_is_the_cheapest_with_that_shape(catalog):
    for cloud, region, accelerator, count in catalog.shape_keys():
        cheapest = catalog.find(cloud, region, accelerator, count)[0]
        assert catalog.offering_for(cloud, region, accelerator, count, None) == cheapest


def test_offering_for_an_accelerator_without_count_means_one_gpu(catalog):
    assert catalog.offering_for("aws", "us-east-1", "T4", None, None).accelerator_count == 1


@pytest.mark.parametrize(
    "accelerator,count,instance_type,says",
    [
        (None, None, "p9.bogus", "p9.bogus is not in the catalog for aws us-east-1"),
        (None, None, None, "needs an accelerator or an instance type"),
        ("H100", 3, None, "3 x H100 is not offered on aws in us-east-1"),
    ],
)
def test_offering_for_what_the_catalog_lacks_is_a_catalog_error(catalog, accelerator, count, instance_type, says):
    with pytest.raises(CatalogError, match=says):
        catalog.offering_for("aws", "us-east-1", accelerator, count, instance_type)


def test_select_filters_and_keeps_cpu_shapes_out_unless_asked(catalog):
    gpu_rows = catalog.select(cloud="gcp", accelerator="L4")
    assert gpu_rows and all(o.cloud == "gcp" and o.accelerator == "L4" for o in gpu_rows)
    gpu_unpriced = [r for r in UNPRICED_ROWS if r["accelerator"]]
    assert len(catalog.select()) == len(OFFERING_ROWS) + len(gpu_unpriced)
    assert len(catalog.select(gpu_only=False)) == len(OFFERING_ROWS) + len(CPU_ROWS) + len(UNPRICED_ROWS)


def test_instance_regions_and_types_come_from_the_rows(catalog):
    for cloud in CLOUDS:
        rows = [r for r in OFFERING_ROWS + CPU_ROWS + UNPRICED_ROWS if r["cloud"] == cloud]
        assert catalog.instance_types(cloud) == sorted({r["instance_type"] for r in rows})
        for instance_type in catalog.instance_types(cloud):
            assert catalog.instance_regions(cloud, instance_type) == sorted(
                {r["region"] for r in rows if r["instance_type"] == instance_type}
            )


# -- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed,canonical",
    [("h100", "H100"), (" H100 ", "H100"), ("h100-sxm", "H100"), ("A100-40GB", "A100"), ("a100-80g", "A100-80GB"),
     ("L40-S", "L40S"), ("h200-141gb", "H200"), ("a10g", "A10G"), ("b200", "B200"),
     ("nvidia-h100-mega-80gb", "H100-MEGA"), ("V100", None), ("", None)],
)  # fmt: skip
def test_canonical_accelerator_forgives_case_and_common_aliases(catalog, typed, canonical):
    assert catalog.canonical_accelerator(typed) == canonical


def test_every_canonical_name_is_its_own_canonical_name(catalog):
    assert all(catalog.canonical_accelerator(name) == name for name in catalog.accelerator_names())


def test_gcp_accelerator_types_map_back_to_their_canonical_name(catalog):
    for canonical, gcp_name in GCP_ACCELERATOR_TYPES.items():
        assert catalog.canonical_accelerator(gcp_name) == canonical
        assert catalog.canonical_accelerator(gcp_name.upper()) == canonical


def test_every_accelerator_offered_on_gcp_has_a_gcp_type(catalog):
    for accelerator in catalog.accelerators():
        if "gcp" in accelerator.clouds:
            assert gcp_accelerator_type(accelerator.name).startswith("nvidia-")


def test_gcp_type_of_an_accelerator_gcp_lacks_names_what_gcp_offers():
    with pytest.raises(KeyError, match="A10G has no GCP accelerator type; GCP offers A100, A100-80GB"):
        gcp_accelerator_type("A10G")


def test_suggestions_for_a_misspelt_accelerator_include_the_close_names(catalog):
    assert "H100" in catalog.suggest_accelerators("H10")
    assert "L40S" in catalog.suggest_accelerators("l40")
    assert catalog.suggest_accelerators("zzzzzzzz") == []


# -- prices ------------------------------------------------------------------------------------


def test_spot_price_not_below_on_demand_is_treated_as_unknown(catalog):
    for row in OFFERING_ROWS + CPU_ROWS:
        offering = catalog.instance(*_key(row), int(row["accelerator_count"]))
        spot = row["spot_price_usd_per_hour"]
        if not spot or float(spot) >= float(row["price_usd_per_hour"]):
            assert offering.spot_price_per_hour is None
        else:
            assert offering.spot_price_per_hour == float(spot)


def test_azure_h100_sizes_have_no_spot_price(catalog):
    h100 = catalog.select(cloud="azure", accelerator="H100")
    assert h100 and all(o.spot_price_per_hour is None for o in h100)


# -- a user's CSV ------------------------------------------------------------------------------


def _row_of(offering: Offering, **changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "cloud": offering.cloud, "region": offering.region, "instance_type": offering.instance_type,
        "accelerator": offering.accelerator or "", "accelerator_count": offering.accelerator_count,
        "accelerator_memory_gib": offering.accelerator_memory_gib, "vcpus": offering.vcpus,
        "memory_gib": offering.memory_gib, "price_usd_per_hour": offering.price_per_hour,
        "spot_price_usd_per_hour": offering.spot_price_per_hour or "", "source_commit": "negotiated-2026",
    }  # fmt: skip
    row.update(changes)
    return row


@pytest.fixture
def negotiated_csv(tmp_path: Path, catalog: Catalog) -> Path:
    """A user's CSV: a lower price for p5.48xlarge in us-east-1, and p5.48xlarge in a region the snapshot lacks."""
    p5 = catalog.instance("aws", "us-east-1", "p5.48xlarge")
    rows = [_row_of(p5, price_usd_per_hour=50.0), _row_of(p5, region="sa-east-1", price_usd_per_hour=60.0)]
    return _write_csv(tmp_path / "negotiated.csv", rows)


def test_user_csv_replaces_matching_rows_and_adds_new_ones(catalog, negotiated_csv):
    merged = load_catalog(negotiated_csv)
    assert merged.instance("aws", "us-east-1", "p5.48xlarge").price_per_hour == 50.0
    assert merged.instance("aws", "sa-east-1", "p5.48xlarge").price_per_hour == 60.0
    assert ("aws", "sa-east-1") in merged.placements("H100", 8) and merged.covers_region("aws", "sa-east-1")
    assert len(merged.offerings) == len(catalog.offerings) + 1
    untouched = [o for o in catalog.offerings if (o.region, o.instance_type) != ("us-east-1", "p5.48xlarge")]
    assert set(untouched) <= set(merged.offerings)
    assert str(negotiated_csv) in merged.source


def test_user_csv_changes_which_instance_is_cheapest(catalog, tmp_path):
    cheapest = catalog.find("aws", "us-east-1", "L4", 8)[0]
    path = _write_csv(tmp_path / "cheap.csv", [_row_of(cheapest, instance_type="g6.custom", price_usd_per_hour=0.01)])
    assert load_catalog(path).find("aws", "us-east-1", "L4", 8)[0].instance_type == "g6.custom"


@pytest.mark.parametrize("file_date", [date(2020, 1, 15), date(2026, 12, 1)])
def test_catalog_with_a_user_csv_stays_of_unknown_age_when_the_bundled_part_is(negotiated_csv, file_date):
    _set_file_date(negotiated_csv, file_date)
    assert load_catalog(negotiated_csv).as_of is None


@pytest.mark.parametrize("file_date", [date(2020, 1, 15), date(2026, 12, 1)])
def test_dated_catalog_with_a_user_csv_is_as_old_as_its_oldest_part(negotiated_csv, file_date):
    _set_file_date(negotiated_csv, file_date)
    dated = Catalog(offerings=(), as_of=date(2026, 6, 1))
    merged = dated.with_overrides(read_offerings(negotiated_csv), "user", file_date)
    assert merged.as_of == min(date(2026, 6, 1), file_date)


def test_default_catalog_reads_the_csv_named_by_the_environment_variable(monkeypatch, negotiated_csv):
    monkeypatch.setenv(CATALOG_ENV_VAR, str(negotiated_csv))
    assert default_catalog().instance("aws", "us-east-1", "p5.48xlarge").price_per_hour == 50.0
    monkeypatch.delenv(CATALOG_ENV_VAR)
    assert default_catalog().instance("aws", "us-east-1", "p5.48xlarge").price_per_hour != 50.0


def test_user_csv_saved_with_a_byte_order_mark_is_read(tmp_path, catalog):
    path = _write_csv(tmp_path / "bom.csv", [_row_of(catalog.instance("aws", "us-east-1", "g4dn.xlarge"))])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert [o.instance_type for o in read_offerings(path)] == ["g4dn.xlarge"]


# -- malformed CSVs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change,says",
    [
        ({"price_usd_per_hour": "abc"}, "column price_usd_per_hour must be a number, got 'abc'"),
        ({"vcpus": "-4"}, "column vcpus must be a finite number >= 0, got -4"),
        ({"price_usd_per_hour": "nan"}, "column price_usd_per_hour must be a finite number >= 0, got nan"),
        ({"spot_price_usd_per_hour": "inf"}, "column spot_price_usd_per_hour must be a finite number >= 0, got inf"),
        ({"cloud": "oracle"}, "column cloud must be one of aws, gcp, azure, got 'oracle'"),
        ({"region": " "}, "column region must not be empty"),
        ({"accelerator_count": "0"}, "column accelerator_count must be a whole number >= 1 for H100"),
        ({"accelerator_count": "2.5"}, "column accelerator_count must be a whole number >= 1 for H100"),
    ],
)
def test_malformed_user_csv_names_file_line_and_column(tmp_path, catalog, change, says):
    p5 = catalog.instance("aws", "us-east-1", "p5.48xlarge")
    path = _write_csv(tmp_path / "user.csv", [_row_of(p5), _row_of(p5, **{"region": "us-west-2", **change})])
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert str(caught.value) == f"{path}:3: {says}"


def test_short_row_is_a_catalog_error_not_a_crash(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text(",".join(OFFERING_COLUMNS) + "\naws,us-east-1\n")
    with pytest.raises(CatalogError, match=r"short\.csv:2: column instance_type must not be empty"):
        read_offerings(path)


def test_user_csv_that_is_not_utf8_names_the_line(tmp_path, catalog):
    path = _write_csv(tmp_path / "latin1.csv", [_row_of(catalog.instance("aws", "us-east-1", "g4dn.xlarge"))])
    path.write_bytes(path.read_bytes() + "aws,us-east-1,caf\u00e9,,0,0,1,1,1,,x\n".encode("latin-1"))
    with pytest.raises(CatalogError, match=r"latin1\.csv:3: not UTF-8 text"):
        read_offerings(path)


def test_user_csv_missing_columns_lists_them_and_the_expected_ones(tmp_path):
    columns = tuple(c for c in OFFERING_COLUMNS if c not in ("spot_price_usd_per_hour", "source_commit"))
    path = _write_csv(tmp_path / "narrow.csv", [], columns)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert str(caught.value) == (
        f"{path}: missing column(s) spot_price_usd_per_hour, source_commit; expected {', '.join(OFFERING_COLUMNS)}"
    )


def test_missing_user_csv_is_a_catalog_error(tmp_path):
    with pytest.raises(CatalogError, match="cannot read catalog file .*nope.csv"):
        load_catalog(tmp_path / "nope.csv")


# -- regions, zones, system shapes and fees ------------------------------------------------------


def test_regions_include_every_listed_region_and_every_offering_region(catalog):
    for cloud in CLOUDS:
        listed = {r["region"] for r in REGION_ROWS if r["cloud"] == cloud}
        offered = {r["region"] for r in OFFERING_ROWS + CPU_ROWS if r["cloud"] == cloud}
        assert set(catalog.regions(cloud)) == listed | offered


def test_zones_of_a_region_are_its_listed_zone_suffixes(catalog):
    for row in REGION_ROWS:
        assert catalog.zones_of(row["cloud"], row["region"]) == tuple(row["zones"].split())
    assert catalog.zones_of("aws", "atlantis-1") == ()


def test_every_region_with_gpu_offerings_is_listed_in_regions_csv(catalog):
    for cloud, region, _, _ in catalog.shape_keys():
        assert (cloud, region) in catalog.zones, f"{cloud} {region} has GPUs but is not in regions.csv"


def test_every_region_with_gpu_offerings_prices_the_system_pool_shape(catalog):
    for cloud, region in {(c, r) for c, r, _, _ in catalog.shape_keys()}:
        shape = catalog.instance(cloud, region, SYSTEM_INSTANCE_TYPES[cloud])
        assert shape is not None, f"no {SYSTEM_INSTANCE_TYPES[cloud]} row for {cloud} {region}"
        assert shape.instance_type == SYSTEM_INSTANCE_TYPES[cloud] and shape.accelerator is None


def test_every_cloud_with_offerings_has_every_fee_with_a_source(catalog):
    # A control plane past standard support has its cloud's own fee: EKS extended support and GKE's Extended
    # channel (control_plane_extended), the AKS Premium tier that LTS-only versions need (control_plane_premium).
    # Root-disk fees are per disk type, so each belongs to the cloud that builds that disk (next test).
    fee_names = {r["fee"] for r in FEE_ROWS} - TIER_FEES - ROOT_DISK_FEES
    assert {c for c in CLOUDS if catalog.fee(c, "control_plane_extended")} == {"aws", "gcp"}
    assert {c for c in CLOUDS if catalog.fee(c, "control_plane_premium")} == {"azure"}
    for cloud in {o.cloud for o in catalog.offerings}:
        for name in fee_names:
            fee = catalog.fee(cloud, name)
            assert fee is not None, f"{cloud} has no {name} fee"
            assert fee.source.strip() and fee.price_usd >= 0
    assert catalog.fee("aws", "no_such_fee") is None


ROOT_DISK_FEES = {r["fee"] for r in FEE_ROWS if r["fee"].startswith("root_disk_")}
TIER_FEES = {"control_plane_extended", "control_plane_premium"}


def test_every_root_disk_a_builder_makes_is_priced_with_a_source_where_one_could_be_found(catalog):
    """Each cloud's root-disk rule names a sourced per-GB-month fee for every offering it can run, except
    where no price could be sourced: Azure's tiered managed OS disks (every size) and GCP's
    hyperdisk-balanced boot disks (A3 Ultra, A4). Those estimates say so in their notes."""
    from aimodel_infra.registry import support
    from aimodel_infra.spec import Cloud

    unpriced: dict[str, set[str]] = {}
    for offering in catalog.offerings:
        fee = support(Cloud(offering.cloud)).load_root_disk_fee()(offering.instance_type)
        if fee is None:
            unpriced.setdefault(offering.cloud, set()).add(offering.instance_type)
            continue
        row = catalog.fee(offering.cloud, fee)
        assert row is not None, f"{offering.cloud} {offering.instance_type}: no {fee} fee"
        assert row.unit == "gb_month" and row.price_usd > 0 and row.source.strip()
    assert set(unpriced) == {"azure", "gcp"}
    assert unpriced["azure"] == {o.instance_type for o in catalog.offerings if o.cloud == "azure"}
    assert unpriced["gcp"] and all(t.startswith(("a3-ultragpu-", "a4-", "a4x-")) for t in unpriced["gcp"])
    assert {(r["cloud"], r["fee"]) for r in FEE_ROWS if r["fee"] in ROOT_DISK_FEES} == {
        ("aws", "root_disk_gp3"),
        ("gcp", "root_disk_pd_balanced"),
    }


def test_the_fast_bundled_reader_reads_what_the_strict_reader_reads(tmp_path):
    from aimodel_infra.catalog.catalog import read_bundled_offerings

    path = DATA_DIR / "offerings.csv"
    assert read_bundled_offerings(path) == read_offerings(path)
    quoted = tmp_path / "offerings.csv"
    last = path.read_text().splitlines()[-1].split(",")
    quoted.write_text(path.read_text() + ",".join([*last[:-1], '"odd, and quoted"']) + "\n")
    rows = read_bundled_offerings(quoted)
    assert rows == read_offerings(quoted)
    assert rows[-1].caveat == "odd, and quoted"
