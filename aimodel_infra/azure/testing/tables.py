"""The Azure mock tables: ARM-shaped ids, azure-native auto-names, computed outputs and invoke answers."""

from __future__ import annotations

from aimodel_infra.testing.mocks import MockTables

from .invokes import AZURE_INVOKES
from .state import AZURE_RESOURCES, SUBSCRIPTION_ID, autoname

MOCK_TABLES = MockTables(
    package="azure-native",
    default_region="eastus",
    default_account=SUBSCRIPTION_ID,
    resources=AZURE_RESOURCES,
    invokes=AZURE_INVOKES,
    autoname=autoname,
    region_config_key="azure-native:location",
)
