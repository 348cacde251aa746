"""The VNet: one node subnet behind a NAT gateway with a static IP, no inbound opening, storage endpoint."""

from __future__ import annotations

from aimodel_infra.testing import ResourceGraph

from .view import SUBNET, one

VNET = "azure-native:network:VirtualNetwork"
NAT = "azure-native:network:NatGateway"
PUBLIC_IP = "azure-native:network:PublicIPAddress"
NSG = "azure-native:network:NetworkSecurityGroup"


def test_the_vnet_has_the_spec_address_space_and_no_inline_subnets(dev: ResourceGraph) -> None:
    vnet = one(dev, VNET)
    assert vnet.inputs["addressSpace"] == {"addressPrefixes": ["10.20.0.0/16"]}
    assert "subnets" not in vnet.inputs  # a VNet update would delete subnets it does not list


def test_the_node_subnet_is_the_first_half_of_the_vnet_in_it(dev: ResourceGraph) -> None:
    subnet, vnet = one(dev, SUBNET), one(dev, VNET)
    assert subnet.inputs["addressPrefix"] == "10.20.0.0/17"
    assert subnet.inputs["virtualNetworkName"] == vnet.outputs["name"]


def test_egress_is_only_through_a_nat_gateway_with_one_static_standard_ip(dev: ResourceGraph) -> None:
    subnet, nat, ip = one(dev, SUBNET), one(dev, NAT), one(dev, PUBLIC_IP)
    assert subnet.inputs["defaultOutboundAccess"] is False
    assert subnet.inputs["natGateway"] == {"id": nat.id}
    assert nat.inputs["sku"] == {"name": "Standard"} and "zones" not in nat.inputs
    assert nat.inputs["publicIpAddresses"] == [{"id": ip.id}]
    assert ip.inputs["sku"]["name"] == "Standard" and ip.inputs["publicIPAllocationMethod"] == "Static"


def test_the_subnet_security_group_opens_nothing(dev: ResourceGraph) -> None:
    subnet, nsg = one(dev, SUBNET), one(dev, NSG)
    assert subnet.inputs["networkSecurityGroup"] == {"id": nsg.id}
    assert not nsg.inputs.get("securityRules")


def test_storage_is_reached_through_the_service_endpoint(dev: ResourceGraph) -> None:
    assert one(dev, SUBNET).inputs["serviceEndpoints"] == [{"service": "Microsoft.Storage"}]


def test_no_nat_builds_no_gateway_and_no_public_ip(graph_of, document_variant) -> None:
    graph = graph_of(document_variant(network={"nat": "none"}, cluster=None, node_pools=[], buckets=[]))
    assert graph.of_type(NAT) == [] and graph.of_type(PUBLIC_IP) == []
    assert "natGateway" not in one(graph, SUBNET).inputs
