"""The GCP type tokens the checks read, and the labels a resource really ends up with."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from aimodel_infra.policy.engine import PolicyContext
from aimodel_infra.policy.values import as_dict, json_document, known

if TYPE_CHECKING:
    from aimodel_infra.testing import RecordedResource

BUCKET: Final = "gcp:storage/bucket:Bucket"
BUCKET_IAM_TYPES: Final = (
    "gcp:storage/bucketIAMMember:BucketIAMMember",
    "gcp:storage/bucketIAMBinding:BucketIAMBinding",
)
BUCKET_IAM_POLICY: Final = "gcp:storage/bucketIAMPolicy:BucketIAMPolicy"
CLUSTER: Final = "gcp:container/cluster:Cluster"
NODE_POOL: Final = "gcp:container/nodePool:NodePool"
INSTANCE_TEMPLATE_TYPES: Final = (
    "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate",
    "gcp:compute/instanceTemplate:InstanceTemplate",
)
INSTANCE: Final = "gcp:compute/instance:Instance"
GROUP_MANAGER_TYPES: Final = (
    "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
    "gcp:compute/instanceGroupManager:InstanceGroupManager",
)
AUTOSCALER_TYPES: Final = ("gcp:compute/regionAutoscaler:RegionAutoscaler", "gcp:compute/autoscaler:Autoscaler")
PROJECT_IAM_TYPES: Final = ("gcp:projects/iAMMember:IAMMember", "gcp:projects/iAMBinding:IAMBinding")
SERVICE_ACCOUNT_IAM_TYPES: Final = (
    "gcp:serviceaccount/iAMMember:IAMMember",
    "gcp:serviceaccount/iAMBinding:IAMBinding",
)
KMS_IAM_TYPES: Final = (
    "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
    "gcp:kms/cryptoKeyIAMBinding:CryptoKeyIAMBinding",
)
BUDGET: Final = "gcp:billing/budget:Budget"
BUCKET_COMPONENT: Final = "aimodel:gcp:Bucket"

#: Where each labelled GCP type we create keeps its labels (checked against pulumi-gcp 10.2):
#: ``labels`` on most, ``resourceLabels`` on clusters, ``nodeConfig.resourceLabels`` on node pools
#: (what their VMs and disks carry), ``userLabels`` on notification channels. Types without
#: labels (networks, routers, IAM members, service accounts, budgets) are left out.
LABEL_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    BUCKET: ("labels",),
    CLUSTER: ("resourceLabels",),
    NODE_POOL: ("nodeConfig", "resourceLabels"),
    "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate": ("labels",),
    "gcp:compute/instanceTemplate:InstanceTemplate": ("labels",),
    INSTANCE: ("labels",),
    "gcp:kms/cryptoKey:CryptoKey": ("labels",),
    "gcp:monitoring/notificationChannel:NotificationChannel": ("userLabels",),
}
TAGGABLE_TYPES: Final = frozenset(LABEL_FIELDS)
#: Provider default labels do not reach these fields (GKE node VMs, notification channel user labels).
NO_DEFAULT_LABELS: Final = frozenset({NODE_POOL, "gcp:monitoring/notificationChannel:NotificationChannel"})


def _provider_labels(ctx: PolicyContext, r: RecordedResource) -> dict[str, Any]:
    """The provider's default labels; providers receive maps JSON-encoded."""
    value = ctx.provider_inputs(r).get("defaultLabels")
    try:
        return json_document(value) or {} if isinstance(value, str) else as_dict(value)
    except ValueError:
        return {}


def resource_labels(ctx: PolicyContext, r: RecordedResource) -> dict[str, Any]:
    """Labels the resource ends up with: its provider's default labels (where they apply), then its own."""
    path = LABEL_FIELDS.get(r.type, ("labels",))
    value: Any = r.inputs
    for key in path:
        value = as_dict(value).get(key)
    own = known(value)
    defaults = {} if r.type in NO_DEFAULT_LABELS else _provider_labels(ctx, r)
    return {**defaults, **(own if isinstance(own, dict) else {})}
