"""Zone-level placement, coverage and Kubernetes version data, as builders and validation use them.

External contract strings (zone IDs, zone names, versions) are pinned as literals from their sources.
"""

from __future__ import annotations

from datetime import date

import pytest

from aimodel_infra.catalog import Catalog, load_catalog
from aimodel_infra.catalog.catalog import read_zone_lists

from .data_rows import ZONE_ROWS

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_p5_in_us_east_2_is_offered_in_the_zones_the_source_lists(catalog):
    assert catalog.find("aws", "us-east-2", "H100", 8)[0].instance_type == "p5.48xlarge"
    assert catalog.zones_offering("aws", "us-east-2", "p5.48xlarge") == ("use2-az1", "use2-az2", "use2-az3")


def test_gcp_zones_are_zone_names_where_both_host_and_gpus_exist(catalog):
    zones = catalog.zones_offering("gcp", "us-central1", "a3-highgpu-8g")
    assert zones and all(z.startswith("us-central1-") for z in zones)
    t4x4 = catalog.zones_offering("gcp", "us-central1", "n1-standard-8", accelerator_count=4)
    host = catalog.zones_offering("gcp", "us-central1", "n1-standard-8", accelerator_count=0)
    assert t4x4 and set(t4x4) <= set(host)


def test_zone_lists_match_the_zones_file(catalog):
    for row in ZONE_ROWS[:200]:
        zones = catalog.zones_offering(row["cloud"], row["region"], row["instance_type"],
                                       accelerator_count=int(row["accelerator_count"]))  # fmt: skip
        assert zones == tuple(sorted(row["zones"].split()))


def test_the_zones_file_read_one_region_at_a_time_answers_as_the_whole_file(tmp_path):
    lines = ["cloud,region,instance_type,accelerator_count,zones,source_commit"]
    lines += [
        ",".join([r["cloud"], r["region"], r["instance_type"], r["accelerator_count"], r["zones"], "x"])
        for r in ZONE_ROWS
    ]
    path = tmp_path / "zones.csv"
    path.write_text("\n".join(lines) + "\n")
    whole = {(r["cloud"], r["region"], r["instance_type"], int(r["accelerator_count"])): tuple(r["zones"].split())
             for r in ZONE_ROWS}  # fmt: skip

    lists = read_zone_lists(path)

    assert [lists.get(key) for key in whole] == list(whole.values())
    assert lists.get(("aws", "us-east-2", "no-such.type", 0), ()) == ()
    assert lists.get(("aws", "no-such-region", "p5.48xlarge", 8)) is None
    assert dict(lists) == whole and len(lists) == len(whole)


def test_azure_has_no_zone_data_so_placement_is_regional(catalog):
    assert catalog.covers_region("azure", "eastus")
    assert catalog.zones_offering("azure", "eastus", "Standard_NC40ads_H100_v5") is None


def test_a_type_absent_from_a_covered_region_has_no_zones(catalog):
    assert catalog.zones_offering("aws", "us-east-2", "no-such.type") == ()


def test_a_region_outside_the_data_is_not_covered_and_has_no_zone_data(catalog):
    assert not catalog.covers_region("aws", "sa-east-1")
    assert catalog.zones_offering("aws", "sa-east-1", "p5.48xlarge") is None
    message = catalog.not_offered_message("aws", "sa-east-1", "H100", 8)
    assert message.startswith("the catalog has no data for sa-east-1 (it covers af-south-1, ")
    assert message.endswith("pass --catalog with your own prices")


def test_not_offered_only_where_the_data_covers_the_region(catalog):
    message = catalog.not_offered_message("aws", "eu-west-1", "H100", 8)
    assert message.startswith("8 x H100 is not offered on aws in eu-west-1; on aws it is offered in ")


