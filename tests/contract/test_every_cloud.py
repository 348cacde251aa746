"""What every registered cloud must do, asked of each one the same way (parametrised over the registry).

A new cloud adds no assertion here: it registers, ships its example stack
``stacks/Pulumi.<cloud>-dev.yaml``, and these tests hold it to the contract. Checks that need a
recorded graph run once the cloud has a builder; until then they are skipped with that reason.
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache

import pytest

from aimodel_infra.catalog import default_catalog
from aimodel_infra.cloud import CLUSTER_EXPORT_KEYS, EXPORT_KEYS, PoolFacts
from aimodel_infra.graph import ResourceGraph
from aimodel_infra.policy.engine import evaluate
from aimodel_infra.policy.rules import RULES
from aimodel_infra.preview import record_environment
from aimodel_infra.registry import REGISTRY, support
from aimodel_infra.spec import Cloud, load_spec
from aimodel_infra.spec.models import Environment

CLOUDS = list(REGISTRY)
#: Inputs that carry a resource's tags or labels, by provider convention.
TAG_INPUTS = ("tags", "labels", "resourceLabels")


def example(cloud: Cloud) -> Environment:
    return load_spec(f"{cloud.value}-dev")


@cache
def recorded(cloud: Cloud) -> ResourceGraph:
    return record_environment(example(cloud), default_catalog())


def needs_builder(cloud: Cloud) -> None:
    if not support(cloud).has_builder:
        pytest.skip(f"{cloud.value} has no builder yet")


@pytest.mark.parametrize("cloud", CLOUDS, ids=str)
def test_rules_checks_replacement_keys_and_billable_plan_load_without_any_pulumi_module(cloud: Cloud) -> None:
    code = (
        "import sys, json; from aimodel_infra.registry import support; from aimodel_infra.spec import Cloud;"
        f"s = support(Cloud({cloud.value!r})); s.load_spec_rules(); s.load_policy_checks();"
        "s.load_replacement_keys(); s.load_billable(); s.load_root_disk_fee()('x'); s.load_graph_facts();"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0].startswith('pulumi'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == []


@pytest.mark.parametrize("cloud", CLOUDS, ids=str)
def test_the_example_stack_is_valid_and_priced_by_the_clouds_own_plan(cloud: Cloud) -> None:
    env = example(cloud)
    assert env.cloud is cloud
    plan = support(cloud).load_billable()(env, default_catalog())
    assert {g.compute for g in plan.groups if g.kind != "system_pool"} == {c.name for c in env.compute}


@pytest.mark.parametrize("cloud", CLOUDS, ids=str)
def test_every_billed_node_carries_its_root_disk_at_the_fee_compare_prices_it_at(cloud: Cloud) -> None:
    """The billable plan and ``compare`` read one rule for a node's root-disk fee, so a pool costs the
    same in both; each pool's disk is the spec's ``disk_size_gb``."""
    env = example(cloud)
    rule = support(cloud).load_root_disk_fee()
    sizes = {c.name: c.disk_size_gb for c in env.compute}
    for group in support(cloud).load_billable()(env, default_catalog()).groups:
        assert group.disk_gb == sizes.get(group.compute, group.disk_gb) >= 50, group.label
        assert group.disk_fee == rule(group.instance_type), group.label


@pytest.mark.parametrize("cloud", CLOUDS, ids=str)
def test_every_shared_rule_is_checked_or_declared_not_applicable_with_a_reason(cloud: Cloud) -> None:
    needs_builder(cloud)
    checks = support(cloud).load_policy_checks()
    assert checks.cloud == cloud.value
    assert checks.unaccounted_rules == []
    assert all(reason.strip() for reason in checks.not_applicable.values())
    assert set(checks.checks) | set(checks.not_applicable) == set(RULES)


@pytest.mark.parametrize("cloud", CLOUDS, ids=str)
def test_every_replacement_key_type_is_a_type_the_example_stack_records(cloud: Cloud) -> None:
    needs_builder(cloud)
    recorded_types = {r.type for r in recorded(cloud).resources}
    keys = support(cloud).load_replacement_keys()
    assert keys, "a builder must say which input changes replace its resources"
    assert set(keys) <= recorded_types, sorted(set(keys) - recorded_types)


@pytest.mark.parametrize("cloud", CLOUDS, ids=str)
def test_every_recorded_resource_with_tags_is_in_the_clouds_taggable_set(cloud: Cloud) -> None:
    needs_builder(cloud)
    taggable = support(cloud).load_policy_checks().taggable_types
    tagged = {r.type for r in recorded(cloud).resources if r.custom and any(k in r.inputs for k in TAG_INPUTS)}
    assert tagged <= taggable, sorted(tagged - taggable)


@pytest.mark.parametrize("cloud", CLOUDS, ids=str)
def test_the_stack_exports_every_neutral_key_with_the_kubeconfig_secret(cloud: Cloud) -> None:
    needs_builder(cloud)
    env = example(cloud)
    graph = recorded(cloud)
    wanted = [k for k in EXPORT_KEYS if env.cluster is not None or k not in CLUSTER_EXPORT_KEYS]
    assert set(wanted) <= set(graph.stack_outputs), sorted(set(wanted) - set(graph.stack_outputs))
    if env.cluster is not None:
        assert "kubeconfig" in graph.secret_outputs
    assert set(graph.stack_outputs["bucket_names"]) == {b.name for b in env.buckets}
    assert set(graph.stack_outputs["node_pool_names"]) == {p.name for p in env.node_pools}
    readers_or_writers = {n for b in env.buckets for n in (*b.readers, *b.writers)}
    assert set(graph.stack_outputs["workload_identities"]) == readers_or_writers


@pytest.mark.parametrize("cloud", CLOUDS, ids=str)
def test_the_example_stack_passes_every_mandatory_policy_rule(cloud: Cloud) -> None:
    needs_builder(cloud)
    report = evaluate(recorded(cloud), example(cloud), support(cloud).load_policy_checks())
    assert report.passed, [str(f) for f in report.mandatory]


def _facts(cloud: Cloud) -> tuple[PoolFacts, ...]:
    facts_of = support(cloud).load_graph_facts()
    assert facts_of is not None, f"{cloud.value} must say how its recorded pools read (CloudSupport.graph_facts)"
    return facts_of(recorded(cloud))


@pytest.mark.parametrize("cloud", CLOUDS, ids=str)
def test_gpu_pools_are_private_tainted_and_able_to_scale_from_zero(cloud: Cloud) -> None:
    needs_builder(cloud)
    env = example(cloud)
    facts = _facts(cloud)
    for compute in env.compute:
        groups = [f for f in facts if f.compute == compute.name]
        assert groups, f"{compute.name} became no recorded group"
        for group in groups:
            assert group.private, f"{group.group} nodes can get public IPs"
            if compute.accelerator is not None:
                assert group.gpu_taint, f"{group.group} lacks the nvidia.com/gpu NoSchedule taint"
            if group.min_nodes == 0:
                assert group.scales_from_zero, f"{group.group} starts empty but the autoscaler cannot see its nodes"


@pytest.mark.parametrize("cloud", CLOUDS, ids=str)
def test_spot_with_fallback_builds_spot_first_and_an_on_demand_group_from_zero(cloud: Cloud) -> None:
    needs_builder(cloud)
    env = example(cloud)
    fallback_pools = [p for p in env.node_pools if p.capacity.value == "spot_with_fallback"]
    assert fallback_pools, "each example stack has a spot_with_fallback pool"
    facts = _facts(cloud)
    for pool in fallback_pools:
        groups = {f.capacity: f for f in facts if f.compute == pool.name}
        assert set(groups) == {"spot", "on_demand"}
        assert (groups["spot"].min_nodes, groups["spot"].max_nodes) == (pool.min_nodes, pool.max_nodes)
        assert (groups["on_demand"].min_nodes, groups["on_demand"].max_nodes) == (0, pool.max_nodes)


@pytest.mark.parametrize("cloud", CLOUDS, ids=str)
def test_data_buckets_are_protected_and_retained(cloud: Cloud) -> None:
    """Nothing that holds data is deleted or replaced by accident, on any cloud: the resources
    the bucket components create directly (bucket, storage account, container) are protected."""
    needs_builder(cloud)
    graph = recorded(cloud)
    components = [r for r in graph.resources if not r.custom and r.type.endswith(":Bucket")]
    assert len(components) == len(example(cloud).buckets)
    for component in components:
        holders = [c for c in graph.children(component) if c.protect]
        assert holders, f"{component.name}: no protected resource holds its data"
        assert all(c.retain_on_delete for c in holders), f"{component.name}: a protected holder is not retained"


@pytest.mark.parametrize("cloud", CLOUDS, ids=str)
def test_every_pool_has_a_service_account_in_aimodel_bound_to_the_identity_the_stack_exports(cloud: Cloud) -> None:
    needs_builder(cloud)
    graph, env = recorded(cloud), example(cloud)
    assert env.cluster is not None and env.cluster.in_cluster.enabled
    namespaces = [r.inputs["metadata"]["name"] for r in graph.of_type("kubernetes:core/v1:Namespace")]
    assert "aimodel" in namespaces
    accounts = {
        r.inputs["metadata"]["name"]: r.inputs["metadata"]
        for r in graph.of_type("kubernetes:core/v1:ServiceAccount")
        if r.inputs["metadata"].get("namespace") == "aimodel"
    }
    assert set(accounts) == {p.name for p in env.node_pools}
    identities = graph.stack_outputs["workload_identities"]
    for pool, metadata in accounts.items():
        if pool in identities:
            assert identities[pool] in metadata.get("annotations", {}).values(), pool


@pytest.mark.parametrize("cloud", CLOUDS, ids=str)
def test_in_cluster_charts_are_pinned_and_run_off_the_gpu_nodes_or_tolerate_them(cloud: Cloud) -> None:
    needs_builder(cloud)
    for release in recorded(cloud).of_type("kubernetes:helm.sh/v3:Release"):
        version = release.inputs.get("version", "")
        assert version.count(".") == 2 and not any(c in version for c in "^~*x"), release.name
        values = release.inputs.get("values", {})
        tolerates_gpu = any(t.get("key") == "nvidia.com/gpu" for t in values.get("tolerations", []))
        assert tolerates_gpu or values.get("nodeSelector"), f"{release.name}: neither placed nor tolerating"


@pytest.mark.parametrize("cloud", CLOUDS, ids=str)
def test_nothing_in_cluster_is_created_when_the_spec_turns_it_off(cloud: Cloud) -> None:
    needs_builder(cloud)
    env = example(cloud)
    assert env.cluster is not None
    cluster = env.cluster.model_copy(
        update={"in_cluster": env.cluster.in_cluster.model_copy(update={"enabled": False})}
    )
    graph = record_environment(env.model_copy(update={"cluster": cluster}), default_catalog())
    assert not [r for r in graph.resources if r.type.startswith(("kubernetes:", "pulumi:providers:kubernetes"))]
