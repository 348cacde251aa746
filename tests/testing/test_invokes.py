"""DefaultMocks: realistic ids, auto-naming, computed outputs and invoke answers."""

from __future__ import annotations

import base64
import re

import pulumi
import pulumi_aws as aws
import pytest

from aimodel_infra.testing import DefaultMocks, NoMockAnswerError, ParameterNotFound, run_program

DLAMI = "/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id"
EKS_GPU_AMI = "/aws/service/eks/optimized-ami/1.31/amazon-linux-2023/x86_64/nvidia/recommended/image_id"


def gpu_cluster() -> None:
    vpc = aws.ec2.Vpc("vpc", cidr_block="10.1.0.0/16")
    subnet = aws.ec2.Subnet("a", vpc_id=vpc.id, cidr_block="10.1.0.0/24")
    sg = aws.ec2.SecurityGroup("nodes", vpc_id=vpc.id)
    aws.ec2.LaunchTemplate("gpu", image_id="ami-123", instance_type="p5.48xlarge")
    role = aws.iam.Role("cluster-role", assume_role_policy="{}")
    aws.iam.Role("named-role", name="exact-name", assume_role_policy="{}")
    cluster = aws.eks.Cluster("train", role_arn=role.arn, vpc_config={"subnet_ids": [subnet.id]})
    aws.eks.NodeGroup(
        "gpu",
        cluster_name=cluster.name,
        node_role_arn=role.arn,
        subnet_ids=[subnet.id],
        scaling_config={"min_size": 0, "max_size": 2, "desired_size": 0},
    )
    aws.s3.Bucket("Checkpoints")
    aws.s3.Bucket("explicit", bucket="my-exact-bucket")
    aws.kms.Key("key")
    aws.ec2.Eip("eip")
    aws.cloudwatch.LogGroup("logs")
    pulumi.export("issuer", cluster.identities[0].oidcs[0].issuer)
    pulumi.export("sg", sg.id)


@pytest.fixture(scope="module")
def graph():
    return run_program(gpu_cluster, config={"aws:region": "eu-west-1"})


