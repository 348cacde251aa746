"""The AWS mock tables: realistic ids, ARNs, auto-names and invoke answers for ``aws:`` types."""

from __future__ import annotations

from aimodel_infra.testing.mocks import MockTables

from .invokes import AWS_INVOKES
from .state import ACCOUNT_ID, AWS_RESOURCES, autoname

MOCK_TABLES = MockTables(
    package="aws",
    default_region="us-east-1",
    default_account=ACCOUNT_ID,
    resources=AWS_RESOURCES,
    invokes=AWS_INVOKES,
    autoname=autoname,
    region_config_key="aws:region",
)
