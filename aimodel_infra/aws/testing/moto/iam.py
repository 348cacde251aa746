"""moto translators for IAM and KMS resource types (see `moto_backend`)."""

from __future__ import annotations

from aimodel_infra.testing.mocks import hexdigest

from .backend import Apply, Computed, Translator, drop_none, policy_json


def role(a: Apply) -> Computed:
    iam = a.client("iam")
    name = a.get("name")
    r = iam.create_role(
        **drop_none(
            {
                "RoleName": name,
                "AssumeRolePolicyDocument": policy_json(a.get("assumeRolePolicy")),
                "Path": a.get("path"),
                "Description": a.get("description"),
                "MaxSessionDuration": a.get("maxSessionDuration"),
                "PermissionsBoundary": a.get("permissionsBoundary"),
                "Tags": a.tags(),
            }
        )
    )["Role"]
    for arn in a.get("managedPolicyArns", []):
        iam.attach_role_policy(RoleName=name, PolicyArn=arn)
    for inline in a.get("inlinePolicies", []):
        if inline.get("name") and inline.get("policy"):
            iam.put_role_policy(RoleName=name, PolicyName=inline["name"], PolicyDocument=policy_json(inline["policy"]))
    return name, {"arn": r["Arn"], "uniqueId": r["RoleId"], "createDate": str(r["CreateDate"]), "name": name}


def policy(a: Apply) -> Computed:
    p = a.client("iam").create_policy(
        **drop_none(
            {
                "PolicyName": a.get("name"),
                "PolicyDocument": policy_json(a.get("policy")),
                "Path": a.get("path"),
                "Description": a.get("description"),
                "Tags": a.tags(),
            }
        )
    )["Policy"]
    return p["Arn"], {"arn": p["Arn"], "policyId": p["PolicyId"], "name": p["PolicyName"]}


def role_policy(a: Apply) -> Computed:
    a.client("iam").put_role_policy(
        RoleName=a.get("role"), PolicyName=a.get("name"), PolicyDocument=policy_json(a.get("policy"))
    )
    return f"{a.get('role')}:{a.get('name')}", {}


def role_policy_attachment(a: Apply) -> Computed:
    a.client("iam").attach_role_policy(RoleName=a.get("role"), PolicyArn=a.get("policyArn"))
    return f"{a.get('role')}-{hexdigest(a.get('policyArn', ''), 20)}", {}


def instance_profile(a: Apply) -> Computed:
    iam = a.client("iam")
    name = a.get("name")
    p = iam.create_instance_profile(**drop_none({"InstanceProfileName": name, "Path": a.get("path"), "Tags": a.tags()}))
    if a.get("role"):
        iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=a.get("role"))
    profile = p["InstanceProfile"]
    return name, {"arn": profile["Arn"], "uniqueId": profile["InstanceProfileId"], "name": name}


def oidc_provider(a: Apply) -> Computed:
    r = a.client("iam").create_open_id_connect_provider(
        **drop_none(
            {
                "Url": a.get("url"),
                "ClientIDList": a.get("clientIdLists"),
                "ThumbprintList": a.get("thumbprintLists"),
                "Tags": a.tags(),
            }
        )
    )
    arn = r["OpenIDConnectProviderArn"]
    return arn, {"arn": arn}


def kms_key(a: Apply) -> Computed:
    kms = a.client("kms")
    meta = kms.create_key(
        **drop_none(
            {
                "Description": a.get("description"),
                "KeyUsage": a.get("keyUsage"),
                "KeySpec": a.get("customerMasterKeySpec"),
                "Policy": a.get("policy") and policy_json(a.get("policy")),
                "MultiRegion": a.get("multiRegion"),
                "Tags": [{"TagKey": t["Key"], "TagValue": t["Value"]} for t in a.tags()],
            }
        )
    )["KeyMetadata"]
    if a.get("enableKeyRotation"):
        args = drop_none({"KeyId": meta["KeyId"], "RotationPeriodInDays": a.get("rotationPeriodInDays")})
        kms.enable_key_rotation(**args)
    if a.get("isEnabled") is False:
        kms.disable_key(KeyId=meta["KeyId"])
    return meta["KeyId"], {"keyId": meta["KeyId"], "arn": meta["Arn"]}


def kms_alias(a: Apply) -> Computed:
    name = a.get("name")
    kms = a.client("kms")
    kms.create_alias(AliasName=name, TargetKeyId=a.get("targetKeyId"))
    key = kms.describe_key(KeyId=a.get("targetKeyId"))["KeyMetadata"]
    return name, {"name": name, "arn": f"arn:aws:kms:{a.region}:{a.account}:{name}", "targetKeyArn": key["Arn"]}


TRANSLATORS: dict[str, Translator] = {
    "aws:iam/role:Role": role,
    "aws:iam/policy:Policy": policy,
    "aws:iam/rolePolicy:RolePolicy": role_policy,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": role_policy_attachment,
    "aws:iam/instanceProfile:InstanceProfile": instance_profile,
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": oidc_provider,
    "aws:kms/key:Key": kms_key,
    "aws:kms/alias:Alias": kms_alias,
}
