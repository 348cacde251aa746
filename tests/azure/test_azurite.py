"""What the Blob API itself (Azurite, the Azure Storage emulator) says about the containers we build.

Proves: every container name the azure-dev graph creates is one the Blob service accepts (and the
emulator does refuse a bad one), and a container created without public access, what
``public_access: "None"`` means, refuses an anonymous read that a ``blob``-level container allows.
Does not prove anything about ARM-only settings (network rules, shared-key off, TLS, CMK, locks):
Azurite has no control plane. Skipped when Azurite is not installed (``npm install -g azurite``,
or ``AZURITE_BLOB=/path/to/azurite-blob``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from aimodel_infra.azure.testing.azurite import BlobClient, azurite_binary, running_azurite
from aimodel_infra.testing import ResourceGraph

from .view import CONTAINER

BINARY = azurite_binary()
pytestmark = pytest.mark.skipif(
    BINARY is None, reason="Azurite not installed: npm install -g azurite (or set AZURITE_BLOB to azurite-blob)"
)


@pytest.fixture(scope="module")
def blob() -> Iterator[BlobClient]:
    assert BINARY is not None
    with running_azurite(BINARY) as client:
        yield client


def test_the_blob_api_accepts_every_container_name_we_create(blob: BlobClient, dev: ResourceGraph) -> None:
    names = [c.inputs["containerName"] for c in dev.of_type(CONTAINER)]
    assert names
    for name in names:
        assert blob.create_container(name).status == 201, name


def test_the_emulator_does_refuse_an_invalid_container_name(blob: BlobClient) -> None:
    response = blob.create_container("Checkpoints_2")
    assert (response.status, response.error_code) == (400, "InvalidResourceName")


def test_a_container_without_public_access_refuses_anonymous_reads(blob: BlobClient, dev: ResourceGraph) -> None:
    container = next(c for c in dev.of_type(CONTAINER) if c.inputs["publicAccess"] == "None")
    name = f"{container.inputs['containerName']}-private"
    assert blob.create_container(name).status == 201  # no x-ms-blob-public-access header: private
    assert blob.put_blob(name, "weights.bin", b"\x00" * 16).status == 201
    assert blob.anonymous_get(name, "weights.bin").status in (403, 404)
    assert blob.create_container("control-public", public_access="blob").status == 201
    assert blob.put_blob("control-public", "weights.bin", b"\x00" * 16).status == 201
    assert blob.anonymous_get("control-public", "weights.bin").status == 200  # the control: public does read
