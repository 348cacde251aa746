"""AWS as the core sees it: the descriptor the registry names (SDK-free)."""

from aimodel_infra.cloud import CloudSupport
from aimodel_infra.spec.models import Cloud

SUPPORT = CloudSupport(
    cloud=Cloud.AWS,
    package="aws",
    install_hint="pip install 'aimodel-infra[aws]'",
    sdk_module="pulumi_aws",
    spec_rules="aimodel_infra.aws.spec_rules:aws_problems",
    policy_checks="aimodel_infra.aws.policy:CHECKS",
    replacement_keys="aimodel_infra.aws.replacements:REPLACED_ON_CHANGE",
    billable="aimodel_infra.aws.billable:billable",
    root_disk_fee="aimodel_infra.aws.billable:root_disk_fee",
    mock_tables="aimodel_infra.aws.testing.tables:MOCK_TABLES",
    environment="aimodel_infra.aws.environment:AwsEnvironment",
    graph_facts="aimodel_infra.aws.graph_facts:graph_facts",
    region_config_key="aws:region",
    zones_for="aimodel_infra.aws.placement:zones_for",
    zone_label="zone IDs",
    placement_notes="aimodel_infra.aws.placement:placement_notes",
)
