"""moto translators for VPC networking: VPC, subnets, gateways, routes, endpoints, security groups."""

from __future__ import annotations

from typing import Any

from aimodel_infra.testing.mocks import hexdigest

from .backend import Apply, Computed, Translator, drop_none


def vpc(a: Apply) -> Computed:
    ec2 = a.client("ec2")
    v = ec2.create_vpc(
        **drop_none(
            {
                "CidrBlock": a.get("cidrBlock"),
                "InstanceTenancy": a.get("instanceTenancy"),
                "TagSpecifications": a.tag_spec("vpc"),
            }
        )
    )["Vpc"]
    vpc_id = v["VpcId"]
    for attr in ("enableDnsSupport", "enableDnsHostnames"):
        if a.get(attr) is not None:
            key = attr[0].upper() + attr[1:]
            ec2.modify_vpc_attribute(VpcId=vpc_id, **{key: {"Value": bool(a.get(attr))}})
    flt = [{"Name": "vpc-id", "Values": [vpc_id]}]
    sg = ec2.describe_security_groups(Filters=[*flt, {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"]
    rtb = ec2.describe_route_tables(Filters=[*flt, {"Name": "association.main", "Values": ["true"]}])["RouteTables"]
    acl = ec2.describe_network_acls(Filters=[*flt, {"Name": "default", "Values": ["true"]}])["NetworkAcls"]
    main_rtb = rtb[0]["RouteTableId"] if rtb else None
    return vpc_id, drop_none(
        {
            "arn": f"arn:aws:ec2:{a.region}:{a.account}:vpc/{vpc_id}",
            "cidrBlock": v["CidrBlock"],
            "defaultSecurityGroupId": sg[0]["GroupId"] if sg else None,
            "mainRouteTableId": main_rtb,
            "defaultRouteTableId": main_rtb,
            "defaultNetworkAclId": acl[0]["NetworkAclId"] if acl else None,
            "dhcpOptionsId": v.get("DhcpOptionsId"),
            "ownerId": v.get("OwnerId", a.account),
        }
    )


def subnet(a: Apply) -> Computed:
    ec2 = a.client("ec2")
    s = ec2.create_subnet(
        **drop_none(
            {
                "VpcId": a.get("vpcId"),
                "CidrBlock": a.get("cidrBlock"),
                "AvailabilityZone": a.get("availabilityZone"),
                "AvailabilityZoneId": a.get("availabilityZoneId"),
                "TagSpecifications": a.tag_spec("subnet"),
            }
        )
    )["Subnet"]
    if a.get("mapPublicIpOnLaunch"):
        ec2.modify_subnet_attribute(SubnetId=s["SubnetId"], MapPublicIpOnLaunch={"Value": True})
    return s["SubnetId"], {
        "arn": s.get("SubnetArn", f"arn:aws:ec2:{a.region}:{a.account}:subnet/{s['SubnetId']}"),
        "availabilityZone": s["AvailabilityZone"],
        "availabilityZoneId": s.get("AvailabilityZoneId"),
        "mapPublicIpOnLaunch": bool(a.get("mapPublicIpOnLaunch", False)),
    }


def internet_gateway(a: Apply) -> Computed:
    ec2 = a.client("ec2")
    igw = ec2.create_internet_gateway(**drop_none({"TagSpecifications": a.tag_spec("internet-gateway")}))
    igw_id = igw["InternetGateway"]["InternetGatewayId"]
    if a.get("vpcId"):
        ec2.attach_internet_gateway(InternetGatewayId=igw_id, VpcId=a.get("vpcId"))
    return igw_id, {"arn": f"arn:aws:ec2:{a.region}:{a.account}:internet-gateway/{igw_id}"}


def internet_gateway_attachment(a: Apply) -> Computed:
    a.client("ec2").attach_internet_gateway(InternetGatewayId=a.get("internetGatewayId"), VpcId=a.get("vpcId"))
    return f"{a.get('internetGatewayId')}:{a.get('vpcId')}", {}


def eip(a: Apply) -> Computed:
    r = a.client("ec2").allocate_address(**drop_none({"Domain": "vpc", "TagSpecifications": a.tag_spec("elastic-ip")}))
    return r["AllocationId"], {"allocationId": r["AllocationId"], "publicIp": r["PublicIp"], "domain": "vpc"}


def nat_gateway(a: Apply) -> Computed:
    n = a.client("ec2").create_nat_gateway(
        **drop_none(
            {
                "SubnetId": a.get("subnetId"),
                "AllocationId": a.get("allocationId"),
                "ConnectivityType": a.get("connectivityType"),
                "TagSpecifications": a.tag_spec("natgateway"),
            }
        )
    )["NatGateway"]
    addr = (n.get("NatGatewayAddresses") or [{}])[0]
    return n["NatGatewayId"], drop_none(
        {
            "publicIp": addr.get("PublicIp"),
            "privateIp": addr.get("PrivateIp"),
            "networkInterfaceId": addr.get("NetworkInterfaceId"),
        }
    )


_ROUTE_TARGETS = {
    "cidrBlock": "DestinationCidrBlock",
    "destinationCidrBlock": "DestinationCidrBlock",
    "ipv6CidrBlock": "DestinationIpv6CidrBlock",
    "destinationIpv6CidrBlock": "DestinationIpv6CidrBlock",
    "destinationPrefixListId": "DestinationPrefixListId",
    "gatewayId": "GatewayId",
    "natGatewayId": "NatGatewayId",
    "networkInterfaceId": "NetworkInterfaceId",
    "transitGatewayId": "TransitGatewayId",
    "vpcPeeringConnectionId": "VpcPeeringConnectionId",
    "egressOnlyGatewayId": "EgressOnlyInternetGatewayId",
    "vpcEndpointId": "VpcEndpointId",
    "carrierGatewayId": "CarrierGatewayId",
}


def _route_args(route: dict[str, Any]) -> dict[str, Any]:
    return {_ROUTE_TARGETS[k]: v for k, v in route.items() if k in _ROUTE_TARGETS and v}


def route_table(a: Apply) -> Computed:
    ec2 = a.client("ec2")
    rtb = ec2.create_route_table(**drop_none({"VpcId": a.get("vpcId"), "TagSpecifications": a.tag_spec("route-table")}))
    rtb_id = rtb["RouteTable"]["RouteTableId"]
    for route in a.get("routes", []):
        ec2.create_route(RouteTableId=rtb_id, **_route_args(route))
    return rtb_id, {"arn": f"arn:aws:ec2:{a.region}:{a.account}:route-table/{rtb_id}", "ownerId": a.account}


def route(a: Apply) -> Computed:
    args = _route_args(a.inputs)
    a.client("ec2").create_route(RouteTableId=a.get("routeTableId"), **args)
    dest = args.get("DestinationCidrBlock") or args.get("DestinationIpv6CidrBlock") or ""
    return f"r-{a.get('routeTableId')}{int(hexdigest(dest, 8), 16)}", {"state": "active"}


def route_table_association(a: Apply) -> Computed:
    r = a.client("ec2").associate_route_table(
        **drop_none(
            {"RouteTableId": a.get("routeTableId"), "SubnetId": a.get("subnetId"), "GatewayId": a.get("gatewayId")}
        )
    )
    return r["AssociationId"], {}


def vpc_endpoint(a: Apply) -> Computed:
    e = a.client("ec2").create_vpc_endpoint(
        **drop_none(
            {
                "VpcId": a.get("vpcId"),
                "ServiceName": a.get("serviceName"),
                "VpcEndpointType": a.get("vpcEndpointType", "Gateway"),
                "RouteTableIds": a.get("routeTableIds"),
                "SubnetIds": a.get("subnetIds"),
                "SecurityGroupIds": a.get("securityGroupIds"),
                "PrivateDnsEnabled": a.get("privateDnsEnabled"),
                "PolicyDocument": a.get("policy"),
                "TagSpecifications": a.tag_spec("vpc-endpoint"),
            }
        )
    )["VpcEndpoint"]
    eid = e["VpcEndpointId"]
    return eid, {"arn": f"arn:aws:ec2:{a.region}:{a.account}:vpc-endpoint/{eid}", "state": e.get("State", "available")}


def _permission(rule: dict[str, Any], self_group: str | None = None) -> dict[str, Any]:
    """One inline ingress/egress block (or SecurityGroupRule inputs) as an EC2 IpPermission."""
    perm: dict[str, Any] = {"IpProtocol": str(rule.get("protocol", "-1"))}
    if perm["IpProtocol"] not in ("-1", "all"):
        perm["FromPort"] = int(rule.get("fromPort", 0))
        perm["ToPort"] = int(rule.get("toPort", 0))
    else:
        perm["IpProtocol"] = "-1"
    desc = {"Description": rule["description"]} if rule.get("description") else {}
    perm["IpRanges"] = [{"CidrIp": c, **desc} for c in rule.get("cidrBlocks") or []]
    perm["Ipv6Ranges"] = [{"CidrIpv6": c, **desc} for c in rule.get("ipv6CidrBlocks") or []]
    groups = list(rule.get("securityGroups") or [])
    if rule.get("sourceSecurityGroupId"):
        groups.append(rule["sourceSecurityGroupId"])
    if rule.get("self") and self_group:
        groups.append(self_group)
    perm["UserIdGroupPairs"] = [{"GroupId": g, **desc} for g in groups]
    perm["PrefixListIds"] = [{"PrefixListId": p} for p in rule.get("prefixListIds") or []]
    return drop_none(perm)


def security_group(a: Apply) -> Computed:
    ec2 = a.client("ec2")
    sg_id = ec2.create_security_group(
        **drop_none(
            {
                "GroupName": a.get("name"),
                "Description": a.get("description", "Managed by Pulumi"),
                "VpcId": a.get("vpcId"),
                "TagSpecifications": a.tag_spec("security-group"),
            }
        )
    )["GroupId"]
    # Like the provider: drop AWS's default allow-all egress, then apply the inline rules.
    default_egress = {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
    if a.get("vpcId"):
        ec2.revoke_security_group_egress(GroupId=sg_id, IpPermissions=[default_egress])
    if a.get("ingress"):
        ec2.authorize_security_group_ingress(
            GroupId=sg_id, IpPermissions=[_permission(r, sg_id) for r in a.get("ingress")]
        )
    if a.get("egress"):
        ec2.authorize_security_group_egress(
            GroupId=sg_id, IpPermissions=[_permission(r, sg_id) for r in a.get("egress")]
        )
    return sg_id, {"arn": f"arn:aws:ec2:{a.region}:{a.account}:security-group/{sg_id}", "ownerId": a.account}


def security_group_rule(a: Apply) -> Computed:
    ec2 = a.client("ec2")
    sg_id = a.get("securityGroupId")
    perm = _permission(a.inputs, sg_id)
    if a.get("type") == "egress":
        ec2.authorize_security_group_egress(GroupId=sg_id, IpPermissions=[perm])
    else:
        ec2.authorize_security_group_ingress(GroupId=sg_id, IpPermissions=[perm])
    return f"sgrule-{int(hexdigest(a.name + str(sg_id), 8), 16)}", {}


def _vpc_rule(direction: str) -> Translator:
    def translate(a: Apply) -> Computed:
        rule = {
            "protocol": a.get("ipProtocol", "-1"),
            "fromPort": a.get("fromPort"),
            "toPort": a.get("toPort"),
            "cidrBlocks": [a.get("cidrIpv4")] if a.get("cidrIpv4") else [],
            "ipv6CidrBlocks": [a.get("cidrIpv6")] if a.get("cidrIpv6") else [],
            "securityGroups": [a.get("referencedSecurityGroupId")] if a.get("referencedSecurityGroupId") else [],
            "prefixListIds": [a.get("prefixListId")] if a.get("prefixListId") else [],
            "description": a.get("description"),
        }
        ec2 = a.client("ec2")
        call = ec2.authorize_security_group_egress if direction == "egress" else ec2.authorize_security_group_ingress
        r = call(GroupId=a.get("securityGroupId"), IpPermissions=[_permission(rule)])
        rules = r.get("SecurityGroupRules") or [{}]
        rule_id = rules[0].get("SecurityGroupRuleId") or f"sgr-{hexdigest(a.name, 17)}"
        return rule_id, {
            "securityGroupRuleId": rule_id,
            "arn": f"arn:aws:ec2:{a.region}:{a.account}:security-group-rule/{rule_id}",
        }

    return translate


TRANSLATORS: dict[str, Translator] = {
    "aws:ec2/vpc:Vpc": vpc,
    "aws:ec2/subnet:Subnet": subnet,
    "aws:ec2/internetGateway:InternetGateway": internet_gateway,
    "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment": internet_gateway_attachment,
    "aws:ec2/eip:Eip": eip,
    "aws:ec2/natGateway:NatGateway": nat_gateway,
    "aws:ec2/routeTable:RouteTable": route_table,
    "aws:ec2/route:Route": route,
    "aws:ec2/routeTableAssociation:RouteTableAssociation": route_table_association,
    "aws:ec2/vpcEndpoint:VpcEndpoint": vpc_endpoint,
    "aws:ec2/securityGroup:SecurityGroup": security_group,
    "aws:ec2/securityGroupRule:SecurityGroupRule": security_group_rule,
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": _vpc_rule("ingress"),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": _vpc_rule("egress"),
}
