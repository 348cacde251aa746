"""Every input the builder records, nested ones included, is a field pulumi-gcp 10 knows.

Top-level arguments are checked by the SDK itself (an unknown keyword raises). Nested blocks are
plain dicts, which Pulumi sends as they are: a misspelt key there (``gcpPublicCidrAccessEnabled``)
would only fail at ``pulumi up``, or be dropped silently. This walks each recorded input against
the SDK's own ``...Args`` classes, read from their signatures.
"""

from __future__ import annotations

import importlib
import inspect
import re
from typing import Any

import pytest

from aimodel_infra.testing import RecordedResource, ResourceGraph

ARGS_CLASS = re.compile(r"ForwardRef\('(\w+Args)'\)")
CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def snake(key: str) -> str:
    return CAMEL.sub("_", key).lower()


def resource_class(type_: str) -> Any:
    """``gcp:container/nodePool:NodePool`` -> pulumi_gcp.container.NodePool."""
    module = type_.split(":")[1].split("/")[0]
    return getattr(importlib.import_module(f"pulumi_gcp.{module}"), type_.rsplit(":", 1)[1])


def parameters(function: Any) -> dict[str, inspect.Parameter]:
    return dict(inspect.signature(function).parameters)


def unknown_fields(value: Any, annotation: Any, inputs_module: Any, where: str) -> list[str]:
    """Keys of ``value`` (recursively) that the Args class named in ``annotation`` does not take."""
    found = ARGS_CLASS.search(repr(annotation))
    if found is None:
        return []  # a scalar, a map (labels, metadata) or an untyped value
    args_class = getattr(inputs_module, found.group(1))
    fields = parameters(args_class.__init__)
    items = value if isinstance(value, list) else [value]
    problems = []
    for item in items:
        if not isinstance(item, dict):
            continue
        for key, nested in item.items():
            name = snake(key)
            if name not in fields:
                problems.append(f"{where}.{key} (no {found.group(1)}.{name})")
                continue
            problems += unknown_fields(nested, fields[name].annotation, inputs_module, f"{where}.{key}")
    return problems


def sdk_problems(resource: RecordedResource) -> list[str]:
    cls = resource_class(resource.type)
    inputs_module = importlib.import_module(f"{cls.__module__.rsplit('.', 1)[0]}._inputs")
    fields = parameters(cls._internal_init)
    problems = []
    for key, value in resource.inputs.items():
        name = snake(key)
        if name not in fields:
            problems.append(f"{key} (no {cls.__name__} argument {name})")
            continue
        problems += unknown_fields(value, fields[name].annotation, inputs_module, key)
    return problems


def test_the_walk_finds_a_misspelt_nested_key(graph: ResourceGraph) -> None:
    cluster = graph.one("gcp:container/cluster:Cluster")
    broken = {**cluster.inputs["masterAuthorizedNetworksConfig"], "gcpPublicCidrAccessEnabled": False}
    wrong = type(cluster)(
        **{**cluster.__dict__, "inputs": {**cluster.inputs, "masterAuthorizedNetworksConfig": broken}}
    )
    assert sdk_problems(wrong) == [
        "masterAuthorizedNetworksConfig.gcpPublicCidrAccessEnabled "
        "(no ClusterMasterAuthorizedNetworksConfigArgs.gcp_public_cidr_access_enabled)"
    ]


@pytest.mark.parametrize(
    "type_",
    [
        "gcp:container/cluster:Cluster",
        "gcp:container/nodePool:NodePool",
        "gcp:compute/subnetwork:Subnetwork",
        "gcp:compute/routerNat:RouterNat",
        "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate",
        "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
        "gcp:compute/regionAutoscaler:RegionAutoscaler",
        "gcp:storage/bucket:Bucket",
        "gcp:billing/budget:Budget",
        "gcp:kms/cryptoKey:CryptoKey",
    ],
)
def test_every_nested_input_is_a_field_of_the_sdk(graph: ResourceGraph, type_: str) -> None:
    recorded = graph.of_type(type_)
    assert recorded
    for resource in recorded:
        assert sdk_problems(resource) == [], resource.name


def test_every_recorded_gcp_resource_passes_the_walk(graph: ResourceGraph) -> None:
    resources = [r for r in graph.resources if r.custom and r.type.startswith("gcp:")]
    assert len({r.type for r in resources}) >= 20
    assert {r.name: sdk_problems(r) for r in resources if sdk_problems(r)} == {}
