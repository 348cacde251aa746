"""AwsEnvironment: the whole aws-dev program, composed under one explicit provider, under mocks and moto."""

from __future__ import annotations

import json
import os
from typing import Any
from unittest import mock

import pytest

from aimodel_infra.aws import AwsEnvironment
from aimodel_infra.aws.names import AUTONAME_SUFFIX
from aimodel_infra.aws.testing.state import AUTONAMED
from aimodel_infra.catalog import default_catalog
from aimodel_infra.component import missing_exports
from aimodel_infra.errors import SpecError
from aimodel_infra.spec.loader import parse_environment
from aimodel_infra.spec.models import Environment
from aimodel_infra.testing import DefaultMocks, ResourceGraph, run_program
from aimodel_infra.testing.variants import merged

from .example_stack import STACK, mocks_run, moto_run, run_main, stack_config

PROVIDER = "pulumi:providers:aws"
ENVIRONMENT = "aimodel:aws:Environment"
COMPONENTS = {
    "aimodel:aws:Network": lambda env: 1,
    "aimodel:aws:Cluster": lambda env: 1 if env.cluster else 0,
    "aimodel:aws:GpuNodePool": lambda env: len(env.node_pools),
    "aimodel:aws:AutoscalingGroup": lambda env: len(env.autoscaling_groups),
    "aimodel:aws:Bucket": lambda env: len(env.buckets),
    "aimodel:aws:Budget": lambda env: 1 if env.budget else 0,
}


@pytest.fixture(scope="module")
def dev() -> ResourceGraph:
    return mocks_run()


def build(env) -> ResourceGraph:
    return run_program(lambda: AwsEnvironment(env.name, env, default_catalog()))


def readers_and_writers(env) -> set[str]:
    return {name for bucket in env.buckets for name in (*bucket.readers, *bucket.writers)}


# -- provider -----------------------------------------------------------------------------------
def test_one_explicit_provider_takes_the_region_from_the_spec_and_tags_everything(
    dev: ResourceGraph, aws_env, aws_context
) -> None:
    provider = dev.one(PROVIDER)
    assert provider.inputs["region"] == aws_env.region
    assert json.loads(provider.inputs["defaultTags"])["tags"] == aws_context.tags
    assert json.loads(provider.inputs["ignoreTags"])["keyPrefixes"] == ["kubernetes.io/cluster/"]


def test_every_aws_resource_is_created_through_that_provider(dev: ResourceGraph) -> None:
    provider = dev.one(PROVIDER)
    for resource in dev.resources:
        if resource.custom and resource.type.startswith("aws:"):
            assert resource.provider is not None and resource.provider.startswith(provider.urn + "::"), resource


def test_ambient_region_settings_do_not_move_the_environment(aws_env) -> None:
    """`aws:region` config or AWS_REGION in the shell must not build the stack somewhere else."""
    config = {**stack_config(), "aws:region": "eu-west-1"}
    with mock.patch.dict(os.environ, {"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-1"}):
        graph = run_program(run_main, stack=STACK, config=config)
    zones = {s.inputs["availabilityZone"] for s in graph.of_type("aws:ec2/subnet:Subnet")}
    assert zones and all(zone.startswith(aws_env.region) for zone in zones)
    assert graph.one("aws:ec2/vpcEndpoint:VpcEndpoint").inputs["serviceName"] == f"com.amazonaws.{aws_env.region}.s3"


# -- composition --------------------------------------------------------------------------------
def test_everything_lives_inside_the_environment_component(dev: ResourceGraph) -> None:
    environment = dev.one(ENVIRONMENT)
    inside = {r.urn for r in dev.descendants(environment)}
    assert {r.urn for r in dev.resources if r.type != "pulumi:pulumi:Stack"} - inside == {environment.urn}


@pytest.mark.parametrize("component", sorted(COMPONENTS))
def test_the_spec_decides_how_many_of_each_component_exist(component: str, dev: ResourceGraph, aws_env) -> None:
    assert len(dev.of_type(component)) == COMPONENTS[component](aws_env)


def test_every_pool_or_group_that_reads_or_writes_a_bucket_gets_workload_access(dev: ResourceGraph, aws_env) -> None:
    accesses = dev.of_type("aimodel:aws:WorkloadAccess")
    assert len(accesses) == len(readers_and_writers(aws_env))
    assert set(dev.stack_outputs["workload_role_arns"]) == readers_and_writers(aws_env)


