"""The typed contract between the cloud-neutral core and each cloud package (SDK-free).

A cloud is one package plus one registry line. The package's ``support.py`` defines a
:class:`CloudSupport`: everything the core asks of that cloud, each piece named by a dotted path
and imported on first use. The rules, checks, replacement keys and billable plan are plain Python
(``validate``, ``cost``, ``diff`` and the policy pack use them without the cloud's SDK); only
``environment`` imports the SDK, and a cloud can ship rules and prices before it has a builder.

Stack outputs: every cloud's environment fills :data:`EXPORT_KEYS` (cluster keys only when the
spec has a cluster), plus extras under its own names (AWS: ``vpc_id``, ``bucket_arns``,
``workload_role_arns``), so a user's next stack or CI job reads the same keys on every cloud.
"""

# No ``from __future__ import annotations``: typing.NamedTuple compiles each string annotation into a
# ForwardRef when the class is created, ~10 us per field on every cold start of ``validate`` and ``cost``.
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from aimodel_infra.errors import AimodelError, Problem
from aimodel_infra.spec.models import Cloud, Environment

if TYPE_CHECKING:
    from aimodel_infra.catalog import Catalog
    from aimodel_infra.component import CloudEnvironment
    from aimodel_infra.graph import ResourceGraph
    from aimodel_infra.plan.billing import BillablePlan
    from aimodel_infra.policy.engine import CloudChecks
    from aimodel_infra.testing.mocks import MockTables

SpecRules = Callable[[Environment, "Catalog"], list[Problem]]
GraphFacts = Callable[["ResourceGraph"], "tuple[PoolFacts, ...]"]
Billable = Callable[[Environment, "Catalog"], "BillablePlan"]
RootDiskFee = Callable[[str], "str | None"]
#: resource type -> the input keys whose change replaces the resource instead of updating it.
ReplacementKeys = Mapping[str, frozenset[str]]

#: Stack outputs every cloud's environment exports (see module doc).
CLUSTER_EXPORT_KEYS: Final = ("cluster_name", "cluster_endpoint", "kubeconfig")
EXPORT_KEYS: Final = (
    "network_id",
    *CLUSTER_EXPORT_KEYS,
    "node_pool_names",  # {pool: [node group / node pool / agent pool names]}
    "autoscaling_group_names",  # {group: name}
    "bucket_names",  # {bucket: physical bucket or container name}
    "bucket_uris",  # {bucket: s3://... | gs://... | https://<account>.blob.core.windows.net/<container>}
    "workload_identities",  # {pool or group: IAM role ARN | service account e-mail | managed identity client id}
)
SECRET_EXPORT_KEYS: Final = frozenset({"kubeconfig"})


class PoolFacts(NamedTuple):
    """One recorded scaling group of a spec pool or group, read the cloud's way."""

    compute: str  # the spec pool/group name
    group: str  # the recorded resource's logical name
    capacity: str  # "spot" | "on_demand"
    min_nodes: int
    max_nodes: int
    gpu_taint: bool  # carries nvidia.com/gpu NoSchedule
    private: bool  # nodes get no public IP
    #: An empty group can still be scaled up: the autoscaler knows its nodes' labels, taints and GPUs.
    scales_from_zero: bool
    instance_type: str = ""


class CloudNotSupported(AimodelError):
    """The spec names a cloud whose builder is not available (not written yet, or SDK missing)."""


def _no_root_disk_fee(instance_type: str) -> None:
    return None


def load(path: str) -> Any:
    """The object a ``"package.module:attribute"`` path names."""
    module, _, attribute = path.partition(":")
    return getattr(import_module(module), attribute)


class CloudSupport(NamedTuple):
    """What the core needs from one cloud, each code piece as a dotted path loaded on demand."""

    cloud: Cloud
    #: Provider package in Pulumi type tokens: "aws", "gcp", "azure-native".
    package: str
    install_hint: str
    #: (env, catalog) -> problems: the cloud's own limits, run by ``validate`` and the builder.
    spec_rules: str
    #: -> CloudChecks: the shared policy rules implemented on this cloud's recorded resources.
    policy_checks: str
    #: -> ReplacementKeys: which input changes replace a resource (``diff``).
    replacement_keys: str
    #: (env, catalog) -> BillablePlan: what the builder will run, for ``cost``.
    billable: str
    #: -> MockTables: offline answers for this cloud's resources and invokes (imports no SDK).
    mock_tables: str
    #: -> CloudEnvironment subclass (imports the SDK); None while the cloud has no builder.
    environment: str | None = None
    #: (graph) -> tuple[PoolFacts, ...]: how this cloud's recorded node groups read, for the
    #: contract test's security and scale-from-zero properties (SDK-free).
    graph_facts: str | None = None
    #: Stack config key of the provider's region ("aws:region"): a stack file that sets it to another
    #: region than the spec's is refused, since the provider would build elsewhere than was checked.
    region_config_key: str = ""
    #: (env, catalog, offering) -> zones of the region the builder may place it in (None: the data has
    #: no zones, placement is regional); None here: the catalog's zones_offering as is.
    zones_for: str | None = None
    #: What ``validate`` calls this cloud's zones ("zones", "zone IDs").
    zone_label: str = "zones"
    #: (env, catalog) -> extra placement lines for ``validate`` (e.g. zones the control plane avoids).
    placement_notes: str | None = None
    #: Module of the cloud's SDK, named in the install hint when it is missing.
    sdk_module: str = ""
    #: (instance type) -> catalog fee name or None: what a node's root disk bills at per GB-month, the
    #: rule the billable plan uses, for ``compare`` (None here: root disks are not priced on this cloud).
    root_disk_fee: str | None = None

    @property
    def has_builder(self) -> bool:
        return self.environment is not None

    def load_spec_rules(self) -> SpecRules:
        rules: SpecRules = load(self.spec_rules)
        return rules

    def load_policy_checks(self) -> "CloudChecks":
        return load(self.policy_checks)  # type: ignore[no-any-return]

    def load_replacement_keys(self) -> ReplacementKeys:
        keys: ReplacementKeys = load(self.replacement_keys)
        return keys

    def load_billable(self) -> Billable:
        billable: Billable = load(self.billable)
        return billable

    def load_root_disk_fee(self) -> RootDiskFee:
        if self.root_disk_fee is None:
            return _no_root_disk_fee
        rule: RootDiskFee = load(self.root_disk_fee)
        return rule

    def load_mock_tables(self) -> "MockTables":
        return load(self.mock_tables)  # type: ignore[no-any-return]

    def load_zones_for(self) -> Callable[..., tuple[str, ...] | None] | None:
        return load(self.zones_for) if self.zones_for else None

    def load_placement_notes(self) -> Callable[..., list[str]] | None:
        return load(self.placement_notes) if self.placement_notes else None

    def load_graph_facts(self) -> GraphFacts | None:
        return load(self.graph_facts) if self.graph_facts else None

    def load_environment(self) -> "type[CloudEnvironment]":
        """The builder class; CloudNotSupported when there is none or its SDK is not installed."""
        if self.environment is None:
            raise CloudNotSupported(
                f"cloud {self.cloud.value!r} can be validated, priced and compared, but it has no builder yet"
            )
        try:
            return load(self.environment)  # type: ignore[no-any-return]
        except ImportError as exc:
            raise CloudNotSupported(
                f"building on {self.cloud.value} needs its SDK ({exc.name}): {self.install_hint}"
            ) from None
