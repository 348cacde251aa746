"""Network: the VPC, its subnets per zone, NAT per spec, routes, and the S3 gateway endpoint."""

from __future__ import annotations

import ipaddress
import json
from typing import Any

import pulumi
import pytest

from aimodel_infra.aws.context import AwsContext
from aimodel_infra.aws.network import INTERNAL_LB_TAG, PUBLIC_LB_TAG, Network, NetworkArgs
from aimodel_infra.aws.subnets import nat_zones, plan_subnets
from aimodel_infra.spec.models import NatMode
from aimodel_infra.spec.models import Network as NetworkSpec
from aimodel_infra.testing import DefaultMocks, RecordedResource, ResourceGraph, run_program

from .example_stack import moto_run

VPC = "aws:ec2/vpc:Vpc"
SUBNET = "aws:ec2/subnet:Subnet"
IGW = "aws:ec2/internetGateway:InternetGateway"
EIP = "aws:ec2/eip:Eip"
NAT = "aws:ec2/natGateway:NatGateway"
ROUTE_TABLE = "aws:ec2/routeTable:RouteTable"
ROUTE = "aws:ec2/route:Route"
ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation"
ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
AZ_INVOKE = "aws:index/getAvailabilityZones:getAvailabilityZones"
TAGGABLE = (VPC, SUBNET, IGW, EIP, NAT, ROUTE_TABLE, ENDPOINT)


def build(spec: NetworkSpec, context: AwsContext, mocks: DefaultMocks | None = None) -> ResourceGraph:
    def program() -> None:
        network = Network("net", NetworkArgs(spec, context))
        pulumi.export("vpc_id", network.vpc_id)
        pulumi.export("zones", network.availability_zones)
        pulumi.export("public", network.public_subnet_ids)
        pulumi.export("private", network.private_subnet_ids)

    return run_program(program, mocks=mocks)


class View:
    """The recorded network, read the way the routing rules are stated."""

    def __init__(self, graph: ResourceGraph, spec: NetworkSpec) -> None:
        self.graph = graph
        plan = plan_subnets(spec.cidr, spec.zones)
        by_cidr = {ipaddress.IPv4Network(s.inputs["cidrBlock"]): s for s in graph.of_type(SUBNET)}
        self.public = [by_cidr[c] for c in plan.public]
        self.private = [by_cidr[c] for c in plan.private]

    def table_of(self, subnet: RecordedResource) -> str:
        (table,) = [
            a.inputs["routeTableId"] for a in self.graph.of_type(ASSOCIATION) if a.inputs["subnetId"] == subnet.id
        ]
        return table

    def default_route(self, table_id: str) -> dict[str, Any] | None:
        routes = [r.inputs for r in self.graph.of_type(ROUTE) if r.inputs["routeTableId"] == table_id]
        defaults = [r for r in routes if r["destinationCidrBlock"] == "0.0.0.0/0"]
        assert len(defaults) <= 1
        return defaults[0] if defaults else None

    def nat_subnet(self, nat_id: str) -> RecordedResource:
        (nat,) = [n for n in self.graph.of_type(NAT) if n.id == nat_id]
        (subnet,) = [s for s in self.graph.of_type(SUBNET) if s.id == nat.inputs["subnetId"]]
        return subnet


@pytest.fixture(scope="module")
def dev(aws_env, aws_context) -> View:
    return View(build(aws_env.network, aws_context), aws_env.network)


def variant(env_variant, context_for, **network: Any) -> tuple[View, NetworkSpec]:
    # Network only: without the cluster, every NAT mode is a valid AWS spec (EKS needs egress).
    env = env_variant(network=network, cluster=None, node_pools=[], buckets=[])
    return View(build(env.network, context_for(env)), env.network), env.network


# -- the aws-dev network ------------------------------------------------------------------------
def test_vpc_has_the_spec_cidr_with_dns_support_and_hostnames(dev: View, aws_env) -> None:
    vpc = dev.graph.one(VPC)
    assert vpc.inputs["cidrBlock"] == str(aws_env.network.cidr)
    assert vpc.inputs["enableDnsSupport"] is True
    assert vpc.inputs["enableDnsHostnames"] is True
    assert dev.graph.stack_outputs["vpc_id"] == vpc.id


def test_every_subnet_is_in_the_vpc_and_none_maps_public_ips_on_launch(dev: View) -> None:
    vpc = dev.graph.one(VPC)
    for subnet in dev.graph.of_type(SUBNET):
        assert subnet.inputs["vpcId"] == vpc.id, subnet
        assert subnet.inputs["mapPublicIpOnLaunch"] is False, subnet


