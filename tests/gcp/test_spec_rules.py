"""What GCP refuses in an otherwise valid spec, reported by field path before anything is built."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from aimodel_infra.catalog import Catalog, default_catalog
from aimodel_infra.errors import Problem, SpecError
from aimodel_infra.gcp.catalog_data import cluster_version
from aimodel_infra.gcp.spec_rules import gcp_problems, version_problems
from aimodel_infra.spec.cloud_settings import GkeReleaseChannel
from aimodel_infra.spec.loader import parse_environment
from aimodel_infra.spec.models import Environment

from .conftest import Variant
from .example_stack import machine


def problems_of(document: dict[str, Any], catalog: Catalog | None = None) -> list[Problem]:
    with pytest.raises(SpecError) as caught:
        parse_environment(document, catalog or default_catalog())
    return caught.value.problems


def paths(found: list[Problem]) -> list[str]:
    return [p.path for p in found]


def test_the_example_stack_has_no_gcp_problem(gcp_env: Environment) -> None:
    assert gcp_problems(gcp_env, default_catalog()) == []


def test_a_missing_project_is_named(document_variant) -> None:
    document = document_variant()
    del document["gcp"]
    [problem] = problems_of(document)
    assert problem.path == "gcp.project"
    assert "project" in problem.message


def test_a_budget_without_billing_account_is_named(document_variant) -> None:
    [problem] = problems_of(document_variant(gcp={"billing_account": None}))
    assert problem.path == "gcp.billing_account"
    assert "XXXXXX-XXXXXX-XXXXXX" in problem.message


def test_a_malformed_billing_account_is_refused_by_the_model(document_variant) -> None:
    assert "gcp.billing_account" in paths(problems_of(document_variant(gcp={"billing_account": "12345"})))


def test_gke_reserved_label_prefixes_are_refused(document_variant) -> None:
    document = document_variant()
    document["node_pools"][0]["labels"] = {"kubernetes.io/role": "x", "node.k8s.io/x": "y", "team.io/ok": "z"}
    found = problems_of(document)
    assert paths(found) == ["node_pools[0].labels", "node_pools[0].labels"]
    assert "'kubernetes.io/role'" in found[0].message


@pytest.mark.parametrize("field", ["cidr", "pod_cidr", "service_cidr"])
def test_a_control_plane_block_overlapping_a_network_range_is_refused(document_variant, field: str) -> None:
    block = {"cidr": "10.10.0.0/16", "pod_cidr": "10.244.0.0/16", "service_cidr": "172.20.0.0/16"}[field]
    first = block.split("/")[0]
    [problem] = problems_of(document_variant(gcp={"control_plane_cidr": f"{first}/28"}))
    assert problem.path == "gcp.control_plane_cidr"
    assert f"overlaps network.{field} {block}" in problem.message


def test_the_control_plane_block_must_be_a_28(document_variant) -> None:
    assert "gcp.control_plane_cidr" in paths(problems_of(document_variant(gcp={"control_plane_cidr": "172.16.0.0/24"})))


def test_more_than_five_budget_emails_is_refused(document_variant) -> None:
    emails = [f"p{i}@example.com" for i in range(6)]
    [problem] = problems_of(document_variant(budget={"alert_emails": emails}))
    assert problem.path == "budget.alert_emails"
    assert "at most 5" in problem.message


def test_a_region_whose_zones_lack_the_machine_is_refused(gcp_document) -> None:
    catalog = default_catalog()

    @dataclass(frozen=True)
    class NoH100Zones:
        inner: Catalog

        def __getattr__(self, name: str) -> Any:
            return getattr(self.inner, name)

        def zones_offering(self, cloud: str, region: str, instance_type: str, **_: Any) -> tuple[str, ...] | None:
            return () if instance_type == machine("H100", 8) else ("a", "b", "c")

    env = parse_environment(gcp_document, catalog)
    found = gcp_problems(env, NoH100Zones(catalog))  # type: ignore[arg-type]
    assert [(p.path, p.message) for p in found] == [
        ("node_pools[0].instance_type", f"no zone of us-central1 offers {machine('H100', 8)}; choose another region")
    ]


@dataclass(frozen=True)
class Version:
    version: str
    standard_support_end: date | None
    extended_support_end: date | None


class VersionCatalog:
    """A catalog answering the Kubernetes version questions the way the catalog's version data will."""

    def __init__(self, *versions: Version) -> None:
        self.versions = {v.version: v for v in versions}

    def kubernetes_versions(self, cloud: str) -> list[Version]:
        return list(self.versions.values())

    def kubernetes_version(self, cloud: str, version: str) -> Version | None:
        return self.versions.get(version)


