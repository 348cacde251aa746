"""Inputs whose change makes GCP replace a resource (delete and create) instead of updating it.

pulumi-gcp is bridged from the Terraform Google provider, whose schema marks these attributes
``ForceNew`` (e.g. ``google_container_node_pool``: name, cluster, location and most of
``node_config``; ``google_container_cluster``: network, subnetwork, networking mode, datapath
provider, IP allocation policy, private cluster settings; IAM members: role and member; instance
templates are immutable). Keys are Pulumi's camelCase input names, top level only, so a change
anywhere in a node pool's ``nodeConfig`` is shown as a replacement: most of its fields (machine
type, GPUs, spot, disk, service account) are, and a false "replaced" is safer than a hidden one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

_IAM_MEMBER: Final = frozenset({"role", "member", "condition"})

REPLACED_ON_CHANGE: Final[Mapping[str, frozenset[str]]] = {
    "gcp:container/cluster:Cluster": frozenset(
        {
            "name",
            "location",
            "project",
            "network",
            "subnetwork",
            "networkingMode",
            "datapathProvider",
            "ipAllocationPolicy",
            "privateClusterConfig",
            "clusterIpv4Cidr",
            "enableAutopilot",
        }
    ),  # fmt: skip
    "gcp:container/nodePool:NodePool": frozenset(
        {"name", "namePrefix", "cluster", "location", "project", "nodeConfig", "initialNodeCount"}
    ),
    "gcp:compute/network:Network": frozenset({"name", "project", "autoCreateSubnetworks"}),
    "gcp:compute/subnetwork:Subnetwork": frozenset({"name", "project", "network", "region"}),
    "gcp:compute/router:Router": frozenset({"name", "project", "network", "region"}),
    "gcp:compute/routerNat:RouterNat": frozenset({"name", "project", "router", "region"}),
    "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate": frozenset(
        {
            "name",
            "namePrefix",
            "project",
            "region",
            "machineType",
            "disks",
            "guestAccelerators",
            "scheduling",
            "networkInterfaces",
            "serviceAccount",
            "metadata",
            "labels",
            "shieldedInstanceConfig",
            "description",
        }
    ),  # fmt: skip
    "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager": frozenset(
        {"name", "project", "region", "baseInstanceName"}
    ),
    "gcp:compute/regionAutoscaler:RegionAutoscaler": frozenset({"name", "project", "region"}),
    "gcp:kms/keyRing:KeyRing": frozenset({"name", "location", "project"}),
    "gcp:kms/cryptoKey:CryptoKey": frozenset({"name", "keyRing", "purpose"}),
    "gcp:storage/bucket:Bucket": frozenset({"name", "location", "project"}),
    "gcp:serviceaccount/account:Account": frozenset({"accountId", "project"}),
    "gcp:projects/iAMMember:IAMMember": _IAM_MEMBER | {"project"},
    "gcp:serviceaccount/iAMMember:IAMMember": _IAM_MEMBER | {"serviceAccountId"},
    "gcp:storage/bucketIAMMember:BucketIAMMember": _IAM_MEMBER | {"bucket"},
    "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": _IAM_MEMBER | {"cryptoKeyId"},
    "gcp:projects/service:Service": frozenset({"service", "project"}),
    "gcp:projects/serviceIdentity:ServiceIdentity": frozenset({"service", "project"}),
    "gcp:billing/budget:Budget": frozenset({"billingAccount"}),
}