def test_node_pools_get_irsa_roles_and_groups_use_their_instance_role(dev: ResourceGraph, aws_env) -> None:
    roles = {r.outputs["arn"]: r for r in dev.of_type("aws:iam/role:Role")}
    provider_arn = dev.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider").outputs["arn"]
    pools = {p.name for p in aws_env.node_pools}
    for compute, arn in dev.stack_outputs["workload_role_arns"].items():
        trust = json.loads(roles[arn].inputs["assumeRolePolicy"])["Statement"][0]
        if compute in pools:
            assert trust["Principal"] == {"Federated": provider_arn}, compute
        else:
            assert trust["Principal"] == {"Service": "ec2.amazonaws.com"}, compute


# -- exports ------------------------------------------------------------------------------------
def test_exports_name_the_resources_that_were_built(dev: ResourceGraph, aws_env) -> None:
    out = dev.stack_outputs
    cluster = dev.one("aws:eks/cluster:Cluster")
    assert (out["cluster_name"], out["cluster_endpoint"]) == (cluster.outputs["name"], cluster.outputs["endpoint"])
    assert out["vpc_id"] == dev.one("aws:ec2/vpc:Vpc").id
    groups = {g.outputs["nodeGroupName"]: g for g in dev.of_type("aws:eks/nodeGroup:NodeGroup")}
    assert set(out["node_pool_names"]) == {p.name for p in aws_env.node_pools}
    for pool, names in out["node_pool_names"].items():
        assert names and all(groups[n].inputs["labels"]["aimodel-infra/pool"] == pool for n in names)
    asgs = {g.outputs["name"] for g in dev.of_type("aws:autoscaling/group:Group")}
    assert set(out["autoscaling_group_names"]) == {g.name for g in aws_env.autoscaling_groups}
    assert set(out["autoscaling_group_names"].values()) == asgs
    buckets = {b.outputs["bucket"]: b.outputs["arn"] for b in dev.of_type("aws:s3/bucket:Bucket")}
    buckets = {name: arn for name, arn in buckets.items() if "-access-logs-" not in name}  # not a spec bucket
    assert set(out["bucket_names"]) == set(out["bucket_arns"]) == {b.name for b in aws_env.buckets}
    assert {out["bucket_names"][b]: out["bucket_arns"][b] for b in out["bucket_names"]} == buckets


def test_exports_fill_every_cloud_neutral_key(dev: ResourceGraph, aws_env) -> None:
    out = dev.stack_outputs
    assert missing_exports(out, aws_env) == []
    assert out["network_id"] == out["vpc_id"] == dev.one("aws:ec2/vpc:Vpc").id
    assert out["bucket_uris"] == {name: f"s3://{bucket}" for name, bucket in out["bucket_names"].items()}
    roles = {r.outputs["arn"]: r for r in dev.of_type("aws:iam/role:Role")}
    assert set(out["workload_identities"]) == {c.name for c in aws_env.compute}
    for compute, arn in out["workload_identities"].items():
        trust = json.loads(roles[arn].inputs["assumeRolePolicy"])["Statement"][0]
        if compute in {p.name for p in aws_env.node_pools}:
            assert trust["Condition"]["StringEquals"][next(iter(trust["Condition"]["StringEquals"]))] == (
                f"system:serviceaccount:aimodel:{compute}"
            )
        else:
            assert trust["Principal"] == {"Service": "ec2.amazonaws.com"}


def test_a_vm_only_environment_exports_the_neutral_keys_but_no_cluster_keys(env_variant) -> None:
    env = env_variant(cluster=None, node_pools=[], buckets=[])
    out = build(env).one(ENVIRONMENT).outputs
    assert missing_exports(out, env) == []
    assert not {"cluster_name", "cluster_endpoint", "kubeconfig"} & set(out)
    assert set(out["workload_identities"]) == {g.name for g in env.autoscaling_groups}


def test_kubeconfig_is_exported_as_a_secret(dev: ResourceGraph) -> None:
    assert "kubeconfig" in dev.secret_outputs
    assert dev.stack_outputs["cluster_name"] in dev.stack_outputs["kubeconfig"]


# -- variants -----------------------------------------------------------------------------------
def test_without_a_cluster_there_is_no_eks_and_no_cluster_exports(env_variant) -> None:
    buckets = [{"name": "datasets", "purpose": "datasets", "readers": ["batch"]}]
    env = env_variant(cluster=None, node_pools=[], buckets=buckets)
    graph = build(env)
    assert not [r for r in graph.resources if r.type.startswith("aws:eks/")]
    environment = graph.one(ENVIRONMENT)
    assert not {"cluster_name", "cluster_endpoint", "kubeconfig"} & set(environment.outputs)
    assert set(environment.outputs["workload_role_arns"]) == readers_and_writers(env)


def test_without_a_budget_there_is_no_budget(env_variant) -> None:
    graph = build(env_variant(budget=None))
    assert not graph.of_type("aimodel:aws:Budget") and not graph.of_type("aws:budgets/budget:Budget")


