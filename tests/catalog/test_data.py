"""The bundled data checked against sources other than itself.

AWS rows are checked against moto's copy of AWS's own instance data (``describe_instance_types``
and ``describe_instance_type_offerings``): GPU model, count and memory, host shape, and that the
type is offered in the row's region. Every row's ``source_commit`` is checked against the
provenance written in data/README.md and data/SOURCES.md. A disagreement is reported by a
failing (or strictly expected-to-fail) test, never fixed by editing data to match.
"""

from __future__ import annotations

import re
from typing import Any

import boto3
import pytest
from moto import mock_aws

from aimodel_infra.catalog import Catalog, load_catalog
from aimodel_infra.catalog.catalog import CLOUDS, DATA_DIR

from .data_rows import CPU_ROWS, FEE_ROWS, OFFERING_ROWS, REGION_ROWS, read_rows

MIB_PER_GIB = 1024


AWS_ROWS = [r for r in OFFERING_ROWS + CPU_ROWS if r["cloud"] == "aws"]
AWS_TYPES = sorted({r["instance_type"] for r in AWS_ROWS})
AWS_GPU_REGIONS = sorted({r["region"] for r in OFFERING_ROWS if r["cloud"] == "aws"})
#: Regions whose zone letters SOURCES.md calls out as unusual; moto (per-region setup ~0.2 s each)
#: is asked about these and the GPU regions rather than all 34.
AWS_ODD_ZONE_REGIONS = ["us-west-1", "ca-central-1", "ap-northeast-1"]


@pytest.fixture(scope="module")
def moto_aws() -> dict[str, Any]:
    """What moto's AWS data says about the catalog's instance types, their regions and the zones."""
    with mock_aws():
        session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing")
        home = session.client("ec2", region_name="us-east-1")
        types = {t["InstanceType"]: t for t in home.describe_instance_types(InstanceTypes=AWS_TYPES)["InstanceTypes"]}
        offered: dict[str, set[str]] = {}
        zones: dict[str, list[str]] = {}
        for region in sorted({*AWS_GPU_REGIONS, *AWS_ODD_ZONE_REGIONS, *(r["region"] for r in AWS_ROWS)}):
            ec2 = session.client("ec2", region_name=region)
            pages = ec2.get_paginator("describe_instance_type_offerings").paginate(
                LocationType="region", Filters=[{"Name": "instance-type", "Values": AWS_TYPES}]
            )
            offered[region] = {o["InstanceType"] for page in pages for o in page["InstanceTypeOfferings"]}
            described = ec2.describe_availability_zones()["AvailabilityZones"]
            zones[region] = [z["ZoneName"].removeprefix(region) for z in described]
    return {"types": types, "offered": offered, "zones": zones}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _catalog_name(gpu: dict[str, Any], catalog: Catalog) -> str | None:
    """The catalog's name for a GPU as AWS describes it: AWS says "A100" for both memory sizes,
    the catalog says A100 (40 GiB) and A100-80GB, so the memory-qualified name wins where known."""
    gib = round(gpu["MemoryInfo"]["SizeInMiB"] / MIB_PER_GIB)
    return catalog.canonical_accelerator(f"{gpu['Name']}-{gib}GB") or catalog.canonical_accelerator(gpu["Name"])


# -- AWS rows against moto -------------------------------------------------------------------------


def test_moto_knows_every_aws_instance_type_in_the_catalog(moto_aws):
    assert sorted(moto_aws["types"]) == AWS_TYPES


@pytest.mark.parametrize("row", AWS_ROWS, ids=lambda r: f"{r['region']}-{r['instance_type']}")
def test_aws_row_gpu_model_count_and_memory_match_aws(moto_aws, catalog, row):
    gpus = moto_aws["types"][row["instance_type"]].get("GpuInfo", {}).get("Gpus", [])
    if not row["accelerator"]:
        assert gpus == [], f"{row['instance_type']} has GPUs per AWS but no accelerator in the catalog"
        return
    [gpu] = gpus
    assert gpu["Manufacturer"] == "NVIDIA"
    assert _catalog_name(gpu, catalog) == row["accelerator"]
    assert gpu["Count"] == int(row["accelerator_count"])
    assert gpu["MemoryInfo"]["SizeInMiB"] == float(row["accelerator_memory_gib"]) * MIB_PER_GIB


