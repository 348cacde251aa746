"""Cluster: EKS with a private endpoint, encrypted secrets, audit logs, IRSA, add-ons and system nodes."""

from __future__ import annotations

import ipaddress
import json
from typing import Any

import pulumi
import pytest
import yaml

from aimodel_infra.aws.cluster import (
    CLUSTER_POLICY_ARN,
    LOG_TYPES,
    SECRETS_KEY_ACTIONS,
    Cluster,
    ClusterArgs,
)
from aimodel_infra.aws.network import Network, NetworkArgs
from aimodel_infra.aws.node_plan import EKS_AMI_TYPE_CPU, SYSTEM_INSTANCE_TYPE
from aimodel_infra.aws.nodes import IMDS_HOP_LIMIT, NODE_POLICY_ARNS
from aimodel_infra.testing import RecordedResource, ResourceGraph, run_program

from .example_stack import moto_run

EKS = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
ROLE = "aws:iam/role:Role"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
KEY = "aws:kms/key:Key"
OIDC = "aws:iam/openIdConnectProvider:OpenIdConnectProvider"
EC2_TAG = "aws:ec2/tag:Tag"
ADDON = "aws:eks/addon:Addon"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
EXPORTED = ("name", "endpoint", "certificate_authority", "oidc_provider_arn", "oidc_issuer", "kubeconfig",
            "cluster_security_group_id", "private", "public")  # fmt: skip


def build(env, context) -> ResourceGraph:
    def program() -> None:
        network = Network("net", NetworkArgs(env.network, context))
        cluster = Cluster("eks", ClusterArgs(env.cluster, context, network))
        for attribute in EXPORTED[:-2]:
            pulumi.export(attribute, getattr(cluster, attribute))
        pulumi.export("private", network.private_subnet_ids)
        pulumi.export("public", network.public_subnet_ids)

    return run_program(program)


@pytest.fixture(scope="module")
def dev(aws_env, aws_context) -> ResourceGraph:
    return build(aws_env, aws_context)


def role_of(graph: ResourceGraph, role_arn: str) -> RecordedResource:
    (role,) = [r for r in graph.of_type(ROLE) if r.outputs["arn"] == role_arn]
    return role


def attached(graph: ResourceGraph, role: RecordedResource) -> list[str]:
    return sorted(a.inputs["policyArn"] for a in graph.of_type(ATTACHMENT) if a.inputs["role"] == role.outputs["name"])


def role_name(graph: ResourceGraph, arn: str) -> str:
    return role_of(graph, arn).outputs["name"]


def cluster_of(graph: ResourceGraph) -> RecordedResource:
    return graph.one(EKS)


def system_group(graph: ResourceGraph) -> RecordedResource:
    return graph.one(NODE_GROUP)


# -- control plane ------------------------------------------------------------------------------
def test_control_plane_role_is_trusted_by_eks_and_holds_the_cluster_policy(dev: ResourceGraph) -> None:
    role = role_of(dev, cluster_of(dev).inputs["roleArn"])
    trust = json.loads(role.inputs["assumeRolePolicy"])
    assert [s["Principal"] for s in trust["Statement"]] == [{"Service": "eks.amazonaws.com"}]
    assert attached(dev, role) == [CLUSTER_POLICY_ARN]


def test_cluster_waits_for_its_roles_permissions(dev: ResourceGraph) -> None:
    role = role_of(dev, cluster_of(dev).inputs["roleArn"])
    grants = [
        r
        for r in (*dev.of_type(ATTACHMENT), *dev.of_type(ROLE_POLICY))
        if r.inputs["role"] in (role.id, role.outputs["name"])
    ]
    assert len(grants) == 2
    assert {g.urn for g in grants} <= set(cluster_of(dev).dependencies)


