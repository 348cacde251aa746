"""Invoke answers for the azure-native functions the builder calls, shaped like the real responses."""

from __future__ import annotations

import base64
from collections.abc import Callable

import yaml

from aimodel_infra.azure.testing.state import SUBSCRIPTION_ID, TENANT_ID

DEPLOYER_OBJECT_ID = "00000000-0000-0000-0000-0000000000b1"


def client_config(args: dict) -> dict:
    return {
        "clientId": "00000000-0000-0000-0000-00000000c1e7",
        "objectId": DEPLOYER_OBJECT_ID,
        "subscriptionId": SUBSCRIPTION_ID,
        "tenantId": TENANT_ID,
    }


def user_credentials(args: dict) -> dict:
    """A kubelogin (``exec``) kubeconfig for the cluster, base64-encoded as AKS returns it."""
    cluster = args.get("resourceName", "cluster")
    server = f"https://{cluster}.privatelink.eastus.azmk8s.io:443"
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": cluster, "cluster": {"server": server, "certificate-authority-data": "bW9jaw=="}}],
        "contexts": [{"name": cluster, "context": {"cluster": cluster, "user": f"clusterUser_{cluster}"}}],
        "current-context": cluster,
        "users": [
            {
                "name": f"clusterUser_{cluster}",
                "user": {
                    "exec": {
                        "apiVersion": "client.authentication.k8s.io/v1beta1",
                        "command": "kubelogin",
                        "args": [
                            "get-token",
                            "--login",
                            "devicecode",
                            "--server-id",
                            "6dae42f8-4368-4678-94ff-3960e28e3630",
                        ],
                    }
                },
            }
        ],
    }
    value = base64.b64encode(yaml.safe_dump(config).encode()).decode()
    return {"kubeconfigs": [{"name": "clusterUser", "value": value}]}


AZURE_INVOKES: dict[str, Callable[[dict], dict]] = {
    "azure-native:authorization:getClientConfig": client_config,
    "azure-native:containerservice:listManagedClusterUserCredentials": user_credentials,
}