@pytest.mark.parametrize("row", AWS_ROWS, ids=lambda r: f"{r['region']}-{r['instance_type']}")
def test_aws_row_host_shape_matches_aws(moto_aws, row):
    described = moto_aws["types"][row["instance_type"]]
    assert described["VCpuInfo"]["DefaultVCpus"] == float(row["vcpus"])
    assert described["MemoryInfo"]["SizeInMiB"] == float(row["memory_gib"]) * MIB_PER_GIB


@pytest.mark.parametrize("row", AWS_ROWS, ids=lambda r: f"{r['region']}-{r['instance_type']}")
def test_aws_row_is_offered_in_its_region_per_aws(moto_aws, row):
    assert row["instance_type"] in moto_aws["offered"][row["region"]]


@pytest.mark.parametrize("region", sorted({*AWS_GPU_REGIONS, *AWS_ODD_ZONE_REGIONS}))
def test_aws_region_zone_letters_match_aws(moto_aws, region):
    [row] = [r for r in REGION_ROWS if (r["cloud"], r["region"]) == ("aws", region)]
    assert row["zones"].split() == moto_aws["zones"][region]


# -- provenance ------------------------------------------------------------------------------------


def _readme_commits() -> dict[str, str]:
    text = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    return dict(re.findall(r"catalogs/v\d+/(aws|gcp|azure)/vms\.csv`\s+at\s+([0-9a-f]{40})", text))


def _sources_table_commits() -> dict[str, str]:
    text = (DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\|\s*(aws|gcp|azure)\s*\|[^|\n]*\|\s*`([0-9a-f]{40})`\s*\|", text, re.MULTILINE))


def test_readme_and_sources_name_one_source_commit_per_cloud_and_agree():
    assert set(_readme_commits()) == set(CLOUDS)
    assert _sources_table_commits() == _readme_commits()


@pytest.mark.parametrize("name", ["offerings.csv", "zones.csv"])
def test_every_row_names_the_documented_commit_of_its_cloud(name):
    commits = _readme_commits()
    wrong = [f"{r['cloud']} {r['region']} {r['instance_type']}: {r['source_commit']}"
             for r in read_rows(name) if r["source_commit"] != commits[r["cloud"]]]  # fmt: skip
    assert wrong == []


def test_region_rows_citing_the_skypilot_catalog_cite_the_documented_commit():
    commits = _readme_commits()
    cited = [(r["cloud"], re.search(r"vms\.csv@([0-9a-f]{40})", r["source"])) for r in REGION_ROWS]
    found = [(cloud, match.group(1)) for cloud, match in cited if match]
    assert found, "no regions.csv row cites the SkyPilot catalog"
    assert all(commit == commits[cloud] for cloud, commit in found)


def test_every_region_row_has_a_source():
    assert all(r["source"].strip() for r in REGION_ROWS + FEE_ROWS)


def test_row_counts_stated_in_sources_md_match_the_files():
    text = (DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    for name, count in re.findall(r"^## (\S+\.csv) \((\d+) rows", text, re.MULTILINE):
        assert len(read_rows(name)) == int(count), name
    [(aws, gcp, azure)] = re.findall(r"regions\.csv \(\d+ rows: (\d+) aws, (\d+) gcp, (\d+) azure\)", text)
    per_cloud = {cloud: sum(r["cloud"] == cloud for r in REGION_ROWS) for cloud in CLOUDS}
    assert per_cloud == {"aws": int(aws), "gcp": int(gcp), "azure": int(azure)}
    [(total, per_fee_cloud)] = re.findall(r"fees\.csv \((\d+) rows: (\d+) per cloud", text)
    tier_fees = {"control_plane_extended", "control_plane_premium"}  # only where a cloud charges one
    base = [r for r in FEE_ROWS if r["fee"] not in tier_fees and not r["fee"].startswith("root_disk_")]
    assert len(FEE_ROWS) == int(total)
    assert {sum(r["cloud"] == cloud for r in base) for cloud in CLOUDS} == {int(per_fee_cloud)}
