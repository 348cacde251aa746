"""What every AWS component needs to know about the environment it belongs to."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pulumi

from aimodel_infra.catalog import Catalog
from aimodel_infra.conventions import environment_tags
from aimodel_infra.spec.models import Environment

#: Audience of the tokens IAM trusts for IRSA: the cluster's OIDC provider client id and the ``aud``
#: condition of every IRSA trust policy (EKS User Guide, "Create an IAM OIDC provider for your cluster").
STS_AUDIENCE = "sts.amazonaws.com"


@dataclass(frozen=True)
class AwsContext:
    """The environment, its catalog and its tags, handed to each component instead of globals.

    Tags are passed explicitly to every taggable resource (not only as provider default tags) so
    they are visible in the recorded graph the policy checks read, and on resources such as
    launch-template tag specifications that provider default tags do not reach.
    """

    env: Environment
    catalog: Catalog
    tags: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_environment(cls, env: Environment, catalog: Catalog) -> AwsContext:
        return cls(env=env, catalog=catalog, tags=environment_tags(env))

    def tags_for(self, name: str, **extra: str) -> dict[str, str]:
        """The environment's tags plus a readable ``Name`` (what the EC2 console shows)."""
        return {**self.tags, "Name": f"{self.env.name}-{name}", **extra}

    @property
    def region(self) -> str:
        return self.env.region


def policy_document(statements: list[dict[str, Any]]) -> str:
    """An IAM policy document from plain statements (everything known before deploy)."""
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def policy_json(statements: list[dict[str, Any]]) -> pulumi.Output[str]:
    """An IAM policy document from statements that may hold Outputs (ARNs known only at deploy)."""
    return pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": statements})


def assume_role_policy(service: str) -> str:
    """Trust policy letting one AWS service (ec2.amazonaws.com, eks.amazonaws.com) assume a role."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
        }
    )