def test_cluster_uses_the_spec_version_and_the_private_subnets(dev: ResourceGraph, aws_env) -> None:
    cluster = cluster_of(dev)
    assert cluster.inputs["version"] == aws_env.cluster.kubernetes_version
    assert cluster.inputs["vpcConfig"]["subnetIds"] == dev.stack_outputs["private"]


def test_api_endpoint_is_private_by_default(dev: ResourceGraph) -> None:
    vpc = cluster_of(dev).inputs["vpcConfig"]
    assert vpc["endpointPrivateAccess"] is True
    assert vpc["endpointPublicAccess"] is False
    assert "publicAccessCidrs" not in vpc


def test_a_public_endpoint_is_open_only_to_the_allowed_cidrs(env_variant, context_for) -> None:
    cidrs = ["203.0.113.0/24", "198.51.100.7/32"]
    env = env_variant(cluster={"public_endpoint": True, "allowed_cidrs": cidrs})
    vpc = cluster_of(build(env, context_for(env))).inputs["vpcConfig"]
    assert vpc["endpointPublicAccess"] is True
    assert vpc["endpointPrivateAccess"] is True  # nodes keep talking to the API inside the VPC
    assert vpc["publicAccessCidrs"] == cidrs


def test_secrets_are_envelope_encrypted_with_a_rotating_key(dev: ResourceGraph) -> None:
    key = dev.one(KEY)
    assert key.inputs["enableKeyRotation"] is True
    encryption = cluster_of(dev).inputs["encryptionConfig"]
    assert encryption["resources"] == ["secrets"]
    assert encryption["provider"]["keyArn"] == key.outputs["arn"]


def test_control_plane_role_may_use_the_secrets_key_and_nothing_else(dev: ResourceGraph) -> None:
    (policy,) = [p for p in dev.of_type(ROLE_POLICY) if dev.parent_of(p).type == "aimodel:aws:Cluster"]
    (statement,) = json.loads(policy.inputs["policy"])["Statement"]
    assert statement["Resource"] == dev.one(KEY).outputs["arn"]
    assert statement["Action"] == list(SECRETS_KEY_ACTIONS)
    assert all(action.startswith("kms:") and "*" not in action for action in statement["Action"])


def test_every_control_plane_log_type_is_enabled(dev: ResourceGraph) -> None:
    wanted = {"api", "audit", "authenticator", "controllerManager", "scheduler"}
    assert set(cluster_of(dev).inputs["enabledClusterLogTypes"]) == wanted


def test_access_is_by_access_entries_with_the_creator_as_admin(dev: ResourceGraph) -> None:
    access = cluster_of(dev).inputs["accessConfig"]
    assert access == {"authenticationMode": "API", "bootstrapClusterCreatorAdminPermissions": True}


@pytest.mark.parametrize("service_cidr", ["172.20.0.0/16", "192.168.128.0/20"])
def test_service_addresses_come_from_the_spec(service_cidr: str, env_variant, context_for) -> None:
    env = env_variant(network={"service_cidr": service_cidr})
    network_config = cluster_of(build(env, context_for(env))).inputs["kubernetesNetworkConfig"]
    assert ipaddress.IPv4Network(network_config["serviceIpv4Cidr"]) == env.network.service_cidr


# -- subnet discovery and identity --------------------------------------------------------------
def test_every_subnet_is_tagged_as_shared_with_the_cluster(dev: ResourceGraph) -> None:
    name = cluster_of(dev).outputs["name"]
    tags = dev.of_type(EC2_TAG)
    assert sorted(t.inputs["resourceId"] for t in tags) == sorted(
        dev.stack_outputs["private"] + dev.stack_outputs["public"]
    )
    assert {(t.inputs["key"], t.inputs["value"]) for t in tags} == {(f"kubernetes.io/cluster/{name}", "shared")}


