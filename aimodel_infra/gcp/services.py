"""The Google APIs the build needs, enabled in the project (and never disabled on destroy).

A fresh project has Compute Engine, GKE, Cloud KMS and Billing Budgets off; the first resource
that needs one fails with "API has not been used in project ... or it is disabled". Each API is a
``gcp.projects.Service`` with ``disable_on_destroy=False``: turning an API off breaks whatever else
in the project uses it, which the provider's docstring says "should generally only be true in
configurations that manage the Project". The environment's provider waits for them.
"""

from __future__ import annotations

from typing import Final

import pulumi
import pulumi_gcp as gcp

from aimodel_infra.spec.models import Encryption, Environment

TYPE_TOKEN: Final = "aimodel:gcp:ProjectServices"
#: cloudresourcemanager answers the project lookup (project number) the budget and agents need.
BASE_SERVICES: Final = (
    "compute.googleapis.com",
    "iam.googleapis.com",
    "storage.googleapis.com",
    "cloudresourcemanager.googleapis.com",
)
CLUSTER_SERVICES: Final = (
    "container.googleapis.com",
    "cloudkms.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
)
BUDGET_SERVICES: Final = ("billingbudgets.googleapis.com", "monitoring.googleapis.com")
KMS_SERVICE: Final = "cloudkms.googleapis.com"


def required_services(env: Environment) -> tuple[str, ...]:
    """The APIs this spec's resources use, each once, in a stable order."""
    services = list(BASE_SERVICES)
    if env.cluster is not None:
        services += CLUSTER_SERVICES
    if any(b.encryption is Encryption.CUSTOMER_KEY for b in env.buckets):
        services.append(KMS_SERVICE)
    if env.budget is not None:
        services += BUDGET_SERVICES
    return tuple(dict.fromkeys(services))


class ProjectServices(pulumi.ComponentResource):
    """The enabled APIs. Exposes ``services`` ({api: resource})."""

    def __init__(self, name: str, env: Environment, project: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        self.services = {
            api: gcp.projects.Service(
                f"{name}-{api.split('.', 1)[0]}",
                project=project,
                service=api,
                disable_on_destroy=False,
                disable_dependent_services=False,
                opts=pulumi.ResourceOptions(parent=self),
            )
            for api in required_services(env)
        }
        self.register_outputs({"services": list(self.services)})
