"""The Azure mock tables: invoke answers for ``azure-native:`` tokens."""

from __future__ import annotations

from aimodel_infra.testing.mocks import MockTables

SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000"


def _client_config(args: dict) -> dict:
    return {
        "clientId": "00000000-0000-0000-0000-00000000c1e7",
        "objectId": "00000000-0000-0000-0000-0000000000b1",
        "subscriptionId": SUBSCRIPTION_ID,
        "tenantId": "00000000-0000-0000-0000-0000000000ee",
    }


MOCK_TABLES = MockTables(
    package="azure-native",
    default_region="eastus",
    default_account=SUBSCRIPTION_ID,
    invokes={"azure-native:authorization:getClientConfig": _client_config},
    region_config_key="azure-native:location",
)
