"""GPU quota at maximum size: regional metric per GPU model (PREEMPTIBLE_ for spot), plus the global total."""

from __future__ import annotations

from aimodel_infra.gcp.quota import GpuDemand, quota_metric, quota_needs


def test_metric_names_follow_compute_engine() -> None:
    assert quota_metric("nvidia-h100-80gb", spot=False) == "NVIDIA_H100_GPUS"
    assert quota_metric("nvidia-h100-80gb", spot=True) == "PREEMPTIBLE_NVIDIA_H100_GPUS"
    assert quota_metric("nvidia-a100-80gb", spot=False) == "NVIDIA_A100_80GB_GPUS"
    assert quota_metric("nvidia-tesla-a100", spot=False) == "NVIDIA_A100_GPUS"
    assert quota_metric("nvidia-tesla-t4", spot=True) == "PREEMPTIBLE_NVIDIA_T4_GPUS"
    assert quota_metric("nvidia-l4", spot=False) == "NVIDIA_L4_GPUS"


def test_needs_sum_max_nodes_times_gpus_per_metric_and_globally() -> None:
    needs = quota_needs(
        [
            GpuDemand("train-spot", "us-central1", "nvidia-h100-80gb", 8, 2, spot=True),
            GpuDemand("train-on-demand", "us-central1", "nvidia-h100-80gb", 8, 2, spot=False),
            GpuDemand("eval", "us-central1", "nvidia-h100-80gb", 8, 1, spot=False),
            GpuDemand("idle", "us-central1", "nvidia-l4", 1, 0, spot=False),
        ]
    )
    assert [(n.metric, n.region, n.gpus) for n in needs] == [
        ("NVIDIA_H100_GPUS", "us-central1", 24),
        ("PREEMPTIBLE_NVIDIA_H100_GPUS", "us-central1", 16),
        ("GPUS_ALL_REGIONS", "global", 40),
    ]
