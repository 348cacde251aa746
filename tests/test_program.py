"""The Pulumi program end to end: root __main__.py with the aws-dev stack config, as `pulumi up` runs it."""

from __future__ import annotations

import copy
from typing import Any

import pulumi
import pytest

from aimodel_infra.testing import run_program

try:  # tests/ has no __init__.py, so pytest puts it on sys.path and tests/aws is the package "aws"
    from aws.example_stack import STACK, mocks_run, moto_run, run_main, stack_config
except ModuleNotFoundError:  # pragma: no cover - if tests/ ever becomes a package
    from tests.aws.example_stack import STACK, mocks_run, moto_run, run_main, stack_config

EXPORTS = {
    "network_id", "cluster_name", "cluster_endpoint", "kubeconfig", "node_pool_names", "autoscaling_group_names",
    "bucket_names", "bucket_uris", "workload_identities",  # the neutral keys every cloud exports
    "bucket_arns", "workload_role_arns", "vpc_id",  # AWS extras
}  # fmt: skip


def document() -> dict[str, Any]:
    return copy.deepcopy(stack_config()["aimodel-infra:environment"])


def run_with(doc: dict[str, Any]) -> None:
    config = {"aimodel-infra:environment": doc}
    run_program(run_main, stack=STACK, config=config)


# -- under recording mocks ----------------------------------------------------------------------
def test_the_program_exports_everything_a_user_needs() -> None:
    graph = mocks_run()
    assert set(graph.stack_outputs) == EXPORTS
    assert graph.secret_outputs == {"kubeconfig"}


def test_exports_are_keyed_by_the_names_in_the_spec() -> None:
    graph, doc = mocks_run(), document()
    out = graph.stack_outputs
    assert set(out["node_pool_names"]) == {p["name"] for p in doc["node_pools"]}
    assert set(out["autoscaling_group_names"]) == {g["name"] for g in doc["autoscaling_groups"]}
    assert set(out["bucket_names"]) == set(out["bucket_arns"]) == {b["name"] for b in doc["buckets"]}
    assert all(name.startswith(f"{doc['name']}-{bucket}-") for bucket, name in out["bucket_names"].items())
    assert out["bucket_uris"] == {bucket: f"s3://{name}" for bucket, name in out["bucket_names"].items()}
    assert out["workload_identities"] == out["workload_role_arns"]


def test_the_program_builds_one_aws_environment_named_after_the_spec() -> None:
    (environment,) = mocks_run().of_type("aimodel:aws:Environment")
    assert environment.name == document()["name"]


# -- invalid input ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "path"),
    [
        pytest.param(lambda d: d["node_pools"][0].update(max_nodes=0), r"node_pools\[0\]\.max_nodes", id="max_nodes"),
        pytest.param(lambda d: d["network"].update(zones=1), r"network\.zones", id="one-zone-eks"),
        pytest.param(
            lambda d: d["buckets"][1].update(writers=["nobody"]), r"buckets\[1\]\.writers", id="unknown-writer"
        ),
        pytest.param(lambda d: d.update(region="us-east-9"), r"region", id="unknown-region"),
    ],
)
def test_an_invalid_spec_stops_the_run_with_a_run_error_naming_the_field(change, path: str) -> None:
    doc = document()
    change(doc)
    with pytest.raises(pulumi.RunError, match=path):
        run_with(doc)


def test_a_mistyped_key_is_named_with_a_suggestion() -> None:
    doc = document()
    doc["node_pools"][0]["max_node"] = doc["node_pools"][0].pop("max_nodes")
    with pytest.raises(pulumi.RunError, match=r"node_pools\[0\]\.max_node.*did you mean 'max_nodes'"):
        run_with(doc)


# -- applied to moto ----------------------------------------------------------------------------
def test_under_moto_the_exports_name_real_aws_objects() -> None:
    run = moto_run()
    out, aws = run.graph.stack_outputs, run.aws
    assert aws["cluster"]["name"] == out["cluster_name"]
    assert aws["cluster"]["endpoint"] == out["cluster_endpoint"]
    assert [v["VpcId"] for v in aws["vpcs"]] == [out["vpc_id"]]
    assert {n for names in out["node_pool_names"].values() for n in names} <= set(aws["node_groups"])
    assert set(out["bucket_names"].values()) <= aws["buckets"]
    assert set(out["workload_role_arns"].values()) <= aws["role_arns"]
    assert out["cluster_name"] in out["kubeconfig"]
