"""MotoBackend: AWS resources are applied to moto and read back with boto3."""

from __future__ import annotations

import base64
import json

import pulumi
import pulumi_aws as aws
import pytest

from aimodel_infra.aws.testing.moto import Apply
from aimodel_infra.testing import MotoApplyError, MotoBackend, ResourceGraph, run_program

REGION = "us-west-2"
ASSUME_EC2 = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
)
USER_DATA = base64.b64encode(b"#!/bin/bash\nnvidia-smi\n").decode()


def training_env() -> None:
    vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16", enable_dns_support=True, enable_dns_hostnames=True)
    zones = aws.get_availability_zones()
    subnets = [
        aws.ec2.Subnet(f"private-{i}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24", availability_zone=zones.names[i])
        for i in range(2)
    ]
    public = aws.ec2.Subnet("public", vpc_id=vpc.id, cidr_block="10.0.100.0/24", map_public_ip_on_launch=True)
    igw = aws.ec2.InternetGateway("igw", vpc_id=vpc.id)
    nat = aws.ec2.NatGateway("nat", subnet_id=public.id, allocation_id=aws.ec2.Eip("nat-ip", domain="vpc").id)
    public_rt = aws.ec2.RouteTable(
        "public-rt", vpc_id=vpc.id, routes=[{"cidr_block": "0.0.0.0/0", "gateway_id": igw.id}]
    )
    aws.ec2.RouteTableAssociation("public-assoc", route_table_id=public_rt.id, subnet_id=public.id)
    private_rt = aws.ec2.RouteTable("private-rt", vpc_id=vpc.id)
    aws.ec2.Route(
        "private-default", route_table_id=private_rt.id, destination_cidr_block="0.0.0.0/0", nat_gateway_id=nat.id
    )
    aws.ec2.VpcEndpoint(
        "s3-endpoint",
        vpc_id=vpc.id,
        service_name=f"com.amazonaws.{REGION}.s3",
        vpc_endpoint_type="Gateway",
        route_table_ids=[private_rt.id],
    )
    sg = aws.ec2.SecurityGroup(
        "nodes",
        vpc_id=vpc.id,
        description="GPU nodes",
        egress=[{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}],
    )
    aws.ec2.SecurityGroupRule(
        "efa-self", type="ingress", security_group_id=sg.id, protocol="-1", from_port=0, to_port=0, self=True
    )
    aws.vpc.SecurityGroupIngressRule(
        "ssh", security_group_id=sg.id, ip_protocol="tcp", from_port=22, to_port=22, cidr_ipv4="10.0.0.0/8"
    )

    bucket = aws.s3.Bucket("checkpoints", tags={"team": "ml"})
    aws.s3.BucketVersioning("versioning", bucket=bucket.id, versioning_configuration={"status": "Enabled"})
    key = aws.kms.Key("data-key", description="checkpoint encryption", enable_key_rotation=True)
    aws.kms.Alias("data-key-alias", name="alias/checkpoints", target_key_id=key.key_id)
    aws.s3.BucketServerSideEncryptionConfiguration(
        "sse",
        bucket=bucket.id,
        rules=[
            {
                "apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms", "kms_master_key_id": key.arn},
                "bucket_key_enabled": True,
            }
        ],
    )
    aws.s3.BucketPublicAccessBlock(
        "no-public",
        bucket=bucket.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
    )
    aws.s3.BucketOwnershipControls("owner", bucket=bucket.id, rule={"object_ownership": "BucketOwnerEnforced"})
    aws.s3.BucketPolicy(
        "tls-only",
        bucket=bucket.id,
        policy=bucket.arn.apply(
            lambda arn: json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "s3:*",
                            "Resource": [arn, f"{arn}/*"],
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                        }
                    ],
                }
            )
        ),
    )
    aws.s3.BucketLifecycleConfiguration(
        "lifecycle",
        bucket=bucket.id,
        rules=[
            {
                "id": "old-checkpoints",
                "status": "Enabled",
                "filter": {"prefix": "ckpt/"},
                "transitions": [{"days": 30, "storage_class": "GLACIER_IR"}],
                "expiration": {"days": 365},
                "abort_incomplete_multipart_upload": {"days_after_initiation": 7},
            }
        ],
    )

    node_role = aws.iam.Role("node-role", assume_role_policy=ASSUME_EC2)
    read = aws.iam.Policy(
        "read-checkpoints",
        policy=bucket.arn.apply(
            lambda arn: json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{arn}/*"}],
                }
            )
        ),
    )
    aws.iam.RolePolicyAttachment("read-attach", role=node_role.name, policy_arn=read.arn)
    aws.iam.RolePolicy(
        "list",
        role=node_role.name,
        policy=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}
        ),
    )
    profile = aws.iam.InstanceProfile("node-profile", role=node_role.name)

    ami = aws.ssm.get_parameter(
        name="/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id"
    )
    lt = aws.ec2.LaunchTemplate(
        "gpu-lt",
        image_id=ami.value,
        instance_type="p5.48xlarge",
        user_data=USER_DATA,
        metadata_options={"http_tokens": "required", "http_endpoint": "enabled", "http_put_response_hop_limit": 2},
        block_device_mappings=[
            {"device_name": "/dev/sda1", "ebs": {"encrypted": "true", "volume_type": "gp3", "volume_size": 500}}
        ],
        iam_instance_profile={"arn": profile.arn},
        vpc_security_group_ids=[sg.id],
        tag_specifications=[{"resource_type": "instance", "tags": {"workload": "training"}}],
    )
    aws.autoscaling.Group(
        "gpu-asg",
        min_size=0,
        max_size=4,
        desired_capacity=0,
        vpc_zone_identifiers=[s.id for s in subnets],
        launch_template={"id": lt.id, "version": "$Latest"},
        tags=[{"key": "workload", "value": "training", "propagate_at_launch": True}],
    )

    aws.autoscaling.Group(
        "spot-asg",
        min_size=0,
        max_size=8,
        vpc_zone_identifiers=[subnets[0].id],
        mixed_instances_policy={
            "launch_template": {
                "launch_template_specification": {"launch_template_id": lt.id},
                "overrides": [{"instance_type": "p4d.24xlarge"}, {"instance_type": "p5.48xlarge"}],
            },
            "instances_distribution": {"on_demand_percentage_above_base_capacity": 0},
        },
    )

    cluster_role = aws.iam.Role("cluster-role", assume_role_policy=ASSUME_EC2)
    cluster = aws.eks.Cluster(
        "train",
        role_arn=cluster_role.arn,
        version="1.31",
        vpc_config={"subnet_ids": [s.id for s in subnets], "endpoint_private_access": True},
        enabled_cluster_log_types=["api", "audit"],
        encryption_config={"resources": ["secrets"], "provider": {"key_arn": key.arn}},
    )
    aws.eks.NodeGroup(
        "h100",
        cluster_name=cluster.name,
        node_role_arn=node_role.arn,
        subnet_ids=[s.id for s in subnets],
        instance_types=["p5.48xlarge"],
        ami_type="AL2023_x86_64_NVIDIA",
        capacity_type="ON_DEMAND",
        scaling_config={"min_size": 0, "max_size": 2, "desired_size": 1},
        labels={"accelerator": "h100"},
        taints=[{"key": "nvidia.com/gpu", "value": "true", "effect": "NO_SCHEDULE"}],
    )
    aws.iam.OpenIdConnectProvider(
        "oidc", url=cluster.identities[0].oidcs[0].issuer, client_id_lists=["sts.amazonaws.com"]
    )
    aws.budgets.Budget(
        "monthly",
        budget_type="COST",
        limit_amount="5000",
        limit_unit="USD",
        time_unit="MONTHLY",
        notifications=[
            {
                "comparison_operator": "GREATER_THAN",
                "notification_type": "ACTUAL",
                "threshold": 80,
                "threshold_type": "PERCENTAGE",
                "subscriber_email_addresses": ["ml-team@example.com"],
            }
        ],
    )
    aws.sqs.Queue("jobs")  # no moto translation: recorded only
    pulumi.export("bucket", bucket.bucket)


@pytest.fixture(scope="module")
def moto_run():
    # One moto session for the module: moto's EC2 backend takes ~1-2 s to initialise per fresh
    # session, so the error-path tests below run nested inside it (their data is shared).
    with MotoBackend(region=REGION) as backend:
        graph = run_program(training_env, backend=backend, config={"aws:region": REGION})
        yield backend, graph


@pytest.fixture
def graph(moto_run) -> ResourceGraph:
    return moto_run[1]


@pytest.fixture
def client(moto_run):
    return moto_run[0].client


def test_vpc_and_subnets_exist_in_moto(graph, client) -> None:
    ec2 = client("ec2")
    vpc = graph.one("aws:ec2/vpc:Vpc")
    assert ec2.describe_vpcs(VpcIds=[vpc.id])["Vpcs"][0]["CidrBlock"] == "10.0.0.0/16"
    dns = ec2.describe_vpc_attribute(VpcId=vpc.id, Attribute="enableDnsHostnames")
    assert dns["EnableDnsHostnames"]["Value"] is True
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc.id]}])["Subnets"]
    assert sorted(s["CidrBlock"] for s in subnets) == ["10.0.0.0/24", "10.0.1.0/24", "10.0.100.0/24"]
    private0 = graph.one("aws:ec2/subnet:Subnet", "private-0")
    assert private0.inputs["vpcId"] == vpc.id  # dependents reference moto's real id
    assert private0.outputs["availabilityZone"] == "us-west-2a"
    public = next(s for s in subnets if s["CidrBlock"] == "10.0.100.0/24")
    assert public["MapPublicIpOnLaunch"] is True
    # computed outputs come from moto, not the default mocks
    sgs = ec2.describe_security_groups(GroupIds=[vpc.outputs["defaultSecurityGroupId"]])["SecurityGroups"]
    assert sgs[0]["GroupName"] == "default"


def test_routing_and_endpoint(graph, client) -> None:
    ec2 = client("ec2")
    public_rt = ec2.describe_route_tables(RouteTableIds=[graph.one("aws:ec2/routeTable:RouteTable", "public-rt").id])
    routes = public_rt["RouteTables"][0]["Routes"]
    igw = graph.one("aws:ec2/internetGateway:InternetGateway")
    assert {"0.0.0.0/0": igw.id} == {
        r["DestinationCidrBlock"]: r["GatewayId"] for r in routes if r.get("GatewayId", "").startswith("igw-")
    }
    assert public_rt["RouteTables"][0]["Associations"][0]["SubnetId"] == graph.one("aws:ec2/subnet:Subnet", "public").id
    private_rt = ec2.describe_route_tables(RouteTableIds=[graph.one("aws:ec2/routeTable:RouteTable", "private-rt").id])
    nat = graph.one("aws:ec2/natGateway:NatGateway")
    assert any(r.get("NatGatewayId") == nat.id for r in private_rt["RouteTables"][0]["Routes"])
    attached = ec2.describe_internet_gateways(InternetGatewayIds=[igw.id])["InternetGateways"][0]["Attachments"]
    assert attached[0]["VpcId"] == graph.one("aws:ec2/vpc:Vpc").id
    endpoint = ec2.describe_vpc_endpoints(VpcEndpointIds=[graph.one("aws:ec2/vpcEndpoint:VpcEndpoint").id])
    assert endpoint["VpcEndpoints"][0]["ServiceName"] == "com.amazonaws.us-west-2.s3"


def test_security_group_rules(graph, client) -> None:
    sg = graph.one("aws:ec2/securityGroup:SecurityGroup")
    got = client("ec2").describe_security_groups(GroupIds=[sg.id])["SecurityGroups"][0]
    assert got["Description"] == "GPU nodes"
    assert got["GroupName"] == sg.outputs["name"] and got["GroupName"].startswith("nodes-")
    ingress = got["IpPermissions"]
    assert any(p.get("FromPort") == 22 and p["IpRanges"][0]["CidrIp"] == "10.0.0.0/8" for p in ingress)
    assert any(pair["GroupId"] == sg.id for p in ingress for pair in p.get("UserIdGroupPairs", []))
    assert [r["CidrIp"] for p in got["IpPermissionsEgress"] for r in p["IpRanges"]] == ["0.0.0.0/0"]


def test_s3_settings_round_trip(graph, client) -> None:
    s3 = client("s3")
    name = graph.stack_outputs["bucket"]
    assert name.startswith("checkpoints-") and graph.one("aws:s3/bucket:Bucket").id == name
    assert s3.get_bucket_location(Bucket=name)["LocationConstraint"] == REGION
    assert s3.get_bucket_versioning(Bucket=name)["Status"] == "Enabled"
    rule = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert rule["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"] == graph.one("aws:kms/key:Key").outputs["arn"]
    assert rule["BucketKeyEnabled"] is True
    block = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
    assert block == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    owner = s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"][0]
    assert owner["ObjectOwnership"] == "BucketOwnerEnforced"
    policy = json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])
    assert policy["Statement"][0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert policy["Statement"][0]["Resource"][0] == f"arn:aws:s3:::{name}"
    (lifecycle,) = s3.get_bucket_lifecycle_configuration(Bucket=name)["Rules"]
    assert lifecycle["Filter"] == {"Prefix": "ckpt/"}
    assert lifecycle["Transitions"] == [{"Days": 30, "StorageClass": "GLACIER_IR"}]
    assert lifecycle["Expiration"] == {"Days": 365}
    assert lifecycle["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 7}
    assert s3.get_bucket_tagging(Bucket=name)["TagSet"] == [{"Key": "team", "Value": "ml"}]


def test_iam_and_kms(graph, client) -> None:
    iam = client("iam")
    role = graph.one("aws:iam/role:Role", "node-role")
    got = iam.get_role(RoleName=role.outputs["name"])["Role"]
    assert got["Arn"] == role.outputs["arn"]
    assert got["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com"}
    attached = iam.list_attached_role_policies(RoleName=role.outputs["name"])["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == [graph.one("aws:iam/policy:Policy").id]
    assert iam.list_role_policies(RoleName=role.outputs["name"])["PolicyNames"] == [
        graph.one("aws:iam/rolePolicy:RolePolicy").outputs["name"]
    ]
    profile = iam.get_instance_profile(InstanceProfileName=graph.one("aws:iam/instanceProfile:InstanceProfile").id)
    assert [r["RoleName"] for r in profile["InstanceProfile"]["Roles"]] == [role.outputs["name"]]
    kms = client("kms")
    key = graph.one("aws:kms/key:Key")
    assert kms.get_key_rotation_status(KeyId=key.id)["KeyRotationEnabled"] is True
    aliases = kms.list_aliases(KeyId=key.id)["Aliases"]
    assert [a["AliasName"] for a in aliases] == ["alias/checkpoints"]
    oidc = graph.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    got_oidc = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=oidc.id)
    assert got_oidc["ClientIDList"] == ["sts.amazonaws.com"]


def test_launch_template_round_trip(graph, client) -> None:
    lt = graph.one("aws:ec2/launchTemplate:LaunchTemplate")
    versions = client("ec2").describe_launch_template_versions(LaunchTemplateId=lt.id)["LaunchTemplateVersions"]
    data = versions[0]["LaunchTemplateData"]
    assert data["InstanceType"] == "p5.48xlarge"
    assert data["ImageId"] == lt.inputs["imageId"] and data["ImageId"].startswith("ami-")
    assert data["MetadataOptions"] == {
        "HttpTokens": "required",
        "HttpEndpoint": "enabled",
        "HttpPutResponseHopLimit": 2,
    }
    assert data["BlockDeviceMappings"] == [
        {"DeviceName": "/dev/sda1", "Ebs": {"Encrypted": True, "VolumeType": "gp3", "VolumeSize": 500}}
    ]
    assert data["IamInstanceProfile"] == {"Arn": graph.one("aws:iam/instanceProfile:InstanceProfile").outputs["arn"]}
    assert base64.b64decode(data["UserData"]) == b"#!/bin/bash\nnvidia-smi\n"
    assert data["TagSpecifications"] == [
        {"ResourceType": "instance", "Tags": [{"Key": "workload", "Value": "training"}]}
    ]
    assert data["SecurityGroupIds"] == [graph.one("aws:ec2/securityGroup:SecurityGroup").id]
    assert lt.outputs["latestVersion"] == 1


def test_autoscaling_group(graph, client) -> None:
    asg = graph.one("aws:autoscaling/group:Group", "gpu-asg")
    (got,) = client("autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=[asg.id])["AutoScalingGroups"]
    assert (got["MinSize"], got["MaxSize"], got["DesiredCapacity"]) == (0, 4, 0)
    assert got["LaunchTemplate"]["LaunchTemplateId"] == graph.one("aws:ec2/launchTemplate:LaunchTemplate").id
    subnet_ids = {graph.one("aws:ec2/subnet:Subnet", f"private-{i}").id for i in range(2)}
    assert set(got["VPCZoneIdentifier"].split(",")) == subnet_ids
    assert {(t["Key"], t["Value"], t["PropagateAtLaunch"]) for t in got["Tags"]} == {("workload", "training", True)}
    assert asg.outputs["arn"] == got["AutoScalingGroupARN"]


def test_autoscaling_mixed_instances_policy(graph, client) -> None:
    asg = graph.one("aws:autoscaling/group:Group", "spot-asg")
    (got,) = client("autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=[asg.id])["AutoScalingGroups"]
    policy = got["MixedInstancesPolicy"]
    spec = policy["LaunchTemplate"]["LaunchTemplateSpecification"]
    assert spec["LaunchTemplateId"] == graph.one("aws:ec2/launchTemplate:LaunchTemplate").id
    assert [o["InstanceType"] for o in policy["LaunchTemplate"]["Overrides"]] == ["p4d.24xlarge", "p5.48xlarge"]
    assert policy["InstancesDistribution"]["OnDemandPercentageAboveBaseCapacity"] == 0


def test_eks_cluster_and_node_group(graph, client) -> None:
    eks = client("eks")
    cluster = graph.one("aws:eks/cluster:Cluster")
    got = eks.describe_cluster(name=cluster.id)["cluster"]
    assert got["version"] == "1.31"
    assert got["roleArn"] == graph.one("aws:iam/role:Role", "cluster-role").outputs["arn"]
    assert set(got["resourcesVpcConfig"]["subnetIds"]) == {
        graph.one("aws:ec2/subnet:Subnet", f"private-{i}").id for i in range(2)
    }
    assert got["encryptionConfig"][0]["provider"]["keyArn"] == graph.one("aws:kms/key:Key").outputs["arn"]
    assert got["logging"]["clusterLogging"][0]["types"] == ["api", "audit"]
    assert cluster.outputs["endpoint"] == got["endpoint"]
    assert cluster.outputs["identities"][0]["oidcs"][0]["issuer"] == got["identity"]["oidc"]["issuer"]
    ng = graph.one("aws:eks/nodeGroup:NodeGroup")
    got_ng = eks.describe_nodegroup(clusterName=cluster.id, nodegroupName=ng.outputs["nodeGroupName"])["nodegroup"]
    assert got_ng["scalingConfig"] == {"minSize": 0, "maxSize": 2, "desiredSize": 1}
    assert (got_ng["capacityType"], got_ng["amiType"], got_ng["instanceTypes"]) == (
        "ON_DEMAND",
        "AL2023_x86_64_NVIDIA",
        ["p5.48xlarge"],
    )
    assert got_ng["labels"] == {"accelerator": "h100"}
    assert got_ng["taints"] == [{"key": "nvidia.com/gpu", "value": "true", "effect": "NO_SCHEDULE"}]
    assert got_ng["nodeRole"] == graph.one("aws:iam/role:Role", "node-role").outputs["arn"]
    assert got_ng["version"] == "1.31"  # defaults to the cluster's version, as EKS does
    assert ng.outputs["resources"][0]["autoscalingGroups"] == [
        {"name": g["name"]} for g in got_ng["resources"]["autoScalingGroups"]
    ]


def test_budget(graph, client) -> None:
    budget = graph.one("aws:budgets/budget:Budget")
    got = client("budgets").describe_budget(AccountId="123456789012", BudgetName=budget.outputs["name"])["Budget"]
    assert got["BudgetLimit"] == {"Amount": "5000", "Unit": "USD"}
    assert got["TimeUnit"] == "MONTHLY"


def test_untranslated_types_are_reported(graph) -> None:
    assert graph.unapplied == {"aws:sqs/queue:Queue": "no moto translation; answered by DefaultMocks"}
    assert graph.one("aws:sqs/queue:Queue").id == "jobs_id"


def test_availability_zones_come_from_moto(graph, client) -> None:
    zones = [z["ZoneName"] for z in client("ec2").describe_availability_zones()["AvailabilityZones"]]
    assert graph.one("aws:ec2/subnet:Subnet", "private-1").inputs["availabilityZone"] == zones[1]


def test_subnet_outside_vpc_fails_naming_the_resource(moto_run) -> None:
    def program() -> None:
        vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
        aws.ec2.Subnet("stray", vpc_id=vpc.id, cidr_block="192.168.0.0/24")

    with pytest.raises(MotoApplyError, match=r"aws:ec2/subnet:Subnet 'stray'.*InvalidSubnet\.Range") as err:
        run_program(program, backend=MotoBackend())
    assert err.value.type == "aws:ec2/subnet:Subnet" and err.value.name == "stray"


def test_program_error_wins_over_a_later_rejection(moto_run) -> None:
    def program() -> None:
        vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
        aws.ec2.Subnet("stray", vpc_id=vpc.id, cidr_block="192.168.0.0/24")
        raise ValueError("spec invalid")

    with pytest.raises(ValueError, match="spec invalid") as err:
        run_program(program, backend=MotoBackend())
    assert isinstance(err.value.__context__, MotoApplyError)


def test_botocore_validation_fails_naming_the_resource(moto_run) -> None:
    def program() -> None:
        aws.iam.Role("bad", assume_role_policy=ASSUME_EC2, max_session_duration=60)  # AWS minimum is 3600

    with pytest.raises(MotoApplyError, match=r"aws:iam/role:Role 'bad'"):
        run_program(program, backend=MotoBackend())


def test_user_data_must_be_base64(moto_run) -> None:
    def program() -> None:
        aws.ec2.LaunchTemplate("lt", image_id="ami-12345678", user_data="#!/bin/bash\necho not-encoded")

    with pytest.raises(MotoApplyError, match=r"LaunchTemplate 'lt'.*base64"):
        run_program(program, backend=MotoBackend())


def test_backend_without_with_runs_moto_only_for_the_run(moto_run) -> None:
    backend = MotoBackend()
    graph = run_program(lambda: aws.ec2.Vpc("vpc", cidr_block="10.9.0.0/16"), backend=backend)
    assert graph.one("aws:ec2/vpc:Vpc").id.startswith("vpc-")
    with pytest.raises(RuntimeError, match="moto is off"):
        backend.client("ec2")


def test_preview_applies_nothing(moto_run) -> None:
    with MotoBackend() as backend:
        graph = run_program(lambda: aws.ec2.Vpc("vpc", cidr_block="10.77.0.0/16"), backend=backend, preview=True)
        vpcs = backend.client("ec2").describe_vpcs(Filters=[{"Name": "cidr", "Values": ["10.77.0.0/16"]}])["Vpcs"]
    assert vpcs == []
    assert graph.unapplied == {"aws:ec2/vpc:Vpc": "preview: nothing is applied to moto"}


def test_ssm_parameters_put_in_moto_are_used(moto_run) -> None:
    with MotoBackend() as backend:
        backend.client("ssm").put_parameter(Name="/team/ami", Value="ami-0123456789abcdef0", Type="String")

        def program() -> None:
            pulumi.export("ami", aws.ssm.get_parameter(name="/team/ami").value)

        assert run_program(program, backend=backend).stack_outputs == {"ami": "ami-0123456789abcdef0"}


def test_custom_translators_extend_the_table(moto_run) -> None:
    def queue(apply: Apply) -> tuple[str, dict]:
        url = apply.client("sqs").create_queue(QueueName=apply.inputs["name"])["QueueUrl"]
        return url, {"url": url}

    with MotoBackend(translators={"aws:sqs/queue:Queue": queue}) as backend:
        graph = run_program(lambda: aws.sqs.Queue("work"), backend=backend)
        urls = backend.client("sqs").list_queues()["QueueUrls"]
    assert graph.unapplied == {}
    assert graph.one("aws:sqs/queue:Queue").outputs["url"] in urls


def test_resource_get_creates_nothing_in_moto(moto_run) -> None:
    backend, _ = moto_run
    before = len(backend.client("ec2").describe_vpcs()["Vpcs"])
    graph = run_program(lambda: aws.ec2.Vpc.get("existing", "vpc-0123456789abcdef0"), backend=backend)
    assert graph.one("aws:ec2/vpc:Vpc").read is True
    assert len(backend.client("ec2").describe_vpcs()["Vpcs"]) == before
