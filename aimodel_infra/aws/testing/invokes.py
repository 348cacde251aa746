"""Answers for AWS invokes (data sources), keyed by token in `AWS_INVOKES`."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from aimodel_infra.testing.mocks import InvokeContext, hexdigest

from .state import zone_id

# How many zones each region has (letters from 'a'); unknown regions get 3.
AWS_ZONE_COUNT = {"us-east-1": 6, "us-west-2": 4, "us-west-1": 2, "ap-northeast-2": 4, "ca-central-1": 3}


class ParameterNotFound(Exception):  # noqa: N818 - named like the AWS error code
    """Raised like the real SSM `ParameterNotFound` for an unknown parameter name."""


# ---------------------------------------------------------------------------------
def _availability_zones(args: dict, ctx: InvokeContext) -> dict:
    letters = "abcdefgh"[: AWS_ZONE_COUNT.get(ctx.region, 3)]
    zones = [(f"{ctx.region}{c}", zone_id(ctx.region, c)) for c in letters]
    excluded = set(args.get("excludeNames") or []) | set(args.get("excludeZoneIds") or [])
    zones = [(n, z) for n, z in zones if n not in excluded and z not in excluded]
    return {
        "id": ctx.region,
        "names": [n for n, _ in zones],
        "zoneIds": [z for _, z in zones],
        "groupNames": [ctx.region] * len(zones),
        "state": args.get("state"),
        "region": ctx.region,
    }


def _caller_identity(args: dict, ctx: InvokeContext) -> dict:
    return {
        "id": ctx.account_id,
        "accountId": ctx.account_id,
        "arn": f"arn:aws:iam::{ctx.account_id}:user/pulumi-test",
        "userId": "AIDA" + hexdigest(ctx.account_id, 17).upper(),
    }


def _session_context(args: dict, ctx: InvokeContext) -> dict:
    """``iam.get_session_context``: an assumed-role session ARN resolves to its role; anything else passes
    through, as the real data source does."""
    arn = str(args.get("arn") or "")
    match = re.match(r"^arn:aws:sts::(\d{12}):assumed-role/([^/]+)/(.+)$", arn)
    if match:
        account, role, session = match.groups()
        issuer = f"arn:aws:iam::{account}:role/{role}"
        return {"id": arn, "arn": arn, "issuerArn": issuer, "issuerName": role, "sessionName": session,
                "issuerId": "AROA" + hexdigest(issuer, 17).upper()}  # fmt: skip
    return {"id": arn, "arn": arn, "issuerArn": arn, "issuerName": arn.rsplit("/", 1)[-1], "sessionName": "",
            "issuerId": ""}  # fmt: skip


def _region(args: dict, ctx: InvokeContext) -> dict:
    region = args.get("name") or ctx.region
    return {
        "id": region,
        "name": region,
        "region": region,
        "endpoint": f"ec2.{region}.amazonaws.com",
        "description": region,
    }


def _partition(args: dict, ctx: InvokeContext) -> dict:
    partition, suffix = "aws", "amazonaws.com"
    if ctx.region.startswith("cn-"):
        partition, suffix = "aws-cn", "amazonaws.com.cn"
    elif ctx.region.startswith("us-gov-"):
        partition = "aws-us-gov"
    return {"id": partition, "partition": partition, "dnsSuffix": suffix, "reverseDnsPrefix": "com.amazonaws"}


SSM_GET_PARAMETER = "aws:ssm/getParameter:getParameter"

# Public parameters AWS publishes (value: a fake but well-formed AMI id per name and region).
PUBLIC_SSM_PATTERNS = [
    re.compile(r"^/aws/service/deeplearning/ami/(x86_64|arm64)/[a-z0-9.\-]+/latest/ami-id$"),
    re.compile(
        r"^/aws/service/eks/optimized-ami/\d+\.\d+/amazon-linux-2023/(x86_64|arm64)/(standard|nvidia|neuron)/recommended/image_id$"
    ),
    re.compile(r"^/aws/service/eks/optimized-ami/\d+\.\d+/amazon-linux-2/recommended/image_id$"),
    re.compile(r"^/aws/service/eks/optimized-ami/\d+\.\d+/amazon-linux-2-gpu/recommended/image_id$"),
    re.compile(
        r"^/aws/service/ami-amazon-linux-latest/al2023-ami-(kernel-default|minimal-kernel-default)-(x86_64|arm64)$"
    ),
    re.compile(r"^/aws/service/canonical/ubuntu/server/\d+\.\d+/stable/current/(amd64|arm64)/hvm/ebs-gp[23]/ami-id$"),
]


def public_ami_id(name: str, region: str) -> str:
    return "ami-" + hexdigest(f"{region}\0{name}", 17)


def ssm_get_parameter(args: dict, ctx: InvokeContext) -> dict:
    """Public AMI parameters answer with a stable fake AMI id; others from `ssm_parameters=`."""
    extra = ctx.options.get("ssm_parameters") or {}
    name = str(args.get("name"))
    if name in extra:
        value = extra[name]
    elif any(p.match(name) for p in PUBLIC_SSM_PATTERNS):
        value = public_ami_id(name, ctx.region)
    elif ctx.options.get("offline_placeholders"):
        # The offline preview cannot read the user's account: answer with a value that says so, so
        # the graph is complete and the placeholder shows wherever the value is used.
        value = offline_placeholder("ssm-parameter", name)
    else:
        raise ParameterNotFound(
            f"An error occurred (ParameterNotFound) when calling the GetParameter operation: "
            f"parameter {name!r} not found in {ctx.region} (mock: add it with "
            f"DefaultMocks(ssm_parameters={{...}}))"
        )
    return {
        "id": name,
        "name": name,
        "value": value,
        "insecureValue": value,
        "type": "String",
        "version": 1,
        "arn": f"arn:aws:ssm:{ctx.region}:{ctx.account_id}:parameter{name}",
        "withDecryption": args.get("withDecryption", True),
    }


#: What a value looked up in the user's account becomes offline (preview without credentials).
OFFLINE_PLACEHOLDER = "unresolved-offline"


def offline_placeholder(kind: str, name: str) -> str:
    """``unresolved-offline:<kind>:<name>``: a value that cannot be mistaken for a real one."""
    return f"{OFFLINE_PLACEHOLDER}:{kind}:{name}"


def _kms_key(args: dict, ctx: InvokeContext) -> dict:
    """`kms.get_key` of a key id or alias the user gave: an ARN in the key's own form when it is one,
    else a key ARN whose id says it was not looked up (the account's keys are not known offline)."""
    key_id = str(args.get("keyId") or "")
    if key_id.startswith("arn:"):
        arn = key_id
    else:
        safe = re.sub(r"[^A-Za-z0-9-]", "-", key_id.removeprefix("alias/"))[:64]
        arn = f"arn:aws:kms:{ctx.region}:{ctx.account_id}:key/{OFFLINE_PLACEHOLDER}-{safe}"
    return {
        "id": arn,
        "arn": arn,
        "keyId": arn.rsplit("/", 1)[-1],
        "description": f"{OFFLINE_PLACEHOLDER}: KMS key {key_id!r} is looked up only by a real pulumi up",
        "enabled": True,
        "keyManager": "CUSTOMER",
        "keyState": "Enabled",
        "keyUsage": "ENCRYPT_DECRYPT",
        "customerMasterKeySpec": "SYMMETRIC_DEFAULT",
        "keySpec": "SYMMETRIC_DEFAULT",
        "awsAccountId": ctx.account_id,
        "multiRegion": False,
        "origin": "AWS_KMS",
    }


def _ami(args: dict, ctx: InvokeContext) -> dict:
    key = json.dumps(args, sort_keys=True, default=str)
    image = "ami-" + hexdigest(f"{ctx.region}\0{key}", 17)
    return {
        "id": image,
        "imageId": image,
        "name": f"mock-ami-{image[4:12]}",
        "architecture": "x86_64",
        "rootDeviceName": "/dev/xvda",
        "virtualizationType": "hvm",
        "state": "available",
    }


def _policy_document(args: dict) -> dict:
    statements = []
    for s in args.get("statements") or []:
        out: dict[str, Any] = {}
        if s.get("sid"):
            out["Sid"] = s["sid"]
        out["Effect"] = s.get("effect") or "Allow"
        for key, aws_key in (
            ("actions", "Action"),
            ("notActions", "NotAction"),
            ("resources", "Resource"),
            ("notResources", "NotResource"),
        ):
            if s.get(key):
                out[aws_key] = s[key][0] if len(s[key]) == 1 else list(s[key])
        for key, aws_key in (("principals", "Principal"), ("notPrincipals", "NotPrincipal")):
            if s.get(key):
                principal: dict[str, Any] = {}
                for p in s[key]:
                    ids = list(p.get("identifiers") or [])
                    principal[p["type"]] = ids[0] if len(ids) == 1 else ids
                out[aws_key] = principal
        if s.get("conditions"):
            cond: dict[str, dict[str, Any]] = {}
            for c in s["conditions"]:
                values = list(c.get("values") or [])
                cond.setdefault(c["test"], {})[c["variable"]] = values[0] if len(values) == 1 else values
            out["Condition"] = cond
        statements.append(out)
    doc = {"Version": args.get("version") or "2012-10-17", "Statement": statements}
    rendered = json.dumps(doc, indent=2)
    return {
        "id": hexdigest(rendered, 10),
        "json": rendered,
        "minifiedJson": json.dumps(doc, separators=(",", ":")),
        "version": doc["Version"],
        "statements": args.get("statements") or [],
    }


AWS_INVOKES: dict[str, Callable[..., dict]] = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": _availability_zones,
    "aws:index/getCallerIdentity:getCallerIdentity": _caller_identity,
    "aws:iam/getSessionContext:getSessionContext": _session_context,
    "aws:index/getRegion:getRegion": _region,
    "aws:index/getPartition:getPartition": _partition,
    SSM_GET_PARAMETER: ssm_get_parameter,
    "aws:ec2/getAmi:getAmi": _ami,
    "aws:iam/getPolicyDocument:getPolicyDocument": _policy_document,
    "aws:kms/getKey:getKey": _kms_key,
}
