"""Offline testing for Pulumi programs: run a program under mocks and assert on what it registered.

    from aimodel_infra.testing import run_program

    graph = run_program(my_program, config={"aws:region": "us-west-2"})
    bucket = graph.one("aws:s3/bucket:Bucket", "artifacts")
    assert bucket.inputs["serverSideEncryptionConfiguration"] ...

`DefaultMocks` answers with realistic ids, auto-names and computed outputs for every cloud
(each cloud's tables live in its package's ``testing/``). `MotoBackend` (AWS) replays AWS
resources against moto so AWS-side validation applies and boto3 can read them back; it lives in
:mod:`aimodel_infra.aws.testing.moto` and is re-exported here.
"""

from typing import Any

from aimodel_infra.graph import RecordedResource, ResourceGraph
from aimodel_infra.recording import Backend, run_program

from .mocks import DefaultMocks, InvokeContext, MockTables, NoMockAnswerError

__all__ = [
    "Backend",
    "DefaultMocks",
    "InvokeContext",
    "MockTables",
    "MotoApplyError",
    "MotoBackend",
    "NoMockAnswerError",
    "ParameterNotFound",
    "RecordedResource",
    "ResourceGraph",
    "run_program",
]

MOTO_HINT = "MotoBackend needs moto and boto3: pip install 'aimodel-infra[moto]'"


def __getattr__(name: str) -> Any:
    # moto and boto3 are only imported when the moto backend is asked for.
    if name in ("MotoBackend", "MotoApplyError"):
        try:
            from aimodel_infra.aws.testing.moto import backend
        except ModuleNotFoundError as exc:
            if exc.name in ("moto", "boto3", "botocore"):
                raise ModuleNotFoundError(f"{MOTO_HINT} ({exc.name} is missing)", name=exc.name) from None
            raise
        return getattr(backend, name)
    if name == "ParameterNotFound":
        from aimodel_infra.aws.testing.invokes import ParameterNotFound

        return ParameterNotFound
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