def test_public_and_private_subnet_ids_are_exported_in_zone_order(dev: View) -> None:
    assert dev.graph.stack_outputs["public"] == [s.id for s in dev.public]
    assert dev.graph.stack_outputs["private"] == [s.id for s in dev.private]


def test_subnets_carry_the_load_balancer_role_tags(dev: View) -> None:
    assert all(
        s.inputs["tags"].get(PUBLIC_LB_TAG) == "1" and INTERNAL_LB_TAG not in s.inputs["tags"] for s in dev.public
    )
    assert all(
        s.inputs["tags"].get(INTERNAL_LB_TAG) == "1" and PUBLIC_LB_TAG not in s.inputs["tags"] for s in dev.private
    )


def test_zones_are_chosen_by_zone_id_and_placed_by_this_accounts_names_for_them(aws_env, aws_context) -> None:
    """Each account maps names to zone IDs its own way: here us-east-1d is use1-az1."""
    listed = {"us-east-1d": "use1-az1", "us-east-1a": "use1-az2", "us-east-1f": "use1-az4", "us-east-1b": "use1-az5"}
    answer = {"names": list(listed), "zoneIds": list(listed.values()), "id": "x"}
    graph = build(aws_env.network, aws_context, DefaultMocks(invokes={AZ_INVOKE: lambda args: answer}))
    view = View(graph, aws_env.network)
    zones = list(listed)[: aws_env.network.zones]
    assert [s.inputs["availabilityZone"] for s in view.public] == zones
    assert [s.inputs["availabilityZone"] for s in view.private] == zones
    assert graph.stack_outputs["zones"] == zones
    (args,) = [a for token, a in graph.invokes if token == AZ_INVOKE]
    assert args["state"] == "available"


def test_public_subnets_route_to_the_internet_gateway_of_the_vpc(dev: View) -> None:
    igw = dev.graph.one(IGW)
    assert igw.inputs["vpcId"] == dev.graph.one(VPC).id
    for subnet in dev.public:
        route = dev.default_route(dev.table_of(subnet))
        assert route is not None and route.get("gatewayId") == igw.id, subnet


def test_s3_gateway_endpoint_serves_exactly_the_private_route_tables(dev: View, aws_env) -> None:
    endpoint = dev.graph.one(ENDPOINT)
    assert endpoint.inputs["vpcEndpointType"] == "Gateway"
    assert endpoint.inputs["serviceName"] == f"com.amazonaws.{aws_env.region}.s3"
    assert sorted(endpoint.inputs["routeTableIds"]) == sorted(dev.table_of(s) for s in dev.private)


def test_every_taggable_resource_carries_the_environment_tags(dev: View, aws_context) -> None:
    for resource in dev.graph.resources:
        if resource.type in TAGGABLE:
            assert resource.inputs["tags"].items() >= aws_context.tags.items(), resource


def test_every_resource_is_a_child_of_the_network_component(dev: View) -> None:
    component = dev.graph.one("aimodel:aws:Network")
    assert all(dev.graph.parent_of(r) == component for r in dev.graph.resources if r.custom)


# -- NAT modes ----------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", list(NatMode))
def test_nat_gateways_sit_in_public_subnets_with_their_own_elastic_ip(mode: NatMode, env_variant, context_for) -> None:
    view, spec = variant(env_variant, context_for, nat=mode.value)
    nats = view.graph.of_type(NAT)
    assert len(nats) == len(nat_zones(mode, spec.zones)) == len(view.graph.of_type(EIP))
    allocations = {e.outputs["allocationId"] for e in view.graph.of_type(EIP)}
    assert all(e.inputs["domain"] == "vpc" for e in view.graph.of_type(EIP))
    assert {n.inputs["allocationId"] for n in nats} == allocations
    assert {view.nat_subnet(n.id).urn for n in nats} <= {s.urn for s in view.public}


@pytest.mark.parametrize("mode", list(NatMode))
def test_each_private_subnet_has_its_own_route_table(mode: NatMode, env_variant, context_for) -> None:
    view, _ = variant(env_variant, context_for, nat=mode.value)
    tables = [view.table_of(s) for s in view.private]
    assert len(set(tables)) == len(tables)
    assert not set(tables) & {view.table_of(s) for s in view.public}


