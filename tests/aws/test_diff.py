"""AWS end to end. The spec diff: what Pulumi would add, remove and update between two specs and its cost.

The change under test is one pull request's worth: aws-dev plus a pool (``eval``), with the
``infer`` pool moved to another GPU and the ``models`` bucket dropped. Both sides are previewed
once per module (1-3 s each); the helpers' tests reuse those previews.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from aimodel_infra.aws.replacements import REPLACED_ON_CHANGE
from aimodel_infra.cost import estimate
from aimodel_infra.diff import (
    ChangeKind,
    ResourceChange,
    SpecDiff,
    changed_inputs,
    compute_cost_changes,
    diff_environments,
    resource_changes,
    resource_key,
)
from aimodel_infra.preview import Preview
from aimodel_infra.spec import load_spec
from aimodel_infra.spec.loader import environment_document, parse_environment, read_document
from aimodel_infra.spec.models import Environment
from aimodel_infra.testing import RecordedResource

REPO_ROOT = Path(__file__).resolve().parents[2]
ADDED_POOL, CHANGED_POOL, REMOVED_BUCKET = "eval", "infer", "models"
NEW_GPU = "A10G:1"


def aws_dev_document() -> dict[str, Any]:
    path = REPO_ROOT / "stacks" / "Pulumi.aws-dev.yaml"
    return copy.deepcopy(environment_document(read_document(path), source=str(path)))


def changed_document() -> dict[str, Any]:
    """aws-dev with a pool added, a pool's GPU changed and a bucket removed."""
    document = aws_dev_document()
    document["node_pools"].append(
        {"name": ADDED_POOL, "accelerator": "L4:1", "capacity": "on_demand", "min_nodes": 0, "max_nodes": 2}
    )
    (changed,) = [pool for pool in document["node_pools"] if pool["name"] == CHANGED_POOL]
    assert changed["accelerator"] != NEW_GPU
    changed["accelerator"] = NEW_GPU
    document["buckets"] = [b for b in document["buckets"] if b["name"] != REMOVED_BUCKET]
    return document


@pytest.fixture(scope="module")
def base_env() -> Environment:
    return load_spec("aws-dev")


@pytest.fixture(scope="module")
def head_env() -> Environment:
    return parse_environment(changed_document(), source="head.yaml")


@pytest.fixture(scope="module")
def diff(base_env: Environment, head_env: Environment) -> SpecDiff:
    return diff_environments(base_env, head_env, base_source="base.yaml", head_source="head.yaml")


def keys_of(resources: list[RecordedResource]) -> set[str]:
    return {resource_key(r) for r in resources}


def subtree(preview: Preview, type_: str, spec_name: str) -> list[RecordedResource]:
    """A spec item's component (named ``<environment>-<item>``) and everything below it."""
    component = preview.graph.one(type_, f"{preview.env.name}-{spec_name}")
    return [component, *preview.graph.descendants(component)]


def change_keys(diff: SpecDiff, kind: ChangeKind) -> set[str]:
    """The diff's entries of one kind, as resource keys (type chain and name) looked up on its side."""
    side = diff.base if kind == "remove" else diff.head
    by_identity = {(r.type, r.name): resource_key(r) for r in side.resources}
    return {by_identity[(c.type, c.name)] for c in diff.changes(kind)}


# -- resources --------------------------------------------------------------------------------
def test_the_added_pools_component_and_all_its_resources_are_the_additions(diff: SpecDiff) -> None:
    added = subtree(diff.head, "aimodel:aws:GpuNodePool", ADDED_POOL)

    service_account = [
        r for r in diff.head.resources if r.type == "kubernetes:core/v1:ServiceAccount" and r.name.endswith(ADDED_POOL)
    ]

    assert any(r.type == "aws:eks/nodeGroup:NodeGroup" for r in added)
    assert len(service_account) == 1, "the new pool's pods get a service account to run as"
    assert change_keys(diff, "add") == keys_of([*added, *service_account])


def test_the_removed_buckets_resources_are_all_removed(diff: SpecDiff) -> None:
    removed = subtree(diff.base, "aimodel:aws:Bucket", REMOVED_BUCKET)

    assert keys_of(removed) <= change_keys(diff, "remove")
    assert not change_keys(diff, "remove") & keys_of(diff.head.resources), "a removed resource is not in head"


def test_removing_a_data_bucket_is_flagged_protected_and_retained(diff: SpecDiff) -> None:
    removed = subtree(diff.base, "aimodel:aws:Bucket", REMOVED_BUCKET)
    (bucket,) = [r for r in removed if r.type == "aws:s3/bucket:Bucket"]

    (removal,) = [c for c in diff.changes("remove") if (c.type, c.name) == (bucket.type, bucket.name)]

    assert (removal.protected, removal.retained) == (True, True)
    unguarded = [c for c in diff.changes("remove") if c.type.startswith("aws:iam/")]
    assert unguarded and not any(c.protected or c.retained for c in unguarded), "only guarded resources are flagged"


