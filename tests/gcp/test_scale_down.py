"""Idle GPU nodes on GKE go back to min_nodes: the autoscaler optimizes for utilization, and only the
declared pools scale (no node auto-provisioning)."""

from __future__ import annotations

from aimodel_infra.preview import record_environment
from aimodel_infra.spec import load_spec


def test_the_cluster_autoscaler_optimizes_utilization_without_auto_provisioning() -> None:
    cluster = record_environment(load_spec("gcp-dev")).one("gcp:container/cluster:Cluster")
    autoscaling = cluster.inputs["clusterAutoscaling"]
    assert autoscaling["autoscalingProfile"] == "OPTIMIZE_UTILIZATION"
    assert not autoscaling.get("enabled")
