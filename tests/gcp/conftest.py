"""Fixtures shared by the GCP tests: the gcp-dev stack's spec and graph, and spec variants."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from aimodel_infra.catalog import default_catalog
from aimodel_infra.spec.loader import parse_environment
from aimodel_infra.spec.models import Environment
from aimodel_infra.testing import ResourceGraph
from aimodel_infra.testing.variants import merged

from .example_stack import mocks_run, stack_document

Variant = Callable[..., Environment]


@pytest.fixture(scope="session")
def gcp_document() -> dict[str, Any]:
    return stack_document()


@pytest.fixture(scope="session")
def gcp_env(gcp_document: dict[str, Any]) -> Environment:
    return parse_environment(gcp_document, default_catalog())


@pytest.fixture(scope="session")
def graph() -> ResourceGraph:
    """gcp-dev as `pulumi up` would register it (outputs resolved)."""
    return mocks_run(preview=False)


@pytest.fixture(scope="session")
def preview_graph() -> ResourceGraph:
    """gcp-dev as `pulumi preview` would register it (computed outputs unknown)."""
    return mocks_run(preview=True)


@pytest.fixture(scope="session")
def document_variant(gcp_document: dict[str, Any]) -> Callable[..., dict[str, Any]]:
    """``document_variant(network={"nat": "none"})``: the gcp-dev mapping with fields changed."""
    return lambda **changes: merged(gcp_document, changes)


@pytest.fixture(scope="session")
def env_variant(document_variant: Callable[..., dict[str, Any]]) -> Variant:
    return lambda **changes: parse_environment(document_variant(**changes), default_catalog())
