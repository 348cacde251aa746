"""Workload access: one identity per pool, federated to its service account, data roles on one container."""

from __future__ import annotations

from aimodel_infra.testing import ResourceGraph

from .view import BLOB_CONTRIBUTOR, BLOB_READER, CLUSTER, CONTAINER, IDENTITY, ROLE, one, role_of

FEDERATION = "azure-native:managedidentity:FederatedIdentityCredential"


def test_each_pool_trusts_its_service_account_on_this_clusters_issuer(dev: ResourceGraph) -> None:
    issuer = one(dev, CLUSTER).outputs["oidcIssuerProfile"]["issuerURL"]
    for pool in ("train", "infer"):
        identity = one(dev, IDENTITY, f"azure-dev-{pool}-access-identity")
        federation = one(dev, FEDERATION, f"azure-dev-{pool}-access-federation").inputs
        assert federation["subject"] == f"system:serviceaccount:aimodel:{pool}"
        assert federation["audiences"] == ["api://AzureADTokenExchange"]
        assert federation["issuer"] == issuer
        assert federation["resourceName"] == identity.outputs["name"]


def test_grants_are_exactly_the_spec_readers_and_writers_on_the_container(dev: ResourceGraph) -> None:
    containers = {c.id: c.inputs["containerName"] for c in dev.of_type(CONTAINER)}
    principals = {
        one(dev, IDENTITY, f"azure-dev-{pool}-access-identity").outputs["principalId"]: pool
        for pool in ("train", "infer")
    }
    grants = {
        (principals[r.inputs["principalId"]], containers[r.inputs["scope"]], role_of(r))
        for r in dev.of_type(ROLE)
        if r.inputs["principalId"] in principals
    }
    assert grants == {
        ("train", "checkpoints", BLOB_CONTRIBUTOR),
        ("train", "models", BLOB_CONTRIBUTOR),
        ("infer", "models", BLOB_READER),
    }


def test_no_data_role_is_wider_than_a_container(dev: ResourceGraph) -> None:
    data_roles = [r for r in dev.of_type(ROLE) if role_of(r) in {BLOB_READER, BLOB_CONTRIBUTOR}]
    assert data_roles and all("/blobServices/default/containers/" in r.inputs["scope"] for r in data_roles)
    assert all(r.inputs["principalType"] == "ServicePrincipal" for r in data_roles)


def test_the_client_ids_are_exported_for_the_service_account_annotations(dev: ResourceGraph) -> None:
    exported = dev.stack_outputs["workload_identities"]
    assert exported == {
        pool: one(dev, IDENTITY, f"azure-dev-{pool}-access-identity").outputs["clientId"] for pool in ("train", "infer")
    }
