"""The AWS rules on recorded graphs: each passes on a well-built environment and fires on one flaw."""

from __future__ import annotations

import dataclasses
import runpy
from pathlib import Path

import pulumi
import pytest
import yaml

from aimodel_infra.aws.policy import CHECKS
from aimodel_infra.aws.policy.iam import statement_wildcards
from aimodel_infra.policy.engine import PolicyReport, evaluate
from aimodel_infra.policy.rules import Severity
from aimodel_infra.registry import support
from aimodel_infra.spec.loader import load_spec
from aimodel_infra.spec.models import Environment
from aimodel_infra.testing import ResourceGraph, run_program

from .graphs import (
    ASG,
    BUCKET_ACL,
    ENV,
    NODE_GROUP,
    PUBLIC_SUBNET_ID,
    S3_BUCKET,
    SUBNET,
    GraphBuilder,
    changed,
    compliant_builder,
    compliant_graph,
    document,
    without,
)


def check(graph: ResourceGraph, rule: str, env: Environment = ENV) -> PolicyReport:
    return evaluate(graph, env, CHECKS, only=[rule])


def fired_on(report: PolicyReport, rule: str) -> list[str]:
    """Names of the resources ``rule`` fired on ('<stack>' for stack-level findings)."""
    return [f.resource_name or "<stack>" for f in report.for_rule(rule)]


def test_the_compliant_environment_passes_every_rule_with_no_finding() -> None:
    report = evaluate(compliant_graph(), ENV, CHECKS)
    assert report.findings == (), "\n".join(map(str, report.findings))
    assert set(report.rules_checked) == set(CHECKS.checks)


# -- encryption-at-rest ---------------------------------------------------------------------------
def test_a_bucket_without_encryption_configuration_fires() -> None:
    report = check(without(compliant_graph(), "datasets-encryption"), "encryption-at-rest")
    assert fired_on(report, "encryption-at-rest") == ["pt-datasets"]


def test_inline_bucket_encryption_counts_as_encrypted() -> None:
    default = {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}
    inline = {"serverSideEncryptionConfiguration": {"rule": default}}
    graph = changed(without(compliant_graph(), "datasets-encryption"), "pt-datasets", inputs=inline)
    assert fired_on(check(graph, "encryption-at-rest"), "encryption-at-rest") == []