def test_every_h100_region_of_the_extract_is_known(catalog):
    aws = {r for c, r in catalog.placements("H100", 8) if c == "aws"}
    assert aws == {"ap-northeast-1", "ap-south-1", "ap-southeast-2", "ca-central-1", "eu-north-1", "eu-west-2",
                   "us-east-1", "us-east-2", "us-west-1", "us-west-2"}  # fmt: skip
    gcp_h100 = {r for c, r, a, _ in catalog.shape_keys() if c == "gcp" and a == "H100"}
    assert {"us-central1", "us-east4", "us-east5", "us-west1", "us-west4", "europe-west4", "asia-east1"} <= gcp_h100


def test_new_gpus_are_in_the_vocabulary_where_the_data_has_them(catalog):
    assert {o.instance_type for o in catalog.select(accelerator="H200", cloud="aws")} == {
        "p5e.48xlarge", "p5en.48xlarge"}  # fmt: skip
    assert {o.instance_type for o in catalog.select(accelerator="H100-MEGA")} == {"a3-megagpu-8g"}
    b200 = catalog.select(accelerator="B200")
    assert b200 and all(o.cloud == "gcp" and not o.priced and o.instance_type == "a4-highgpu-8g" for o in b200)


def test_multi_gpu_inference_shapes_resolve(catalog):
    assert catalog.offering_for("aws", "us-east-1", "L4", 4, None).instance_type == "g6.12xlarge"


def test_a_real_type_of_a_known_family_is_accepted_unpriced_and_a_typo_is_not(catalog):
    cpu = catalog.offering_for("aws", "us-east-1", None, None, "m6i.2xlarge")
    assert not cpu.priced and "not priced" in cpu.caveat
    assert catalog.unlisted_instance("aws", "us-east-1", "m6x.2xlarge") is None


def test_eks_refuses_control_plane_subnets_in_the_documented_zone_ids(catalog):
    assert catalog.eks_unsupported_zone_ids("us-east-1") == frozenset({"use1-az3"})
    assert catalog.eks_unsupported_zone_ids("us-west-1") == frozenset({"usw1-az2"})
    assert catalog.eks_unsupported_zone_ids("ca-central-1") == frozenset({"cac1-az3"})
    assert catalog.eks_unsupported_zone_ids("us-east-2") == frozenset()


@pytest.mark.parametrize("cloud,version", [("aws", "1.35"), ("gcp", "1.35"), ("azure", "1.37")])
def test_default_version_is_the_newest_in_standard_support(catalog, cloud, version):
    assert catalog.default_kubernetes_version(cloud, TODAY) == version
    assert catalog.kubernetes_version(cloud, version).support_on(TODAY) == "standard"


def test_versions_carry_their_documented_windows(catalog):
    eks_133 = catalog.kubernetes_version("aws", "1.33")
    assert (eks_133.standard_support_end, eks_133.extended_support_end) == (date(2026, 7, 29), date(2027, 7, 29))
    assert eks_133.support_on(TODAY) == "extended"
    assert catalog.kubernetes_version("azure", "1.30").lts_only
    assert catalog.kubernetes_version("gcp", "1.34").support_on(TODAY) == "unknown"  # extended end not dated
    assert catalog.kubernetes_version("aws", "1.36") is None  # no source dates it


def test_default_version_refuses_to_guess_beyond_the_sources(catalog):
    with pytest.raises(Exception, match="knows no aws Kubernetes version in standard support on 2030-01-01"):
        catalog.default_kubernetes_version("aws", date(2030, 1, 1))


def test_an_aks_version_past_community_support_is_lts_only_from_then_on(catalog):
    assert not catalog.kubernetes_version("azure", "1.34", date(2026, 11, 30)).lts_only
    assert catalog.kubernetes_version("azure", "1.34", date(2026, 12, 1)).lts_only
    assert catalog.kubernetes_version("azure", "1.29", date(2024, 6, 1)).lts_only  # listed only as LTS
    assert not catalog.kubernetes_version("aws", "1.33", TODAY).lts_only  # EKS has extended support, not LTS


def test_a_catalog_without_version_data_has_no_versions():
    assert Catalog(offerings=()).kubernetes_versions("azure") == ()
