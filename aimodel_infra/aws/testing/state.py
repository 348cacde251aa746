"""Realistic ids and computed outputs for AWS resource types, derived deterministically.

Each entry of `AWS_RESOURCES` takes a `Res` (name, inputs with the physical name already
auto-named, region, account) and returns `(id, computed_outputs)`; the mock merges the computed
outputs over the inputs. Everything is derived from the type and logical name, so two runs of the
same program produce the same ids.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from aimodel_infra.plan.naming import AUTONAME_SUFFIX
from aimodel_infra.testing.mocks import Computed, Res, hexdigest

ACCOUNT_ID = "123456789012"


def arn(r: Res, service: str, resource: str, *, regional: bool = True) -> str:
    region = r.region if regional else ""
    return f"arn:aws:{service}:{region}:{r.account}:{resource}"


# type -> (input property Pulumi auto-names when absent, max length, lowercase)
AUTONAMED: dict[str, tuple[str, int, bool]] = {
    "aws:s3/bucket:Bucket": ("bucket", 63, True),
    "aws:s3/bucketV2:BucketV2": ("bucket", 63, True),
    "aws:iam/role:Role": ("name", 64, False),
    "aws:iam/policy:Policy": ("name", 128, False),
    "aws:iam/instanceProfile:InstanceProfile": ("name", 128, False),
    "aws:iam/user:User": ("name", 64, False),
    "aws:iam/rolePolicy:RolePolicy": ("name", 128, False),
    "aws:eks/cluster:Cluster": ("name", 100, False),
    "aws:eks/nodeGroup:NodeGroup": ("nodeGroupName", 63, False),
    "aws:eks/fargateProfile:FargateProfile": ("fargateProfileName", 63, False),
    "aws:autoscaling/group:Group": ("name", 255, False),
    "aws:ec2/launchTemplate:LaunchTemplate": ("name", 128, False),
    "aws:ec2/securityGroup:SecurityGroup": ("name", 255, False),
    "aws:ec2/placementGroup:PlacementGroup": ("name", 255, False),
    "aws:cloudwatch/logGroup:LogGroup": ("name", 512, False),
    "aws:budgets/budget:Budget": ("name", 100, False),
    "aws:sqs/queue:Queue": ("name", 80, False),
    "aws:sns/topic:Topic": ("name", 256, False),
    "aws:ecr/repository:Repository": ("name", 256, True),
    "aws:lb/targetGroup:TargetGroup": ("name", 32, False),
    "aws:kms/alias:Alias": ("name", 256, False),
}
NAME_PREFIX = {"aws:kms/alias:Alias": "alias/"}


def autoname(type_: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """Fill the physical-name input the way Pulumi's auto-naming does: `<name>-<7 hex>`."""
    rule = AUTONAMED.get(type_)
    if rule is None:
        return inputs
    prop, max_len, lower = rule
    if inputs.get(prop) is not None or inputs.get(prop + "Prefix") is not None:
        return inputs
    suffix = "-" + hexdigest(f"{type_}\0{name}\0autoname", AUTONAME_SUFFIX - 1)
    base = name.lower() if lower else name
    physical = NAME_PREFIX.get(type_, "") + base[: max_len - len(suffix)] + suffix
    return {**inputs, prop: physical}


def _ec2(prefix: str) -> Callable[[Res], Computed]:
    def fn(r: Res) -> Computed:
        return f"{prefix}-{r.hex(17)}", {}

    return fn


def _vpc(r: Res) -> Computed:
    id_ = f"vpc-{r.hex(17)}"
    return id_, {
        "arn": arn(r, "ec2", f"vpc/{id_}"),
        "cidrBlock": r.get("cidrBlock", "10.0.0.0/16"),
        "defaultSecurityGroupId": f"sg-{r.hex(17, 'default-sg')}",
        "mainRouteTableId": f"rtb-{r.hex(17, 'main-rtb')}",
        "defaultRouteTableId": f"rtb-{r.hex(17, 'main-rtb')}",
        "defaultNetworkAclId": f"acl-{r.hex(17, 'acl')}",
        "dhcpOptionsId": f"dopt-{r.hex(17, 'dopt')}",
        "enableDnsSupport": r.get("enableDnsSupport", True),
        "enableDnsHostnames": r.get("enableDnsHostnames", False),
        "instanceTenancy": r.get("instanceTenancy", "default"),
        "ownerId": r.account,
    }


def _subnet(r: Res) -> Computed:
    id_ = f"subnet-{r.hex(17)}"
    az = r.get("availabilityZone", f"{r.region}a")
    return id_, {
        "arn": arn(r, "ec2", f"subnet/{id_}"),
        "availabilityZone": az,
        "availabilityZoneId": r.get("availabilityZoneId", zone_id(r.region, az[-1])),
        "mapPublicIpOnLaunch": r.get("mapPublicIpOnLaunch", False),
        "ownerId": r.account,
    }


