"""The VPC every node lives in: private subnets for nodes, public subnets for NAT and load balancers.

- Subnets follow :func:`aimodel_infra.aws.subnets.plan_subnets` over the first ``zones``
  available zones of the region (read with the ``getAvailabilityZones`` invoke, Local and
  Wavelength Zones excluded).
- Nothing gets a public IP by accident: public subnets do not map public IPs on launch; NAT
  gateways and load balancers bring their own Elastic IPs.
- Outbound internet for private subnets per ``network.nat``: ``none`` (no default route at all),
  ``single`` (one NAT gateway in the first zone, every private route table uses it: cheap, but a
  zone outage cuts egress) or ``per-zone`` (one per zone, each zone routes through its own).
- Every private route table also reaches S3 through a gateway VPC endpoint, so dataset and
  checkpoint traffic never pays NAT data processing charges (and works with ``nat: none``).
- Subnets carry the Kubernetes load balancer role tags (``kubernetes.io/role/elb`` on public,
  ``kubernetes.io/role/internal-elb`` on private) so the AWS Load Balancer Controller finds them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_aws.ec2 as ec2

from aimodel_infra.aws.context import AwsContext
from aimodel_infra.aws.subnets import SubnetPlan, nat_for_zone, nat_zones, plan_subnets
from aimodel_infra.spec.models import NatMode
from aimodel_infra.spec.models import Network as NetworkSpec

TYPE_TOKEN = "aimodel:aws:Network"
ANYWHERE = "0.0.0.0/0"
PUBLIC_LB_TAG = "kubernetes.io/role/elb"
INTERNAL_LB_TAG = "kubernetes.io/role/internal-elb"
#: Availability Zones proper; Local Zones and Wavelength Zones need an opt-in and lack most services.
AZ_FILTER = {"name": "opt-in-status", "values": ["opt-in-not-required"]}


# -- plan: pure functions -----------------------------------------------------------------------
def s3_service_name(region: str) -> str:
    return f"com.amazonaws.{region}.s3"


def zone_name(names: list[str], index: int, region: str) -> str:
    """The ``index``-th available zone; a clear error if the account sees fewer than the spec needs."""
    if index >= len(names):
        raise ValueError(
            f"network.zones asks for {index + 1}+ zones but {region} offers this account "
            f"{len(names)} ({', '.join(names)})"
        )
    return names[index]


# -- component ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class NetworkArgs:
    network: NetworkSpec
    context: AwsContext


class Network(pulumi.ComponentResource):
    """The environment's VPC.

    Exposes ``vpc_id``, ``availability_zones`` (Output of the zone names used, in zone order),
    ``public_subnet_ids`` and ``private_subnet_ids`` (one Output per zone, in zone order),
    ``private_route_table_ids``, ``nat_gateways``, ``s3_endpoint`` and ``plan``.
    """

    vpc_id: pulumi.Output[str]
    availability_zones: pulumi.Output[list[str]]
    public_subnet_ids: list[pulumi.Output[str]]
    private_subnet_ids: list[pulumi.Output[str]]
    private_route_table_ids: list[pulumi.Output[str]]
    nat_gateways: list[ec2.NatGateway]
    plan: SubnetPlan

    def __init__(self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        spec, self._context = args.network, args.context
        self.plan = plan_subnets(spec.cidr, spec.zones)
        self.availability_zones = self._zone_names(spec.zones)

        self.vpc = ec2.Vpc(
            f"{name}-vpc",
            cidr_block=str(spec.cidr),
            enable_dns_support=True,
            enable_dns_hostnames=True,  # EKS nodes and private endpoints need DNS hostnames
            tags=self._context.tags_for("vpc"),
            opts=self._child(),
        )
        self.vpc_id = self.vpc.id
        self.internet_gateway = ec2.InternetGateway(
            f"{name}-igw", vpc_id=self.vpc_id, tags=self._context.tags_for("igw"), opts=self._child()
        )
        public = [
            self._subnet(name, "public", z.zone_index, str(z.public), {PUBLIC_LB_TAG: "1"}) for z in self.plan.zones
        ]
        private = [
            self._subnet(name, "private", z.zone_index, str(z.private), {INTERNAL_LB_TAG: "1"}) for z in self.plan.zones
        ]
        self.public_subnet_ids = [s.id for s in public]
        self.private_subnet_ids = [s.id for s in private]

        self._public_routes(name, public)
        self.nat_gateways = [self._nat_gateway(name, zone, public[zone]) for zone in nat_zones(spec.nat, spec.zones)]
        private_tables = [self._private_routes(name, spec.nat, zone, subnet) for zone, subnet in enumerate(private)]
        self.private_route_table_ids = [t.id for t in private_tables]
        self.s3_endpoint = ec2.VpcEndpoint(
            f"{name}-s3",
            vpc_id=self.vpc_id,
            service_name=s3_service_name(self._context.region),
            vpc_endpoint_type="Gateway",
            route_table_ids=self.private_route_table_ids,
            tags=self._context.tags_for("s3-endpoint"),
            opts=self._child(),
        )
        self.register_outputs(
            {
                "vpc_id": self.vpc_id,
                "availability_zones": self.availability_zones,
                "public_subnet_ids": self.public_subnet_ids,
                "private_subnet_ids": self.private_subnet_ids,
            }
        )

    def _child(self, depends_on: list[pulumi.Resource] | None = None) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, depends_on=depends_on)

    def _zone_names(self, zones: int) -> pulumi.Output[list[str]]:
        region = self._context.region
        found = aws.get_availability_zones_output(
            state="available", filters=[AZ_FILTER], opts=pulumi.InvokeOptions(parent=self)
        )
        return found.names.apply(lambda names: [zone_name(names, i, region) for i in range(zones)])

    def _subnet(self, name: str, kind: str, zone: int, cidr: str, role_tag: dict[str, str]) -> ec2.Subnet:
        return ec2.Subnet(
            f"{name}-{kind}-{zone}",
            vpc_id=self.vpc_id,
            cidr_block=cidr,
            availability_zone=self.availability_zones.apply(lambda names: names[zone]),
            map_public_ip_on_launch=False,
            tags=self._context.tags_for(f"{kind}-{zone}", **role_tag),
            opts=self._child(),
        )

    def _public_routes(self, name: str, public: list[ec2.Subnet]) -> None:
        table = ec2.RouteTable(
            f"{name}-public", vpc_id=self.vpc_id, tags=self._context.tags_for("public"), opts=self._child()
        )
        ec2.Route(
            f"{name}-public-internet",
            route_table_id=table.id,
            destination_cidr_block=ANYWHERE,
            gateway_id=self.internet_gateway.id,
            opts=self._child(),
        )
        for zone, subnet in enumerate(public):
            ec2.RouteTableAssociation(
                f"{name}-public-{zone}", route_table_id=table.id, subnet_id=subnet.id, opts=self._child()
            )

    def _nat_gateway(self, name: str, zone: int, subnet: ec2.Subnet) -> ec2.NatGateway:
        address = ec2.Eip(
            f"{name}-nat-{zone}", domain="vpc", tags=self._context.tags_for(f"nat-{zone}"), opts=self._child()
        )
        return ec2.NatGateway(
            f"{name}-nat-{zone}",
            allocation_id=address.allocation_id,
            subnet_id=subnet.id,
            tags=self._context.tags_for(f"nat-{zone}"),
            # A public NAT gateway only works once the VPC has its internet gateway.
            opts=self._child(depends_on=[self.internet_gateway]),
        )

    def _private_routes(self, name: str, mode: NatMode, zone: int, subnet: ec2.Subnet) -> ec2.RouteTable:
        """One table per zone even when NAT is shared, so switching NAT modes only moves routes."""
        table = ec2.RouteTable(
            f"{name}-private-{zone}",
            vpc_id=self.vpc_id,
            tags=self._context.tags_for(f"private-{zone}"),
            opts=self._child(),
        )
        nat = nat_for_zone(mode, zone)
        if nat is not None:
            ec2.Route(
                f"{name}-private-{zone}-internet",
                route_table_id=table.id,
                destination_cidr_block=ANYWHERE,
                nat_gateway_id=self.nat_gateways[nat].id,
                opts=self._child(),
            )
        ec2.RouteTableAssociation(
            f"{name}-private-{zone}", route_table_id=table.id, subnet_id=subnet.id, opts=self._child()
        )
        return table
