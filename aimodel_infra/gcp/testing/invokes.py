"""Answers for the GCP invokes (data sources) the builder calls, keyed by token.

Shapes follow the provider's result types (camelCase keys as on the wire). Facts in them:
us-central1 zones a, b, c, f (Compute Engine regions and zones; the catalog's regions.csv);
project numbers are 12 digits; the GKE service agent is
``service-<number>@container-engine-robot.iam.gserviceaccount.com`` and the Cloud Storage one
``service-<number>@gs-project-accounts.iam.gserviceaccount.com`` (Google's service agents list);
GKE versions look like ``1.33.5-gke.1308000``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any

#: Zones per region as GCP lists them; other regions get a, b, c.
ZONES = {"us-central1": ("a", "b", "c", "f"), "us-east1": ("b", "c", "d"), "europe-west4": ("a", "b", "c")}
#: GKE releases the mock offers per minor, newest last (shape of getEngineVersions answers).
GKE_RELEASES = {
    "1.32": ("1.32.9-gke.1130000", "1.32.10-gke.1207000"),
    "1.33": ("1.33.5-gke.1308000", "1.33.6-gke.1125000"),
    "1.34": ("1.34.1-gke.2037000", "1.34.2-gke.1052000"),
    "1.35": ("1.35.0-gke.1795000", "1.35.1-gke.1089000"),
}
CHANNEL_DEFAULTS = {"RAPID": "1.35.1-gke.1089000", "REGULAR": "1.34.2-gke.1052000", "STABLE": "1.33.6-gke.1125000"}
DLVM_IMAGE = "common-cu128-ubuntu-2204-nvidia-570-v20251112"


def project_number(project: str) -> str:
    """A stable 12-digit project number for a project id."""
    return str(int(hashlib.sha256(project.encode()).hexdigest(), 16) % 10**12).rjust(12, "1")


def _project(args: Mapping[str, Any], ctx: Any) -> str:
    return str(args.get("project") or args.get("projectId") or ctx.account_id)


def _zones(args: Mapping[str, Any], ctx: Any) -> dict[str, Any]:
    region = args.get("region") or ctx.region
    names = [f"{region}-{z}" for z in ZONES.get(region, ("a", "b", "c"))]
    return {"id": f"projects/{_project(args, ctx)}/regions/{region}", "names": names, "region": region}


def _get_project(args: Mapping[str, Any], ctx: Any) -> dict[str, Any]:
    project = _project(args, ctx)
    return {
        "id": f"projects/{project}",
        "projectId": project,
        "number": project_number(project),
        "name": project,
        "labels": {},
        "effectiveLabels": {},
    }


def _engine_versions(args: Mapping[str, Any], ctx: Any) -> dict[str, Any]:
    prefix = str(args.get("versionPrefix") or "")
    every = [v for releases in GKE_RELEASES.values() for v in releases]
    valid = sorted((v for v in every if v.startswith(prefix)), reverse=True)
    return {
        "id": str(args.get("location") or ctx.region),
        "location": args.get("location"),
        "project": _project(args, ctx),
        "versionPrefix": prefix or None,
        "defaultClusterVersion": CHANNEL_DEFAULTS["REGULAR"],
        "latestMasterVersion": valid[0] if valid else "",
        "latestNodeVersion": valid[0] if valid else "",
        "validMasterVersions": valid,
        "validNodeVersions": valid,
        "releaseChannelDefaultVersion": dict(CHANNEL_DEFAULTS),
        "releaseChannelLatestVersion": dict(CHANNEL_DEFAULTS),
        "releaseChannelUpgradeTargetVersion": dict(CHANNEL_DEFAULTS),
    }


def _image(args: Mapping[str, Any], ctx: Any) -> dict[str, Any]:
    project = str(args.get("project") or "mock-project")
    family = args.get("family")
    name = args.get("name") or (DLVM_IMAGE if family else "mock-image")
    link = f"https://www.googleapis.com/compute/v1/projects/{project}/global/images/{name}"
    return {
        "id": f"projects/{project}/global/images/{name}",
        "name": name,
        "family": family or "",
        "project": project,
        "selfLink": link,
        "status": "READY",
        "diskSizeGb": 50,
        "archiveSizeBytes": 0,
    }


def _storage_agent(args: Mapping[str, Any], ctx: Any) -> dict[str, Any]:
    project = _project(args, ctx)
    email = f"service-{project_number(project)}@gs-project-accounts.iam.gserviceaccount.com"
    return {"id": email, "emailAddress": email, "member": f"serviceAccount:{email}", "project": project}


def _client_config(args: Mapping[str, Any], ctx: Any) -> dict[str, Any]:
    return {
        "id": ctx.account_id,
        "project": ctx.account_id,
        "region": ctx.region,
        "zone": f"{ctx.region}-a",
        "accessToken": "mock-token",
    }


GCP_INVOKES: dict[str, Callable[[Mapping[str, Any], Any], dict[str, Any]]] = {
    "gcp:compute/getZones:getZones": _zones,
    "gcp:organizations/getProject:getProject": _get_project,
    "gcp:container/getEngineVersions:getEngineVersions": _engine_versions,
    "gcp:compute/getImage:getImage": _image,
    "gcp:storage/getProjectServiceAccount:getProjectServiceAccount": _storage_agent,
    "gcp:organizations/getClientConfig:getClientConfig": _client_config,
}
