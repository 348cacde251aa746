"""What an Azure environment bills, for cost (interim: the builder is not written yet).

AKS agent pools are one per capacity group; a NAT gateway is zonal, so ``per-zone`` means one per
zone; the system pool runs on Standard_D4s_v5.
"""

from __future__ import annotations

from aimodel_infra.catalog import Catalog
from aimodel_infra.plan.billing import BillablePlan, BilledFee
from aimodel_infra.plan.pools import billed_capacity_groups, system_group
from aimodel_infra.spec.models import Encryption, Environment, NatMode

SYSTEM_INSTANCE_TYPE = "Standard_D4s_v5"


def billable(env: Environment, catalog: Catalog) -> BillablePlan:
    groups = [*billed_capacity_groups(env, catalog), *system_group(env, SYSTEM_INSTANCE_TYPE)]
    fees = []
    if env.cluster is not None:
        fees.append(BilledFee("control_plane", "control_plane", 1))
    gateways = {NatMode.NONE: 0, NatMode.SINGLE: 1, NatMode.PER_ZONE: env.network.zones}[env.network.nat]
    if gateways:
        fees.append(BilledFee("nat_gateway", "nat_gateway", gateways))
    for bucket in env.buckets:
        fees.append(BilledFee("object_storage", f"object_storage:{bucket.name}", bucket.expected_size_gb))
        if bucket.encryption is Encryption.CUSTOMER_KEY and bucket.customer_key_id is None:
            fees.append(BilledFee("kms_key", f"kms_key:{bucket.name}", 1))
    return BillablePlan(tuple(groups), tuple(fees))
