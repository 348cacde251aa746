"""AzureEnvironment: the whole azure-dev program under one explicit provider, its outputs, tags and keys."""

from __future__ import annotations

import re

import pytest

from aimodel_infra.azure.policy import TAGGABLE_TYPES
from aimodel_infra.azure.replacements import REPLACED_ON_CHANGE
from aimodel_infra.cloud import EXPORT_KEYS
from aimodel_infra.conventions import environment_tags
from aimodel_infra.spec.models import Environment
from aimodel_infra.testing import ResourceGraph

from .example_stack import SUBSCRIPTION, mocks_run
from .view import ACCOUNT, CLUSTER, one

PROVIDER = "pulumi:providers:azure-native"
COMPONENTS = {
    "aimodel:azure:Environment": 1,
    "aimodel:azure:Network": 1,
    "aimodel:azure:KeyVault": 1,
    "aimodel:azure:Cluster": 1,
    "aimodel:azure:GpuNodePool": 2,
    "aimodel:azure:Bucket": 2,
    "aimodel:azure:WorkloadAccess": 2,
    "aimodel:azure:Budget": 1,
    "aimodel:azure:InCluster": 1,
}


def test_one_explicit_provider_pins_the_spec_subscription_and_region(dev: ResourceGraph) -> None:
    (provider,) = dev.of_type(PROVIDER)
    assert (provider.inputs["subscriptionId"], provider.inputs["location"]) == (SUBSCRIPTION, "eastus")
    azure = [r for r in dev.resources if r.type.startswith("azure-native:")]
    assert azure and all(r.provider and r.provider.startswith(provider.urn) for r in azure)


def test_components_carry_azure_type_tokens(dev: ResourceGraph) -> None:
    counts = {token: len(dev.of_type(token)) for token in COMPONENTS}
    assert counts == COMPONENTS


def test_every_resource_is_in_the_environments_region(dev: ResourceGraph) -> None:
    located = [r for r in dev.resources if "location" in r.inputs]
    assert located and {r.inputs["location"] for r in located} == {"eastus"}


def test_every_taggable_resource_carries_the_environment_tags(dev: ResourceGraph, azure_env: Environment) -> None:
    expected = environment_tags(azure_env)
    taggable = [r for r in dev.resources if r.type in TAGGABLE_TYPES]
    assert taggable
    for r in taggable:
        assert expected.items() <= r.inputs["tags"].items(), r


def test_every_recorded_type_with_tags_is_in_the_taggable_set(dev: ResourceGraph) -> None:
    tagged = {r.type for r in dev.resources if r.custom and "tags" in r.inputs}
    assert tagged <= TAGGABLE_TYPES


def test_every_replacement_key_type_is_one_the_example_creates(dev: ResourceGraph) -> None:
    assert set(REPLACED_ON_CHANGE) <= {r.type for r in dev.resources}


def test_exports_carry_every_neutral_key_and_the_kubeconfig_is_secret(dev: ResourceGraph) -> None:
    outputs = dev.stack_outputs
    assert set(EXPORT_KEYS) <= set(outputs)
    assert "kubeconfig" in dev.secret_outputs
    assert outputs["node_pool_names"] == {"train": ["trainspot", "trainreg"], "infer": ["inferreg"]}
    assert outputs["bucket_names"] == {"checkpoints": "checkpoints", "models": "models"}
    assert outputs["cluster_name"] == one(dev, CLUSTER).outputs["name"]
    assert outputs["cluster_endpoint"].endswith(".privatelink.eastus.azmk8s.io")


def test_bucket_uris_are_blob_endpoints_of_the_account_and_container(dev: ResourceGraph) -> None:
    for bucket, uri in dev.stack_outputs["bucket_uris"].items():
        account = one(dev, ACCOUNT, f"azure-dev-{bucket}-account").inputs["accountName"]
        assert uri == f"https://{account}.blob.core.windows.net/{bucket}"
        assert re.fullmatch(r"https://[a-z0-9]{3,24}\.blob\.core\.windows\.net/[a-z0-9-]{3,63}", uri)


def test_a_preview_records_the_same_resources(dev: ResourceGraph) -> None:
    previewed = mocks_run(preview=True)
    assert sorted((r.type, r.name) for r in previewed.resources) == sorted((r.type, r.name) for r in dev.resources)


def test_an_invalid_spec_stops_before_any_resource(graph_of, document_variant) -> None:
    with pytest.raises(Exception, match="per-zone"):
        graph_of(document_variant(network={"nat": "per-zone"}))
