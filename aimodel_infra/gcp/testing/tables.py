"""The GCP mock tables: invoke answers for ``gcp:`` tokens."""

from __future__ import annotations

from aimodel_infra.testing.mocks import InvokeContext, MockTables

PROJECT = "mock-project"


def _zones(args: dict, ctx: InvokeContext) -> dict:
    region = args.get("region") or ctx.region
    return {
        "id": f"projects/{PROJECT}/regions/{region}",
        "names": [f"{region}-{c}" for c in "abc"],
        "project": args.get("project") or PROJECT,
        "region": region,
        "status": args.get("status"),
    }


def _client_config(args: dict, ctx: InvokeContext) -> dict:
    return {
        "id": PROJECT,
        "project": PROJECT,
        "region": ctx.region,
        "zone": f"{ctx.region}-a",
        "accessToken": "mock-token",
    }


MOCK_TABLES = MockTables(
    package="gcp",
    default_region="us-central1",
    default_account=PROJECT,
    invokes={
        "gcp:compute/getZones:getZones": _zones,
        "gcp:organizations/getClientConfig:getClientConfig": _client_config,
    },
    region_config_key="gcp:region",
)
