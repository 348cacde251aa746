"""moto translators for EC2 launch templates and placement groups (see `moto_backend`)."""

from __future__ import annotations

import base64
from typing import Any

from .backend import Apply, Computed, RejectedInputError, Translator, as_bool, drop_none


def _ebs(ebs: dict[str, Any]) -> dict[str, Any]:
    return drop_none(
        {
            "Encrypted": as_bool(ebs.get("encrypted")),
            "DeleteOnTermination": as_bool(ebs.get("deleteOnTermination")),
            "Iops": ebs.get("iops"),
            "KmsKeyId": ebs.get("kmsKeyId"),
            "SnapshotId": ebs.get("snapshotId"),
            "Throughput": ebs.get("throughput"),
            "VolumeSize": ebs.get("volumeSize"),
            "VolumeType": ebs.get("volumeType"),
        }
    )


def launch_template_data(a: Apply) -> dict[str, Any]:
    """LaunchTemplateData for create_launch_template from the LaunchTemplate inputs."""
    meta = a.get("metadataOptions", {})
    profile = a.get("iamInstanceProfile", {})
    market = a.get("instanceMarketOptions", {})
    spot = market.get("spotOptions") or {}
    placement = a.get("placement", {})
    user_data = a.get("userData")
    if user_data is not None:
        try:  # EC2 rejects non-base64 user data ("Invalid BASE64 encoding"); moto stores anything
            base64.b64decode(user_data, validate=True)
        except ValueError:
            raise RejectedInputError("userData must be base64-encoded (EC2 rejects it otherwise)") from None
    for key in ("networkInterfaces", "capacityReservationSpecification", "cpuOptions", "instanceRequirements"):
        if a.get(key):
            a.skip(key)
    return drop_none(
        {
            "ImageId": a.get("imageId"),
            "InstanceType": a.get("instanceType"),
            "KeyName": a.get("keyName"),
            "UserData": user_data,
            "EbsOptimized": as_bool(a.get("ebsOptimized")),
            "SecurityGroupIds": a.get("vpcSecurityGroupIds"),
            "IamInstanceProfile": drop_none({"Arn": profile.get("arn"), "Name": profile.get("name")}),
            "MetadataOptions": drop_none(
                {
                    "HttpEndpoint": meta.get("httpEndpoint"),
                    "HttpTokens": meta.get("httpTokens"),
                    "HttpPutResponseHopLimit": meta.get("httpPutResponseHopLimit"),
                    "InstanceMetadataTags": meta.get("instanceMetadataTags"),
                    "HttpProtocolIpv6": meta.get("httpProtocolIpv6"),
                }
            ),
            "BlockDeviceMappings": [
                drop_none(
                    {
                        "DeviceName": m.get("deviceName"),
                        "Ebs": _ebs(m.get("ebs") or {}),
                        "NoDevice": m.get("noDevice"),
                        "VirtualName": m.get("virtualName"),
                    }
                )
                for m in a.get("blockDeviceMappings", [])
            ],
            "TagSpecifications": [
                {
                    "ResourceType": t.get("resourceType"),
                    "Tags": [{"Key": k, "Value": str(v)} for k, v in (t.get("tags") or {}).items()],
                }
                for t in a.get("tagSpecifications", [])
            ],
            "InstanceMarketOptions": drop_none(
                {
                    "MarketType": market.get("marketType"),
                    "SpotOptions": drop_none(
                        {
                            "MaxPrice": spot.get("maxPrice"),
                            "SpotInstanceType": spot.get("spotInstanceType"),
                            "InstanceInterruptionBehavior": spot.get("instanceInterruptionBehavior"),
                        }
                    ),
                }
            ),
            "Placement": drop_none(
                {
                    "AvailabilityZone": placement.get("availabilityZone"),
                    "GroupName": placement.get("groupName"),
                    "Tenancy": placement.get("tenancy"),
                }
            ),
        }
    )


def launch_template(a: Apply) -> Computed:
    lt = a.client("ec2").create_launch_template(
        **drop_none(
            {
                "LaunchTemplateName": a.get("name"),
                "LaunchTemplateData": launch_template_data(a),
                "TagSpecifications": a.tag_spec("launch-template"),
            }
        )
    )["LaunchTemplate"]
    lt_id = lt["LaunchTemplateId"]
    return lt_id, {
        "arn": f"arn:aws:ec2:{a.region}:{a.account}:launch-template/{lt_id}",
        "latestVersion": lt.get("LatestVersionNumber", 1),
        "defaultVersion": lt.get("DefaultVersionNumber", 1),
        "name": lt["LaunchTemplateName"],
    }


def placement_group(a: Apply) -> Computed:
    a.client("ec2").create_placement_group(
        **drop_none(
            {
                "GroupName": a.get("name"),
                "Strategy": a.get("strategy"),
                "PartitionCount": a.get("partitionCount"),
                "SpreadLevel": a.get("spreadLevel"),
                "TagSpecifications": a.tag_spec("placement-group"),
            }
        )
    )
    return a.get("name"), {"arn": f"arn:aws:ec2:{a.region}:{a.account}:placement-group/{a.get('name')}"}


TRANSLATORS: dict[str, Translator] = {
    "aws:ec2/launchTemplate:LaunchTemplate": launch_template,
    "aws:ec2/placementGroup:PlacementGroup": placement_group,
}
