"""Inputs whose change makes AWS replace a resource (delete and create) instead of updating it.

A reviewer reading ``aimodel-infra diff`` must see "this node group is replaced" (its nodes are
drained and new ones boot), not "updated", and above all when the replaced resource holds data.
pulumi-aws is bridged from the Terraform AWS provider, whose schema marks these attributes
``ForceNew`` (e.g. ``internal/service/eks/node_group.go``: ami_type, capacity_type, disk_size,
instance_types, node_role_arn, subnet_ids, ...). Only resource types our components create and
attributes known to force replacement are listed; anything else is shown as an update.
Keys are Pulumi's camelCase input names (as recorded), top level only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

REPLACED_ON_CHANGE: Final[Mapping[str, frozenset[str]]] = {
    "aws:eks/nodeGroup:NodeGroup": frozenset(
        {
            "amiType",
            "capacityType",
            "clusterName",
            "diskSize",
            "instanceTypes",
            "nodeGroupName",
            "nodeGroupNamePrefix",
            "nodeRoleArn",
            "remoteAccess",
            "subnetIds",
        }
    ),  # fmt: skip
    "aws:eks/cluster:Cluster": frozenset({"name", "roleArn", "kubernetesNetworkConfig"}),
    "aws:s3/bucket:Bucket": frozenset({"bucket", "bucketPrefix", "objectLockEnabled"}),
    "aws:ec2/vpc:Vpc": frozenset({"cidrBlock"}),
    "aws:ec2/subnet:Subnet": frozenset({"cidrBlock", "availabilityZone", "vpcId"}),
    "aws:iam/role:Role": frozenset({"name", "namePrefix", "path"}),
}
