"""Fixtures shared by the Azure tests: the azure-dev spec, its recorded graph, and spec variants."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from aimodel_infra.catalog import Catalog, default_catalog
from aimodel_infra.spec.loader import parse_environment
from aimodel_infra.spec.models import Environment
from aimodel_infra.testing import ResourceGraph
from aimodel_infra.testing.variants import merged

from .example_stack import mocks_run, run_document, stack_document

Variant = Callable[..., Environment]


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return default_catalog()


@pytest.fixture(scope="session")
def azure_document() -> dict[str, Any]:
    return stack_document()


@pytest.fixture(scope="session")
def azure_env(azure_document: dict[str, Any], catalog: Catalog) -> Environment:
    return parse_environment(azure_document, catalog)


@pytest.fixture(scope="session")
def document_variant(azure_document: dict[str, Any]) -> Callable[..., dict[str, Any]]:
    """``document_variant(network={"nat": "none"})``: the azure-dev mapping with some fields changed."""
    return lambda **changes: merged(azure_document, changes)


@pytest.fixture(scope="session")
def env_variant(document_variant: Callable[..., dict[str, Any]], catalog: Catalog) -> Variant:
    """azure-dev with some fields changed, validated by the structural checks only (no cloud rules)."""
    return lambda **changes: Environment.model_validate(document_variant(**changes))


@pytest.fixture(scope="session")
def dev() -> ResourceGraph:
    return mocks_run()


@pytest.fixture(scope="session")
def graph_of() -> Callable[[dict[str, Any]], ResourceGraph]:
    return run_document
