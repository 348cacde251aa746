"""candidate_types: one rule for every cloud's "same-shape" instance types."""

from __future__ import annotations

from aimodel_infra.catalog import Catalog, Offering
from aimodel_infra.plan.candidates import candidate_types


def offering(
    instance_type: str, accelerator: str | None, count: int, vcpus: float, memory: float, price: float
) -> Offering:
    return Offering("aws", "us-east-1", instance_type, accelerator, count, 24.0, vcpus, memory, price, price / 3, "t")


CHOSEN = offering("g5.xlarge", "A10G", 1, 4, 16, 1.0)
CATALOG = Catalog(
    offerings=(
        CHOSEN,
        offering("g5x.xlarge", "A10G", 1, 4, 16, 1.1),  # same GPU, vCPUs and memory: a look-alike
        offering("g5.2xlarge", "A10G", 1, 8, 32, 1.2),  # same GPU, more host: priced and scheduled differently
        offering("g5m.xlarge", "A10G", 1, 4, 32, 1.15),  # same GPU and vCPUs, more memory
        offering("g5.12xlarge", "A10G", 4, 48, 192, 5.7),  # other GPU count
        offering("g6.xlarge", "L4", 1, 4, 16, 0.8),  # other GPU, same host
    )
)


def test_only_exact_look_alikes_join_the_chosen_type_which_stays_first() -> None:
    assert candidate_types(CHOSEN, CATALOG, pinned=False) == ("g5.xlarge", "g5x.xlarge")


def test_a_pinned_type_stays_alone() -> None:
    assert candidate_types(CHOSEN, CATALOG, pinned=True) == ("g5.xlarge",)


def test_a_cpu_type_stays_alone() -> None:
    cpu = offering("m6i.large", None, 0, 2, 8, 0.096)
    assert candidate_types(
        cpu, Catalog(offerings=(cpu, offering("m6a.large", None, 0, 2, 8, 0.086))), pinned=False
    ) == ("m6i.large",)
