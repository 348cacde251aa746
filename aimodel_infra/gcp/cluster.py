"""The GKE cluster: a regional, private, VPC-native control plane and a small CPU pool for add-ons.

- Regional (``location`` = the region): the control plane is replicated across zones.
- The default node pool is removed (it cannot be changed without recreating the cluster); its
  short-lived nodes still run as the dedicated node service account, not the Compute default one.
- VPC-native on the network's ``pods``/``services`` secondary ranges; Dataplane V2
  (``ADVANCED_DATAPATH``), which network policies and A3 multi-networking need.
- Private nodes (no external IPs). The API endpoint is private unless ``cluster.public_endpoint``,
  and then reachable only from ``cluster.allowed_cidrs`` (master authorized networks). The
  control plane's /28 is ``gcp.control_plane_cidr``.
- Release channel ``gcp.release_channel`` (REGULAR by default) with ``min_master_version`` set to
  the spec's minor version; the deploy checks that GKE offers that minor in the region
  (``getEngineVersions``) and stops with a clear message if not. Node pools set no version and
  auto-upgrade with the channel.
- Workload Identity (``<project>.svc.id.goog``), no client certificates, no legacy ABAC.
- Kubernetes secrets encrypted at the application layer with a Cloud KMS key in the cluster's
  region (90-day rotation), which the GKE service agent is granted before the cluster is made.
- Shielded nodes; control-plane and workload logs (system, API server, controller manager,
  scheduler, workloads); managed Prometheus with DCGM GPU metrics.
- ``deletion_protection`` follows ``cluster.deletion_protection`` (default off), always set
  explicitly: the provider's default (on) makes ``pulumi destroy`` fail by surprise with "Cannot
  destroy cluster because deletion_protection is set to true". Turned on, a destroy fails until it
  is set false and applied, which is the point.
- A kubeconfig (secret) that authenticates with ``gke-gcloud-auth-plugin``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import pulumi
import pulumi_gcp as gcp

from aimodel_infra.conventions import POOL_LABEL
from aimodel_infra.gcp.catalog_data import cluster_version
from aimodel_infra.gcp.context import GcpContext
from aimodel_infra.gcp.names import GKE_NAME_MAX, fit_name
from aimodel_infra.gcp.node_plan import SYSTEM_POOL, SystemPoolPlan, system_pool_plan
from aimodel_infra.gcp.nodes import hardened_node_settings, node_service_account
from aimodel_infra.plan.kubeconfig import exec_kubeconfig
from aimodel_infra.spec.models import Cluster as ClusterSpec

if TYPE_CHECKING:
    from aimodel_infra.gcp.network import Network

TYPE_TOKEN: Final = "aimodel:gcp:Cluster"
LOGGING_COMPONENTS: Final = ("SYSTEM_COMPONENTS", "APISERVER", "CONTROLLER_MANAGER", "SCHEDULER", "WORKLOADS")
MONITORING_COMPONENTS: Final = ("SYSTEM_COMPONENTS", "DCGM")
KMS_ENCRYPTER_ROLE: Final = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
KEY_ROTATION: Final = "7776000s"  # 90 days
AUTH_PLUGIN: Final = "gke-gcloud-auth-plugin"
#: The cluster's inline node_config only shapes the default pool GKE creates and this removes;
#: changing it later must not replace the cluster.
CLUSTER_IGNORED: Final = ["nodeConfig", "initialNodeCount"]


# -- plan: pure functions -----------------------------------------------------------------------
def render_kubeconfig(cluster_name: str, endpoint: str, ca_certificate: str) -> str:
    """A kubeconfig that authenticates with the GKE auth plugin (``gcloud components install
    gke-gcloud-auth-plugin``), as Google's own ``get-credentials`` writes it."""
    exec_plugin = {
        "command": AUTH_PLUGIN,
        "installHint": "Install gke-gcloud-auth-plugin: gcloud components install gke-gcloud-auth-plugin",
        "provideClusterInfo": True,
        "interactiveMode": "Never",
    }
    return exec_kubeconfig(cluster_name, f"https://{endpoint}", ca_certificate, exec_plugin)


