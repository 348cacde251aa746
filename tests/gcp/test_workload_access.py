"""Workload access: one service account per pool and group, Workload Identity for exactly
aimodel/<pool>, bucket-scoped roles only."""

from __future__ import annotations

from aimodel_infra.testing import ResourceGraph

from .example_stack import named

ACCOUNT = "gcp:serviceaccount/account:Account"
WI_BINDING = "gcp:serviceaccount/iAMMember:IAMMember"
BUCKET_GRANT = "gcp:storage/bucketIAMMember:BucketIAMMember"


def test_each_pool_and_group_has_its_own_service_account(graph: ResourceGraph) -> None:
    ids = sorted(a.inputs["accountId"] for a in graph.of_type(ACCOUNT))
    assert ids == ["gcp-dev-batch-wl", "gcp-dev-gke-nodes", "gcp-dev-infer-wl", "gcp-dev-train-wl"]
    assert all(6 <= len(i) <= 30 for i in ids)


def test_workload_identity_binds_exactly_the_pools_kubernetes_service_account(graph: ResourceGraph) -> None:
    bindings = {b.inputs["member"]: b for b in graph.of_type(WI_BINDING)}
    assert set(bindings) == {
        "serviceAccount:ml-platform-dev-4821.svc.id.goog[aimodel/train]",
        "serviceAccount:ml-platform-dev-4821.svc.id.goog[aimodel/infer]",
    }
    train = bindings["serviceAccount:ml-platform-dev-4821.svc.id.goog[aimodel/train]"]
    assert train.inputs["role"] == "roles/iam.workloadIdentityUser"
    assert train.inputs["serviceAccountId"] == named(graph, ACCOUNT, "train-access").outputs["name"]
    assert graph.one("gcp:container/cluster:Cluster").urn in train.dependencies


def test_bucket_grants_are_per_bucket_with_read_or_read_write_roles(graph: ResourceGraph) -> None:
    buckets = {r.outputs["name"]: r.name.removeprefix("gcp-dev-") for r in graph.of_type("gcp:storage/bucket:Bucket")}
    emails = {a.outputs["member"]: a.inputs["accountId"] for a in graph.of_type(ACCOUNT)}
    grants = {
        (emails[g.inputs["member"]], buckets[g.inputs["bucket"]], g.inputs["role"]) for g in graph.of_type(BUCKET_GRANT)
    }
    assert grants == {
        ("gcp-dev-train-wl", "checkpoints", "roles/storage.objectUser"),
        ("gcp-dev-train-wl", "models", "roles/storage.objectUser"),
        ("gcp-dev-infer-wl", "models", "roles/storage.objectViewer"),
        ("gcp-dev-batch-wl", "models", "roles/storage.objectViewer"),
    }


def test_no_project_wide_grant_but_the_node_roles(graph: ResourceGraph) -> None:
    roles = sorted(r.inputs["role"] for r in graph.of_type("gcp:projects/iAMMember:IAMMember"))
    assert roles == ["roles/artifactregistry.reader", "roles/container.defaultNodeServiceAccount"]