def test_oidc_provider_trusts_the_clusters_issuer_for_sts(dev: ResourceGraph) -> None:
    issuer = cluster_of(dev).outputs["identities"][0]["oidcs"][0]["issuer"]
    provider = dev.one(OIDC)
    assert provider.inputs["url"] == issuer
    assert provider.inputs["clientIdLists"] == ["sts.amazonaws.com"]
    assert dev.stack_outputs["oidc_provider_arn"] == provider.outputs["arn"]
    assert dev.stack_outputs["oidc_issuer"] == issuer.removeprefix("https://")
    assert not dev.stack_outputs["oidc_issuer"].startswith("https://")


def test_public_attributes_are_the_clusters_outputs(dev: ResourceGraph) -> None:
    outputs = cluster_of(dev).outputs
    assert dev.stack_outputs["name"] == outputs["name"]
    assert dev.stack_outputs["endpoint"] == outputs["endpoint"]
    assert dev.stack_outputs["certificate_authority"] == outputs["certificateAuthority"]["data"]
    assert dev.stack_outputs["cluster_security_group_id"] == outputs["vpcConfig"]["clusterSecurityGroupId"]


def test_kubeconfig_is_secret_and_authenticates_with_aws_eks_get_token(dev: ResourceGraph, aws_env) -> None:
    assert "kubeconfig" in dev.secret_outputs
    config = yaml.safe_load(dev.stack_outputs["kubeconfig"])
    outputs = cluster_of(dev).outputs
    (cluster,) = config["clusters"]
    assert cluster["cluster"] == {
        "server": outputs["endpoint"],
        "certificate-authority-data": outputs["certificateAuthority"]["data"],
    }
    (user,) = config["users"]
    command = [user["user"]["exec"]["command"], *user["user"]["exec"]["args"]]
    assert command[:3] == ["aws", "eks", "get-token"]
    assert command[command.index("--cluster-name") + 1] == outputs["name"]
    assert command[command.index("--region") + 1] == aws_env.region
    assert config["current-context"] in [c["name"] for c in config["contexts"]]


# -- system nodes and add-ons -------------------------------------------------------------------
def test_system_nodes_are_a_fixed_on_demand_cpu_group_in_the_private_subnets(dev: ResourceGraph, aws_env) -> None:
    group = system_group(dev)
    assert group.inputs["instanceTypes"] == [SYSTEM_INSTANCE_TYPE]
    assert group.inputs["amiType"] == EKS_AMI_TYPE_CPU
    assert group.inputs["capacityType"] == "ON_DEMAND"
    size = aws_env.cluster.system_nodes
    assert group.inputs["scalingConfig"] == {"minSize": size, "desiredSize": size, "maxSize": size}
    assert group.inputs["subnetIds"] == dev.stack_outputs["private"]
    assert group.inputs["clusterName"] == cluster_of(dev).outputs["name"]


def test_system_nodes_have_their_own_minimal_node_role(dev: ResourceGraph) -> None:
    group = system_group(dev)
    role = role_of(dev, group.inputs["nodeRoleArn"])
    assert role.outputs["arn"] != cluster_of(dev).inputs["roleArn"]
    assert json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com"}
    assert attached(dev, role) == sorted(NODE_POLICY_ARNS)
    role_grants = {a.urn for a in dev.of_type(ATTACHMENT) if a.inputs["role"] == role.outputs["name"]}
    assert role_grants <= set(group.dependencies)


def test_system_nodes_require_imdsv2_and_encrypt_their_disks(dev: ResourceGraph) -> None:
    template = dev.one(LAUNCH_TEMPLATE)
    assert system_group(dev).inputs["launchTemplate"]["id"] == template.id
    assert template.inputs["metadataOptions"]["httpTokens"] == "required"
    assert template.inputs["metadataOptions"]["httpPutResponseHopLimit"] == IMDS_HOP_LIMIT
    (disk,) = template.inputs["blockDeviceMappings"]
    assert disk["ebs"]["encrypted"] == "true"


