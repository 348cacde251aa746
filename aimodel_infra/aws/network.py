"""The VPC every node lives in: private subnets for nodes, public subnets for NAT and load balancers.

- Subnets follow :func:`aimodel_infra.aws.subnets.plan_subnets` over ``zones`` availability
  zones chosen by zone ID (:mod:`aimodel_infra.aws.zones`): the account's zones from the
  ``getAvailabilityZones`` invoke (Local and Wavelength Zones excluded, and with a cluster the zone
  IDs EKS refuses), those offering the most of the spec's instance types first.
  :meth:`Network.private_subnet_ids_for` gives a group only the subnets of zones offering its type.
- Nothing gets a public IP by accident: public subnets do not map public IPs on launch; NAT
  gateways and load balancers bring their own Elastic IPs.
- Outbound internet for private subnets per ``network.nat``: ``none`` (no default route at all),
  ``single`` (one NAT gateway in the first zone, every private route table uses it: cheap, but a
  zone outage cuts egress) or ``per-zone`` (one per zone, each zone routes through its own).
- VPC flow logs (all traffic) to a CloudWatch log group with ``FLOW_LOG_RETENTION_DAYS``
  retention; the VPC's default security group is managed with no rules at all.
- Every private route table also reaches S3 through a gateway VPC endpoint, so dataset and
  checkpoint traffic never pays NAT data processing charges (and works with ``nat: none``).
- Subnets carry the Kubernetes load balancer role tags (``kubernetes.io/role/elb`` on public,
  ``kubernetes.io/role/internal-elb`` on private) so the AWS Load Balancer Controller finds them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_aws.cloudwatch as cloudwatch
import pulumi_aws.ec2 as ec2
import pulumi_aws.iam as iam

from aimodel_infra.aws.context import AwsContext, assume_role_policy, policy_json
from aimodel_infra.aws.names import IAM_ROLE_MAX, fit_name
from aimodel_infra.aws.subnets import SubnetPlan, nat_for_zone, nat_zones, plan_subnets
from aimodel_infra.aws.zones import (
    choose_zones,
    eks_excluded_zone_ids,
    primary_instance_types,
    zones_for_type,
    zones_offering,
)
from aimodel_infra.spec.models import NatMode
from aimodel_infra.spec.models import Network as NetworkSpec

TYPE_TOKEN = "aimodel:aws:Network"
ANYWHERE = "0.0.0.0/0"
PUBLIC_LB_TAG = "kubernetes.io/role/elb"
INTERNAL_LB_TAG = "kubernetes.io/role/internal-elb"
#: Availability Zones proper; Local Zones and Wavelength Zones need an opt-in and lack most services.
AZ_FILTER = {"name": "opt-in-status", "values": ["opt-in-not-required"]}
FLOW_LOG_RETENTION_DAYS = 90
#: What VPC flow logs need to write to CloudWatch Logs (VPC User Guide, "IAM role for publishing flow
#: logs to CloudWatch Logs"), scoped here to the one log group.
FLOW_LOG_ACTIONS = ("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams")


# -- plan: pure functions -----------------------------------------------------------------------
def s3_service_name(region: str) -> str:
    return f"com.amazonaws.{region}.s3"


def subnets_offering(
    zone_ids: list[str], subnet_ids: list[str], offered: frozenset[str] | None, instance_type: str
) -> list[str]:
    """The subnets (one per chosen zone, in zone order) in zones that offer ``instance_type``."""
    picked = [subnet_ids[i] for i in zones_for_type(zone_ids, offered)]
    if not picked:
        raise ValueError(
            f"none of the chosen zones ({', '.join(zone_ids)}) offers {instance_type}; it is offered in "
            f"{', '.join(sorted(offered or ()))}: raise network.zones or choose another instance type"
        )
    return picked


# -- component ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class NetworkArgs:
    network: NetworkSpec
    context: AwsContext


class Network(pulumi.ComponentResource):
    """The environment's VPC.

    Exposes ``vpc_id``, ``zone_ids`` (Output of the zone IDs used, in zone order),
    ``availability_zones`` (Output of this account's names for them, in the same order),
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
        self._zones = self._choose_zones(spec.zones)
        self.zone_ids = self._zones.apply(lambda zones: [zone_id for zone_id, _ in zones])
        self.availability_zones = self._zones.apply(lambda zones: [name for _, name in zones])

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
        # Nothing uses the VPC's default security group; managed here with no rules, so nothing put in
        # it by accident can talk to anything (CIS AWS Foundations 5.x).
        ec2.DefaultSecurityGroup(
            f"{name}-default-sg",
            vpc_id=self.vpc_id,
            ingress=[],
            egress=[],
            tags=self._context.tags_for("default-sg-unused"),
            opts=self._child(),
        )
        self._flow_logs(name)
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
                "zone_ids": self.zone_ids,
                "availability_zones": self.availability_zones,
                "public_subnet_ids": self.public_subnet_ids,
                "private_subnet_ids": self.private_subnet_ids,
            }
        )

    def _child(self, depends_on: list[pulumi.Resource] | None = None) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, depends_on=depends_on)

    def _choose_zones(self, zones: int) -> pulumi.Output[list[tuple[str, str]]]:
        """(zone ID, this account's zone name) of each zone used, in zone order."""
        context = self._context
        excluded = eks_excluded_zone_ids(context.catalog, context.region) if context.env.cluster else ()
        offered = [
            zones_offering(context.catalog, context.region, t)
            for t in primary_instance_types(context.env, context.catalog)
        ]
        found = aws.get_availability_zones_output(
            state="available",
            filters=[AZ_FILTER],
            exclude_zone_ids=list(excluded) or None,
            opts=pulumi.InvokeOptions(parent=self),
        )

        def chosen(ids_and_names: list[list[str]]) -> list[tuple[str, str]]:
            ids, names = ids_and_names
            by_id = dict(zip(ids, names, strict=True))
            return [(zone_id, by_id[zone_id]) for zone_id in choose_zones(ids, zones, offered)]

        return pulumi.Output.all(found.zone_ids, found.names).apply(chosen)

    def private_subnet_ids_for(self, instance_type: str) -> pulumi.Output[list[str]]:
        """The private subnets of the chosen zones that offer ``instance_type`` (all of them when the
        catalog has no zone data): a group given a zone without its type would wait there forever."""
        offered = zones_offering(self._context.catalog, self._context.region, instance_type)
        return pulumi.Output.all(self.zone_ids, *self.private_subnet_ids).apply(
            lambda values: subnets_offering(values[0], list(values[1:]), offered, instance_type)
        )

    def _flow_logs(self, name: str) -> None:
        """Every accepted and rejected flow of the VPC to a CloudWatch log group with retention."""
        group = cloudwatch.LogGroup(
            f"{name}-flow-logs",
            retention_in_days=FLOW_LOG_RETENTION_DAYS,
            tags=self._context.tags_for("flow-logs"),
            opts=self._child(),
        )
        role = iam.Role(
            fit_name(name, "flow-logs", IAM_ROLE_MAX),
            description="VPC flow logs delivery to its log group",
            assume_role_policy=assume_role_policy("vpc-flow-logs.amazonaws.com"),
            tags=self._context.tags_for("flow-logs"),
            opts=self._child(),
        )
        delivery = iam.RolePolicy(
            f"{name}-flow-logs",
            role=role.id,
            policy=policy_json(
                [
                    {
                        "Effect": "Allow",
                        "Action": list(FLOW_LOG_ACTIONS),
                        "Resource": [group.arn, group.arn.apply(lambda arn: f"{arn}:*")],
                    }
                ]
            ),
            opts=self._child(),
        )
        ec2.FlowLog(
            f"{name}-flow-logs",
            vpc_id=self.vpc_id,
            traffic_type="ALL",
            log_destination_type="cloud-watch-logs",
            log_destination=group.arn,
            iam_role_arn=role.arn,
            tags=self._context.tags_for("flow-logs"),
            opts=self._child(depends_on=[delivery]),
        )

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
