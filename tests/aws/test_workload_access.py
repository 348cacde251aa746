"""WorkloadAccess: each pool or group reaches exactly its buckets, with exactly the actions it needs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
import pulumi_aws.iam as iam
import pytest

from aimodel_infra.aws.bucket import Bucket, BucketArgs
from aimodel_infra.aws.context import AwsContext, assume_role_policy
from aimodel_infra.aws.workload_access import (
    NAMESPACE,
    READ_OBJECT_ACTIONS,
    WRITE_KEY_ACTIONS,
    WRITE_OBJECT_ACTIONS,
    BucketGrant,
    WorkloadAccess,
    WorkloadAccessArgs,
    bucket_access_statements,
    grants_for,
    irsa_trust_policy,
    merge_grants,
)
from aimodel_infra.catalog import default_catalog
from aimodel_infra.spec.loader import load_spec
from aimodel_infra.spec.models import Bucket as BucketSpec
from aimodel_infra.testing import MotoBackend, run_program

ROOT = Path(__file__).resolve().parents[2]
ENV = load_spec("aws-dev", root=ROOT)
CONTEXT = AwsContext.for_environment(ENV, default_catalog())
ISSUER = "oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
PROVIDER_ARN = f"arn:aws:iam::123456789012:oidc-provider/{ISSUER}"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
BUCKET_ARN = "arn:aws:s3:::aws-dev-data-abc1234"
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"


@dataclass(frozen=True)
class StandInCluster:
    """What WorkloadAccess reads from the Cluster component."""

    oidc_provider_arn: pulumi.Input[str]
    oidc_issuer: pulumi.Input[str]


def aws_dev_program() -> None:
    """Every bucket of aws-dev, an IRSA access per node pool and an instance-role access per group."""
    buckets = [Bucket(spec.name, BucketArgs(spec, CONTEXT)) for spec in ENV.buckets]
    cluster = StandInCluster(pulumi.Output.from_input(PROVIDER_ARN), pulumi.Output.from_input(ISSUER))
    for pool in ENV.node_pools:
        access = WorkloadAccess(
            pool.name, WorkloadAccessArgs(pool.name, CONTEXT, grants_for(pool.name, buckets), cluster=cluster)
        )
        pulumi.export(f"{pool.name}-role", access.role_arn)
        pulumi.export(f"{pool.name}-sa", access.service_account)
    for group in ENV.autoscaling_groups:
        role = iam.Role(f"{group.name}-instance-role", assume_role_policy=assume_role_policy("ec2.amazonaws.com"))
        access = WorkloadAccess(
            group.name, WorkloadAccessArgs(group.name, CONTEXT, grants_for(group.name, buckets), instance_role=role)
        )
        pulumi.export(f"{group.name}-role", access.role_arn)


@pytest.fixture(scope="module")
def aws_dev():
    return run_program(aws_dev_program)


def policies_of(graph, compute: str) -> list[dict[str, Any]]:
    component = graph.one("aimodel:aws:WorkloadAccess", compute)
    return [json.loads(p.inputs["policy"]) for p in graph.children(component) if p.type == ROLE_POLICY]


def statements_of(graph, compute: str) -> list[dict[str, Any]]:
    return [s for policy in policies_of(graph, compute) for s in policy["Statement"]]


def as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def bucket_arns(graph) -> dict[str, str]:
    return {
        spec.name: graph.one("aws:s3/bucket:Bucket", f"{ENV.name}-{spec.name}").outputs["arn"] for spec in ENV.buckets
    }


def key_arns(graph) -> dict[str, str]:
    return {r.name.removesuffix("-key"): r.outputs["arn"] for r in graph.of_type("aws:kms/key:Key")}


# -- plan ---------------------------------------------------------------------------------------
def test_readers_get_list_and_get_but_no_write_action() -> None:
    actions = {a for s in bucket_access_statements(BUCKET_ARN, None, write=False) for a in as_list(s["Action"])}
    assert set(READ_OBJECT_ACTIONS) <= actions
    assert {"s3:ListBucket", "s3:GetBucketLocation"} <= actions
    assert not actions & set(WRITE_OBJECT_ACTIONS)


def test_writers_also_put_delete_and_finish_multipart_uploads() -> None:
    actions = {a for s in bucket_access_statements(BUCKET_ARN, None, write=True) for a in as_list(s["Action"])}
    assert set(READ_OBJECT_ACTIONS) | set(WRITE_OBJECT_ACTIONS) <= actions


@pytest.mark.parametrize(("write", "expected"), [(False, {"kms:Decrypt"}), (True, set(WRITE_KEY_ACTIONS))])
def test_key_use_is_granted_on_that_key_only_and_writers_can_make_data_keys(write: bool, expected: set[str]) -> None:
    key_statements = [s for s in bucket_access_statements(BUCKET_ARN, KEY_ARN, write=write) if s["Resource"] == KEY_ARN]
    assert [set(as_list(s["Action"])) for s in key_statements] == [expected]


def test_no_key_statement_without_a_key() -> None:
    statements = bucket_access_statements(BUCKET_ARN, None, write=True)
    assert not [a for s in statements for a in as_list(s["Action"]) if a.startswith("kms:")]


def test_trust_policy_admits_one_service_account_of_one_cluster() -> None:
    (statement,) = irsa_trust_policy(PROVIDER_ARN, f"https://{ISSUER}", NAMESPACE, "train")["Statement"]
    assert statement["Principal"] == {"Federated": PROVIDER_ARN}
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Condition"] == {
        "StringEquals": {
            f"{ISSUER}:sub": f"system:serviceaccount:{NAMESPACE}:train",
            f"{ISSUER}:aud": "sts.amazonaws.com",
        }
    }


def test_grants_follow_readers_and_writers_and_writing_implies_reading() -> None:
    class Stub:
        def __init__(self, spec: BucketSpec) -> None:
            self.spec = spec

    both = Stub(BucketSpec(name="both", purpose="models", readers=["a"], writers=["a"]))
    read = Stub(BucketSpec(name="read", purpose="datasets", readers=["a"]))
    other = Stub(BucketSpec(name="other", purpose="logs", writers=["b"]))
    grants = grants_for("a", [both, read, other])  # type: ignore[list-item]
    assert [(g.bucket.spec.name, g.write) for g in grants] == [("both", True), ("read", False)]
    merged = merge_grants([BucketGrant(read, False), BucketGrant(read, True)])  # type: ignore[arg-type]
    assert [(g.bucket.spec.name, g.write) for g in merged] == [("read", True)]


def test_args_need_exactly_one_of_cluster_or_instance_role() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        WorkloadAccessArgs("train", CONTEXT, [])


# -- the aws-dev stack --------------------------------------------------------------------------
@pytest.mark.parametrize("compute", [c.name for c in ENV.compute])
def test_each_role_reaches_exactly_its_buckets_with_its_access_level(aws_dev, compute: str) -> None:
    arns = bucket_arns(aws_dev)
    expected = {
        spec.name: compute in spec.writers for spec in ENV.buckets if compute in spec.readers or compute in spec.writers
    }
    reached: dict[str, bool] = {}
    for statements in (p["Statement"] for p in policies_of(aws_dev, compute)):
        (bucket,) = {name for name, arn in arns.items() for s in statements if arn in as_list(s["Resource"])}
        actions = {a for s in statements for a in as_list(s["Action"])}
        reached[bucket] = bool(actions & set(WRITE_OBJECT_ACTIONS))
    assert reached == expected


def test_no_action_or_resource_is_a_wildcard_anywhere_in_the_stack(aws_dev) -> None:
    arns, keys = bucket_arns(aws_dev), key_arns(aws_dev)
    allowed = set(arns.values()) | {f"{arn}/*" for arn in arns.values()} | set(keys.values())
    statements = [s for compute in ENV.compute for s in statements_of(aws_dev, compute.name)]
    assert statements
    for statement in statements:
        assert statement["Effect"] == "Allow"
        assert all("*" not in action for action in as_list(statement["Action"])), statement
        assert set(as_list(statement["Resource"])) <= allowed, statement


def test_key_grants_point_at_the_key_of_the_bucket_they_are_for(aws_dev) -> None:
    arns, keys = bucket_arns(aws_dev), key_arns(aws_dev)
    assert keys, "aws-dev has a customer-key bucket"
    for compute in ENV.compute:
        for policy in policies_of(aws_dev, compute.name):
            resources = {r for s in policy["Statement"] for r in as_list(s["Resource"])}
            (bucket,) = {name for name, arn in arns.items() if arn in resources}
            assert resources & set(keys.values()) == ({keys[bucket]} if bucket in keys else set())


@pytest.mark.parametrize("pool", ENV.node_pools, ids=lambda p: p.name)
def test_node_pools_get_an_irsa_role_for_their_service_account(aws_dev, pool) -> None:
    component = aws_dev.one("aimodel:aws:WorkloadAccess", pool.name)
    (role,) = [r for r in aws_dev.children(component) if r.type == ROLE]
    expected = irsa_trust_policy(PROVIDER_ARN, ISSUER, NAMESPACE, pool.name)
    assert json.loads(role.inputs["assumeRolePolicy"]) == expected
    assert role.inputs["tags"].items() >= CONTEXT.tags.items()
    assert aws_dev.stack_outputs[f"{pool.name}-role"] == role.outputs["arn"]
    assert aws_dev.stack_outputs[f"{pool.name}-sa"] == f"{NAMESPACE}/{pool.name}"
    assert {p.inputs["role"] for p in aws_dev.children(component) if p.type == ROLE_POLICY} <= {role.outputs["name"]}


@pytest.mark.parametrize("group", ENV.autoscaling_groups, ids=lambda g: g.name)
def test_groups_get_their_policies_on_the_instance_role_and_no_new_role(aws_dev, group) -> None:
    component = aws_dev.one("aimodel:aws:WorkloadAccess", group.name)
    instance_role = aws_dev.one(ROLE, f"{group.name}-instance-role")
    assert not [r for r in aws_dev.children(component) if r.type == ROLE]
    policies = [p for p in aws_dev.children(component) if p.type == ROLE_POLICY]
    assert policies and {p.inputs["role"] for p in policies} == {instance_role.outputs["name"]}
    assert aws_dev.stack_outputs[f"{group.name}-role"] == instance_role.outputs["arn"]


def test_a_pool_without_grants_gets_a_role_with_no_policies() -> None:
    def program() -> None:
        cluster = StandInCluster(PROVIDER_ARN, ISSUER)
        WorkloadAccess("idle", WorkloadAccessArgs("idle", CONTEXT, [], cluster=cluster))

    graph = run_program(program)
    assert len(graph.of_type(ROLE)) == 1 and graph.of_type(ROLE_POLICY) == []


# -- moto ---------------------------------------------------------------------------------------
def test_roles_and_policies_are_accepted_by_iam_in_moto() -> None:
    with MotoBackend(region=ENV.region) as aws:
        graph = run_program(aws_dev_program, backend=aws)
        client = aws.client("iam")
        for policy in graph.of_type(ROLE_POLICY):
            stored = client.get_role_policy(RoleName=policy.inputs["role"], PolicyName=policy.outputs["name"])
            assert stored["PolicyDocument"] == json.loads(policy.inputs["policy"])
        train = client.get_role(RoleName=graph.one(ROLE, "train-role").outputs["name"])["Role"]
        assert train["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Federated": PROVIDER_ARN}