def test_a_new_gpu_type_replaces_the_pools_node_groups_because_eks_cannot_change_instance_types(
    diff: SpecDiff,
) -> None:
    pool = subtree(diff.head, "aimodel:aws:GpuNodePool", CHANGED_POOL)
    node_groups = {r.name for r in pool if r.type == "aws:eks/nodeGroup:NodeGroup"}

    replaced = {c.name: c for c in diff.changes("replace") if c.type == "aws:eks/nodeGroup:NodeGroup"}

    assert node_groups and set(replaced) == node_groups
    assert all("instanceTypes" in c.replaced_by and "instanceTypes" in c.keys for c in replaced.values())
    assert not any(c.type == "aws:eks/nodeGroup:NodeGroup" for c in diff.changes("change"))
    touched = change_keys(diff, "change") | change_keys(diff, "replace")
    # The removed models bucket was the infer pool's only grant: its service account loses the role.
    service_account = [r for r in diff.head.resources if r.name.endswith(f"-sa-{CHANGED_POOL}")]
    assert touched <= keys_of([*pool, *service_account]), "nothing outside the changed pool is updated"
    assert not keys_of(pool) & (change_keys(diff, "add") | change_keys(diff, "remove"))


def test_changes_are_listed_removals_first_then_replacements_updates_and_additions(diff: SpecDiff) -> None:
    order = {"remove": 0, "replace": 1, "change": 2, "add": 3}

    listed = [(order[c.kind], c.type, c.name) for c in diff.resources]

    assert listed == sorted(listed)
    assert {c.kind for c in diff.resources} == set(order)


def test_reversing_the_diff_swaps_additions_and_removals(diff: SpecDiff) -> None:
    backwards = resource_changes(diff.head.resources, diff.base.resources, REPLACED_ON_CHANGE)

    def entries(changes: list[ResourceChange] | tuple[ResourceChange, ...], kind: ChangeKind) -> set[tuple[str, str]]:
        return {(c.type, c.name) for c in changes if c.kind == kind}

    assert entries(backwards, "add") == entries(diff.resources, "remove")
    assert entries(backwards, "remove") == entries(diff.resources, "add")
    assert entries(backwards, "change") == entries(diff.resources, "change")
    assert entries(backwards, "replace") == entries(diff.resources, "replace")
    assert not any(c.protected or c.retained for c in backwards if c.kind == "remove"), "a new pool is not guarded"


def test_identical_specs_change_nothing_and_cost_nothing(base_env: Environment) -> None:
    same = diff_environments(base_env, base_env)

    assert same.resources == ()
    assert all(c.delta_desired == 0 and c.delta_max == 0 for c in same.compute)
    totals = same.to_dict()["cost"]["total"]
    assert (totals["delta_desired"], totals["delta_worst_case"]) == (0, 0)


# -- cost -------------------------------------------------------------------------------------
def test_each_pools_before_and_after_are_the_estimates_of_the_two_specs(
    diff: SpecDiff, base_env: Environment, head_env: Environment
) -> None:
    before = {c.name: c for c in estimate(base_env).compute}
    after = {c.name: c for c in estimate(head_env).compute}

    assert [c.name for c in diff.compute] == list(after) + [n for n in before if n not in after]
    for change in diff.compute:
        assert change.base_desired == (before[change.name].desired.monthly if change.name in before else 0)
        assert change.head_desired == (after[change.name].desired.monthly if change.name in after else 0)
        assert change.base_max == (before[change.name].max.monthly if change.name in before else 0)
        assert change.head_max == (after[change.name].max.monthly if change.name in after else 0)
        assert change.delta_max == change.head_max - change.base_max


def test_the_added_pool_costs_from_zero_and_the_new_gpu_moves_its_pools_cost(diff: SpecDiff) -> None:
    by_name = {c.name: c for c in diff.compute}

    added, changed = by_name[ADDED_POOL], by_name[CHANGED_POOL]
    assert (added.base_desired, added.base_max) == (0, 0)
    assert added.delta_max > 0
    assert changed.delta_max != 0
    untouched = [c for name, c in by_name.items() if name not in (ADDED_POOL, CHANGED_POOL)]
    assert untouched and all(c.delta_desired == c.delta_max == 0 for c in untouched)


def test_a_removed_pool_keeps_a_row_that_falls_to_zero(diff: SpecDiff) -> None:
    backwards = compute_cost_changes(diff.head.cost, diff.base.cost)

    (gone,) = [c for c in backwards if c.name == ADDED_POOL]
    assert gone.head_desired == gone.head_max == 0
    assert gone.base_max > 0
    assert backwards[-1] is gone, "pools that are gone come after the head's own"