class CountingMocks(DefaultMocks):
    def __init__(self) -> None:
        super().__init__()
        self.registered: list[str] = []

    def new_resource(self, args: Any) -> tuple[str | None, dict]:
        self.registered.append(args.typ)
        return super().new_resource(args)


def test_aws_specific_problems_are_reported_together_before_anything_is_built(aws_document) -> None:
    document = merged(aws_document, {"network": {"cidr": "172.16.0.0/12", "service_cidr": "192.168.0.0/16"}})
    document["node_pools"][0]["labels"] = {f"label-{i}": "x" for i in range(60)}
    document["buckets"][1]["lifecycle"] = {"cold_after_days": 7}
    aws_refuses = {"network.cidr", "node_pools[0].labels", "buckets[1].lifecycle.cold_after_days"}
    with pytest.raises(SpecError) as parsed:
        parse_environment(document, default_catalog())  # validate asks the AWS rules through the registry
    assert {problem.path for problem in parsed.value.problems} == aws_refuses
    # A library user may build an Environment without parse_environment: the builder still refuses it whole.
    env = Environment.model_validate(document)
    mocks = CountingMocks()
    with pytest.raises(SpecError) as built:
        run_program(lambda: AwsEnvironment(env.name, env), mocks=mocks)
    assert {problem.path for problem in built.value.problems} == aws_refuses
    assert mocks.registered == []


def test_a_cluster_without_any_outbound_path_is_refused(env_variant) -> None:
    with pytest.raises(SpecError, match=r"network\.nat"):
        env_variant(network={"nat": "none"})  # validation asks the AWS rules


def test_a_vm_only_environment_may_go_without_nat(env_variant) -> None:
    buckets = [{"name": "datasets", "purpose": "datasets", "readers": ["batch"]}]
    graph = build(env_variant(network={"nat": "none"}, cluster=None, node_pools=[], buckets=buckets))
    assert not graph.of_type("aws:ec2/natGateway:NatGateway")


def test_auto_named_resources_of_our_components_fit_aws_name_limits_with_the_longest_names(aws_document) -> None:
    """Pulumi refuses to deploy when '<name>-<7 chars>' exceeds the limit; the mocks would truncate silently."""
    longest = "p" + "o" * 30 + "l"  # 32 characters, the longest pool name
    document = merged(aws_document, {"name": "e" * 20, "autoscaling_groups": [], "buckets": [], "budget": None})
    document["node_pools"][0]["name"] = longest
    env = parse_environment(document, default_catalog())
    graph = build(env)
    ours = ("aimodel:aws:Network", "aimodel:aws:Cluster", "aimodel:aws:GpuNodePool")
    checked = [
        r for c in ours for component in graph.of_type(c) for r in graph.descendants(component) if r.type in AUTONAMED
    ]
    assert {r.type for r in checked} >= {"aws:iam/role:Role", "aws:eks/nodeGroup:NodeGroup", "aws:eks/cluster:Cluster"}
    for resource in checked:
        _, limit, _ = AUTONAMED[resource.type]
        assert len(resource.name) + AUTONAME_SUFFIX <= limit, resource


# -- applied to moto ----------------------------------------------------------------------------
def test_moto_applies_everything_except_the_types_it_cannot_replay() -> None:
    run = moto_run()
    not_in_moto = {t for t, reason in run.graph.unapplied.items() if reason.startswith("no moto translation")}
    assert not_in_moto <= {
        "aws:eks/addon:Addon",
        "aws:ec2/tag:Tag",
        "aws:autoscaling/tag:Tag",
        "aws:s3/bucketLogging:BucketLogging",
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
        "aws:ec2/flowLog:FlowLog",
        "aws:costexplorer/costAllocationTag:CostAllocationTag",
    }


def test_under_moto_every_node_group_role_and_bucket_exists(aws_env) -> None:
    run = moto_run()
    out = run.graph.stack_outputs
    names = [n for group in out["node_pool_names"].values() for n in group]
    assert set(names) < set(run.aws["node_groups"])  # plus the cluster's system group
    assert set(out["bucket_names"].values()) <= run.aws["buckets"]
    assert set(out["workload_role_arns"].values()) <= run.aws["role_arns"]
    assert run.aws["cluster"]["name"] == out["cluster_name"]


def test_a_preview_registers_the_same_resources_as_an_update() -> None:
    """The CLI preview runs the program with preview=True: it must register the same resources."""
    preview, update = mocks_run(preview=True), mocks_run()
    assert sorted((r.type, r.name) for r in preview.resources) == sorted((r.type, r.name) for r in update.resources)
