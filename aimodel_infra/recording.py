"""Run a Pulumi program offline and record the resource graph it registers.

`run_program(program)` runs `program` against Pulumi's mock monitor (no CLI, no credentials),
waits for every registration, and returns a `ResourceGraph`: each resource with its parent,
dependencies, options, inputs and outputs, plus stack outputs and invokes.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import inspect
import json
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from pulumi.runtime import mocks as _mocks
from pulumi.runtime import rpc, settings
from pulumi.runtime.config import set_all_config
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.stack import Stack, run_pulumi_func
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

from .errors import AimodelError
from .graph import RecordedResource, ResourceGraph

STACK_TYPE = "pulumi:pulumi:Stack"

__all__ = ["Backend", "DuplicateUrnError", "RecordedResource", "ResourceGraph", "run_program"]


class DuplicateUrnError(AimodelError):
    """Two resources registered with one URN: ``pulumi up`` refuses the program ("Duplicate resource
    URN"), so the offline run does too, instead of recording a graph that cannot be deployed."""

    def __init__(self, urn: str) -> None:
        self.urn = urn
        super().__init__(
            f"two resources would have the same URN {urn}; pulumi up refuses duplicate URNs. Two spec names "
            "derive the same resource name: rename one of them"
        )


class Backend(ABC):
    """Answers resource registrations for one `run_program` call (see `MotoBackend`)."""

    @abstractmethod
    def begin(self, config: Mapping[str, str]) -> _mocks.Mocks:
        """Prepare for a run with this config; return the mocks that answer it."""

    @abstractmethod
    def end(self) -> dict[str, str]:
        """Finish the run; return `{type: reason}` for types only recorded, not applied."""


class _Recorder(_mocks.MockMonitor):
    """A MockMonitor that also keeps the request fields the plain one throws away."""

    def __init__(self, mocks: _mocks.Mocks, on_resource: Callable[[RecordedResource], None] | None = None) -> None:
        super().__init__(mocks)
        self.on_resource = on_resource
        self.lock = threading.Lock()
        self.recorded: list[RecordedResource] = []
        self.index: dict[str, int] = {}
        self.invokes: list[tuple[str, dict]] = []
        self.stack_urn: str | None = None
        self.stack_outputs: dict[str, Any] = {}
        self.secret_outputs: set[str] = set()

    def RegisterResource(self, request):  # noqa: N802 - gRPC method name
        urn = self.make_urn(request.parent, request.type, request.name)
        self._refuse_duplicate(urn)
        if request.type == STACK_TYPE:
            self.stack_urn = urn
            return resource_pb2.RegisterResourceResponse(urn=urn)
        custom = bool(request.custom)
        rec, secret = self._answer(request, urn, request.object, custom, request.importId or None)
        rec = replace(
            rec,
            protect=bool(request.protect),
            retain_on_delete=bool(request.retainOnDelete),
            delete_before_replace=bool(request.deleteBeforeReplace),
            ignore_changes=tuple(request.ignoreChanges),
        )
        self._keep(rec)
        wire_state = {k: rpc.wrap_rpc_secret(v) if k in secret else v for k, v in rec.outputs.items()}
        obj_proto = _sync_await(rpc.serialize_properties(wire_state, {}))
        return resource_pb2.RegisterResourceResponse(urn=urn, id=rec.id or "", object=obj_proto)

    def ReadResource(self, request):  # noqa: N802 - `Resource.get(...)`
        urn = self.make_urn(request.parent, request.type, request.name)
        self._refuse_duplicate(urn)
        rec, _ = self._answer(request, urn, request.properties, True, request.id)
        rec = replace(rec, id=request.id, read=True)
        self._keep(rec)
        props = _sync_await(rpc.serialize_properties(rec.outputs, {}))
        return resource_pb2.ReadResourceResponse(urn=urn, properties=props)

    def _answer(self, request, urn: str, props, custom: bool, existing_id: str | None):
        """Ask the mocks for the resource's id and state; build its record (options unset)."""
        _ensure_event_loop()
        inputs, secret = _unwrap_secrets(rpc.deserialize_properties(props))
        provider = request.provider or None
        args = _mocks.MockResourceArgs(
            typ=request.type,
            name=request.name,
            inputs=inputs,
            provider=provider,
            resource_id=existing_id,
            custom=custom,
        )
        id_, state = self.mocks.new_resource(args)
        rec = RecordedResource(
            urn=urn,
            type=request.type,
            name=request.name,
            custom=custom,
            parent=request.parent or None,
            dependencies=tuple(request.dependencies),
            inputs=inputs,
            outputs=dict(state or {}),
            id=id_ if custom else None,
            provider=provider,
            protect=False,
            retain_on_delete=False,
            delete_before_replace=False,
            ignore_changes=(),
            secret_inputs=frozenset(secret),
        )
        return rec, secret

    def _refuse_duplicate(self, urn: str) -> None:
        """A real ``pulumi up`` refuses a second resource with the same URN (type chain and name);
        the mocks would quietly keep both, so the recorder refuses it as the engine does."""
        with self.lock:
            if urn in self.index or urn == self.stack_urn:
                raise DuplicateUrnError(urn)

    def _keep(self, rec: RecordedResource) -> None:
        with self.lock:
            self.resources[rec.urn] = _mocks.MockMonitor.ResourceRegistration(rec.urn, rec.id, rec.outputs)
            self.index[rec.urn] = len(self.recorded)
            self.recorded.append(rec)
        if self.on_resource is not None:
            self.on_resource(rec)

    def RegisterResourceOutputs(self, request):  # noqa: N802
        _ensure_event_loop()
        outputs, secret = _unwrap_secrets(rpc.deserialize_properties(request.outputs))
        with self.lock:
            if request.urn == self.stack_urn:
                self.stack_outputs = outputs
                self.secret_outputs = secret
            elif request.urn in self.index:  # a component's register_outputs
                i = self.index[request.urn]
                self.recorded[i] = replace(self.recorded[i], outputs=outputs)
        return super().RegisterResourceOutputs(request)

    def Invoke(self, request):  # noqa: N802
        if request.tok != "pulumi:pulumi:getResource":
            _ensure_event_loop()
            args, _ = _unwrap_secrets(rpc.deserialize_properties(request.args))
            with self.lock:
                self.invokes.append((request.tok, args))
        return super().Invoke(request)


def _unwrap_secrets(props: Any) -> tuple[dict[str, Any], set[str]]:
    """Top-level keys carry secretness (the SDK pushes it up); strip it, return the keys."""
    if not isinstance(props, dict):
        return {}, set()
    secret = {k for k, v in props.items() if rpc.is_rpc_secret(v)}
    return {k: _ints(rpc.unwrap_rpc_secret(v)) for k, v in props.items()}, secret


def _ints(value: Any) -> Any:
    """Protobuf carries every number as a double; give back ints where the value is integral."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dict):
        return {k: _ints(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_ints(v) for v in value]
    return value


def _encode_config(config: Mapping[str, Any] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in (config or {}).items():
        if ":" not in key:
            raise ValueError(f"config key {key!r} must be namespaced, e.g. 'aimodel-infra:{key}'")
        out[key] = value if isinstance(value, str) else json.dumps(value)
    return out


def run_program(
    program: Callable[[], Any],
    *,
    project: str = "aimodel-infra",
    stack: str = "test",
    config: Mapping[str, Any] | None = None,
    preview: bool = False,
    backend: Backend | None = None,
    mocks: _mocks.Mocks | None = None,
    secret_config: tuple[str, ...] = (),
    on_resource: Callable[[RecordedResource], None] | None = None,
) -> ResourceGraph:
    """Run `program` offline under mocks and return the graph it registered.

    `config` takes full keys ("aimodel-infra:environment"); non-string values are JSON-encoded so
    `Config().require_object(...)` works. `mocks` answers registrations and invokes (default:
    `aimodel_infra.testing.DefaultMocks()`); `backend` (e.g. `MotoBackend`) supplies the mocks
    instead. `on_resource` is called with each resource as it is registered (progress display).
    An exception raised by the program (or a mock) propagates unchanged, and no runtime
    state (settings, config, root stack, mocks) survives the call either way.

    Must not be called from inside a running event loop (it runs its own).
    """
    if backend is not None and mocks is not None:
        raise ValueError("pass either backend= or mocks=, not both")
    encoded = _encode_config(config)
    # Everything Pulumi keeps in ContextVars (settings, config, root stack) is set inside a
    # copied context, so nothing leaks into the caller's context or the next run.
    ctx = contextvars.copy_context()
    return ctx.run(_run, program, project, stack, encoded, preview, backend, mocks, secret_config, on_resource)


def _run(program, project, stack, config, preview, backend, mocks, secret_config, on_resource) -> ResourceGraph:
    if backend is not None:
        mocks = backend.begin(config)
    elif mocks is None:
        from aimodel_infra.testing.mocks import DefaultMocks

        mocks = DefaultMocks()
    recorder = _Recorder(mocks, on_resource)
    loop = asyncio.new_event_loop()
    failed = threading.Event()
    program_error: list[BaseException] = []
    loop.set_exception_handler(_quiet_after_failure(failed))
    # One worker: registrations reach the mocks one at a time, in a stable order, and
    # backends (boto3 clients) need no locking.
    executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="pulumi-mock")
    loop.set_default_executor(executor)
    previous_loop = _current_loop()
    asyncio.set_event_loop(loop)
    unapplied: dict[str, str] = {}
    try:
        settings.reset_options(project=project, stack=stack, preview=preview)
        set_all_config(dict(config), list(secret_config))
        _configure(recorder, project, stack, preview)
        root = Stack()

        async def body() -> None:
            # Run inside the loop, as the real language host does; an async program is awaited.
            try:
                result = program()
                if inspect.isawaitable(result):
                    await result
            except BaseException as exc:
                program_error.append(exc)
                raise
            finally:
                root._finish()  # registers pulumi.export(...) values as the stack's outputs

        loop.run_until_complete(run_pulumi_func(body))
    except BaseException as exc:
        failed.set()
        # A registration that failed after the program raised (e.g. moto rejecting a resource
        # the program created first) must not hide the program's own exception.
        if program_error and exc is not program_error[0]:
            raise program_error[0]  # noqa: B904 - the registration error stays as __context__
        raise
    finally:
        try:
            if backend is not None:
                unapplied = dict(backend.end())
        finally:
            executor.submit(_close_thread_loop).result()
            executor.shutdown(wait=True)
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
            asyncio.set_event_loop(previous_loop)
            settings.reset_options()
            set_all_config({}, [])
    with recorder.lock:
        return ResourceGraph(
            resources=list(recorder.recorded),
            stack_outputs=dict(recorder.stack_outputs),
            secret_outputs=set(recorder.secret_outputs),
            invokes=list(recorder.invokes),
            unapplied=unapplied,
            stack_urn=recorder.stack_urn,
        )


def _quiet_after_failure(failed: threading.Event) -> Callable[[asyncio.AbstractEventLoop, dict], None]:
    """After a failed run, every output of a failed resource reports "exception was never
    retrieved" when collected: echoes of the error already raised. Drop those; keep the rest."""

    def handler(loop: asyncio.AbstractEventLoop, context: dict) -> None:
        if failed.is_set() and "never retrieved" in str(context.get("message", "")):
            return
        loop.default_exception_handler(context)

    return handler


def _configure(monitor: _mocks.MockMonitor, project: str, stack: str, preview: bool) -> None:
    from google.protobuf import empty_pb2

    features = set(monitor.GetDeploymentInfo(empty_pb2.Empty()).supportedFeatures)
    settings.configure(
        _mocks.MockSettings(
            monitor=monitor,
            monitor_features=features,
            engine=_mocks.MockEngine(None),
            project=project,
            stack=stack,
            dry_run=preview,
            organization=None,
            callbacks=None,
        )
    )


def _current_loop() -> asyncio.AbstractEventLoop | None:
    policy = asyncio.get_event_loop_policy()
    return getattr(policy._local, "_loop", None)  # type: ignore[attr-defined]


def _close_thread_loop() -> None:
    """Close the event loop `_ensure_event_loop` left on the mock worker thread."""
    loop = _current_loop()
    if loop is not None and not loop.is_running():
        loop.close()
        asyncio.set_event_loop(None)
