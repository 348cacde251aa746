"""moto translators for Auto Scaling, EKS, Budgets and CloudWatch Logs (see `moto_backend`)."""

from __future__ import annotations

from typing import Any

from .backend import Apply, Computed, Translator, drop_none


def _lt_spec(lt: dict[str, Any]) -> dict[str, Any]:
    return drop_none(
        {
            "LaunchTemplateId": lt.get("id") or lt.get("launchTemplateId"),
            "LaunchTemplateName": lt.get("name") or lt.get("launchTemplateName"),
            "Version": str(lt.get("version") or "$Default"),
        }
    )


def _mixed_instances_policy(p: dict[str, Any]) -> dict[str, Any]:
    lt = p.get("launchTemplate") or {}
    dist = p.get("instancesDistribution") or {}
    return drop_none(
        {
            "LaunchTemplate": drop_none(
                {
                    "LaunchTemplateSpecification": _lt_spec(lt.get("launchTemplateSpecification") or {}),
                    "Overrides": [
                        drop_none(
                            {
                                "InstanceType": o.get("instanceType"),
                                "WeightedCapacity": o.get("weightedCapacity") and str(o["weightedCapacity"]),
                            }
                        )
                        for o in lt.get("overrides") or []
                    ],
                }
            ),
            "InstancesDistribution": drop_none(
                {
                    "OnDemandAllocationStrategy": dist.get("onDemandAllocationStrategy"),
                    "OnDemandBaseCapacity": dist.get("onDemandBaseCapacity"),
                    "OnDemandPercentageAboveBaseCapacity": dist.get("onDemandPercentageAboveBaseCapacity"),
                    "SpotAllocationStrategy": dist.get("spotAllocationStrategy"),
                    "SpotInstancePools": dist.get("spotInstancePools"),
                    "SpotMaxPrice": dist.get("spotMaxPrice"),
                }
            ),
        }
    )


def autoscaling_group(a: Apply) -> Computed:
    asg = a.client("autoscaling")
    name = a.get("name")
    tags = [
        {
            "Key": t.get("key"),
            "Value": str(t.get("value", "")),
            "PropagateAtLaunch": bool(t.get("propagateAtLaunch")),
            "ResourceId": name,
            "ResourceType": "auto-scaling-group",
        }
        for t in a.get("tags", [])
    ]
    asg.create_auto_scaling_group(
        **drop_none(
            {
                "AutoScalingGroupName": name,
                "MinSize": a.get("minSize"),
                "MaxSize": a.get("maxSize"),
                "DesiredCapacity": a.get("desiredCapacity"),
                "LaunchTemplate": _lt_spec(a.get("launchTemplate")) if a.get("launchTemplate") else None,
                "MixedInstancesPolicy": _mixed_instances_policy(a.get("mixedInstancesPolicy"))
                if a.get("mixedInstancesPolicy")
                else None,
                "VPCZoneIdentifier": ",".join(a.get("vpcZoneIdentifiers", [])) or None,
                "AvailabilityZones": a.get("availabilityZones"),
                "HealthCheckType": a.get("healthCheckType"),
                "HealthCheckGracePeriod": a.get("healthCheckGracePeriod"),
                "DefaultCooldown": a.get("defaultCooldown"),
                "CapacityRebalance": a.get("capacityRebalance"),
                "PlacementGroup": a.get("placementGroup"),
                "TerminationPolicies": a.get("terminationPolicies"),
                "Tags": tags,
            }
        )
    )
    g = asg.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]
    return name, {"arn": g["AutoScalingGroupARN"], "name": name}


def eks_cluster(a: Apply) -> Computed:
    vpc = a.get("vpcConfig", {})
    enc = a.get("encryptionConfig")
    if isinstance(enc, list):  # a list in pulumi-aws 6, one object in 7
        enc = enc[0] if enc else None
    log_types = a.get("enabledClusterLogTypes", [])
    access = a.get("accessConfig", {})
    net = a.get("kubernetesNetworkConfig", {})
    c = a.client("eks").create_cluster(
        **drop_none(
            {
                "name": a.get("name"),
                "version": a.get("version"),
                "roleArn": a.get("roleArn"),
                "resourcesVpcConfig": drop_none(
                    {
                        "subnetIds": vpc.get("subnetIds"),
                        "securityGroupIds": vpc.get("securityGroupIds"),
                        "endpointPublicAccess": vpc.get("endpointPublicAccess"),
                        "endpointPrivateAccess": vpc.get("endpointPrivateAccess"),
                        "publicAccessCidrs": vpc.get("publicAccessCidrs"),
                    }
                ),
                "encryptionConfig": [
                    drop_none(
                        {
                            "resources": enc.get("resources"),
                            "provider": drop_none({"keyArn": (enc.get("provider") or {}).get("keyArn")}),
                        }
                    )
                ]
                if enc
                else None,
                "logging": {"clusterLogging": [{"types": log_types, "enabled": True}]} if log_types else None,
                "accessConfig": drop_none(
                    {
                        "authenticationMode": access.get("authenticationMode"),
                        "bootstrapClusterCreatorAdminPermissions": access.get(
                            "bootstrapClusterCreatorAdminPermissions"
                        ),
                    }
                ),
                "kubernetesNetworkConfig": drop_none(
                    {"serviceIpv4Cidr": net.get("serviceIpv4Cidr"), "ipFamily": net.get("ipFamily")}
                ),
                "tags": {k: str(v) for k, v in (a.get("tags") or {}).items()},
            }
        )
    )["cluster"]
    if access:
        a.skip("accessConfig (moto's EKS drops it)")
    vpc_out = dict(vpc)
    got = c.get("resourcesVpcConfig") or {}
    vpc_out.update(drop_none({"clusterSecurityGroupId": got.get("clusterSecurityGroupId"), "vpcId": got.get("vpcId")}))
    oidc = ((c.get("identity") or {}).get("oidc") or {}).get("issuer")
    out: dict[str, Any] = {
        "arn": c["arn"],
        "endpoint": c.get("endpoint"),
        "certificateAuthority": {"data": (c.get("certificateAuthority") or {}).get("data")},
        "vpcConfig": vpc_out,
        "version": c.get("version"),
        "platformVersion": c.get("platformVersion"),
        "status": c.get("status"),
        "name": c["name"],
    }
    if oidc:
        out["identities"] = [{"oidcs": [{"issuer": oidc}]}]
    return c["name"], drop_none(out)


