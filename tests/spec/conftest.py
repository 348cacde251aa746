"""Fixtures of the spec tests: a tiny catalog whose facts the tests can name, and documents to vary.

The tiny catalog keeps the rule tests independent of the bundled prices (which change weekly);
the example stacks and the property tests use the bundled catalog, as users do.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from aimodel_infra.catalog import Catalog, Offering, load_catalog
from aimodel_infra.errors import Problem, SpecError
from aimodel_infra.spec import CONFIG_KEY, Environment, parse_environment

REPO_ROOT = Path(__file__).resolve().parents[2]
STACKS_DIR = REPO_ROOT / "stacks"

#: The region each cloud's base document uses; every one offers 8 x H100 in the tiny catalog.
HOME_REGION = {"aws": "us-east-1", "gcp": "us-central1", "azure": "eastus"}


def _offering(
    cloud: str, region: str, instance_type: str, accelerator: str | None, count: int, price: float
) -> Offering:
    return Offering(
        cloud=cloud,
        region=region,
        instance_type=instance_type,
        accelerator=accelerator,
        accelerator_count=count,
        accelerator_memory_gib=80.0 if accelerator else 0.0,
        vcpus=8.0,
        memory_gib=32.0,
        price_per_hour=price,
        spot_price_per_hour=None,
        source="test",
    )


TINY_OFFERINGS = (
    _offering("aws", "us-east-1", "p5.48xlarge", "H100", 8, 98.0),
    _offering("aws", "us-east-1", "g6.xlarge", "L4", 1, 0.8),
    _offering("aws", "us-east-1", "m6i.large", None, 0, 0.1),
    _offering("aws", "us-west-2", "p5.48xlarge", "H100", 8, 98.0),
    _offering("aws", "us-west-2", "g5.xlarge", "A10G", 1, 1.0),
    _offering("aws", "eu-west-1", "g5.xlarge", "A10G", 1, 1.1),
    _offering("gcp", "us-central1", "a3-highgpu-8g", "H100", 8, 43.0),
    _offering("gcp", "us-central1", "g2-standard-8", "L4", 1, 0.85),
    _offering("azure", "eastus", "Standard_ND96isr_H100_v5", "H100", 8, 98.0),
    _offering("azure", "eastus", "Standard_NC4as_T4_v3", "T4", 1, 0.5),
    _offering("azure", "northcentralus", "Standard_NC4as_T4_v3", "T4", 1, 0.5),
)
TINY_ZONES = {
    ("aws", "us-east-1"): ("a", "b", "c", "d", "e", "f"),
    ("aws", "us-west-2"): ("a", "b", "c", "d"),
    ("aws", "eu-west-1"): ("a", "b", "c"),
    ("aws", "us-west-1"): ("a", "b"),
    ("gcp", "us-central1"): ("a", "b", "c", "f"),
    ("azure", "eastus"): ("1", "2", "3"),
    ("azure", "northcentralus"): (),
}


@pytest.fixture(scope="session")
def tiny_catalog() -> Catalog:
    return Catalog(offerings=TINY_OFFERINGS, zones=TINY_ZONES, source="tests")


@pytest.fixture(scope="session")
def bundled_catalog() -> Catalog:
    """The package's own data, read without $AIMODEL_INFRA_CATALOG so a developer's override cannot leak in."""
    return load_catalog()


AZURE_SUBSCRIPTION = "8f3c2a1e-5b7d-4c9e-a2f1-6d4b8e0c7a35"
AZURE_SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLEKEYONLYFORTESTS ml@example.com"


@pytest.fixture(scope="session")
def make_doc() -> Callable[..., dict[str, Any]]:
    """A fresh, valid environment mapping for a cloud, with top-level fields replaced by ``overrides``."""

    def build(cloud: str = "aws", **overrides: Any) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "name": "ml-dev",
            "cloud": cloud,
            "region": HOME_REGION[cloud],
            "node_pools": [{"name": "train", "accelerator": "H100", "accelerator_count": 8, "max_nodes": 2}],
        }
        if cloud == "azure":  # Azure needs its subscription (and an SSH key for VM groups); AKS offers
            # the spec's default 1.33 only under LTS (Premium tier), so pin a standard-support version.
            doc["azure"] = {"subscription_id": AZURE_SUBSCRIPTION, "ssh_public_key": AZURE_SSH_KEY}
            doc["cluster"] = {"kubernetes_version": "1.35"}
        if cloud == "gcp":  # GCP builds in a project only the user can name
            doc["gcp"] = {"project": "ml-dev-project"}
        doc.update(copy.deepcopy(overrides))
        return doc

    return build


@pytest.fixture(scope="session")
def parse(tiny_catalog: Catalog) -> Callable[[Any], Environment]:
    return lambda doc: parse_environment(doc, tiny_catalog)


@pytest.fixture(scope="session")
def problems(tiny_catalog: Catalog) -> Callable[[Any], list[Problem]]:
    """Every problem of a document that must be invalid (the test fails if it parses)."""

    def collect(doc: Any) -> list[Problem]:
        with pytest.raises(SpecError) as caught:
            parse_environment(doc, tiny_catalog)
        return caught.value.problems

    return collect


@pytest.fixture(scope="session")
def problem_at(problems: Callable[[Any], list[Problem]]) -> Callable[[Any, str], str]:
    """The message of the one problem reported at ``path``; fails when there is none or several."""

    def message(doc: Any, path: str) -> str:
        found = problems(doc)
        at_path = [p.message for p in found if p.path == path]
        assert len(at_path) == 1, f"expected one problem at {path!r}, got {[str(p) for p in found]}"
        return at_path[0]

    return message


@pytest.fixture(scope="session")
def stack_doc() -> Callable[[str], dict[str, Any]]:
    """A fresh copy of the environment mapping in ``stacks/Pulumi.<name>.yaml``."""
    documents = {
        path.name.removeprefix("Pulumi.").removesuffix(".yaml"): yaml.safe_load(path.read_text())["config"][CONFIG_KEY]
        for path in STACKS_DIR.glob("Pulumi.*.yaml")
    }
    return lambda name: copy.deepcopy(documents[name])
