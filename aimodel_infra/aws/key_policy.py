"""Explicit key policies for the KMS keys the stack creates, instead of KMS's implicit default.

The policy has the shape of the key policy AWS's own console writes (AWS KMS Developer Guide, "Default
key policy"): the account root statement ("Enable IAM User Permissions", ``kms:*`` to
``arn:aws:iam::<account>:root``) is kept, because it is what lets IAM policies in the account grant use
of the key (the workload roles' ``kms:Decrypt`` / ``kms:GenerateDataKey`` and the EKS cluster role's
statements rely on it) and what keeps the key manageable if a principal named below is deleted; and
key administration is named for one principal only, whoever deploys the stack. No other account, service
or wildcard principal appears. The deployer is named by its IAM role ARN, not its STS session ARN
(``aws.iam.get_session_context`` resolves it): KMS refuses session ARNs as key-policy principals.
"""

from __future__ import annotations

import json
from typing import Any, Final

import pulumi
import pulumi_aws as aws

#: What the deployer may do to the key itself (the console's "key administrators" list).
KEY_ADMIN_ACTIONS: Final = (
    "kms:Create*",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:RotateKeyOnDemand",
)


def key_policy(account_id: str, administrator_arn: str) -> dict[str, Any]:
    """The key policy (see module doc) for a key in ``account_id`` administered by ``administrator_arn``."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "EnableIamUserPermissions",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Sid": "AllowKeyAdministrationByTheDeployer",
                "Effect": "Allow",
                "Principal": {"AWS": administrator_arn},
                "Action": list(KEY_ADMIN_ACTIONS),
                "Resource": "*",
            },
        ],
    }


def deployer_key_policy(parent: pulumi.Resource) -> pulumi.Output[str]:
    """The key policy as JSON, naming the account and the role that runs `pulumi up`."""
    options = pulumi.InvokeOutputOptions(parent=parent)
    caller = aws.get_caller_identity_output(opts=options)
    deployer = aws.iam.get_session_context_output(arn=caller.arn, opts=options).issuer_arn
    return pulumi.Output.all(caller.account_id, deployer).apply(lambda a: json.dumps(key_policy(a[0], a[1])))