def test_an_unencrypted_launch_template_device_fires_naming_the_device() -> None:
    devices = {"blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {"encrypted": "false"}}]}
    report = check(changed(compliant_graph(), "train-lt", inputs=devices), "encryption-at-rest")
    assert fired_on(report, "encryption-at-rest") == ["train-lt"]
    assert "/dev/xvda" in report.findings[0].message


def test_a_launch_template_declaring_no_disk_fires_because_encryption_is_left_to_defaults() -> None:
    report = check(changed(compliant_graph(), "train-lt", drop=("blockDeviceMappings",)), "encryption-at-rest")
    assert fired_on(report, "encryption-at-rest") == ["train-lt"]


def test_a_node_group_without_a_launch_template_fires_because_its_disks_follow_account_defaults() -> None:
    report = check(changed(compliant_graph(), "train", drop=("launchTemplate",)), "encryption-at-rest")
    assert fired_on(report, "encryption-at-rest") == ["train"]


def test_a_cluster_without_secrets_encryption_fires() -> None:
    report = check(changed(compliant_graph(), "cluster", drop=("encryptionConfig",)), "encryption-at-rest")
    assert fired_on(report, "encryption-at-rest") == ["cluster"]


# -- no-public-buckets ----------------------------------------------------------------------------
def test_a_bucket_without_public_access_block_fires() -> None:
    report = check(without(compliant_graph(), "checkpoints-public-access"), "no-public-buckets")
    assert fired_on(report, "no-public-buckets") == ["pt-checkpoints"]


def test_a_public_access_block_with_a_flag_off_fires_naming_the_flag() -> None:
    graph = changed(compliant_graph(), "datasets-public-access", inputs={"restrictPublicBuckets": False})
    report = check(graph, "no-public-buckets")
    assert fired_on(report, "no-public-buckets") == ["pt-datasets"]
    assert "restrictPublicBuckets" in report.findings[0].message


def test_a_bucket_policy_allowing_everyone_fires_while_a_deny_for_everyone_does_not() -> None:
    public = {
        "Sid": "PublicRead",
        "Effect": "Allow",
        "Principal": {"AWS": "*"},
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::pt-datasets-abc1234/*",
    }
    graph = changed(compliant_graph(), "datasets-tls-only", inputs={"policy": document(public)})
    report = check(graph, "no-public-buckets")
    assert fired_on(report, "no-public-buckets") == ["pt-datasets"]
    assert "PublicRead" in report.findings[0].message


@pytest.mark.parametrize("acl", ["public-read", "public-read-write", "authenticated-read"])
def test_a_public_canned_acl_fires(acl: str) -> None:
    builder = compliant_builder()
    builder.add(BUCKET_ACL, "datasets-acl", {"bucket": "pt-datasets-abc1234", "acl": acl})
    assert fired_on(check(builder.graph(), "no-public-buckets"), "no-public-buckets") == ["pt-datasets"]


def test_settings_whose_bucket_name_is_unknown_in_a_preview_are_matched_by_dependency() -> None:
    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    graph = changed(compliant_graph(), "datasets-public-access", inputs={"bucket": unknown})
    assert fired_on(check(graph, "no-public-buckets"), "no-public-buckets") == []


# -- versioned-checkpoints ------------------------------------------------------------------------
def test_a_checkpoints_bucket_without_versioning_fires() -> None:
    report = check(without(compliant_graph(), "checkpoints-versioning"), "versioned-checkpoints")
    assert fired_on(report, "versioned-checkpoints") == ["pt-checkpoints"]


def test_suspended_versioning_is_not_versioning() -> None:
    suspended = {"versioningConfiguration": {"status": "Suspended"}}
    graph = changed(compliant_graph(), "checkpoints-versioning", inputs=suspended)
    assert fired_on(check(graph, "versioned-checkpoints"), "versioned-checkpoints") == ["pt-checkpoints"]


def test_a_datasets_bucket_may_be_unversioned() -> None:
    graph = compliant_graph()
    assert not [r for r in graph.resources if r.name == "datasets-versioning"]
    assert fired_on(check(graph, "versioned-checkpoints"), "versioned-checkpoints") == []


def test_without_a_purpose_tag_the_purpose_comes_from_the_bucket_component_name() -> None:
    tags = dict(compliant_graph().by_urn(f"urn:pulumi:test::aimodel-infra::{S3_BUCKET}::pt-checkpoints").inputs["tags"])
    del tags["aimodel-bucket-purpose"]
    graph = without(changed(compliant_graph(), "pt-checkpoints", inputs={"tags": tags}), "checkpoints-versioning")
    assert fired_on(check(graph, "versioned-checkpoints"), "versioned-checkpoints") == ["pt-checkpoints"]


# -- data-buckets-protected -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"protect": False}, "protect"),
        ({"retain_on_delete": False}, "retain_on_delete"),
        ({"inputs": {"forceDestroy": True}}, "force_destroy"),
    ],
)
def test_a_data_bucket_missing_a_protection_fires_naming_it(change: dict, named: str) -> None:
    report = check(changed(compliant_graph(), "pt-datasets", **change), "data-buckets-protected")
    assert fired_on(report, "data-buckets-protected") == ["pt-datasets"]
    assert named in report.findings[0].message


def test_a_logs_bucket_needs_no_protection() -> None:
    logs = compliant_graph().by_urn(f"urn:pulumi:test::aimodel-infra::{S3_BUCKET}::pt-logs")
    assert not logs.protect
    assert fired_on(check(compliant_graph(), "data-buckets-protected"), "data-buckets-protected") == []


# -- gpu-nodes-private ----------------------------------------------------------------------------
def test_a_node_group_in_a_public_subnet_fires_naming_the_subnet() -> None:
    graph = changed(compliant_graph(), "train", inputs={"subnetIds": [PUBLIC_SUBNET_ID]})
    report = check(graph, "gpu-nodes-private")
    assert fired_on(report, "gpu-nodes-private") == ["train"]
    assert "public-a" in report.findings[0].message


def test_an_autoscaling_group_without_subnets_fires() -> None:
    report = check(changed(compliant_graph(), "batch", drop=("vpcZoneIdentifiers",)), "gpu-nodes-private")
    assert fired_on(report, "gpu-nodes-private") == ["batch"]


def test_a_launch_template_associating_a_public_ip_fires() -> None:
    graph = changed(compliant_graph(), "train-lt", inputs={"networkInterfaces": [{"associatePublicIpAddress": "true"}]})
    assert fired_on(check(graph, "gpu-nodes-private"), "gpu-nodes-private") == ["train-lt"]


# -- imdsv2-required ------------------------------------------------------------------------------
@pytest.mark.parametrize("options", [{"httpTokens": "optional"}, {}, None])
def test_a_launch_template_allowing_imdsv1_fires(options: dict | None) -> None:
    graph = changed(compliant_graph(), "train-lt", inputs={"metadataOptions": options})
    assert fired_on(check(graph, "imdsv2-required"), "imdsv2-required") == ["train-lt"]


# -- cluster-endpoint-restricted ------------------------------------------------------------------
@pytest.mark.parametrize(
    "vpc_config",
    [
        {"endpointPublicAccess": True},
        {},  # unset means public on EKS, and no CIDRs means 0.0.0.0/0
        {"endpointPublicAccess": True, "publicAccessCidrs": ["203.0.113.0/24", "0.0.0.0/0"]},
    ],
)
def test_a_public_endpoint_open_to_everyone_fires(vpc_config: dict) -> None:
    graph = changed(compliant_graph(), "cluster", inputs={"vpcConfig": vpc_config})
    assert fired_on(check(graph, "cluster-endpoint-restricted"), "cluster-endpoint-restricted") == ["cluster"]


def test_a_public_endpoint_limited_to_listed_cidrs_passes() -> None:
    graph = changed(
        compliant_graph(),
        "cluster",
        inputs={"vpcConfig": {"endpointPublicAccess": True, "publicAccessCidrs": ["203.0.113.0/24"]}},
    )
    assert fired_on(check(graph, "cluster-endpoint-restricted"), "cluster-endpoint-restricted") == []


# -- no-wildcard-iam ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("statement", "too_broad"),
    [
        ({"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b"}, True),
        ({"Effect": "Allow", "Action": ["s3:GetObject", "s3:*"], "Resource": "arn:aws:s3:::b/*"}, True),
        ({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, True),
        ({"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:s3:::b"}, True),
        ({"Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*", "*"]}, True),  # Effect defaults to Allow
        ({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}, False),
        ({"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::b/*"}, False),  # not service-wide
        ({"Effect": "Allow", "Action": ["ec2:DescribeInstances", "ecr:GetAuthorizationToken"], "Resource": "*"}, False),
        ({"Effect": "Deny", "Action": "*", "Resource": "*"}, False),
    ],
)
def test_statement_wildcards(statement: dict, too_broad: bool) -> None:
    assert bool(statement_wildcards(statement)) is too_broad


def test_a_role_policy_with_a_service_wide_action_fires() -> None:
    broad = {"Sid": "All", "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::pt-datasets-abc1234"}
    report = check(changed(compliant_graph(), "batch-datasets", inputs={"policy": document(broad)}), "no-wildcard-iam")
    assert fired_on(report, "no-wildcard-iam") == ["batch-datasets"]
    assert "s3:*" in report.findings[0].message and "All" in report.findings[0].message


def test_a_trust_policy_letting_anyone_assume_the_role_fires() -> None:
    anyone = {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    graph = changed(compliant_graph(), "batch-role", inputs={"assumeRolePolicy": document(anyone)})
    report = check(graph, "no-wildcard-iam")
    assert fired_on(report, "no-wildcard-iam") == ["batch-role"]


def test_an_inline_role_policy_is_read_too() -> None:
    inline = [{"name": "admin", "policy": document({"Effect": "Allow", "Action": "*", "Resource": "*"})}]
    report = check(changed(compliant_graph(), "batch-role", inputs={"inlinePolicies": inline}), "no-wildcard-iam")
    assert fired_on(report, "no-wildcard-iam") == ["batch-role"]
    assert "admin" in report.findings[0].message


def test_a_policy_that_is_not_json_fires_because_it_cannot_be_checked() -> None:
    report = check(changed(compliant_graph(), "batch-datasets", inputs={"policy": "{not json"}), "no-wildcard-iam")
    assert fired_on(report, "no-wildcard-iam") == ["batch-datasets"]


# -- required-tags --------------------------------------------------------------------------------
def test_a_resource_missing_environment_tags_is_reported_with_the_missing_keys() -> None:
    graph = changed(compliant_graph(), "vpc", inputs={"tags": {"team": "ml"}})
    report = check(graph, "required-tags")
    assert fired_on(report, "required-tags") == ["vpc"]
    assert report.findings[0].severity is Severity.ADVISORY and report.passed
    assert "missing environment tags aimodel-environment, managed-by;" in report.findings[0].message


def test_provider_default_tags_count_as_the_resources_tags() -> None:
    builder = GraphBuilder()
    provider = builder.add("pulumi:providers:aws", "tagged", {"defaultTags": {"tags": builder.tags}}, id="prov-1")
    builder.add("aws:ec2/vpc:Vpc", "vpc", {"cidrBlock": "10.0.0.0/16"}, provider=f"{provider.urn}::prov-1")
    builder.add("aws:ec2/vpc:Vpc", "untagged", {"cidrBlock": "10.1.0.0/16"})
    assert fired_on(check(builder.graph(), "required-tags"), "required-tags") == ["untagged"]


def test_autoscaling_group_tags_are_read_from_their_list_form() -> None:
    only_team = [{"key": "team", "value": "ml", "propagateAtLaunch": True}]
    graph = changed(compliant_graph(), "batch", inputs={"tags": only_team})
    assert fired_on(check(graph, "required-tags"), "required-tags") == ["batch"]


# -- budget-alerts --------------------------------------------------------------------------------
def test_a_declared_budget_that_is_not_created_fires_as_mandatory() -> None:
    report = check(without(compliant_graph(), "budget"), "budget-alerts")
    assert fired_on(report, "budget-alerts") == ["<stack>"]
    assert not report.passed


def test_a_budget_without_notifications_fires() -> None:
    report = check(changed(compliant_graph(), "budget", inputs={"notifications": []}), "budget-alerts")
    assert fired_on(report, "budget-alerts") == ["budget"]


def test_no_budget_declared_is_advice_not_a_failure() -> None:
    env = ENV.model_copy(update={"budget": None})
    report = check(compliant_graph(env), "budget-alerts", env)
    assert [f.severity for f in report.findings] == [Severity.ADVISORY]
    assert "no budget declared" in report.findings[0].message
    assert report.passed


# -- the real Bucket component, recorded in preview mode ------------------------------------------
def bucket_component_graph(**spec: object) -> ResourceGraph:
    from aimodel_infra.aws.bucket import Bucket, BucketArgs
    from aimodel_infra.aws.context import AwsContext
    from aimodel_infra.catalog import default_catalog

    env = ENV.model_copy(update={"buckets": [ENV.buckets[1].model_copy(update=spec)]})
    context = AwsContext.for_environment(env, default_catalog())
    return run_program(
        lambda: pulumi.export("b", Bucket("checkpoints", BucketArgs(env.buckets[0], context)).name), preview=True
    )


BUCKET_RULES = ["encryption-at-rest", "no-public-buckets", "versioned-checkpoints", "data-buckets-protected"]


def test_the_bucket_component_passes_the_bucket_rules() -> None:
    report = evaluate(bucket_component_graph(), ENV, CHECKS, only=BUCKET_RULES)
    assert report.findings == (), "\n".join(map(str, report.findings))


def test_the_bucket_component_without_deletion_protection_or_versioning_fires_those_rules() -> None:
    graph = bucket_component_graph(deletion_protection=False, versioning=False)
    report = evaluate(graph, ENV, CHECKS, only=BUCKET_RULES)
    assert sorted({f.rule for f in report.findings}) == ["data-buckets-protected", "versioned-checkpoints"]


# -- the whole aws-dev program, recorded offline --------------------------------------------------
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def aws_dev() -> tuple[ResourceGraph, Environment]:
    stack = yaml.safe_load((REPO / "stacks" / "Pulumi.aws-dev.yaml").read_text())
    spec_document = stack["config"]["aimodel-infra:environment"]
    env = load_spec("aws-dev", root=REPO)
    graph = run_program(
        lambda: runpy.run_path(str(REPO / "__main__.py"), run_name="__main__"),
        config={"aimodel-infra:environment": spec_document},
        preview=True,
    )
    return graph, env


def test_the_aws_dev_stack_passes_every_mandatory_rule(aws_dev: tuple[ResourceGraph, Environment]) -> None:
    graph, env = aws_dev
    report = evaluate(graph, env, support(env.cloud).load_policy_checks())
    assert report.passed, "\n".join(map(str, report.mandatory))
    assert set(report.rules_checked) == set(CHECKS.checks)


def test_on_the_aws_dev_graph_a_public_subnet_reaches_every_node_group_and_the_group(
    aws_dev: tuple[ResourceGraph, Environment],
) -> None:
    graph, env = aws_dev
    public = ResourceGraph(
        [
            dataclasses.replace(r, inputs={**r.inputs, "mapPublicIpOnLaunch": True}) if r.type == SUBNET else r
            for r in graph.resources
        ],
        {},
        set(),
        [],
        stack_urn=graph.stack_urn,
    )
    fired = {f.resource_type for f in check(public, "gpu-nodes-private", env).findings}
    assert fired == {NODE_GROUP, ASG}
    expected = len(graph.of_type(NODE_GROUP)) + len(graph.of_type(ASG))
    assert len(check(public, "gpu-nodes-private", env).findings) == expected


def test_on_the_aws_dev_graph_the_bucket_rules_see_every_data_bucket(
    aws_dev: tuple[ResourceGraph, Environment],
) -> None:
    graph, env = aws_dev
    unprotected = ResourceGraph(
        [dataclasses.replace(r, protect=False) for r in graph.resources], {}, set(), [], stack_urn=graph.stack_urn
    )
    fired = fired_on(check(unprotected, "data-buckets-protected", env), "data-buckets-protected")
    assert len(fired) == len([b for b in env.buckets if b.purpose.value in ("datasets", "checkpoints", "models")])
