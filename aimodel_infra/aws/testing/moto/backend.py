"""Replay AWS resource registrations against moto, so AWS-side checks apply and boto3 reads them back.

    with MotoBackend(region="us-west-2") as aws_backend:      # starts moto.mock_aws()
        graph = run_program(program, backend=aws_backend)
        ec2 = aws_backend.client("ec2")
        assert ec2.describe_vpcs(VpcIds=[graph.one("aws:ec2/vpc:Vpc").id])["Vpcs"]

The backend manages `moto.mock_aws()` itself. Entered with `with`, moto stays on (and its data
stays) until the block exits, so boto3 can read what the run created. Passed to `run_program`
without `with`, moto is on only for that run and its data is discarded afterwards. Inside a
caller's own `with mock_aws():` it nests, sharing the caller's data.

Each translated type is one small function in a `TRANSLATORS` table (modules `ec2`,
`launch`, `s3`, `iam`, `compute` beside this one): it makes the real boto3 calls and returns
the real id and computed outputs, so dependent resources reference moto's objects. A boto3/moto error becomes
`MotoApplyError` naming the resource. Other types are answered by `DefaultMocks` and listed in
`ResourceGraph.unapplied` with the reason. During a preview nothing is applied.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pulumi.runtime import mocks as _mocks
from pulumi.runtime import settings

from aimodel_infra.recording import Backend
from aimodel_infra.testing.mocks import Computed, DefaultMocks, InvokeContext

from ..invokes import ParameterNotFound
from ..state import ACCOUNT_ID, autoname


class MotoApplyError(Exception):
    """moto (or botocore's parameter validation) rejected a resource."""

    def __init__(self, type_: str, name: str, error: Exception) -> None:
        self.type = type_
        self.name = name
        self.error = error
        super().__init__(f"moto rejected {type_} {name!r}: {error}")


class RejectedInputError(ValueError):
    """Raised by a translator for input real AWS rejects but moto would accept."""


@dataclass
class Apply:
    """What a translator gets: the resource (inputs already auto-named) and boto3 clients."""

    type: str
    name: str
    inputs: dict[str, Any]
    region: str
    backend: MotoBackend
    account: str = ACCOUNT_ID
    notes: list[str] = field(default_factory=list)

    def client(self, service: str) -> Any:
        return self.backend.client(service, self.region)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.inputs.get(key)
        return default if value is None else value

    def tags(self) -> list[dict[str, str]]:
        return [{"Key": k, "Value": str(v)} for k, v in (self.inputs.get("tags") or {}).items()]

    def tag_spec(self, resource_type: str) -> list[dict[str, Any]]:
        tags = self.tags()
        return [{"ResourceType": resource_type, "Tags": tags}] if tags else []

    def skip(self, what: str) -> None:
        """Record an input this translator does not replay (reported in `unapplied`)."""
        self.notes.append(what)


Translator = Callable[[Apply], Computed]


def policy_json(value: Any) -> str:
    """Policy inputs arrive as JSON text or (PolicyDocument typed dicts) as a dict."""
    return value if isinstance(value, str) else json.dumps(value)


def as_bool(value: Any) -> bool | None:
    """The AWS provider types some booleans as strings ("true"); accept both."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value.lower() == "true"
    return bool(value)


def drop_none(d: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != {} and v != []}


class MotoBackend(Backend):
    """Apply AWS resources to moto during `run_program` (see module docstring)."""

    def __init__(
        self,
        region: str = "us-east-1",
        *,
        mocks: DefaultMocks | None = None,
        translators: Mapping[str, Translator] | None = None,
    ) -> None:
        from . import compute, ec2, iam, launch, s3

        self.region = region
        self.defaults = mocks or DefaultMocks(region=region)
        self.translators: dict[str, Translator] = {
            **ec2.TRANSLATORS,
            **launch.TRANSLATORS,
            **s3.TRANSLATORS,
            **iam.TRANSLATORS,
            **compute.TRANSLATORS,
            **(translators or {}),
        }
        self._lock = threading.RLock()
        self._mock: Any = None
        self._entered = 0
        self._unapplied: dict[str, str] = {}

    # -- moto lifecycle --------------------------------------------------------------------------
    def start(self) -> None:
        """Turn moto on (nests: data survives until the outermost stop)."""
        mock_aws = _needed("moto").mock_aws

        with self._lock:
            if self._mock is None:
                self._mock = mock_aws()
                self._mock.start()
            self._entered += 1

    def stop(self) -> None:
        with self._lock:
            self._entered -= 1
            if self._entered == 0 and self._mock is not None:
                self._mock.stop()
                self._mock = None

    def __enter__(self) -> MotoBackend:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def client(self, service: str, region: str | None = None) -> Any:
        """A boto3 client talking to moto (only while moto is on)."""
        if self._mock is None:
            raise RuntimeError("moto is off: use `with MotoBackend(...) as b:` to read back after the run")
        return _client(service, region or self.region)

    # -- Backend ---------------------------------------------------------------------------------
    def begin(self, config: Mapping[str, str]) -> _mocks.Mocks:
        self.start()
        self._unapplied = {}
        if "aws:region" in config and self.region != config["aws:region"]:
            self.region = config["aws:region"]
            self.defaults.region = self.region
        return _MotoMocks(self)

    def end(self) -> dict[str, str]:
        self.stop()
        return dict(self._unapplied)

    def note_unapplied(self, type_: str, reason: str) -> None:
        with self._lock:
            self._unapplied.setdefault(type_, reason)


_CLIENTS: dict[tuple[str, str], Any] = {}
_SESSION: list[Any] = []  # the one boto3 Session the cached clients come from
_CLIENTS_LOCK = threading.Lock()


def _needed(module: str) -> Any:
    """moto and boto3 are imported when the backend runs; without the extra, say which to install."""
    import importlib

    from aimodel_infra.testing import MOTO_HINT

    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name in ("moto", "boto3", "botocore"):
            raise ModuleNotFoundError(f"{MOTO_HINT} ({exc.name} is missing)", name=exc.name) from None
        raise


def _client(service: str, region: str) -> Any:
    """Clients are cached per process: building one loads botocore's service model (EC2's takes
    ~0.2 s), and moto intercepts every client's requests while it is on. Only handed out while
    a MotoBackend has moto on, so a cached client never reaches real AWS."""
    boto3 = _needed("boto3")

    with _CLIENTS_LOCK:
        key = (service, region)
        if key not in _CLIENTS:
            if not _SESSION:
                _SESSION.append(boto3.session.Session())
            _CLIENTS[key] = _SESSION[0].client(service, region_name=region)
        return _CLIENTS[key]


class _MotoMocks(_mocks.Mocks):
    def __init__(self, backend: MotoBackend) -> None:
        self.backend = backend
        self.defaults = backend.defaults

    def new_resource(self, args: _mocks.MockResourceArgs) -> tuple[str | None, dict]:
        default_id, default_state = self.defaults.new_resource(args)
        if not args.custom or args.typ.startswith("pulumi:providers:"):
            return default_id, default_state
        if args.resource_id:  # Resource.get(...) or import: the object already exists; create nothing
            return default_id, default_state
        translator = self.backend.translators.get(args.typ)
        if translator is None:
            if args.typ.startswith("aws:"):
                self.backend.note_unapplied(args.typ, "no moto translation; answered by DefaultMocks")
            return default_id, default_state
        if settings.is_dry_run():
            self.backend.note_unapplied(args.typ, "preview: nothing is applied to moto")
            return default_id, default_state
        inputs = autoname(args.typ, args.name, dict(args.inputs))
        region = self.defaults.region_for("aws", inputs, args.provider)
        apply = Apply(args.typ, args.name, inputs, region, self.backend)
        try:
            id_, computed = translator(apply)
        except Exception as exc:  # botocore ClientError / ParamValidationError, moto errors
            if isinstance(exc, RejectedInputError) or type(exc).__module__.startswith(("botocore", "moto")):
                raise MotoApplyError(args.typ, args.name, exc) from exc
            raise
        for note in apply.notes:
            self.backend.note_unapplied(args.typ, f"not replayed to moto: {note}")
        return id_, {**default_state, **inputs, **computed}

    def call(self, args: _mocks.MockCallArgs) -> dict:
        ctx = InvokeContext(self.defaults.region_for("aws", args.args, args.provider), ACCOUNT_ID)
        if args.token == "aws:index/getAvailabilityZones:getAvailabilityZones" and not args.args.get("filters"):
            zones = self.backend.client("ec2", ctx.region).describe_availability_zones()["AvailabilityZones"]
            excluded = set(args.args.get("excludeNames") or []) | set(args.args.get("excludeZoneIds") or [])
            zones = [z for z in zones if z["ZoneName"] not in excluded and z["ZoneId"] not in excluded]
            return {
                "id": ctx.region,
                "names": [z["ZoneName"] for z in zones],
                "zoneIds": [z["ZoneId"] for z in zones],
                "groupNames": [z.get("GroupName", ctx.region) for z in zones],
                "state": args.args.get("state"),
                "region": ctx.region,
            }
        if args.token == "aws:ssm/getParameter:getParameter":
            ssm = self.backend.client("ssm", ctx.region)
            try:
                p = ssm.get_parameter(Name=args.args["name"], WithDecryption=args.args.get("withDecryption", True))[
                    "Parameter"
                ]
            except ssm.exceptions.ParameterNotFound:
                return self.defaults.call(args)  # public AMI parameters moto does not ship
            return {
                "id": p["Name"],
                "name": p["Name"],
                "value": p["Value"],
                "insecureValue": p["Value"],
                "type": p["Type"],
                "version": p["Version"],
                "arn": p["ARN"],
                "withDecryption": True,
            }
        return self.defaults.call(args)


__all__ = [
    "Apply",
    "MotoApplyError",
    "MotoBackend",
    "ParameterNotFound",
    "RejectedInputError",
    "Translator",
    "drop_none",
    "policy_json",
]
