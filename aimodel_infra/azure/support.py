"""Azure as the core sees it: the descriptor the registry names (SDK-free)."""

from aimodel_infra.cloud import CloudSupport
from aimodel_infra.spec.models import Cloud

SUPPORT = CloudSupport(
    cloud=Cloud.AZURE,
    package="azure-native",
    install_hint="pip install 'aimodel-infra[azure]'",
    sdk_module="pulumi_azure_native",
    spec_rules="aimodel_infra.azure.spec_rules:azure_problems",
    policy_checks="aimodel_infra.azure.policy:CHECKS",
    replacement_keys="aimodel_infra.azure.replacements:REPLACED_ON_CHANGE",
    billable="aimodel_infra.azure.billable:billable",
    root_disk_fee="aimodel_infra.azure.billable:root_disk_fee",
    mock_tables="aimodel_infra.azure.testing.tables:MOCK_TABLES",
    environment="aimodel_infra.azure.environment:AzureEnvironment",
    graph_facts="aimodel_infra.azure.graph_facts:graph_facts",
    region_config_key="azure-native:location",
)