def test_the_total_change_is_the_difference_of_the_two_estimates(
    diff: SpecDiff, base_env: Environment, head_env: Environment
) -> None:
    base, head = estimate(base_env), estimate(head_env)

    total = diff.to_dict()["cost"]["total"]

    assert total["base_desired"] == round(base.desired_monthly, 6)
    assert total["head_worst_case"] == round(head.worst_case_monthly, 6)
    assert total["delta_desired"] == round(head.desired_monthly - base.desired_monthly, 6)
    assert total["delta_worst_case"] == round(head.worst_case_monthly - base.worst_case_monthly, 6)
    assert total["delta_worst_case"] > 0


# -- the JSON shape ---------------------------------------------------------------------------
def test_to_dict_has_the_documented_shape_and_is_plain_json(diff: SpecDiff) -> None:
    payload = diff.to_dict()

    assert json.loads(json.dumps(payload)) == payload
    assert set(payload) == {"base", "head", "resources", "cost", "budget", "refused", "head_passed"}
    assert payload["base"] == {"environment": "aws-dev", "source": "base.yaml"}
    assert payload["head"] == {"environment": "aws-dev", "source": "head.yaml"}
    assert payload["head_passed"] is diff.head.passed is True
    resources = payload["resources"]
    assert {kind: len(entries) for kind, entries in resources.items()} == {
        kind: len(diff.changes(kind)) for kind in ("add", "remove", "change", "replace")
    }
    assert all(set(e) == {"type", "name"} for e in resources["add"])
    assert all(set(e) == {"type", "name", "protected", "retained"} for e in resources["remove"])
    assert all(set(e) == {"type", "name", "keys", "changes"} and e["keys"] for e in resources["change"])
    replace_keys = {"type", "name", "keys", "changes", "replaced_by", "protected", "retained", "node_group_of"}
    assert resources["replace"] and all(set(e) == replace_keys and e["replaced_by"] for e in resources["replace"])
    compute_keys = {
        "name", "base_desired", "head_desired", "base_max", "head_max", "delta_desired", "delta_max",
        "base_worst_case", "head_worst_case", "delta_worst_case", "desired_held",
    }  # fmt: skip
    assert all(set(c) == compute_keys for c in payload["cost"]["compute"])


# -- helpers ----------------------------------------------------------------------------------
def _recorded(urn: str, **inputs: Any) -> RecordedResource:
    type_, name = urn.rsplit("::", 2)[-2].rsplit("$", 1)[-1], urn.rsplit("::", 1)[-1]
    return RecordedResource(
        urn=urn, type=type_, name=name, custom=True, parent=None, dependencies=(), inputs=inputs, outputs={},
        id=None, provider=None, protect=False, retain_on_delete=False, delete_before_replace=False, ignore_changes=(),
    )  # fmt: skip


CHAIN = "aimodel:aws:Environment$aimodel:aws:Bucket$aws:s3/bucket:Bucket::aws-dev-models"


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        (f"urn:pulumi:main::aimodel-infra::{CHAIN}", f"urn:pulumi:pr-42::aimodel-infra::{CHAIN}", True),
        (f"urn:pulumi:dev::aimodel-infra::{CHAIN}", f"urn:pulumi:dev::fork-of-it::{CHAIN}", True),
        (
            f"urn:pulumi:dev::aimodel-infra::{CHAIN}",
            "urn:pulumi:dev::aimodel-infra::aimodel:aws:Environment$aws:s3/bucket:Bucket::aws-dev-models",
            False,
        ),
        (f"urn:pulumi:dev::aimodel-infra::{CHAIN}", f"urn:pulumi:dev::aimodel-infra::{CHAIN}-2", False),
    ],
    ids=["other stack", "other project", "other parent type", "other name"],
)
def test_resource_key_ignores_stack_and_project_but_not_type_chain_or_name(first: str, second: str, same: bool) -> None:
    assert (resource_key(_recorded(first)) == resource_key(_recorded(second))) is same


def test_resources_of_two_stacks_match_by_key() -> None:
    base = [_recorded(f"urn:pulumi:main::aimodel-infra::{CHAIN}", forceDestroy=False)]
    head = [_recorded(f"urn:pulumi:pr-42::aimodel-infra::{CHAIN}", forceDestroy=True)]

    (change,) = resource_changes(base, head)

    assert (change.kind, change.name, change.keys) == ("change", "aws-dev-models", ("forceDestroy",))