def test_core_addons_are_installed_and_coredns_waits_for_the_system_nodes(dev: ResourceGraph) -> None:
    addons = {a.inputs["addonName"]: a for a in dev.of_type(ADDON)}
    assert set(addons) == {"vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent", "aws-ebs-csi-driver"}
    assert all(a.inputs["clusterName"] == cluster_of(dev).outputs["name"] for a in addons.values())
    system = system_group(dev).urn
    needs_nodes = {"coredns", "aws-ebs-csi-driver"}
    assert all(system in addons[name].dependencies for name in needs_nodes)
    assert not any(system in a.dependencies for name, a in addons.items() if name not in needs_nodes)


def test_the_ebs_csi_driver_runs_as_its_own_irsa_role_with_the_ebs_policy_only(dev: ResourceGraph) -> None:
    (addon,) = [a for a in dev.of_type(ADDON) if a.inputs["addonName"] == "aws-ebs-csi-driver"]
    role = role_of(dev, addon.inputs["serviceAccountRoleArn"])
    (statement,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    conditions = statement["Condition"]["StringEquals"]
    assert sorted(conditions.values()) == [
        "sts.amazonaws.com",
        "system:serviceaccount:kube-system:ebs-csi-controller-sa",
    ]
    attached = [a.inputs["policyArn"] for a in dev.of_type(ATTACHMENT) if a.inputs["role"] == role.outputs["name"]]
    assert attached == ["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"]


def test_control_plane_logs_go_to_a_log_group_made_first_with_retention_and_tags(dev: ResourceGraph) -> None:
    cluster = cluster_of(dev)
    (group,) = [
        g for g in dev.of_type("aws:cloudwatch/logGroup:LogGroup") if g.inputs.get("name", "").startswith("/aws/eks/")
    ]
    assert group.inputs["name"] == f"/aws/eks/{cluster.inputs['name']}/cluster"
    assert group.inputs["retentionInDays"] == 90
    assert group.inputs["tags"]["aimodel-environment"] == "aws-dev"
    assert group.urn in cluster.dependencies


def test_the_cluster_never_drifts_into_paid_extended_support(dev: ResourceGraph) -> None:
    assert cluster_of(dev).inputs["upgradePolicy"] == {"supportType": "STANDARD"}


@pytest.mark.parametrize("protected", [False, True])
def test_deletion_protection_follows_the_spec(env_variant, aws_context, protected: bool) -> None:
    env = env_variant(cluster={"deletion_protection": protected})
    assert cluster_of(build(env, aws_context)).inputs["deletionProtection"] is protected


def test_every_taggable_resource_carries_the_environment_tags(dev: ResourceGraph, aws_context) -> None:
    taggable = (EKS, NODE_GROUP, ROLE, KEY, OIDC, ADDON, LAUNCH_TEMPLATE)
    for resource in dev.resources:
        if resource.type in taggable:
            assert resource.inputs["tags"].items() >= aws_context.tags.items(), resource


# -- applied to moto ----------------------------------------------------------------------------
def test_moto_accepts_the_cluster_as_specified(aws_env) -> None:
    run = moto_run()
    cluster: dict[str, Any] = run.aws["cluster"]
    private = [
        s["SubnetId"]
        for s in run.aws["subnets"]
        if s["Tags"] and any(t["Key"] == "kubernetes.io/role/internal-elb" for t in s["Tags"])
    ]
    assert sorted(cluster["resourcesVpcConfig"]["subnetIds"]) == sorted(private)
    assert cluster["resourcesVpcConfig"]["endpointPublicAccess"] is False
    assert cluster["version"] == aws_env.cluster.kubernetes_version
    assert cluster["encryptionConfig"][0]["resources"] == ["secrets"]
    assert all(run.aws["keys"].values())  # rotation on for every key, the secrets key included
    (logging,) = cluster["logging"]["clusterLogging"]
    assert logging["enabled"] and sorted(logging["types"]) == sorted(LOG_TYPES)
    assert run.aws["attached_policies"][role_name(run.graph, cluster["roleArn"])] == [CLUSTER_POLICY_ARN]
