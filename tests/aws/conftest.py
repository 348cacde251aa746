"""Fixtures shared by the AWS tests: the aws-dev stack's spec, its context, and spec variants."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from aimodel_infra.aws.context import AwsContext
from aimodel_infra.catalog import default_catalog
from aimodel_infra.spec.loader import environment_document, parse_environment, read_document
from aimodel_infra.spec.models import Environment
from aimodel_infra.testing.variants import merged

ROOT = Path(__file__).resolve().parents[2]
AWS_DEV_STACK = ROOT / "stacks" / "Pulumi.aws-dev.yaml"

Variant = Callable[..., Environment]


@pytest.fixture(scope="session")
def aws_document() -> dict[str, Any]:
    """The aws-dev stack's environment mapping, as `pulumi config` hands it to the program."""
    return environment_document(read_document(AWS_DEV_STACK), source=str(AWS_DEV_STACK))


@pytest.fixture(scope="session")
def aws_env(aws_document: dict[str, Any]) -> Environment:
    """The aws-dev stack's spec, validated exactly like the program validates it."""
    return parse_environment(aws_document, default_catalog(), source=str(AWS_DEV_STACK))


@pytest.fixture(scope="session")
def aws_context(aws_env: Environment) -> AwsContext:
    return AwsContext.for_environment(aws_env, default_catalog())


@pytest.fixture(scope="session")
def env_variant(aws_document: dict[str, Any]) -> Variant:
    """``env_variant(network={"nat": "none"})``: aws-dev with some fields changed, validated."""

    def variant(**changes: Any) -> Environment:
        return parse_environment(merged(aws_document, changes), default_catalog())

    return variant


@pytest.fixture(scope="session")
def context_for() -> Callable[[Environment], AwsContext]:
    def context(env: Environment) -> AwsContext:
        return AwsContext.for_environment(env, default_catalog())

    return context