def test_per_zone_nat_keeps_each_zones_egress_in_that_zone(env_variant, context_for) -> None:
    view, _ = variant(env_variant, context_for, nat="per-zone")
    for subnet in view.private:
        route = view.default_route(view.table_of(subnet))
        assert route is not None
        nat_subnet = view.nat_subnet(route["natGatewayId"])
        assert nat_subnet.inputs["availabilityZone"] == subnet.inputs["availabilityZone"]


def test_single_nat_serves_every_private_subnet(env_variant, context_for) -> None:
    view, _ = variant(env_variant, context_for, nat="single")
    (nat,) = view.graph.of_type(NAT)
    for subnet in view.private:
        route = view.default_route(view.table_of(subnet))
        assert route is not None and route["natGatewayId"] == nat.id, subnet


def test_no_nat_means_no_default_route_but_s3_still_reachable(env_variant, context_for) -> None:
    view, _ = variant(env_variant, context_for, nat="none")
    assert all(view.default_route(view.table_of(s)) is None for s in view.private)
    assert sorted(view.graph.one(ENDPOINT).inputs["routeTableIds"]) == sorted(view.table_of(s) for s in view.private)


@pytest.mark.parametrize("zones", [2, 3])
def test_zone_count_sets_how_many_subnets_and_route_tables_exist(zones: int, env_variant, context_for) -> None:
    view, _ = variant(env_variant, context_for, zones=zones, nat="per-zone")
    assert len(view.public) == len(view.private) == zones
    assert len(view.graph.of_type(SUBNET)) == 2 * zones
    assert len(view.graph.of_type(ROUTE_TABLE)) == zones + 1  # one per private subnet, one public
    assert len({s.inputs["availabilityZone"] for s in view.private}) == zones


# -- applied to moto ----------------------------------------------------------------------------
def test_moto_accepts_the_network_and_routes_as_planned(aws_env) -> None:
    aws = moto_run().aws
    plan = plan_subnets(aws_env.network.cidr, aws_env.network.zones)
    assert aws["dns_hostnames"]["Value"] is True and aws["dns_support"]["Value"] is True
    subnets = {s["SubnetId"]: s for s in aws["subnets"]}
    assert {ipaddress.IPv4Network(s["CidrBlock"]) for s in subnets.values()} == {*plan.public, *plan.private}
    assert not any(s["MapPublicIpOnLaunch"] for s in subnets.values())
    private_ids = {i for i, s in subnets.items() if ipaddress.IPv4Network(s["CidrBlock"]) in plan.private}
    for table in aws["route_tables"]:
        associated = {a.get("SubnetId") for a in table["Associations"]} - {None}
        default = [r for r in table["Routes"] if r.get("DestinationCidrBlock") == "0.0.0.0/0"]
        if associated & private_ids:
            assert [r.get("NatGatewayId") for r in default] == [aws["nat_gateways"][0]["NatGatewayId"]]
        elif associated:
            assert default and default[0]["GatewayId"].startswith("igw-")
    (endpoint,) = aws["vpc_endpoints"]
    private_tables = {
        t["RouteTableId"] for t in aws["route_tables"] if {a.get("SubnetId") for a in t["Associations"]} & private_ids
    }
    assert set(endpoint["RouteTableIds"]) == private_tables


def test_vpc_flow_logs_capture_all_traffic_into_a_log_group_with_retention(dev: View) -> None:
    graph = dev.graph
    (flow,) = graph.of_type("aws:ec2/flowLog:FlowLog")
    (group,) = graph.of_type("aws:cloudwatch/logGroup:LogGroup")
    assert flow.inputs["vpcId"] == graph.one(VPC).id and flow.inputs["trafficType"] == "ALL"
    assert flow.inputs["logDestinationType"] == "cloud-watch-logs"
    assert flow.inputs["logDestination"] == group.outputs["arn"]
    assert group.inputs["retentionInDays"] == 90
    (role,) = [r for r in graph.of_type("aws:iam/role:Role") if r.outputs["arn"] == flow.inputs["iamRoleArn"]]
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]
    assert trust["Principal"] == {"Service": "vpc-flow-logs.amazonaws.com"}
    (statement,) = json.loads(graph.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"])["Statement"]
    assert statement["Resource"] == [group.outputs["arn"], f"{group.outputs['arn']}:*"]


def test_the_default_security_group_is_managed_with_no_rules(dev: View) -> None:
    (default,) = dev.graph.of_type("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
    assert default.inputs["vpcId"] == dev.graph.one(VPC).id
    assert default.inputs.get("ingress", []) == [] and default.inputs.get("egress", []) == []