def at_133(env_variant: Variant, **gcp: Any) -> Environment:
    """gcp-dev on Kubernetes 1.33, built without the catalog's own version check (these tests bring theirs)."""
    env = env_variant()
    assert env.cluster is not None and env.gcp is not None
    cluster = env.cluster.model_copy(update={"kubernetes_version": "1.33"})
    return env.model_copy(update={"cluster": cluster, "gcp": env.gcp.model_copy(update=gcp)})


def test_without_version_data_nothing_is_decided_offline(gcp_env: Environment) -> None:
    assert version_problems(gcp_env, default_catalog()) == []


def test_a_version_gke_does_not_list_is_refused_with_the_offered_ones(env_variant: Variant) -> None:
    catalog = VersionCatalog(Version("1.34", date(2027, 8, 1), date(2028, 8, 1)))
    [problem] = version_problems(at_133(env_variant), catalog, on=date(2026, 12, 1))  # type: ignore[arg-type]
    assert (problem.path, problem.message) == (
        "cluster.kubernetes_version",
        "Kubernetes 1.33 is not among the GKE versions the catalog lists (1.34); use one",
    )


def test_a_version_past_standard_support_needs_the_extended_channel(env_variant: Variant) -> None:
    catalog = VersionCatalog(Version("1.33", date(2026, 10, 1), date(2027, 6, 1)))
    [problem] = version_problems(at_133(env_variant), catalog, on=date(2026, 12, 1))  # type: ignore[arg-type]
    assert "standard support for 1.33 ended on 2026-10-01" in problem.message
    assert "gcp.release_channel: EXTENDED" in problem.message
    extended = at_133(env_variant, release_channel=GkeReleaseChannel.EXTENDED)
    assert version_problems(extended, catalog, on=date(2026, 12, 1)) == []  # type: ignore[arg-type]
    assert version_problems(extended, catalog, on=date(2027, 7, 1)) != []  # type: ignore[arg-type]


def test_on_the_extended_channel_each_refusal_says_which_support_ended_or_what_is_unknown(env_variant) -> None:
    extended = at_133(env_variant, release_channel=GkeReleaseChannel.EXTENDED)
    dated = VersionCatalog(Version("1.33", date(2026, 10, 1), date(2027, 6, 1)))
    [ended] = version_problems(extended, dated, on=date(2027, 7, 1))  # type: ignore[arg-type]
    assert ended.message == "GKE extended support for 1.33 ended on 2027-06-01; use a newer version"
    undated = VersionCatalog(Version("1.33", date(2026, 10, 1), None))
    [unknown] = version_problems(extended, undated, on=date(2026, 12, 1))  # type: ignore[arg-type]
    assert "standard support for 1.33 ended on 2026-10-01" in unknown.message
    assert "no end date for its Extended-channel support" in unknown.message


def test_without_a_version_in_the_spec_the_catalogs_default_is_built(env_variant: Variant) -> None:
    class WithDefault(VersionCatalog):
        def default_kubernetes_version(self, cloud: str, today: date) -> str:
            return "1.35"

    env = env_variant()
    assert env.cluster is not None
    unset = env.model_copy(update={"cluster": env.cluster.model_copy(update={"kubernetes_version": None})})
    catalog = WithDefault(Version("1.35", date(2027, 4, 11), None))
    assert cluster_version(unset, catalog) == "1.35"  # type: ignore[arg-type]
    assert cluster_version(unset, default_catalog()) in (None, "1.35")
    assert cluster_version(env, catalog) == env.cluster.kubernetes_version  # type: ignore[arg-type]
