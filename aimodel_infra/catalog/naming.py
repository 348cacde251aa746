"""Per-cloud names for the same thing, kept in one place so builders never spell them twice.

Sources:
- GCP accelerator types: "GPU platforms" and "Create a GKE node pool with GPUs"
  (cloud.google.com/compute/docs/gpus, cloud.google.com/kubernetes-engine/docs/how-to/gpus).
"""

from __future__ import annotations

from typing import Final

#: The accelerator vocabulary: every canonical GPU name, newest first, with its memory per GPU (GiB) from
#: NVIDIA's datasheets (B200 as GCP reports it, 184320 MiB). Used where a source gives no memory (Azure).
#: H100-MEGA is GCP's name for the H100 of a3-megagpu-8g (same GPU, more GPU-to-GPU network bandwidth).
ACCELERATOR_MEMORY_GIB: Final[dict[str, float]] = {
    "B200": 180,
    "H200": 141,
    "H100-MEGA": 80,
    "H100": 80,
    "A100-80GB": 80,
    "A100": 40,
    "L40S": 48,
    "L4": 24,
    "A10G": 24,
    "A10": 24,
    "T4": 16,
}
ACCELERATORS: Final[tuple[str, ...]] = tuple(ACCELERATOR_MEMORY_GIB)

#: Canonical accelerator name -> GCP `acceleratorType` (GKE `guest_accelerator.type`).
#: A10G (AWS only), A10 (Azure only) and L40S (not on GCP in the data) have no GCP name.
GCP_ACCELERATOR_TYPES: Final[dict[str, str]] = {
    "B200": "nvidia-b200",
    "H200": "nvidia-h200-141gb",
    "H100-MEGA": "nvidia-h100-mega-80gb",
    "H100": "nvidia-h100-80gb",
    "A100": "nvidia-tesla-a100",
    "A100-80GB": "nvidia-a100-80gb",
    "L4": "nvidia-l4",
    "T4": "nvidia-tesla-t4",
}

#: Names users type for an accelerator, mapped to the catalog's canonical name.
ACCELERATOR_ALIASES: Final[dict[str, str]] = {
    "A100-40GB": "A100",
    "A100-40G": "A100",
    "A100-80G": "A100-80GB",
    "H100-80GB": "H100",
    "H100-SXM": "H100",
    "H200-141GB": "H200",
    "H100-MEGA-80GB": "H100-MEGA",
    "L40-S": "L40S",
    **{gcp_name.upper(): canonical for canonical, gcp_name in GCP_ACCELERATOR_TYPES.items()},
}


def gcp_accelerator_type(accelerator: str) -> str:
    """GCP's name for a canonical accelerator; KeyError names the ones GCP offers."""
    try:
        return GCP_ACCELERATOR_TYPES[accelerator]
    except KeyError:
        offered = ", ".join(sorted(GCP_ACCELERATOR_TYPES))
        raise KeyError(f"{accelerator} has no GCP accelerator type; GCP offers {offered}") from None
