"""Every KMS key the stack creates has an explicit key policy: the account root statement kept (IAM
grants work), administration named for the deployer's role only, no other principal."""

from __future__ import annotations

import json

import pytest

from aimodel_infra.aws.key_policy import key_policy
from aimodel_infra.aws.testing.invokes import AWS_INVOKES
from aimodel_infra.testing.mocks import InvokeContext

from .example_stack import mocks_run

ACCOUNT = "123456789012"


def principals(policy: dict) -> set[str]:
    return {s["Principal"]["AWS"] for s in policy["Statement"]}


def test_the_root_statement_is_kept_and_only_the_deployer_administers() -> None:
    policy = key_policy(ACCOUNT, "arn:aws:iam::123456789012:role/ci-deployer")
    root, admin = policy["Statement"]
    assert (root["Principal"], root["Action"], root["Effect"]) == (
        {"AWS": "arn:aws:iam::123456789012:root"},
        "kms:*",
        "Allow",
    )
    assert admin["Principal"] == {"AWS": "arn:aws:iam::123456789012:role/ci-deployer"}
    assert "kms:Put*" in admin["Action"]  # covers kms:PutKeyPolicy: the deployer keeps managing the key
    assert not any(a in admin["Action"] for a in ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"))


def test_every_key_in_aws_dev_carries_the_explicit_policy() -> None:
    keys = mocks_run().of_type("aws:kms/key:Key")
    assert {k.name for k in keys} == {"aws-dev-cluster-secrets", "aws-dev-checkpoints-key"}
    for key in keys:
        policy = json.loads(key.inputs["policy"])
        assert principals(policy) == {"arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:user/pulumi-test"}
        assert all(s["Principal"] != "*" and s["Principal"].get("AWS") != "*" for s in policy["Statement"])


@pytest.mark.parametrize(
    "arn,issuer",
    [
        ("arn:aws:sts::123456789012:assumed-role/ci-deployer/gha-run-42", "arn:aws:iam::123456789012:role/ci-deployer"),
        ("arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:user/alice"),
    ],
)
def test_a_session_arn_is_named_by_its_role_because_kms_refuses_session_principals(arn: str, issuer: str) -> None:
    answer = AWS_INVOKES["aws:iam/getSessionContext:getSessionContext"](
        {"arn": arn}, InvokeContext("us-east-1", ACCOUNT)
    )
    assert answer["issuerArn"] == issuer