def _security_group(r: Res) -> Computed:
    id_ = f"sg-{r.hex(17)}"
    return id_, {
        "arn": arn(r, "ec2", f"security-group/{id_}"),
        "ownerId": r.account,
        "ingress": r.get("ingress", []),
        "egress": r.get("egress", []),
    }


def _launch_template(r: Res) -> Computed:
    id_ = f"lt-{r.hex(17)}"
    return id_, {"arn": arn(r, "ec2", f"launch-template/{id_}"), "latestVersion": 1, "defaultVersion": 1}


def _eip(r: Res) -> Computed:
    id_ = f"eipalloc-{r.hex(17)}"
    octets = bytes.fromhex(r.hex(8, "ip"))
    return id_, {
        "allocationId": id_,
        "publicIp": f"3.{octets[1]}.{octets[2]}.{octets[3] or 1}",
        "domain": r.get("domain", "vpc"),
    }


def _nat_gateway(r: Res) -> Computed:
    id_ = f"nat-{r.hex(17)}"
    octets = bytes.fromhex(r.hex(8, "ip"))
    return id_, {
        "networkInterfaceId": f"eni-{r.hex(17, 'eni')}",
        "privateIp": f"10.0.{octets[0]}.{octets[1] or 1}",
        "publicIp": f"3.{octets[1]}.{octets[2]}.{octets[3] or 1}",
        "connectivityType": r.get("connectivityType", "public"),
    }


def _bucket(r: Res) -> Computed:
    bucket = r.inputs["bucket"]
    return bucket, {
        "arn": f"arn:aws:s3:::{bucket}",
        "bucketDomainName": f"{bucket}.s3.amazonaws.com",
        "bucketRegionalDomainName": f"{bucket}.s3.{r.region}.amazonaws.com",
        "hostedZoneId": "Z3AQBSTGFYJSTF",
        "region": r.get("region", r.region),
    }


def _role(r: Res) -> Computed:
    name = r.inputs["name"]
    path = r.get("path", "/")
    return name, {
        "arn": f"arn:aws:iam::{r.account}:role{path}{name}",
        "uniqueId": "AROA" + r.hex(17).upper(),
        "createDate": "2024-01-01T00:00:00Z",
        "path": path,
    }


def _policy(r: Res) -> Computed:
    path = r.get("path", "/")
    arn = f"arn:aws:iam::{r.account}:policy{path}{r.inputs['name']}"
    return arn, {"arn": arn, "policyId": "ANPA" + r.hex(17).upper(), "path": path}


def _instance_profile(r: Res) -> Computed:
    name = r.inputs["name"]
    path = r.get("path", "/")
    return name, {
        "arn": f"arn:aws:iam::{r.account}:instance-profile{path}{name}",
        "uniqueId": "AIPA" + r.hex(17).upper(),
        "path": path,
    }


def _oidc_provider(r: Res) -> Computed:
    url = r.get("url", f"https://oidc.example.com/{r.name}")
    arn = f"arn:aws:iam::{r.account}:oidc-provider/{url.removeprefix('https://')}"
    return arn, {"arn": arn, "url": url}


def _role_attachment(r: Res) -> Computed:
    return f"{r.get('role', r.name)}-{r.hex(20)}", {}


def _kms_key(r: Res) -> Computed:
    h = r.hex(32)
    key_id = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"
    return key_id, {"keyId": key_id, "arn": arn(r, "kms", f"key/{key_id}")}


def _kms_alias(r: Res) -> Computed:
    name = r.inputs["name"]
    return name, {
        "name": name,
        "arn": arn(r, "kms", name),
        "targetKeyArn": arn(r, "kms", "key/" + str(r.get("targetKeyId", ""))),
    }


def _eks_cluster(r: Res) -> Computed:
    name = r.inputs["name"]
    vpc_config = dict(r.get("vpcConfig", {}))
    vpc_config.setdefault("clusterSecurityGroupId", f"sg-{r.hex(17, 'cluster-sg')}")
    vpc_config.setdefault("vpcId", f"vpc-{r.hex(17, 'vpc')}")
    vpc_config.setdefault("endpointPrivateAccess", False)
    vpc_config.setdefault("endpointPublicAccess", True)
    ca = base64.b64encode(b"-----BEGIN CERTIFICATE-----\nMOCK" + r.hex(32).encode() + b"\n-----END CERTIFICATE-----\n")
    oidc = f"https://oidc.eks.{r.region}.amazonaws.com/id/{r.hex(32, 'oidc').upper()}"
    return name, {
        "arn": arn(r, "eks", f"cluster/{name}"),
        "endpoint": f"https://{r.hex(32, 'endpoint').upper()}.gr7.{r.region}.eks.amazonaws.com",
        "certificateAuthority": {"data": ca.decode()},
        "identities": [{"oidcs": [{"issuer": oidc}]}],
        "vpcConfig": vpc_config,
        "version": r.get("version", "1.33"),
        "platformVersion": "eks.1",
        "status": "ACTIVE",
        "createdAt": "2024-01-01T00:00:00Z",
    }


