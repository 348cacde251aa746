"""The kubeconfig every cloud exports: one cluster, one context, one user whose credentials come
from the cloud's exec plugin (``aws eks get-token``, ``gke-gcloud-auth-plugin``), so the document
itself holds no token and never expires."""

from __future__ import annotations

from typing import Any, Final

import yaml

#: The client.authentication.k8s.io version kubectl and the clouds' plugins speak.
EXEC_API_VERSION: Final = "client.authentication.k8s.io/v1beta1"


def exec_kubeconfig(cluster_name: str, server: str, certificate_authority: str, exec_plugin: dict[str, Any]) -> str:
    """The YAML of a kubeconfig for ``cluster_name`` at ``server`` whose user runs ``exec_plugin``."""
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {"name": cluster_name, "cluster": {"server": server, "certificate-authority-data": certificate_authority}}
        ],
        "contexts": [{"name": cluster_name, "context": {"cluster": cluster_name, "user": cluster_name}}],
        "current-context": cluster_name,
        "users": [{"name": cluster_name, "user": {"exec": {"apiVersion": EXEC_API_VERSION, **exec_plugin}}}],
    }
    return yaml.safe_dump(config, sort_keys=False)