@pytest.mark.parametrize(
    ("before", "after", "keys"),
    [
        ({"a": 1, "b": {"c": [1, 2]}}, {"a": 1, "b": {"c": [1, 2]}}, ()),
        ({"a": 1}, {"a": 1, "b": 2}, ("b",)),
        ({"a": 1, "b": 2}, {"a": 1}, ("b",)),
        ({"tags": {"x": "1"}, "a": 1}, {"tags": {"x": "2"}, "a": 1}, ("tags",)),
        ({"z": [1, 2], "a": 0}, {"z": [2, 1], "a": 1}, ("a", "z")),
    ],
    ids=["equal", "added", "removed", "nested value", "several, sorted"],
)
def test_changed_inputs_names_each_top_level_key_that_differs(
    before: dict[str, Any], after: dict[str, Any], keys: tuple[str, ...]
) -> None:
    assert changed_inputs(before, after) == keys


def _resource(type_: str, name: str, *, protect: bool = False, **inputs: object) -> RecordedResource:
    return RecordedResource(
        urn=f"urn:pulumi:s::p::{type_}::{name}", type=type_, name=name, custom=True, parent=None,
        dependencies=(), inputs=dict(inputs), outputs={}, id=None, provider=None, protect=protect,
        retain_on_delete=protect, delete_before_replace=False, ignore_changes=(),
    )  # fmt: skip


def test_a_replaced_protected_bucket_is_flagged_so_reviewers_see_pulumi_will_refuse_it() -> None:
    before = [_resource("aws:s3/bucket:Bucket", "data", protect=True, bucket="data-1", tags={"a": "1"})]
    after = [_resource("aws:s3/bucket:Bucket", "data", protect=True, bucket="data-2", tags={"a": "1"})]

    [change] = resource_changes(before, after, REPLACED_ON_CHANGE)

    assert (change.kind, change.replaced_by, change.protected, change.retained) == ("replace", ("bucket",), True, True)


def test_inputs_that_do_not_force_replacement_are_plain_updates() -> None:
    before = [_resource("aws:s3/bucket:Bucket", "data", protect=True, tags={"a": "1"})]
    after = [_resource("aws:s3/bucket:Bucket", "data", protect=True, tags={"a": "2"})]

    [change] = resource_changes(before, after, REPLACED_ON_CHANGE)

    assert (change.kind, change.keys, change.replaced_by) == ("change", ("tags",), ())


def test_without_replacement_knowledge_every_changed_input_is_an_update() -> None:
    before = [_resource("aws:eks/nodeGroup:NodeGroup", "ng", instanceTypes=["g5.xlarge"])]
    after = [_resource("aws:eks/nodeGroup:NodeGroup", "ng", instanceTypes=["g6.xlarge"])]

    assert [c.kind for c in resource_changes(before, after)] == ["change"]


# -- what `pulumi up` would really do, end to end ---------------------------------------------
def test_a_gpu_type_change_names_old_and_new_instance_types_and_the_pool_whose_nodes_are_replaced(
    base_env: Environment,
) -> None:
    document = aws_dev_document()
    document["node_pools"][0]["accelerator"] = "H200"
    head = parse_environment(document, source="head.yaml")

    result = diff_environments(base_env, head)

    replaced = [c for c in result.changes("replace") if c.type == "aws:eks/nodeGroup:NodeGroup"]
    assert {c.node_group_of for c in replaced} == {"train"}
    for change in replaced:
        (instance_types,) = [v for v in change.changes if v.path == "instanceTypes"]
        assert (instance_types.old, instance_types.new) == (["p5.48xlarge"], ["p5en.48xlarge"])


@pytest.mark.parametrize("pool", ["infer", "train"], ids=["on-demand pool", "spot pool with on-demand fallback"])
def test_a_desired_size_under_ignore_changes_is_no_change_and_costs_nothing(base_env: Environment, pool: str) -> None:
    document = aws_dev_document()
    (spec_pool,) = [p for p in document["node_pools"] if p["name"] == pool]
    spec_pool["desired_nodes"] = 2  # after creation the autoscaler owns it: scalingConfig.desiredSize is ignored
    head = parse_environment(document, source="head.yaml")
    assert estimate(head).desired_monthly != estimate(base_env).desired_monthly

    result = diff_environments(base_env, head)

    assert result.resources == ()
    (row,) = [c for c in result.compute if c.name == pool]
    assert row.desired_held and row.delta_desired == 0
    assert result.to_dict()["cost"]["total"]["delta_desired"] == 0


def test_reordering_the_spec_tags_is_no_change(base_env: Environment) -> None:
    document = aws_dev_document()
    document["tags"] = dict(reversed(list(document["tags"].items())))
    head = parse_environment(document, source="head.yaml")

    assert diff_environments(base_env, head).resources == ()


def test_dropping_a_protected_bucket_is_refused(diff: SpecDiff) -> None:
    refused = diff.to_dict()["refused"]

    assert {"type": "aws:s3/bucket:Bucket", "name": "aws-dev-models", "kind": "remove"} in refused
