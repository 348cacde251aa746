"""The EKS cluster: control plane, identity, core add-ons and a small CPU node group for them.

- API endpoint private by default; public only when the spec says so, and then only to
  ``cluster.allowed_cidrs`` (EKS would otherwise default to 0.0.0.0/0).
- Kubernetes secrets envelope-encrypted with a dedicated KMS key (yearly rotation on).
- All five control-plane log types go to CloudWatch Logs (audit trail, authenticator failures), to
  a log group created before the cluster with ``LOG_RETENTION_DAYS`` retention and our tags.
- ``upgrade_policy`` STANDARD (no silent move into paid extended support) and EKS deletion
  protection when ``cluster.deletion_protection`` asks for it.
- The EBS CSI driver managed add-on with its own IRSA role (the default StorageClass is in-cluster
  software, installed separately).
- Access entries only (``authentication_mode: API``, no aws-auth ConfigMap); whoever runs
  ``pulumi up`` becomes cluster admin. Grant others with ``aws eks create-access-entry``.
- An IAM OIDC provider for IRSA, which WorkloadAccess uses for per-pool bucket access.
- Managed add-ons vpc-cni, kube-proxy, eks-pod-identity-agent, and coredns (after the system
  node group exists: CoreDNS pods need a node, or the add-on never becomes healthy).
- Subnets get the ``kubernetes.io/cluster/<name>=shared`` discovery tag through ``ec2.Tag``
  resources, because the cluster's name is only known once EKS auto-names it. The provider
  ignores tags with that prefix on the subnets themselves (see AwsEnvironment), so the two do
  not fight over the subnet's tag set.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import pulumi
import pulumi_aws.cloudwatch as cloudwatch
import pulumi_aws.ec2 as ec2
import pulumi_aws.eks as eks
import pulumi_aws.iam as iam
import pulumi_aws.kms as kms

from aimodel_infra.aws.context import STS_AUDIENCE, AwsContext, assume_role_policy, policy_json
from aimodel_infra.aws.key_policy import deployer_key_policy
from aimodel_infra.aws.names import AUTONAME_SUFFIX, EKS_CLUSTER_MAX, IAM_ROLE_MAX, NODE_GROUP_MAX, fit_name
from aimodel_infra.aws.node_plan import EKS_AMI_TYPE_CPU, SYSTEM_DISK_GB, SYSTEM_INSTANCE_TYPE
from aimodel_infra.aws.nodes import launch_template_ref, node_launch_template, node_role
from aimodel_infra.aws.workload_access import irsa_trust_policy
from aimodel_infra.conventions import POOL_LABEL
from aimodel_infra.plan.kubeconfig import exec_kubeconfig
from aimodel_infra.spec.models import Cluster as ClusterSpec

if TYPE_CHECKING:
    from aimodel_infra.aws.network import Network

TYPE_TOKEN: Final = "aimodel:aws:Cluster"
CLUSTER_POLICY_ARN: Final = iam.ManagedPolicy.AMAZON_EKS_CLUSTER_POLICY.value
LOG_TYPES: Final = ("api", "audit", "authenticator", "controllerManager", "scheduler")
#: Add-ons that run without worker nodes (DaemonSets), then the one that needs a node to be healthy.
NODELESS_ADDONS: Final = ("vpc-cni", "kube-proxy", "eks-pod-identity-agent")
NODE_ADDONS: Final = ("coredns",)
SYSTEM_POOL: Final = "system"
#: Days control-plane logs are kept (audit logs are the bulk of them).
LOG_RETENTION_DAYS: Final = 90
#: eks.Cluster upgrade_policy.support_type (pulumi-aws ClusterUpgradePolicyArgs: "STANDARD" or "EXTENDED").
UPGRADE_SUPPORT_TYPE: Final = "STANDARD"
#: The managed add-on for EBS volumes (PersistentVolumes), its controller's service account and the
#: AWS managed policy it needs (EKS User Guide, "Use Kubernetes volume storage with Amazon EBS").
EBS_CSI_ADDON: Final = "aws-ebs-csi-driver"
EBS_CSI_SERVICE_ACCOUNT: Final = ("kube-system", "ebs-csi-controller-sa")
EBS_CSI_POLICY_ARN: Final = "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
#: What the cluster role may do with the secrets key (the terraform-aws-eks module's set).
SECRETS_KEY_ACTIONS: Final = ("kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey")


# -- plan: pure functions -----------------------------------------------------------------------
def control_plane_log_group(cluster_name: str) -> str:
    """The log group EKS sends control-plane logs to (EKS User Guide, "Send control plane logs to
    CloudWatch Logs": ``/aws/eks/<cluster-name>/cluster``)."""
    return f"/aws/eks/{cluster_name}/cluster"


def discovery_tag_key(cluster_name: str) -> str:
    return f"kubernetes.io/cluster/{cluster_name}"


def issuer_host_path(issuer_url: str) -> str:
    """``oidc.eks.<region>.amazonaws.com/id/<ID>``: the form IAM trust policy conditions use."""
    return issuer_url.removeprefix("https://")


def render_kubeconfig(cluster_name: str, endpoint: str, certificate_authority: str, region: str) -> str:
    """A kubeconfig that authenticates with ``aws eks get-token`` (the AWS CLI's exec plugin)."""
    token = ["eks", "get-token", "--cluster-name", cluster_name, "--region", region, "--output", "json"]
    exec_plugin = {"command": "aws", "args": token, "interactiveMode": "Never"}
    return exec_kubeconfig(cluster_name, endpoint, certificate_authority, exec_plugin)


def vpc_config(spec: ClusterSpec, subnet_ids: list[pulumi.Output[str]]) -> eks.ClusterVpcConfigArgs:
    public_cidrs = [str(c) for c in spec.allowed_cidrs] if spec.public_endpoint else None
    return eks.ClusterVpcConfigArgs(
        subnet_ids=subnet_ids,
        endpoint_private_access=True,
        endpoint_public_access=spec.public_endpoint,
        public_access_cidrs=public_cidrs,
    )


# -- component ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ClusterArgs:
    cluster: ClusterSpec
    context: AwsContext
    network: Network


class Cluster(pulumi.ComponentResource):
    """The EKS cluster.

    Exposes ``name``, ``endpoint``, ``certificate_authority`` (base64 CA data), ``version``,
    ``oidc_provider_arn``, ``oidc_issuer`` (host/path, no ``https://``), ``kubeconfig`` (secret),
    ``cluster_security_group_id``, ``system_node_group`` and ``secrets_key``.
    """

    name: pulumi.Output[str]
    endpoint: pulumi.Output[str]
    certificate_authority: pulumi.Output[str]
    version: pulumi.Output[str]
    oidc_provider_arn: pulumi.Output[str]
    oidc_issuer: pulumi.Output[str]
    kubeconfig: pulumi.Output[str]
    cluster_security_group_id: pulumi.Output[str]

    def __init__(self, name: str, args: ClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        spec, context, network = args.cluster, args.context, args.network
        self._context = context
        self.secrets_key = kms.Key(
            f"{name}-secrets",
            description=f"Envelope encryption of Kubernetes secrets in {context.env.name}",
            enable_key_rotation=True,
            policy=deployer_key_policy(self),
            tags=context.tags_for("cluster-secrets"),
            opts=self._child(),
        )
        role, role_ready = self._cluster_role(name)
        cluster_name = fit_name(name, "", EKS_CLUSTER_MAX - AUTONAME_SUFFIX)
        log_group = cloudwatch.LogGroup(
            f"{name}-control-plane-logs",
            name=control_plane_log_group(cluster_name),
            retention_in_days=LOG_RETENTION_DAYS,
            tags=context.tags_for("cluster-logs"),
            opts=self._child(),
        )
        self.cluster = eks.Cluster(
            fit_name(name, "", EKS_CLUSTER_MAX),
            # Named, not auto-named: the log group EKS writes to is named after the cluster and must
            # exist (with retention and tags) before the cluster, or EKS creates one that keeps
            # logs forever and that the budget's tag filter cannot see.
            name=cluster_name,
            role_arn=role.arn,
            version=spec.kubernetes_version,
            # STANDARD: at the end of standard support EKS upgrades the control plane instead of
            # moving it into extended support, which costs six times the fee ($0.60 vs $0.10/h).
            upgrade_policy=eks.ClusterUpgradePolicyArgs(support_type=UPGRADE_SUPPORT_TYPE),
            deletion_protection=spec.deletion_protection,
            vpc_config=vpc_config(spec, network.private_subnet_ids),
            encryption_config=eks.ClusterEncryptionConfigArgs(
                resources=["secrets"], provider=eks.ClusterEncryptionConfigProviderArgs(key_arn=self.secrets_key.arn)
            ),
            enabled_cluster_log_types=list(LOG_TYPES),
            access_config=eks.ClusterAccessConfigArgs(
                authentication_mode="API", bootstrap_cluster_creator_admin_permissions=True
            ),
            kubernetes_network_config=eks.ClusterKubernetesNetworkConfigArgs(
                service_ipv4_cidr=str(context.env.network.service_cidr)
            ),
            tags=context.tags_for("cluster"),
            # EKS needs its role's permissions while it deletes what it created (ENIs, security groups).
            opts=self._child(depends_on=[*role_ready, log_group]),
        )
        self.name = self.cluster.name
        self.endpoint = self.cluster.endpoint
        self.certificate_authority = self.cluster.certificate_authority.data
        self.version = self.cluster.version
        self.cluster_security_group_id = self.cluster.vpc_config.cluster_security_group_id
        self._tag_subnets(name, network)
        issuer_url = self.cluster.identities.apply(lambda identities: identities[0].oidcs[0].issuer)
        self.oidc_provider_arn = self._oidc_provider(name, issuer_url).arn
        self.oidc_issuer = issuer_url.apply(issuer_host_path)
        self.system_node_group = self._system_nodes(name, spec, network)
        self._addons(name)
        self.kubeconfig = pulumi.Output.secret(
            pulumi.Output.all(self.name, self.endpoint, self.certificate_authority).apply(
                lambda v: render_kubeconfig(v[0], v[1], v[2], context.region)
            )
        )
        self.register_outputs(
            {
                "name": self.name,
                "endpoint": self.endpoint,
                "oidc_provider_arn": self.oidc_provider_arn,
                "kubeconfig": self.kubeconfig,
            }
        )

    def _child(self, depends_on: list[pulumi.Resource] | None = None) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, depends_on=depends_on)

    def _cluster_role(self, name: str) -> tuple[iam.Role, list[pulumi.Resource]]:
        role = iam.Role(
            fit_name(name, "role", IAM_ROLE_MAX),
            description="EKS control plane",
            assume_role_policy=assume_role_policy("eks.amazonaws.com"),
            tags=self._context.tags_for("cluster-role"),
            opts=self._child(),
        )
        attachment = iam.RolePolicyAttachment(
            f"{name}-cluster-policy", role=role.name, policy_arn=CLUSTER_POLICY_ARN, opts=self._child()
        )
        key_use = iam.RolePolicy(
            f"{name}-secrets-key",
            role=role.id,
            policy=policy_json(
                [{"Effect": "Allow", "Action": list(SECRETS_KEY_ACTIONS), "Resource": self.secrets_key.arn}]
            ),
            opts=self._child(),
        )
        return role, [attachment, key_use]

    def _tag_subnets(self, name: str, network: Network) -> None:
        key = self.name.apply(discovery_tag_key)
        subnets = {"private": network.private_subnet_ids, "public": network.public_subnet_ids}
        for kind, ids in subnets.items():
            for zone, subnet_id in enumerate(ids):
                ec2.Tag(f"{name}-{kind}-{zone}", resource_id=subnet_id, key=key, value="shared", opts=self._child())

    def _oidc_provider(self, name: str, issuer_url: pulumi.Output[str]) -> iam.OpenIdConnectProvider:
        """IRSA: IAM trusts tokens the cluster signs for the STS audience."""
        return iam.OpenIdConnectProvider(
            f"{name}-oidc",
            url=issuer_url,
            client_id_lists=[STS_AUDIENCE],
            tags=self._context.tags_for("cluster-oidc"),
            opts=self._child(),
        )

    def _system_nodes(self, name: str, spec: ClusterSpec, network: Network) -> eks.NodeGroup:
        """A few on-demand CPU nodes for CoreDNS and controllers, so they never wait on GPU capacity."""
        base = f"{name}-{SYSTEM_POOL}"
        tags = self._context.tags_for(SYSTEM_POOL, **{"aimodel-compute": SYSTEM_POOL})
        role = node_role(base, self._context, tags, self)
        template = node_launch_template(base, disk_size_gb=SYSTEM_DISK_GB, tags=tags, instance_tags=tags, parent=self)
        return eks.NodeGroup(
            fit_name(base, "", NODE_GROUP_MAX),
            cluster_name=self.name,
            node_role_arn=role.role.arn,
            subnet_ids=network.private_subnet_ids_for(SYSTEM_INSTANCE_TYPE),
            instance_types=[SYSTEM_INSTANCE_TYPE],
            ami_type=EKS_AMI_TYPE_CPU,
            capacity_type="ON_DEMAND",
            scaling_config=eks.NodeGroupScalingConfigArgs(
                min_size=spec.system_nodes, desired_size=spec.system_nodes, max_size=spec.system_nodes
            ),
            launch_template=launch_template_ref(template),
            update_config=eks.NodeGroupUpdateConfigArgs(max_unavailable=1),
            labels={POOL_LABEL: SYSTEM_POOL},
            version=self.version,
            tags=tags,
            opts=self._child(depends_on=list(role.attachments)),
        )

    def _ebs_csi_role(self, name: str) -> iam.Role:
        """IRSA role of the EBS CSI controller: AmazonEBSCSIDriverPolicy, trusted by its service account only."""
        namespace, account = EBS_CSI_SERVICE_ACCOUNT
        trust = pulumi.Output.all(self.oidc_provider_arn, self.oidc_issuer).apply(
            lambda v: json.dumps(irsa_trust_policy(v[0], v[1], namespace, account))
        )
        role = iam.Role(
            fit_name(name, "ebs-csi", IAM_ROLE_MAX),
            description=f"EBS CSI controller ({namespace}/{account})",
            assume_role_policy=trust,
            tags=self._context.tags_for("ebs-csi"),
            opts=self._child(),
        )
        self._ebs_csi_attachment = iam.RolePolicyAttachment(
            f"{name}-ebs-csi", role=role.name, policy_arn=EBS_CSI_POLICY_ARN, opts=self._child()
        )
        return role

    def _addons(self, name: str) -> None:
        self.ebs_csi_role = self._ebs_csi_role(name)
        eks.Addon(
            f"{name}-{EBS_CSI_ADDON}",
            cluster_name=self.name,
            addon_name=EBS_CSI_ADDON,
            service_account_role_arn=self.ebs_csi_role.arn,
            resolve_conflicts_on_create="OVERWRITE",
            resolve_conflicts_on_update="OVERWRITE",
            tags=self._context.tags_for(EBS_CSI_ADDON),
            # Its controller is a Deployment: it needs a node, and the role's policy in place.
            opts=self._child(depends_on=[self.system_node_group, self._ebs_csi_attachment]),
        )
        for addon in (*NODELESS_ADDONS, *NODE_ADDONS):
            needs_nodes = addon in NODE_ADDONS
            eks.Addon(
                f"{name}-{addon}",
                cluster_name=self.name,
                addon_name=addon,
                # Take over the self-managed copies EKS installs at cluster creation.
                resolve_conflicts_on_create="OVERWRITE",
                resolve_conflicts_on_update="OVERWRITE",
                tags=self._context.tags_for(addon),
                opts=self._child(depends_on=[self.system_node_group] if needs_nodes else None),
            )
