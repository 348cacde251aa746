"""The importer: the bundled data is exactly what it makes of the pinned SkyPilot extract.

The extract lives in the repository (catalog-sources/skypilot/, a verbatim subset of the public catalog),
so this test needs no network and cannot be skipped: a hand edit of a data file, or an importer change
that alters any row, fails it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aimodel_infra.catalog.catalog import DATA_DIR
from aimodel_infra.catalog.importer import SourceFile, bundled_sources, import_catalog, run
from aimodel_infra.catalog.naming import ACCELERATORS
from aimodel_infra.errors import CatalogError

EXTRACT = Path(__file__).resolve().parents[2] / "catalog-sources" / "skypilot"
HEADER_AWS = (
    "InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Price,SpotPrice,Region,AvailabilityZone"
)
HEADER_GCP = (
    "InstanceType,vCPUs,MemoryGiB,AcceleratorName,AcceleratorCount,GpuInfo,Region,AvailabilityZone,Price,SpotPrice"
)


@pytest.fixture(scope="module")
def regenerated():
    return import_catalog(bundled_sources(EXTRACT), ACCELERATORS)


@pytest.mark.parametrize("name,attribute", [("offerings.csv", "offerings_csv"), ("zones.csv", "zones_csv"),
                                            ("provenance.csv", "provenance_csv")])  # fmt: skip
def test_bundled_data_regenerates_byte_for_byte_from_the_extract(regenerated, name, attribute):
    assert (DATA_DIR / name).read_text(encoding="utf-8") == getattr(regenerated, attribute)


def test_command_line_writes_the_same_files(tmp_path, capsys):
    assert run(["--bundled", str(EXTRACT), "--out", str(tmp_path)]) == 0
    for name in ("offerings.csv", "zones.csv", "provenance.csv"):
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes()
    assert "skipped" in capsys.readouterr().out  # the K80/V100 rows are reported, not silently dropped


def _write(path: Path, header: str, *rows: str) -> Path:
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


def _rows(result, cloud):
    lines = result.offerings_csv.splitlines()[1:]
    return [line.split(",") for line in lines if line.startswith(cloud + ",")]


def test_aws_spot_is_the_highest_zone_price_and_zones_are_zone_ids(tmp_path):
    gpu = "\"{'Gpus': [{'Name': 'H100', 'MemoryInfo': {'SizeInMiB': 81920}}]}\""
    path = _write(tmp_path / "aws.csv", HEADER_AWS,
                  f"p5.48xlarge,H100,8.0,192.0,2048.0,{gpu},98.32,30.0,us-east-2,use2-az2",
                  f"p5.48xlarge,H100,8.0,192.0,2048.0,{gpu},98.32,18.5,us-east-2,use2-az1")  # fmt: skip
    result = import_catalog([SourceFile("aws", path, "abc1234", "test")], ACCELERATORS)
    [row] = _rows(result, "aws")
    assert row[:10] == ["aws", "us-east-2", "p5.48xlarge", "H100", "8", "80", "192.0", "2048.0", "98.32", "30.0"]
    assert result.zones_csv.splitlines()[1] == "aws,us-east-2,p5.48xlarge,8,use2-az1 use2-az2,abc1234"


def test_gcp_price_is_host_plus_gpus_in_zones_that_have_both(tmp_path):
    gpu = "\"{'Gpus': [{'MemoryInfo': {'SizeInMiB': 81920}}]}\""
    path = _write(tmp_path / "gcp.csv", HEADER_GCP,
                  "a3-highgpu-8g,208.0,1872.0,,,,us-central1,us-central1-a,10.0,2.0",
                  "a3-highgpu-8g,208.0,1872.0,,,,us-central1,us-central1-b,10.0,2.0",
                  f",,,H100,8,{gpu},us-central1,us-central1-a,33.5,16.25")  # fmt: skip
    result = import_catalog([SourceFile("gcp", path, "abc1234", "test")], ACCELERATORS)
    [row] = _rows(result, "gcp")
    assert row[2:5] == ["a3-highgpu-8g", "H100", "8"] and row[8:10] == ["43.5", "18.25"]
    assert result.zones_csv.splitlines()[1].split(",")[4] == "us-central1-a"


def test_a_source_without_an_on_demand_price_gives_an_unpriced_row(tmp_path):
    gpu = "\"{'Gpus': [{'Name': 'H200', 'MemoryInfo': {'SizeInMiB': 144384}}]}\""
    path = _write(
        tmp_path / "aws.csv", HEADER_AWS, f"p5e.48xlarge,H200,8.0,192.0,2048.0,{gpu},,14.9,us-east-2,use2-az1"
    )
    [row] = _rows(import_catalog([SourceFile("aws", path, "abc1234", "test")], ACCELERATORS), "aws")
    assert row[8:10] == ["", ""]


def test_zone_prices_that_disagree_are_refused_not_averaged(tmp_path):
    gpu = "\"{'Gpus': [{'Name': 'T4', 'MemoryInfo': {'SizeInMiB': 16384}}]}\""
    path = _write(tmp_path / "aws.csv", HEADER_AWS,
                  f"g4dn.xlarge,T4,1.0,4.0,16.0,{gpu},0.526,0.2,us-east-1,use1-az1",
                  f"g4dn.xlarge,T4,1.0,4.0,16.0,{gpu},0.6,0.2,us-east-1,use1-az2")  # fmt: skip
    with pytest.raises(CatalogError, match="on-demand price differs between zones"):
        import_catalog([SourceFile("aws", path, "abc1234", "test")], ACCELERATORS)


def test_a_file_that_is_not_a_skypilot_catalog_is_refused(tmp_path):
    path = _write(tmp_path / "x.csv", "a,b,c", "1,2,3")
    with pytest.raises(CatalogError, match="not a SkyPilot vms.csv for gcp; missing"):
        import_catalog([SourceFile("gcp", path, "abc1234", "test")], ACCELERATORS)


def test_a_source_without_its_commit_is_refused(tmp_path, capsys):
    assert run(["--aws", str(tmp_path / "vms.csv"), "--out", str(tmp_path)]) == 1
    assert "PATH@COMMIT" in capsys.readouterr().err
