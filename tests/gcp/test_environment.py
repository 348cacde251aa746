"""The whole gcp-dev program: one provider from the spec, APIs first, every export, secrets kept secret."""

from __future__ import annotations

import json

from aimodel_infra.cloud import EXPORT_KEYS
from aimodel_infra.testing import ResourceGraph

PROVIDER = "pulumi:providers:gcp"


def test_every_neutral_export_is_filled_and_the_kubeconfig_is_secret(graph: ResourceGraph) -> None:
    outputs = graph.stack_outputs
    assert set(EXPORT_KEYS) <= set(outputs)
    assert "kubeconfig" in graph.secret_outputs
    assert outputs["node_pool_names"]["train"][0].startswith("gcp-dev-train-spot-")
    assert len(outputs["node_pool_names"]["train"]) == 2
    assert outputs["bucket_uris"]["models"] == f"gs://{outputs['bucket_names']['models']}"
    assert outputs["workload_identities"]["train"] == "gcp-dev-train-wl@ml-platform-dev-4821.iam.gserviceaccount.com"
    assert outputs["workload_service_accounts"] == {"train": "aimodel/train", "infer": "aimodel/infer"}
    assert outputs["project"] == "ml-platform-dev-4821"


def test_the_provider_builds_in_the_specs_project_and_region_with_its_labels(graph: ResourceGraph) -> None:
    provider = graph.one(PROVIDER, "gcp-dev-gcp")
    assert provider.inputs["project"] == "ml-platform-dev-4821"
    assert provider.inputs["region"] == "us-central1"
    # The Billing Budgets API needs a quota project with user credentials.
    assert provider.inputs["billingProject"] == "ml-platform-dev-4821"
    assert provider.inputs["userProjectOverride"] in (True, "true")
    labels = json.loads(provider.inputs["defaultLabels"])  # providers take maps as JSON
    assert labels == {"team": "ml-platform", "aimodel-environment": "gcp-dev", "managed-by": "aimodel-infra"}


def test_every_gcp_resource_but_the_api_switches_uses_the_environment_provider(graph: ResourceGraph) -> None:
    main = graph.one(PROVIDER, "gcp-dev-gcp")
    services = graph.one(PROVIDER, "gcp-dev-gcp-services")
    for r in graph.resources:
        if not r.custom or not r.type.startswith("gcp:"):
            continue
        expected = services if r.type == "gcp:projects/service:Service" else main
        assert r.provider and r.provider.startswith(expected.urn), r


def test_the_apis_are_enabled_first_and_never_disabled_on_destroy(graph: ResourceGraph) -> None:
    services = graph.of_type("gcp:projects/service:Service")
    apis = {s.inputs["service"] for s in services}
    assert {
        "compute.googleapis.com",
        "container.googleapis.com",
        "cloudkms.googleapis.com",
        "billingbudgets.googleapis.com",
        "monitoring.googleapis.com",
        "iam.googleapis.com",
        "storage.googleapis.com",
        "cloudresourcemanager.googleapis.com",
    } <= apis
    assert all(s.inputs["disableOnDestroy"] is False for s in services)
    provider = graph.one(PROVIDER, "gcp-dev-gcp")
    assert {s.urn for s in services} <= set(provider.dependencies)


def test_every_resource_is_inside_the_environment_component(graph: ResourceGraph) -> None:
    root = graph.one("aimodel:gcp:Environment")
    inside = {r.urn for r in graph.descendants(root)}
    assert {r.urn for r in graph.resources if r is not root} == inside


def test_a_preview_without_outputs_still_registers_the_same_resources(
    graph: ResourceGraph, preview_graph: ResourceGraph
) -> None:
    assert sorted((r.type, r.name) for r in preview_graph.resources) == sorted(
        (r.type, r.name) for r in graph.resources
    )