def private_cluster_config(spec: ClusterSpec, control_plane_cidr: str) -> dict[str, Any]:
    return {
        "enable_private_nodes": True,
        "enable_private_endpoint": not spec.public_endpoint,
        "master_ipv4_cidr_block": control_plane_cidr,
        "master_global_access_config": {"enabled": False},
    }


def authorized_networks(spec: ClusterSpec) -> dict[str, Any]:
    """Master authorized networks: present (so enforced) and empty for a private endpoint, the
    allowed CIDRs for a public one."""
    blocks = [{"cidr_block": str(c), "display_name": f"allowed-{i}"} for i, c in enumerate(spec.allowed_cidrs)]
    return {"cidr_blocks": blocks if spec.public_endpoint else [], "gcp_public_cidrs_access_enabled": False}


def offered_version(version: str, region: str, valid: list[str] | None) -> str:
    """``version`` when GKE offers a ``<version>.*`` release in the region; a clear error otherwise."""
    found = [v for v in (valid or []) if v.startswith(f"{version}.")]
    if not found:
        minors = sorted({".".join(v.split(".")[:2]) for v in valid or []})
        raise ValueError(
            f"GKE in {region} offers no Kubernetes {version} release (offered: {', '.join(minors) or 'none'}); "
            "set cluster.kubernetes_version to one of them"
        )
    return version


# -- component ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ClusterArgs:
    cluster: ClusterSpec
    context: GcpContext
    network: Network


#: GKE cluster autoscaler profile (ClusterClusterAutoscalingArgs.autoscaling_profile: BALANCED or
#: OPTIMIZE_UTILIZATION; https://cloud.google.com/kubernetes-engine/docs/concepts/cluster-autoscaler#autoscaling_profiles).
AUTOSCALING_PROFILE = "OPTIMIZE_UTILIZATION"


