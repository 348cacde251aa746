"""Realistic ids and computed outputs for the GCP resource types the builder creates.

Each entry of :data:`GCP_RESOURCES` takes the registration (``res.name``, ``res.inputs`` with the
physical name already auto-named, ``res.region``) and returns ``(id, computed outputs)`` the way
the GCP APIs fill them: ``projects/<p>/...`` ids, ``https://www.googleapis.com/compute/v1/...``
self links, service-account e-mails, ``gs://`` URLs, the GKE endpoint and CA. Everything derives
from the type and names, so two runs of the same program give the same graph.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from typing import Any

from aimodel_infra.gcp.testing.invokes import project_number

COMPUTE_API = "https://www.googleapis.com/compute/v1"
#: type -> the input Pulumi auto-names ``<logical name>-<7 hex>`` when absent (lower-case on GCP).
AUTONAMED: dict[str, str] = {
    "gcp:compute/network:Network": "name",
    "gcp:compute/subnetwork:Subnetwork": "name",
    "gcp:compute/router:Router": "name",
    "gcp:compute/routerNat:RouterNat": "name",
    "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate": "name",
    "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager": "name",
    "gcp:compute/regionAutoscaler:RegionAutoscaler": "name",
    "gcp:container/cluster:Cluster": "name",
    "gcp:container/nodePool:NodePool": "name",
    "gcp:kms/keyRing:KeyRing": "name",
    "gcp:kms/cryptoKey:CryptoKey": "name",
    "gcp:storage/bucket:Bucket": "name",
}


def _hex(text: str, n: int) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:n]


def gcp_autoname(type_: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """Fill the physical name the way Pulumi's GCP auto-naming does."""
    key = AUTONAMED.get(type_)
    if key is None or inputs.get(key):
        return inputs
    return {**inputs, key: f"{name}-{_hex(type_ + name, 7)}".lower()}


def _project(res: Any) -> str:
    return str(res.inputs.get("project") or "mock-project")


def _regional(kind: str) -> Callable[[Any], tuple[str, dict[str, Any]]]:
    def build(res: Any) -> tuple[str, dict[str, Any]]:
        project, region, name = _project(res), res.inputs.get("region") or res.region, res.inputs["name"]
        path = f"projects/{project}/regions/{region}/{kind}/{name}"
        return path, {"selfLink": f"{COMPUTE_API}/{path}", "region": region, "project": project}

    return build


def _network(res: Any) -> tuple[str, dict[str, Any]]:
    path = f"projects/{_project(res)}/global/networks/{res.inputs['name']}"
    return path, {"selfLink": f"{COMPUTE_API}/{path}", "networkId": str(int(_hex(path, 12), 16))}


def _subnetwork(res: Any) -> tuple[str, dict[str, Any]]:
    path, out = _regional("subnetworks")(res)
    return path, {**out, "gatewayAddress": res.inputs.get("ipCidrRange", "10.0.0.0/16").split("/")[0][:-1] + "1"}


def _router_nat(res: Any) -> tuple[str, dict[str, Any]]:
    region = res.inputs.get("region") or res.region
    return f"{_project(res)}/{region}/{res.inputs['router']}/{res.inputs['name']}", {"region": region}


def _instance_group_manager(res: Any) -> tuple[str, dict[str, Any]]:
    path, out = _regional("instanceGroupManagers")(res)
    group = f"{COMPUTE_API}/projects/{_project(res)}/regions/{out['region']}/instanceGroups/{res.inputs['name']}"
    return path, {**out, "instanceGroup": group}


def _service_account(res: Any) -> tuple[str, dict[str, Any]]:
    project = _project(res)
    email = f"{res.inputs['accountId']}@{project}.iam.gserviceaccount.com"
    name = f"projects/{project}/serviceAccounts/{email}"
    return name, {
        "email": email,
        "name": name,
        "member": f"serviceAccount:{email}",
        "uniqueId": str(int(_hex(email, 20), 16))[:21],
    }


def _service_identity(res: Any) -> tuple[str, dict[str, Any]]:
    number = project_number(_project(res))
    agents = {
        "container.googleapis.com": "container-engine-robot",
        "compute.googleapis.com": "compute-system",
        "storage.googleapis.com": "gs-project-accounts",
    }
    service = str(res.inputs["service"])
    email = f"service-{number}@{agents.get(service, service.split('.')[0])}.iam.gserviceaccount.com"
    return f"projects/{_project(res)}/services/{service}", {"email": email, "member": f"serviceAccount:{email}"}


