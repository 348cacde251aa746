"""The GCP mock tables the cloud-neutral ``DefaultMocks`` dispatches ``gcp:`` tokens to."""

from __future__ import annotations

from aimodel_infra.gcp.testing.invokes import GCP_INVOKES
from aimodel_infra.gcp.testing.state import GCP_RESOURCES, gcp_autoname
from aimodel_infra.testing.mocks import MockTables

#: The project the mocks answer for when a call names none (the builder always names its own).
PROJECT = "mock-project"

MOCK_TABLES = MockTables(
    package="gcp",
    default_region="us-central1",
    default_account=PROJECT,
    resources=GCP_RESOURCES,
    invokes=GCP_INVOKES,
    autoname=gcp_autoname,
    region_config_key="gcp:region",
)