@pytest.mark.parametrize(
    ("type_", "pattern"),
    [
        ("aws:ec2/vpc:Vpc", r"vpc-[0-9a-f]{17}"),
        ("aws:ec2/subnet:Subnet", r"subnet-[0-9a-f]{17}"),
        ("aws:ec2/securityGroup:SecurityGroup", r"sg-[0-9a-f]{17}"),
        ("aws:ec2/launchTemplate:LaunchTemplate", r"lt-[0-9a-f]{17}"),
        ("aws:ec2/eip:Eip", r"eipalloc-[0-9a-f]{17}"),
        ("aws:kms/key:Key", r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
    ],
)
def test_aws_style_ids(graph, type_: str, pattern: str) -> None:
    assert re.fullmatch(pattern, graph.one(type_).id)


def test_auto_naming_of_physical_names(graph) -> None:
    bucket = graph.one("aws:s3/bucket:Bucket", "Checkpoints")
    assert re.fullmatch(r"checkpoints-[0-9a-f]{7}", bucket.outputs["bucket"])  # S3 names are lower-cased
    assert bucket.id == bucket.outputs["bucket"]
    assert bucket.outputs["arn"] == f"arn:aws:s3:::{bucket.outputs['bucket']}"
    assert bucket.outputs["bucketRegionalDomainName"] == f"{bucket.outputs['bucket']}.s3.eu-west-1.amazonaws.com"
    assert graph.one("aws:s3/bucket:Bucket", "explicit").outputs["bucket"] == "my-exact-bucket"
    role = graph.one("aws:iam/role:Role", "cluster-role")
    assert re.fullmatch(r"cluster-role-[0-9a-f]{7}", role.outputs["name"])
    assert role.outputs["arn"] == f"arn:aws:iam::123456789012:role/{role.outputs['name']}"
    assert graph.one("aws:iam/role:Role", "named-role").outputs["arn"].endswith(":role/exact-name")
    assert re.fullmatch(r"nodes-[0-9a-f]{7}", graph.one("aws:ec2/securityGroup:SecurityGroup").outputs["name"])
    assert re.fullmatch(r"gpu-[0-9a-f]{7}", graph.one("aws:ec2/launchTemplate:LaunchTemplate").outputs["name"])
    assert re.fullmatch(r"logs-[0-9a-f]{7}", graph.one("aws:cloudwatch/logGroup:LogGroup").id)


def test_vpc_and_launch_template_outputs(graph) -> None:
    vpc = graph.one("aws:ec2/vpc:Vpc")
    assert vpc.outputs["cidrBlock"] == "10.1.0.0/16"
    assert vpc.outputs["arn"] == f"arn:aws:ec2:eu-west-1:123456789012:vpc/{vpc.id}"
    assert vpc.outputs["defaultSecurityGroupId"].startswith("sg-")
    assert vpc.outputs["mainRouteTableId"].startswith("rtb-")
    lt = graph.one("aws:ec2/launchTemplate:LaunchTemplate")
    assert lt.outputs["latestVersion"] == 1
    assert lt.outputs["arn"].endswith(f":launch-template/{lt.id}")
    assert graph.one("aws:ec2/subnet:Subnet").outputs["availabilityZone"] == "eu-west-1a"


def test_eks_outputs(graph) -> None:
    cluster = graph.one("aws:eks/cluster:Cluster")
    name = cluster.outputs["name"]
    assert re.fullmatch(r"train-[0-9a-f]{7}", name) and cluster.id == name
    assert re.fullmatch(r"https://[0-9A-F]{32}\.gr7\.eu-west-1\.eks\.amazonaws\.com", cluster.outputs["endpoint"])
    assert base64.b64decode(cluster.outputs["certificateAuthority"]["data"]).startswith(b"-----BEGIN CERTIFICATE")
    issuer = graph.stack_outputs["issuer"]
    assert re.fullmatch(r"https://oidc\.eks\.eu-west-1\.amazonaws\.com/id/[0-9A-F]{32}", issuer)
    assert cluster.outputs["vpcConfig"]["clusterSecurityGroupId"].startswith("sg-")
    assert cluster.outputs["vpcConfig"]["subnetIds"] == [graph.one("aws:ec2/subnet:Subnet").id]
    assert cluster.outputs["status"] == "ACTIVE"
    ng = graph.one("aws:eks/nodeGroup:NodeGroup")
    assert ng.inputs["clusterName"] == name
    assert ng.id == f"{name}:{ng.outputs['nodeGroupName']}"
    assert ng.outputs["resources"][0]["autoscalingGroups"][0]["name"].startswith("eks-")


def test_ids_are_deterministic(graph) -> None:
    again = run_program(gpu_cluster, config={"aws:region": "eu-west-1"})
    assert [(r.name, r.id, r.outputs) for r in again.resources] == [(r.name, r.id, r.outputs) for r in graph.resources]


@pytest.mark.parametrize(
    ("region", "zones"),
    [("us-east-1", "abcdef"), ("us-west-2", "abcd"), ("eu-west-1", "abc")],
)
def test_availability_zones_follow_region_config(region: str, zones: str) -> None:
    def program() -> None:
        azs = aws.get_availability_zones()
        pulumi.export("names", azs.names)
        pulumi.export("ids", azs.zone_ids)

    graph = run_program(program, config={"aws:region": region})
    assert graph.stack_outputs["names"] == [f"{region}{z}" for z in zones]
    assert len(set(graph.stack_outputs["ids"])) == len(zones)


def test_availability_zones_default_region_and_exclusions() -> None:
    def program() -> None:
        pulumi.export("names", aws.get_availability_zones(exclude_names=["us-east-1e"]).names)

    assert run_program(program).stack_outputs["names"] == [
        "us-east-1a",
        "us-east-1b",
        "us-east-1c",
        "us-east-1d",
        "us-east-1f",
    ]


def test_region_from_explicit_provider() -> None:
    def program() -> None:
        tokyo = aws.Provider("tokyo", region="ap-northeast-1")
        pulumi.export("names", aws.get_availability_zones(opts=pulumi.InvokeOptions(provider=tokyo)).names)
        pulumi.export("region", aws.get_region(opts=pulumi.InvokeOptions(provider=tokyo)).region)

    graph = run_program(program, config={"aws:region": "us-east-1"})
    assert graph.stack_outputs["names"][0] == "ap-northeast-1a"
    assert graph.stack_outputs["region"] == "ap-northeast-1"


def test_identity_region_partition() -> None:
    def program() -> None:
        me = aws.get_caller_identity()
        pulumi.export("account", me.account_id)
        pulumi.export("arn", me.arn)
        pulumi.export("region", aws.get_region().region)
        part = aws.get_partition()
        pulumi.export("partition", part.partition)
        pulumi.export("dns", part.dns_suffix)

    out = run_program(program, config={"aws:region": "us-west-2"}).stack_outputs
    assert out["account"] == "123456789012"
    assert out["arn"].startswith("arn:aws:iam::123456789012:")
    assert (out["region"], out["partition"], out["dns"]) == ("us-west-2", "aws", "amazonaws.com")


def test_ssm_public_parameters() -> None:
    def program() -> None:
        pulumi.export("dlami", aws.ssm.get_parameter(name=DLAMI).value)
        pulumi.export("eks", aws.ssm.get_parameter(name=EKS_GPU_AMI).value)
        pulumi.export(
            "al2023",
            aws.ssm.get_parameter(name="/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64").value,
        )

    east = run_program(program).stack_outputs
    west = run_program(program, config={"aws:region": "us-west-2"}).stack_outputs
    for value in east.values():
        assert re.fullmatch(r"ami-[0-9a-f]{17}", value)
    assert len(set(east.values())) == 3
    assert east["dlami"] != west["dlami"]  # AMI ids are regional


def test_ssm_unknown_parameter_fails_like_aws() -> None:
    def program() -> None:
        aws.ssm.get_parameter(name="/aws/service/deeplearning/ami/x86_64/nonexistent")

    with pytest.raises(ParameterNotFound, match=r"ParameterNotFound.*nonexistent"):
        run_program(program)


def test_unknown_invoke_names_the_token() -> None:
    def program() -> None:
        aws.ec2.get_vpc(default=True)

    with pytest.raises(NoMockAnswerError, match=r"aws:ec2/getVpc:getVpc"):
        run_program(program)


def test_user_tables_extend_the_defaults() -> None:
    mocks = DefaultMocks(
        outputs={
            "aws:sqs/queue:Queue": lambda args: {"url": f"https://sqs.local/{args.name}", "id": "q-1"},
            "aws:s3/bucket:Bucket": {"region": "mars-1"},
        },
        invokes={"aws:ec2/getVpc:getVpc": lambda args: {"id": "vpc-default", "cidrBlock": "172.31.0.0/16"}},
        ssm_parameters={"/team/ami": "ami-0team"},
    )

    def program() -> None:
        q = aws.sqs.Queue("jobs")
        aws.s3.Bucket("b")
        pulumi.export("url", q.url)
        pulumi.export("vpc", aws.ec2.get_vpc(default=True).cidr_block)
        pulumi.export("ami", aws.ssm.get_parameter(name="/team/ami").value)

    graph = run_program(program, mocks=mocks)
    assert graph.one("aws:sqs/queue:Queue").id == "q-1"
    assert graph.stack_outputs == {"url": "https://sqs.local/jobs", "vpc": "172.31.0.0/16", "ami": "ami-0team"}
    assert graph.one("aws:s3/bucket:Bucket").outputs["region"] == "mars-1"


def test_policy_document_renders_json() -> None:
    def program() -> None:
        doc = aws.iam.get_policy_document(
            statements=[
                {
                    "actions": ["sts:AssumeRoleWithWebIdentity"],
                    "principals": [{"type": "Federated", "identifiers": ["arn:aws:iam::123456789012:oidc-provider/x"]}],
                    "conditions": [
                        {"test": "StringEquals", "variable": "x:sub", "values": ["system:serviceaccount:a:b"]}
                    ],
                }
            ]
        )
        pulumi.export("json", doc.json)

    import json

    doc = json.loads(run_program(program).stack_outputs["json"])
    stmt = doc["Statement"][0]
    assert stmt["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert stmt["Principal"] == {"Federated": "arn:aws:iam::123456789012:oidc-provider/x"}
    assert stmt["Condition"] == {"StringEquals": {"x:sub": "system:serviceaccount:a:b"}}


def test_unknown_types_echo_inputs_with_name_id() -> None:
    graph = run_program(lambda: aws.sns.Topic("alerts", display_name="Alerts"))
    topic = graph.one("aws:sns/topic:Topic")
    assert topic.id == "alerts_id"
    assert topic.outputs["displayName"] == "Alerts"
    assert re.fullmatch(r"alerts-[0-9a-f]{7}", topic.outputs["name"])


@pytest.mark.parametrize(
    ("token", "config", "expected"),
    [
        (
            "gcp:compute/getZones:getZones",
            {"gcp:region": "europe-west4"},
            {"names": ["europe-west4-a", "europe-west4-b", "europe-west4-c"]},
        ),
        ("gcp:compute/getZones:getZones", {}, {"region": "us-central1"}),
        ("azure-native:authorization:getClientConfig", {}, {"subscriptionId": "00000000-0000-0000-0000-000000000000"}),
    ],
)
def test_gcp_and_azure_defaults(token: str, config: dict, expected: dict) -> None:
    from pulumi.runtime.mocks import MockCallArgs

    answers: list[dict] = []

    def program() -> None:  # config is only visible inside a run
        answers.append(DefaultMocks().call(MockCallArgs(token=token, args={}, provider="")))

    run_program(program, config=config)
    assert expected.items() <= answers[0].items()


def test_offline_placeholders_answer_lookups_of_the_users_account_and_say_so() -> None:
    def program() -> None:
        pulumi.export("param", aws.ssm.get_parameter_output(name="/my/team/ami").value)
        pulumi.export("key", aws.kms.get_key_output(key_id="alias/team-key").arn)

    outputs = run_program(program, mocks=DefaultMocks(offline_placeholders=True)).stack_outputs

    assert outputs["param"] == "unresolved-offline:ssm-parameter:/my/team/ami"
    assert re.fullmatch(r"arn:aws:kms:us-east-1:\d{12}:key/unresolved-offline-team-key", outputs["key"])