def _eks_node_group(r: Res) -> Computed:
    cluster = r.get("clusterName", "cluster")
    ng = r.inputs["nodeGroupName"]
    uid = r.hex(32)
    uuid = f"{uid[:8]}-{uid[8:12]}-{uid[12:16]}-{uid[16:20]}-{uid[20:32]}"
    return f"{cluster}:{ng}", {
        "arn": arn(r, "eks", f"nodegroup/{cluster}/{ng}/{uuid}"),
        "resources": [{"autoscalingGroups": [{"name": f"eks-{ng}-{uuid}"}], "remoteAccessSecurityGroupId": ""}],
        "status": "ACTIVE",
        "capacityType": r.get("capacityType", "ON_DEMAND"),
        "amiType": r.get("amiType", "AL2023_x86_64_STANDARD"),
        "version": r.get("version", "1.33"),
    }


def _asg(r: Res) -> Computed:
    name = r.inputs["name"]
    uid = r.hex(32)
    uuid = f"{uid[:8]}-{uid[8:12]}-{uid[12:16]}-{uid[16:20]}-{uid[20:32]}"
    return name, {"arn": arn(r, "autoscaling", f"autoScalingGroup:{uuid}:autoScalingGroupName/{name}")}


def _budget(r: Res) -> Computed:
    name = r.inputs["name"]
    account = r.get("accountId", r.account)
    return f"{account}:{name}", {"arn": f"arn:aws:budgets::{account}:budget/{name}", "accountId": account}


def _log_group(r: Res) -> Computed:
    name = r.inputs["name"]
    return name, {"arn": arn(r, "logs", f"log-group:{name}")}


def _instance(r: Res) -> Computed:
    id_ = f"i-{r.hex(17)}"
    octets = bytes.fromhex(r.hex(4, "ip"))
    return id_, {
        "arn": arn(r, "ec2", f"instance/{id_}"),
        "privateIp": f"10.0.{octets[0]}.{octets[1] or 1}",
        "primaryNetworkInterfaceId": f"eni-{r.hex(17, 'eni')}",
        "instanceState": "running",
    }


def _named(attr: str) -> Callable[[Res], Computed]:
    def fn(r: Res) -> Computed:
        return str(r.get(attr, f"{r.name}_id")), {}

    return fn


AWS_RESOURCES: dict[str, Callable[[Res], Computed]] = {
    "aws:ec2/vpc:Vpc": _vpc,
    "aws:ec2/subnet:Subnet": _subnet,
    "aws:ec2/securityGroup:SecurityGroup": _security_group,
    "aws:ec2/securityGroupRule:SecurityGroupRule": _ec2("sgrule"),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": _ec2("sgr"),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": _ec2("sgr"),
    "aws:ec2/launchTemplate:LaunchTemplate": _launch_template,
    "aws:ec2/internetGateway:InternetGateway": _ec2("igw"),
    "aws:ec2/natGateway:NatGateway": _nat_gateway,
    "aws:ec2/eip:Eip": _eip,
    "aws:ec2/routeTable:RouteTable": _ec2("rtb"),
    "aws:ec2/route:Route": _ec2("r-rtb"),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": _ec2("rtbassoc"),
    "aws:ec2/vpcEndpoint:VpcEndpoint": _ec2("vpce"),
    "aws:ec2/placementGroup:PlacementGroup": _named("name"),
    "aws:ec2/instance:Instance": _instance,
    "aws:s3/bucket:Bucket": _bucket,
    "aws:s3/bucketV2:BucketV2": _bucket,
    "aws:iam/role:Role": _role,
    "aws:iam/policy:Policy": _policy,
    "aws:iam/instanceProfile:InstanceProfile": _instance_profile,
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": _oidc_provider,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": _role_attachment,
    "aws:kms/key:Key": _kms_key,
    "aws:kms/alias:Alias": _kms_alias,
    "aws:eks/cluster:Cluster": _eks_cluster,
    "aws:eks/nodeGroup:NodeGroup": _eks_node_group,
    "aws:autoscaling/group:Group": _asg,
    "aws:budgets/budget:Budget": _budget,
    "aws:cloudwatch/logGroup:LogGroup": _log_group,
}


def zone_id(region: str, letter: str) -> str:
    """`us-east-1`, `b` -> `use1-az2` (the real mapping differs per account; this is stable)."""
    parts = region.split("-")
    if len(parts) < 3:
        return f"{region}-az1"
    short = {"northeast": "ne", "southeast": "se", "northwest": "nw", "southwest": "sw"}
    direction = short.get(parts[1], parts[1][:1])
    index = ord(letter) - ord("a") + 1 if letter.isalpha() else 1
    return f"{parts[0]}{direction}{parts[-1]}-az{index}"
