"""Offline testing for Pulumi programs: run a program under mocks and assert on what it registered.

    from aimodel_infra.testing import run_program

    graph = run_program(my_program, config={"aws:region": "us-west-2"})
    bucket = graph.one("aws:s3/bucket:Bucket", "artifacts")
    assert bucket.inputs["serverSideEncryptionConfiguration"] ...

`DefaultMocks` answers with realistic AWS ids, auto-names and computed outputs; `MotoBackend`
replays AWS resources against moto so AWS-side validation applies and boto3 can read them back.
"""

from .invokes import DefaultMocks, InvokeContext, NoMockAnswerError, ParameterNotFound
from .recording import Backend, RecordedResource, ResourceGraph, run_program

__all__ = [
    "Backend",
    "DefaultMocks",
    "InvokeContext",
    "MotoBackend",
    "MotoApplyError",
    "NoMockAnswerError",
    "ParameterNotFound",
    "RecordedResource",
    "ResourceGraph",
    "run_program",
]


def __getattr__(name: str):
    # moto and boto3 are only imported when the moto backend is asked for.
    if name in ("MotoBackend", "MotoApplyError"):
        from . import moto_backend

        return getattr(moto_backend, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