def eks_node_group(a: Apply) -> Computed:
    scaling = a.get("scalingConfig", {})
    lt = a.get("launchTemplate")
    eks = a.client("eks")
    version = a.get("version")
    if version is None and not lt:  # EKS defaults the node group to the cluster's version
        version = eks.describe_cluster(name=a.get("clusterName"))["cluster"].get("version")
    ng = eks.create_nodegroup(
        **drop_none(
            {
                "clusterName": a.get("clusterName"),
                "nodegroupName": a.get("nodeGroupName"),
                "scalingConfig": drop_none(
                    {
                        "minSize": scaling.get("minSize"),
                        "maxSize": scaling.get("maxSize"),
                        "desiredSize": scaling.get("desiredSize"),
                    }
                ),
                "diskSize": a.get("diskSize"),
                "subnets": a.get("subnetIds"),
                "instanceTypes": a.get("instanceTypes"),
                "amiType": a.get("amiType"),
                "nodeRole": a.get("nodeRoleArn"),
                "labels": {k: str(v) for k, v in (a.get("labels") or {}).items()},
                "taints": [
                    drop_none({"key": t.get("key"), "value": t.get("value"), "effect": t.get("effect")})
                    for t in a.get("taints", [])
                ],
                "launchTemplate": drop_none(
                    {"id": lt.get("id"), "name": lt.get("name"), "version": lt.get("version") and str(lt["version"])}
                )
                if lt
                else None,
                "capacityType": a.get("capacityType"),
                "version": version,
                "releaseVersion": a.get("releaseVersion"),
                "tags": {k: str(v) for k, v in (a.get("tags") or {}).items()},
            }
        )
    )["nodegroup"]
    groups = [{"name": g["name"]} for g in (ng.get("resources") or {}).get("autoScalingGroups", [])]
    return f"{ng['clusterName']}:{ng['nodegroupName']}", drop_none(
        {
            "arn": ng["nodegroupArn"],
            "nodeGroupName": ng["nodegroupName"],
            "status": ng.get("status"),
            "resources": [{"autoscalingGroups": groups, "remoteAccessSecurityGroupId": ""}],
            "capacityType": ng.get("capacityType"),
            "amiType": ng.get("amiType"),
            "version": ng.get("version"),
            "releaseVersion": ng.get("releaseVersion"),
        }
    )


def budget(a: Apply) -> Computed:
    account = a.get("accountId", a.account)
    name = a.get("name")
    notifications = []
    for n in a.get("notifications", []):
        subscribers = [{"SubscriptionType": "EMAIL", "Address": e} for e in n.get("subscriberEmailAddresses") or []]
        subscribers += [{"SubscriptionType": "SNS", "Address": t} for t in n.get("subscriberSnsTopicArns") or []]
        notifications.append(
            {
                "Notification": drop_none(
                    {
                        "NotificationType": n.get("notificationType"),
                        "ComparisonOperator": n.get("comparisonOperator"),
                        "Threshold": float(n.get("threshold", 0)),
                        "ThresholdType": n.get("thresholdType"),
                    }
                ),
                "Subscribers": subscribers,
            }
        )
    a.client("budgets").create_budget(
        AccountId=account,
        Budget=drop_none(
            {
                "BudgetName": name,
                "BudgetType": a.get("budgetType"),
                "TimeUnit": a.get("timeUnit"),
                "BudgetLimit": drop_none(
                    {"Amount": a.get("limitAmount") and str(a.get("limitAmount")), "Unit": a.get("limitUnit")}
                ),
                "CostFilters": {f["name"]: list(f.get("values") or []) for f in a.get("costFilters", [])},
            }
        ),
        NotificationsWithSubscribers=notifications,
    )
    return f"{account}:{name}", {"arn": f"arn:aws:budgets::{account}:budget/{name}", "accountId": account}


def log_group(a: Apply) -> Computed:
    logs = a.client("logs")
    name = a.get("name")
    logs.create_log_group(
        **drop_none(
            {
                "logGroupName": name,
                "kmsKeyId": a.get("kmsKeyId"),
                "tags": {k: str(v) for k, v in (a.get("tags") or {}).items()},
            }
        )
    )
    if a.get("retentionInDays"):
        logs.put_retention_policy(logGroupName=name, retentionInDays=int(a.get("retentionInDays")))
    return name, {"arn": f"arn:aws:logs:{a.region}:{a.account}:log-group:{name}"}


TRANSLATORS: dict[str, Translator] = {
    "aws:autoscaling/group:Group": autoscaling_group,
    "aws:eks/cluster:Cluster": eks_cluster,
    "aws:eks/nodeGroup:NodeGroup": eks_node_group,
    "aws:budgets/budget:Budget": budget,
    "aws:cloudwatch/logGroup:LogGroup": log_group,
}
