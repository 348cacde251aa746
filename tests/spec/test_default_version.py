"""An unset cluster.kubernetes_version is the chosen cloud's newest version in standard support."""

from __future__ import annotations

from datetime import date

import pytest

from aimodel_infra.catalog import default_catalog
from aimodel_infra.spec.loader import with_default_kubernetes_version
from aimodel_infra.spec.models import Environment

TODAY = date(2026, 12, 1)
HOME = {"aws": "us-east-1", "gcp": "us-central1", "azure": "eastus"}


def unpinned(cloud: str) -> Environment:
    return Environment.model_validate({"name": "ver", "cloud": cloud, "region": HOME[cloud]})


def test_the_spec_leaves_the_version_to_the_cloud_unless_the_user_pins_it() -> None:
    assert unpinned("aws").cluster.kubernetes_version is None


@pytest.mark.parametrize("cloud,expected", [("aws", "1.35"), ("gcp", "1.35"), ("azure", "1.37")])
def test_each_cloud_gets_its_own_default_in_standard_support(cloud: str, expected: str) -> None:
    catalog = default_catalog()
    env = with_default_kubernetes_version(unpinned(cloud), catalog, TODAY)
    version = env.cluster.kubernetes_version
    assert version == expected  # from data/kubernetes_versions.csv and its sources (SOURCES.md)
    record = catalog.kubernetes_version(cloud, version, TODAY)
    assert record is not None and record.support_on(TODAY) == "standard"
    assert not record.lts_only


def test_a_pinned_version_is_kept() -> None:
    env = unpinned("aws")
    pinned = env.model_copy(update={"cluster": env.cluster.model_copy(update={"kubernetes_version": "1.34"})})
    assert with_default_kubernetes_version(pinned, default_catalog(), TODAY).cluster.kubernetes_version == "1.34"
