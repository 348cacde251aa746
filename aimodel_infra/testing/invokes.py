"""`DefaultMocks`: realistic answers for resource registrations and invokes, offline.

Resources get AWS-style ids (`vpc-...`, `sg-...`), auto-named physical names (`<name>-<7 hex>`)
and the computed outputs programs read (ARNs, endpoints, OIDC issuer, ...). Invokes are answered
from a table keyed by token. Both tables can be extended per instance:

    DefaultMocks(outputs={"aws:sqs/queue:Queue": {"url": "https://..."}},
                 invokes={"aws:ec2/getVpc:getVpc": lambda args: {"id": "vpc-1"}},
                 ssm_parameters={"/my/param": "value"})

An `outputs` entry is a dict merged over the state, or `fn(args: MockResourceArgs) -> dict`
(an "id" key in the result sets the resource id). An `invokes` entry is `fn(args: dict) -> dict`
or `fn(args: dict, ctx: InvokeContext) -> dict` when it needs the region.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from pulumi.runtime import mocks as _mocks
from pulumi.runtime.config import get_config

from .aws_invokes import AWS_INVOKES, InvokeContext, ParameterNotFound, ssm_get_parameter, ssm_placeholder
from .aws_state import ACCOUNT_ID, AWS_RESOURCES, Res, autoname, hexdigest

__all__ = ["DefaultMocks", "InvokeContext", "NoMockAnswerError", "ParameterNotFound"]

DEFAULT_REGIONS = {"aws": "us-east-1", "gcp": "us-central1", "azure-native": "eastus"}


class NoMockAnswerError(LookupError):
    """An invoke with no entry in the invoke table."""


class DefaultMocks(_mocks.Mocks):
    """Mocks returning realistic, deterministic ids and outputs (see module docstring)."""

    def __init__(
        self,
        *,
        outputs: Mapping[str, Any] | None = None,
        invokes: Mapping[str, Callable[..., dict]] | None = None,
        ssm_parameters: Mapping[str, str] | None = None,
        region: str | None = None,
        account_id: str = ACCOUNT_ID,
    ) -> None:
        self.extra_outputs = dict(outputs or {})
        self.invokes: dict[str, Callable[..., dict]] = {**INVOKES, **(invokes or {})}
        self.ssm_parameters = dict(ssm_parameters or {})
        self.region = region
        self.account_id = account_id
        self._providers: dict[str, dict[str, Any]] = {}  # provider id -> its inputs

    # -- regions -------------------------------------------------------------------------------
    def region_for(self, package: str, inputs: Mapping[str, Any], provider: str | None) -> str:
        """Region from the inputs' `region`, then the explicit provider, then config, then default."""
        if inputs.get("region"):
            return str(inputs["region"])
        if provider:
            provider_inputs = self._providers.get(provider.rsplit("::", 1)[-1], {})
            if provider_inputs.get("region"):
                return str(provider_inputs["region"])
        if package == "aws" and self.region:
            return self.region
        key = "azure-native:location" if package == "azure-native" else f"{package}:region"
        configured = get_config(key)
        return str(configured) if configured else DEFAULT_REGIONS.get(package, "us-east-1")

    # -- resources -----------------------------------------------------------------------------
    def new_resource(self, args: _mocks.MockResourceArgs) -> tuple[str | None, dict]:
        inputs = dict(args.inputs)
        if args.typ.startswith("pulumi:providers:"):
            id_ = hexdigest(f"provider\0{args.name}", 8) + "-provider"
            self._providers[id_] = inputs
            return id_, inputs
        if not args.custom:
            return None, {}
        package = args.typ.split(":", 1)[0]
        inputs = autoname(args.typ, args.name, inputs)
        id_: str | None = args.resource_id or None
        computed: dict[str, Any] = {}
        builder = AWS_RESOURCES.get(args.typ)
        if builder is not None:
            region = self.region_for(package, inputs, args.provider)
            built_id, computed = builder(Res(args.typ, args.name, inputs, region, self.account_id))
            id_ = id_ or built_id
        state = {**inputs, **computed}
        extra = self.extra_outputs.get(args.typ)
        if extra is not None:
            more = dict(extra(args) if callable(extra) else extra)
            if "id" in more:
                id_ = str(more.pop("id"))
            state.update(more)
        return id_ or f"{args.name}_id", state

    # -- invokes -------------------------------------------------------------------------------
    def call(self, args: _mocks.MockCallArgs) -> dict:
        fn = self.invokes.get(args.token)
        if fn is None:
            raise NoMockAnswerError(
                f"no mock answer for invoke {args.token!r}; pass "
                f"DefaultMocks(invokes={{{args.token!r}: lambda args: {{...}}}})"
            )
        package = args.token.split(":", 1)[0]
        ctx = InvokeContext(self.region_for(package, args.args, args.provider), self.account_id)
        if fn is ssm_placeholder:
            return ssm_get_parameter(args.args, ctx, self.ssm_parameters)
        if _arity(fn) >= 2:
            return fn(args.args, ctx)
        return fn(args.args)


def _arity(fn: Callable[..., Any]) -> int:
    try:
        return len(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return 1


# -- GCP / Azure ---------------------------------------------------------------------------------
def _gcp_zones(args: dict, ctx: InvokeContext) -> dict:
    region = args.get("region") or ctx.region
    names = [f"{region}-{c}" for c in "abc"]
    return {
        "id": f"projects/mock-project/regions/{region}",
        "names": names,
        "project": args.get("project") or "mock-project",
        "region": region,
        "status": args.get("status"),
    }


def _gcp_client_config(args: dict, ctx: InvokeContext) -> dict:
    return {
        "id": "mock-project",
        "project": "mock-project",
        "region": ctx.region,
        "zone": f"{ctx.region}-a",
        "accessToken": "mock-token",
    }


def _azure_client_config(args: dict) -> dict:
    return {
        "clientId": "00000000-0000-0000-0000-00000000c1e7",
        "objectId": "00000000-0000-0000-0000-0000000000b1",
        "subscriptionId": "00000000-0000-0000-0000-000000000000",
        "tenantId": "00000000-0000-0000-0000-0000000000ee",
    }


INVOKES: dict[str, Callable[..., dict]] = {
    **AWS_INVOKES,
    "gcp:compute/getZones:getZones": _gcp_zones,
    "gcp:organizations/getClientConfig:getClientConfig": _gcp_client_config,
    "azure-native:authorization:getClientConfig": _azure_client_config,
}