def _cluster(res: Any) -> tuple[str, dict[str, Any]]:
    project, location, name = _project(res), res.inputs.get("location") or res.region, res.inputs["name"]
    path = f"projects/{project}/locations/{location}/clusters/{name}"
    octet = int(_hex(path, 2), 16) % 200 + 10
    ca = base64.b64encode(f"-----BEGIN CERTIFICATE-----\nMOCK{_hex(path, 32)}\n".encode()).decode()
    master_auth = {**(res.inputs.get("masterAuth") or {}), "clusterCaCertificate": ca}
    private = res.inputs.get("privateClusterConfig") or {}
    return path, {
        "endpoint": f"172.16.0.{octet % 14 + 34}" if private.get("enablePrivateEndpoint") else f"34.1.{octet}.2",
        "masterAuth": master_auth,
        "masterVersion": "1.33.6-gke.1125000",
        "selfLink": f"https://container.googleapis.com/v1/{path}",
        "location": location,
    }


def _node_pool(res: Any) -> tuple[str, dict[str, Any]]:
    cluster = str(res.inputs["cluster"])
    return f"{cluster}/nodePools/{res.inputs['name']}", {"version": "1.33.6-gke.1125000"}


def _key_ring(res: Any) -> tuple[str, dict[str, Any]]:
    return f"projects/{_project(res)}/locations/{res.inputs['location']}/keyRings/{res.inputs['name']}", {}


def _crypto_key(res: Any) -> tuple[str, dict[str, Any]]:
    key_id = f"{res.inputs['keyRing']}/cryptoKeys/{res.inputs['name']}"
    return key_id, {"primaries": [{"name": f"{key_id}/cryptoKeyVersions/1", "state": "ENABLED"}]}


def _bucket(res: Any) -> tuple[str, dict[str, Any]]:
    name = res.inputs["name"]
    return name, {"url": f"gs://{name}", "selfLink": f"https://www.googleapis.com/storage/v1/b/{name}"}


def _notification_channel(res: Any) -> tuple[str, dict[str, Any]]:
    path = f"projects/{_project(res)}/notificationChannels/{int(_hex(res.name, 15), 16)}"
    return path, {"name": path, "verificationStatus": "VERIFIED"}


def _budget(res: Any) -> tuple[str, dict[str, Any]]:
    path = f"billingAccounts/{res.inputs['billingAccount']}/budgets/{_hex(res.name, 8)}-{_hex(res.name, 4)}"
    return path, {"name": path}


def _iam_member(res: Any) -> tuple[str, dict[str, Any]]:
    target = next((str(v) for k, v in res.inputs.items() if k in ("bucket", "cryptoKeyId", "serviceAccountId")), "")
    target = target or str(res.inputs.get("project", ""))
    return f"{target}/{res.inputs['role']}/{res.inputs['member']}", {"etag": "BwY" + _hex(res.name, 9)}


def _service(res: Any) -> tuple[str, dict[str, Any]]:
    return f"{_project(res)}/{res.inputs['service']}", {}


GCP_RESOURCES: dict[str, Callable[[Any], tuple[str, dict[str, Any]]]] = {
    "gcp:compute/network:Network": _network,
    "gcp:compute/subnetwork:Subnetwork": _subnetwork,
    "gcp:compute/router:Router": _regional("routers"),
    "gcp:compute/routerNat:RouterNat": _router_nat,
    "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate": _regional("instanceTemplates"),
    "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager": _instance_group_manager,
    "gcp:compute/regionAutoscaler:RegionAutoscaler": _regional("autoscalers"),
    "gcp:container/cluster:Cluster": _cluster,
    "gcp:container/nodePool:NodePool": _node_pool,
    "gcp:kms/keyRing:KeyRing": _key_ring,
    "gcp:kms/cryptoKey:CryptoKey": _crypto_key,
    "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": _iam_member,
    "gcp:storage/bucket:Bucket": _bucket,
    "gcp:storage/bucketIAMMember:BucketIAMMember": _iam_member,
    "gcp:serviceaccount/account:Account": _service_account,
    "gcp:serviceaccount/iAMMember:IAMMember": _iam_member,
    "gcp:projects/iAMMember:IAMMember": _iam_member,
    "gcp:projects/serviceIdentity:ServiceIdentity": _service_identity,
    "gcp:projects/service:Service": _service,
    "gcp:monitoring/notificationChannel:NotificationChannel": _notification_channel,
    "gcp:billing/budget:Budget": _budget,
}
