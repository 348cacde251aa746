"""The VNet every node lives in: one node subnet behind a NAT gateway, closed to inbound traffic.

- ``VirtualNetwork`` with the spec's address space and a **separate** ``Subnet`` resource (never
  ``subnets=`` on the VNet: a VNet update used to delete subnets it did not list
  [ISSUE pulumi/pulumi-azure-native#611]).
- Egress: a ``NatGateway`` (Standard, regional: no zone) with one Standard static ``PublicIPAddress``,
  associated to the node subnet; AKS uses it with ``outbound_type="userAssignedNATGateway"``. The
  subnet has ``default_outbound_access=False`` (set at creation only), so nothing leaves except
  through the gateway.
- A ``NetworkSecurityGroup`` with no rules of ours on the subnet: Azure's default rules deny all
  inbound traffic from the internet (only VNet and load-balancer probes are allowed).
- Storage is reached privately through the ``Microsoft.Storage`` service endpoint on the subnet,
  and each storage account admits only this subnet (network rule set, default deny). Chosen over
  private endpoints: no private DNS zone, no endpoint per account, no per-hour endpoint fee, and
  the AKS Blob CSI driver adds this endpoint out of band anyway, which would drift if undeclared
  [SRC Azure/terraform-azurerm-aks main.tf ``blob_driver_subnet_service_endpoint``].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pulumi
import pulumi_azure_native.network as network

from aimodel_infra.azure.context import AzureContext
from aimodel_infra.azure.network_plan import nat_gateway_count, node_subnet_cidr
from aimodel_infra.spec.models import Network as NetworkSpec

TYPE_TOKEN: Final = "aimodel:azure:Network"
STORAGE_SERVICE_ENDPOINT: Final = "Microsoft.Storage"
NAT_IDLE_TIMEOUT_MINUTES: Final = 4


@dataclass(frozen=True)
class NetworkArgs:
    network: NetworkSpec
    context: AzureContext


class Network(pulumi.ComponentResource):
    """Exposes ``vnet_id``, ``node_subnet_id``, ``vnet``, ``node_subnet``, ``nat_gateway`` (None for
    ``nat: none``), ``public_ip`` and ``security_group``."""

    vnet_id: pulumi.Output[str]
    node_subnet_id: pulumi.Output[str]

    def __init__(self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        spec, context = args.network, args.context
        child = pulumi.ResourceOptions(parent=self)
        common = {"resource_group_name": context.resource_group_name, "location": context.location}
        self.vnet = network.VirtualNetwork(
            f"{name}-vnet",
            address_space=network.AddressSpaceArgs(address_prefixes=[str(spec.cidr)]),
            tags=context.tags_for(),
            opts=child,
            **common,
        )
        self.security_group = network.NetworkSecurityGroup(
            f"{name}-nodes-nsg", tags=context.tags_for(), opts=child, **common
        )
        self.public_ip = None
        self.nat_gateway = None
        if nat_gateway_count(spec):
            self.public_ip = network.PublicIPAddress(
                f"{name}-nat-ip",
                sku=network.PublicIPAddressSkuArgs(name="Standard", tier="Regional"),
                public_ip_allocation_method="Static",
                public_ip_address_version="IPv4",
                tags=context.tags_for(),
                opts=child,
                **common,
            )
            self.nat_gateway = network.NatGateway(
                f"{name}-nat",
                sku=network.NatGatewaySkuArgs(name="Standard"),
                public_ip_addresses=[network.SubResourceArgs(id=self.public_ip.id)],
                idle_timeout_in_minutes=NAT_IDLE_TIMEOUT_MINUTES,
                tags=context.tags_for(),
                opts=child,
                **common,
            )
        self.node_subnet = network.Subnet(
            f"{name}-nodes",
            resource_group_name=context.resource_group_name,
            virtual_network_name=self.vnet.name,
            address_prefix=str(node_subnet_cidr(spec)),
            default_outbound_access=False,
            nat_gateway=network.SubResourceArgs(id=self.nat_gateway.id) if self.nat_gateway else None,
            network_security_group=network.NetworkSecurityGroupArgs(id=self.security_group.id),
            service_endpoints=[network.ServiceEndpointPropertiesFormatArgs(service=STORAGE_SERVICE_ENDPOINT)],
            opts=child,
        )
        self.vnet_id = self.vnet.id
        self.node_subnet_id = self.node_subnet.id
        self.register_outputs({"vnet_id": self.vnet_id, "node_subnet_id": self.node_subnet_id})