class Cluster(pulumi.ComponentResource):
    """The GKE cluster.

    Exposes ``name``, ``id``, ``endpoint``, ``ca_certificate``, ``kubeconfig`` (secret),
    ``node_service_account`` (email), ``system_pool`` and ``secrets_key``.
    """

    name: pulumi.Output[str]
    endpoint: pulumi.Output[str]
    kubeconfig: pulumi.Output[str]

    def __init__(self, name: str, args: ClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        spec, context, network = args.cluster, args.context, args.network
        self._context = context
        self.system_plan: SystemPoolPlan = system_pool_plan(context.env, context.catalog)
        self.node_account, node_roles = node_service_account(name, context, self)
        self.node_service_account = self.node_account.email
        self.node_roles_ready: list[pulumi.Resource] = list(node_roles)
        self.secrets_key, key_grant = self._secrets_key(name)
        self.cluster = gcp.container.Cluster(
            fit_name(name, "", GKE_NAME_MAX),
            project=context.project,
            location=context.region,
            node_locations=list(self.system_plan.zones),
            description=f"aimodel-infra environment {context.env.name}",
            remove_default_node_pool=True,
            initial_node_count=1,
            node_config={
                **hardened_node_settings(self.node_service_account),
                "machine_type": self.system_plan.machine_type,
            },
            network=network.network_id,
            subnetwork=network.subnetwork_id,
            networking_mode="VPC_NATIVE",
            ip_allocation_policy={
                "cluster_secondary_range_name": network.pods_range,
                "services_secondary_range_name": network.services_range,
            },
            datapath_provider="ADVANCED_DATAPATH",
            private_cluster_config=private_cluster_config(spec, str(context.settings.control_plane_cidr)),
            master_authorized_networks_config=authorized_networks(spec),
            master_auth={"client_certificate_config": {"issue_client_certificate": False}},
            enable_legacy_abac=False,
            release_channel={"channel": context.settings.release_channel.value},
            min_master_version=self._checked_version(cluster_version(context.env, context.catalog)),
            workload_identity_config={"workload_pool": context.workload_pool},
            database_encryption={"state": "ENCRYPTED", "key_name": self.secrets_key.id},
            enable_shielded_nodes=True,
            # Idle GPU nodes go sooner: GKE's autoscaler removes underused nodes more aggressively than
            # under BALANCED (its scale-down delay is not configurable on GKE). Node auto-provisioning
            # stays off: only the pools the spec declares are scaled.
            cluster_autoscaling={"autoscaling_profile": AUTOSCALING_PROFILE},
            logging_config={"enable_components": list(LOGGING_COMPONENTS)},
            monitoring_config={
                "enable_components": list(MONITORING_COMPONENTS),
                "managed_prometheus": {"enabled": True},
            },
            resource_labels=context.labels_for(),
            deletion_protection=spec.deletion_protection,
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=[key_grant, *node_roles],
                ignore_changes=CLUSTER_IGNORED,
            ),
        )
        self.name = self.cluster.name
        self.id = self.cluster.id
        self.endpoint = self.cluster.endpoint
        self.ca_certificate = self.cluster.master_auth.cluster_ca_certificate
        self.system_pool = self._system_pool(name)
        self.kubeconfig = pulumi.Output.secret(
            pulumi.Output.all(self.name, self.endpoint, self.ca_certificate).apply(
                lambda v: render_kubeconfig(v[0], v[1], v[2])
            )
        )
        self.register_outputs({"name": self.name, "endpoint": self.endpoint, "kubeconfig": self.kubeconfig})

    def _checked_version(self, version: str | None) -> pulumi.Output[str] | None:
        """The spec's minor, checked at deploy against what GKE offers in the region; None lets the
        release channel pick its default (no version in the spec and none in the catalog)."""
        if version is None:
            return None
        region = self._context.region
        found = gcp.container.get_engine_versions_output(
            project=self._context.project,
            location=region,
            version_prefix=f"{version}.",
            opts=self._context.invoke_options(self),
        )
        return found.valid_master_versions.apply(lambda valid: offered_version(version, region, list(valid or [])))

    def _secrets_key(self, name: str) -> tuple[gcp.kms.CryptoKey, gcp.kms.CryptoKeyIAMMember]:
        """A regional key for secrets encryption, usable by the GKE service agent only.

        Key rings cannot be deleted in GCP (destroying one only forgets it), so the ring is auto-named
        (unique per deployment) and a redeploy after destroy does not collide with the old one.
        """
        context = self._context
        ring = gcp.kms.KeyRing(f"{name}-secrets", project=context.project, location=context.region, opts=self._child())
        key = gcp.kms.CryptoKey(
            f"{name}-secrets",
            key_ring=ring.id,
            purpose="ENCRYPT_DECRYPT",
            rotation_period=KEY_ROTATION,
            labels=context.labels_for(),
            opts=self._child(),
        )
        agent = gcp.projects.ServiceIdentity(
            f"{name}-gke-agent", project=context.project, service="container.googleapis.com", opts=self._child()
        )
        grant = gcp.kms.CryptoKeyIAMMember(
            f"{name}-secrets-gke-agent",
            crypto_key_id=key.id,
            role=KMS_ENCRYPTER_ROLE,
            member=agent.member,
            opts=self._child(),
        )
        return key, grant

    def _child(self, **extra: Any) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, **extra)

    def _system_pool(self, name: str) -> gcp.container.NodePool:
        """On-demand CPU nodes for CoreDNS, metrics and controllers, so they never wait on GPU capacity."""
        plan, context = self.system_plan, self._context
        return gcp.container.NodePool(
            fit_name(name, SYSTEM_POOL, GKE_NAME_MAX),
            project=context.project,
            cluster=self.id,
            location=context.region,
            node_locations=list(plan.zones),
            node_count=plan.per_zone,
            node_config={
                **hardened_node_settings(self.node_service_account),
                "machine_type": plan.machine_type,
                "disk_size_gb": plan.disk_size_gb,
                "labels": {POOL_LABEL: SYSTEM_POOL},
                "resource_labels": context.labels_for(**{"aimodel-compute": SYSTEM_POOL}),
            },
            management={"auto_repair": True, "auto_upgrade": True},
            upgrade_settings={"strategy": "SURGE", "max_surge": 1, "max_unavailable": 0},
            opts=self._child(depends_on=self.node_roles_ready),
        )
