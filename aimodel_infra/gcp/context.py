"""What every GCP component needs to know about the environment it belongs to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aimodel_infra.catalog import Catalog
from aimodel_infra.conventions import PURPOSE_TAG, WORKLOAD_NAMESPACE, environment_tags
from aimodel_infra.spec.cloud_settings import GcpSettings
from aimodel_infra.spec.models import Environment

#: OAuth scope GCP recommends with a dedicated service account: IAM roles do the restricting
#: (``NodePoolNodeConfigArgs.oauth_scopes`` docstring).
CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
PURPOSE_LABEL = PURPOSE_TAG
COMPUTE_LABEL = "aimodel-compute"

__all__ = ["CLOUD_PLATFORM_SCOPE", "COMPUTE_LABEL", "PURPOSE_LABEL", "WORKLOAD_NAMESPACE", "GcpContext"]


@dataclass(frozen=True)
class GcpContext:
    """The environment, its catalog, its GCP settings and its labels, handed to each component.

    Labels are passed explicitly to every labelled resource (not only as provider default labels)
    so they show in the recorded graph the policy checks read, and on GKE node VMs, which provider
    default labels do not reach.
    """

    env: Environment
    catalog: Catalog
    settings: GcpSettings
    labels: dict[str, str] = field(default_factory=dict)
    #: The enabled project APIs: data-source calls wait for them (a fresh project has them off,
    #: and a preview would otherwise call an API that the same deployment is about to enable).
    apis: tuple[Any, ...] = ()

    @classmethod
    def for_environment(cls, env: Environment, catalog: Catalog) -> GcpContext:
        assert env.gcp is not None, "spec rules require the gcp settings block"
        return cls(env=env, catalog=catalog, settings=env.gcp, labels=environment_tags(env))

    def labels_for(self, **extra: str) -> dict[str, str]:
        return {**self.labels, **extra}

    def invoke_options(self, parent: Any) -> Any:
        """Options for a data-source call of a component: its parent, after the project's APIs."""
        import pulumi

        return pulumi.InvokeOutputOptions(parent=parent, depends_on=list(self.apis))

    @property
    def project(self) -> str:
        return self.settings.project

    @property
    def region(self) -> str:
        return self.env.region

    @property
    def workload_pool(self) -> str:
        """The Workload Identity pool of the project's GKE clusters."""
        return f"{self.project}.svc.id.goog"

    def workload_member(self, compute_name: str) -> str:
        """The IAM member a Kubernetes service account ``aimodel/<compute_name>`` is under Workload Identity."""
        return f"serviceAccount:{self.workload_pool}[{WORKLOAD_NAMESPACE}/{compute_name}]"
