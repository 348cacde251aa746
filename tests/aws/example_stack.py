"""The whole example program (root ``__main__.py``, stack aws-dev) run once per test session.

A moto-backed run of the full program takes 15-35 s (moto loads EC2, IAM and SSM data on first
use), so tests/aws/test_environment.py, tests/aws/test_*.py and tests/test_program.py share the
runs through these cached functions. Everything the tests read back from moto is collected while
moto is on, into :class:`MotoRun.aws`, because moto's data is gone once the run ends.
"""

from __future__ import annotations

import os
import runpy
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from unittest import mock

from aimodel_infra.spec.loader import CONFIG_KEY, environment_document, read_document
from aimodel_infra.testing import MotoBackend, ResourceGraph, run_program

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "__main__.py"
STACK = "aws-dev"
STACK_FILE = ROOT / "stacks" / f"Pulumi.{STACK}.yaml"
#: moto knows AWS-managed policies (arn:aws:iam::aws:policy/...) only when asked to load them;
#: attaching one it does not know fails, which is what proves the ARNs we attach exist.
MOTO_MANAGED_POLICIES = {"MOTO_IAM_LOAD_MANAGED_POLICIES": "true"}


def stack_config(document: dict[str, Any] | None = None) -> dict[str, Any]:
    """Stack config as `pulumi up -s aws-dev` passes it: the environment under its config key."""
    if document is None:
        document = environment_document(read_document(STACK_FILE), source=str(STACK_FILE))
    return {CONFIG_KEY: document}


def run_main() -> None:
    runpy.run_path(str(MAIN), run_name="__main__")


@cache
def mocks_run(preview: bool = False) -> ResourceGraph:
    return run_program(run_main, stack=STACK, config=stack_config(), preview=preview)


@dataclass(frozen=True)
class MotoRun:
    graph: ResourceGraph
    #: What boto3 read back from moto after the run, by service and call.
    aws: dict[str, Any]


@cache
def moto_run() -> MotoRun:
    with mock.patch.dict(os.environ, MOTO_MANAGED_POLICIES), MotoBackend(region="us-east-1") as backend:
        graph = run_program(run_main, stack=STACK, config=stack_config(), backend=backend)
        return MotoRun(graph, read_back(graph, backend))


def read_back(graph: ResourceGraph, backend: MotoBackend) -> dict[str, Any]:
    ec2, eks, iam = backend.client("ec2"), backend.client("eks"), backend.client("iam")
    vpc_id = graph.stack_outputs["vpc_id"]
    in_vpc = [{"Name": "vpc-id", "Values": [vpc_id]}]
    cluster = graph.stack_outputs["cluster_name"]
    roles = [r.outputs["name"] for r in graph.of_type("aws:iam/role:Role")]
    return {
        "vpcs": ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"],
        "dns_hostnames": ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute="enableDnsHostnames")["EnableDnsHostnames"],
        "dns_support": ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute="enableDnsSupport")["EnableDnsSupport"],
        "subnets": ec2.describe_subnets(Filters=in_vpc)["Subnets"],
        "route_tables": ec2.describe_route_tables(Filters=in_vpc)["RouteTables"],
        "nat_gateways": ec2.describe_nat_gateways(Filters=in_vpc)["NatGateways"],
        "vpc_endpoints": ec2.describe_vpc_endpoints(Filters=in_vpc)["VpcEndpoints"],
        "launch_templates": {
            r.id: ec2.describe_launch_template_versions(LaunchTemplateId=r.id)["LaunchTemplateVersions"][0]
            for r in graph.of_type("aws:ec2/launchTemplate:LaunchTemplate")
        },
        "cluster": eks.describe_cluster(name=cluster)["cluster"],
        "node_groups": {
            name: eks.describe_nodegroup(clusterName=cluster, nodegroupName=name)["nodegroup"]
            for name in eks.list_nodegroups(clusterName=cluster)["nodegroups"]
        },
        "attached_policies": {
            role: [p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]]
            for role in roles
        },
        "role_arns": {iam.get_role(RoleName=role)["Role"]["Arn"] for role in roles},
        "buckets": {b["Name"] for b in backend.client("s3").list_buckets()["Buckets"]},
        "keys": {
            r.id: backend.client("kms").get_key_rotation_status(KeyId=r.id)["KeyRotationEnabled"]
            for r in graph.of_type("aws:kms/key:Key")
        },
    }
