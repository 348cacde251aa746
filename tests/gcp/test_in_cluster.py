"""Inside the GKE cluster: only the aimodel namespace and one Workload Identity service account per
pool. GKE runs the NVIDIA device plugin and the autoscaler itself, so no chart is installed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aimodel_infra.testing import ResourceGraph

from .example_stack import run_document


def test_each_pool_runs_as_a_service_account_bound_to_its_google_account(graph: ResourceGraph) -> None:
    [namespace] = graph.of_type("kubernetes:core/v1:Namespace")
    assert namespace.inputs["metadata"]["name"] == "aimodel"
    accounts = {
        a.inputs["metadata"]["name"]: a.inputs["metadata"] for a in graph.of_type("kubernetes:core/v1:ServiceAccount")
    }
    assert set(accounts) == {"train", "infer"}
    assert accounts["train"]["namespace"] == "aimodel"
    assert accounts["train"]["annotations"] == {
        "iam.gke.io/gcp-service-account": "gcp-dev-train-wl@ml-platform-dev-4821.iam.gserviceaccount.com"
    }


def test_gke_brings_the_device_plugin_autoscaler_and_storage_class(graph: ResourceGraph) -> None:
    assert not graph.of_type("kubernetes:helm.sh/v3:Release")
    assert not graph.of_type("kubernetes:storage.k8s.io/v1:StorageClass")


def test_the_kubernetes_provider_uses_the_clusters_kubeconfig_as_a_secret(graph: ResourceGraph) -> None:
    provider = graph.one("pulumi:providers:kubernetes")
    assert "kubeconfig" in provider.secret_inputs
    assert "gke-gcloud-auth-plugin" in provider.inputs["kubeconfig"]
    system_pool = next(p for p in graph.of_type("gcp:container/nodePool:NodePool") if "system" in p.name)
    assert system_pool.urn in graph.one("kubernetes:core/v1:Namespace").dependencies


def test_turned_off_nothing_is_installed(document_variant: Callable[..., dict[str, Any]]) -> None:
    graph = run_document(document_variant(cluster={"in_cluster": {"enabled": False}}), preview=True)
    assert not [r for r in graph.resources if r.type.startswith(("kubernetes:", "pulumi:providers:kubernetes"))]
