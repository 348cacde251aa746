"""GCP as the core sees it: the descriptor the registry names (SDK-free)."""

from aimodel_infra.cloud import CloudSupport
from aimodel_infra.spec.models import Cloud

SUPPORT = CloudSupport(
    cloud=Cloud.GCP,
    package="gcp",
    install_hint="pip install 'aimodel-infra[gcp]'",
    sdk_module="pulumi_gcp",
    spec_rules="aimodel_infra.gcp.spec_rules:gcp_problems",
    policy_checks="aimodel_infra.gcp.policy:CHECKS",
    replacement_keys="aimodel_infra.gcp.replacements:REPLACED_ON_CHANGE",
    billable="aimodel_infra.gcp.billable:billable",
    root_disk_fee="aimodel_infra.gcp.billable:root_disk_fee",
    mock_tables="aimodel_infra.gcp.testing.tables:MOCK_TABLES",
    environment="aimodel_infra.gcp.environment:GcpEnvironment",
    graph_facts="aimodel_infra.gcp.graph_facts:graph_facts",
    region_config_key="gcp:region",
    zones_for="aimodel_infra.gcp.placement:zones_for",
)
