"""`DefaultMocks`: realistic answers for resource registrations and invokes, offline, for every cloud.

The mocks know no cloud themselves. Each cloud package ships a :class:`MockTables` (named by its
:class:`~aimodel_infra.cloud.CloudSupport`): state builders that give resources the ids and
computed outputs a real provider would (ARNs, endpoints, self links), invoke answers keyed by token,
and the cloud's auto-naming rule. `DefaultMocks` dispatches by the provider package of a type
token (``aws:...``, ``gcp:...``, ``azure-native:...``) and loads a cloud's tables on first use.
Both tables can be extended per instance:

    DefaultMocks(outputs={"aws:sqs/queue:Queue": {"url": "https://..."}},
                 invokes={"aws:ec2/getVpc:getVpc": lambda args: {"id": "vpc-1"}},
                 ssm_parameters={"/my/param": "value"})

An `outputs` entry is a dict merged over the state, or `fn(args: MockResourceArgs) -> dict`
(an "id" key in the result sets the resource id). An `invokes` entry is `fn(args: dict) -> dict`
or `fn(args: dict, ctx: InvokeContext) -> dict` when it needs the region. Other keyword
arguments (``ssm_parameters`` for AWS) reach the cloud's invoke answers as ``ctx.options``.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pulumi.runtime import mocks as _mocks
from pulumi.runtime.config import get_config

__all__ = [
    "Computed",
    "DefaultMocks",
    "InvokeContext",
    "MockTables",
    "NoMockAnswerError",
    "Res",
    "hexdigest",
]

#: What a state builder returns: the resource id and the outputs the provider computes.
Computed = tuple[str, dict[str, Any]]


def hexdigest(text: str, n: int) -> str:
    """``n`` hex characters derived from ``text``: stable ids across runs of the same program."""
    out = ""
    i = 0
    while len(out) < n:
        out += hashlib.sha256(f"{i}:{text}".encode()).hexdigest()
        i += 1
    return out[:n]


@dataclass(frozen=True)
class Res:
    """One registration as a state builder sees it: inputs already auto-named, region resolved."""

    type: str
    name: str
    inputs: dict[str, Any]
    region: str
    account: str

    def hex(self, n: int, salt: str = "") -> str:
        return hexdigest(f"{self.type}\0{self.name}\0{salt}", n)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.inputs.get(key)
        return default if value is None else value


@dataclass(frozen=True)
class InvokeContext:
    """What an invoke answer may need besides its arguments."""

    region: str
    account_id: str
    options: Mapping[str, Any] = field(default_factory=dict)


StateBuilder = Callable[[Res], Computed]
InvokeFn = Callable[..., dict]


def _no_autoname(type_: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    return inputs


@dataclass(frozen=True)
class MockTables:
    """One cloud's mock answers, keyed by its provider package (the type token's first part)."""

    package: str
    default_region: str
    default_account: str
    resources: Mapping[str, StateBuilder] = field(default_factory=dict)
    invokes: Mapping[str, InvokeFn] = field(default_factory=dict)
    autoname: Callable[[str, str, dict[str, Any]], dict[str, Any]] = _no_autoname
    #: Stack config key that names the region, e.g. "aws:region", "azure-native:location".
    region_config_key: str = ""


class NoMockAnswerError(LookupError):
    """An invoke with no entry in the invoke table."""


def _tables_by_package() -> dict[str, MockTables]:
    """Every registered cloud's tables (imported here: a cloud's tables may import Pulumi)."""
    from aimodel_infra.registry import all_support

    tables = [support.load_mock_tables() for support in all_support()]
    return {t.package: t for t in tables if t is not None}


class DefaultMocks(_mocks.Mocks):
    """Mocks returning realistic, deterministic ids and outputs (see module docstring)."""

    def __init__(
        self,
        *,
        outputs: Mapping[str, Any] | None = None,
        invokes: Mapping[str, Callable[..., dict]] | None = None,
        region: str | None = None,
        account_id: str | None = None,
        tables: Mapping[str, MockTables] | None = None,
        **options: Any,
    ) -> None:
        self.tables = dict(tables) if tables is not None else _tables_by_package()
        self.extra_outputs = dict(outputs or {})
        self.extra_invokes: dict[str, Callable[..., dict]] = dict(invokes or {})
        self.region = region
        self.account_id = account_id
        self.options = options
        self._providers: dict[str, dict[str, Any]] = {}  # provider id -> its inputs

    @property
    def invokes(self) -> dict[str, Callable[..., dict]]:
        """Every invoke answer, the cloud tables' first and this instance's extras over them."""
        merged: dict[str, Callable[..., dict]] = {}
        for table in self.tables.values():
            merged |= table.invokes
        return merged | self.extra_invokes

    def _table(self, token: str) -> MockTables | None:
        return self.tables.get(token.split(":", 1)[0])

    def account_for(self, table: MockTables | None) -> str:
        if self.account_id:
            return self.account_id
        return table.default_account if table else "mock-account"

    # -- regions -------------------------------------------------------------------------------
    def region_for(self, package: str, inputs: Mapping[str, Any], provider: str | None) -> str:
        """Region from the inputs' `region`/`location`, then the explicit provider, then this
        instance's `region`, then the stack config, then the cloud's default."""
        for key in ("region", "location"):
            if isinstance(inputs.get(key), str) and inputs.get(key):
                return str(inputs[key])
        if provider:
            provider_inputs = self._providers.get(provider.rsplit("::", 1)[-1], {})
            for key in ("region", "location"):
                if provider_inputs.get(key):
                    return str(provider_inputs[key])
        if self.region:
            return self.region
        table = self.tables.get(package)
        configured = get_config(table.region_config_key) if table and table.region_config_key else None
        if configured:
            return str(configured)
        return table.default_region if table else "mock-region"

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
        table = self.tables.get(package)
        id_: str | None = args.resource_id or None
        computed: dict[str, Any] = {}
        if table is not None:
            inputs = table.autoname(args.typ, args.name, inputs)
            builder = table.resources.get(args.typ)
            if builder is not None:
                region = self.region_for(package, inputs, args.provider)
                built_id, computed = builder(Res(args.typ, args.name, inputs, region, self.account_for(table)))
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
        fn = self.extra_invokes.get(args.token)
        table = self._table(args.token)
        if fn is None and table is not None:
            fn = table.invokes.get(args.token)
        if fn is None:
            raise NoMockAnswerError(
                f"no mock answer for invoke {args.token!r}; pass "
                f"DefaultMocks(invokes={{{args.token!r}: lambda args: {{...}}}})"
            )
        package = args.token.split(":", 1)[0]
        ctx = InvokeContext(self.region_for(package, args.args, args.provider), self.account_for(table), self.options)
        if _arity(fn) >= 2:
            return fn(args.args, ctx)
        return fn(args.args)


def _arity(fn: Callable[..., Any]) -> int:
    try:
        return len(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return 1
