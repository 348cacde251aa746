"""The diff engine on a fake cloud: it knows no cloud, only recorded resources and which of a
type's inputs force a replacement."""

from __future__ import annotations

import dataclasses

from aimodel_infra.diff import SECRET, changed_inputs, resource_changes
from aimodel_infra.testing.builder import GraphBuilder

POOL = "fake:compute/pool:Pool"
STORE = "fake:storage/store:Store"
REPLACED_ON = {POOL: frozenset({"machineType"})}


def resources(**pools: dict):
    builder = GraphBuilder()
    for name, inputs in pools.items():
        builder.add(POOL, name, inputs)
    return builder.resources


def test_an_input_the_cloud_says_forces_replacement_is_a_replace_naming_that_input() -> None:
    (change,) = resource_changes(
        resources(gpu={"machineType": "a", "max": 2}), resources(gpu={"machineType": "b", "max": 2}), REPLACED_ON
    )
    assert (change.kind, change.name, change.replaced_by) == ("replace", "gpu", ("machineType",))


def test_other_input_changes_are_updates_in_place() -> None:
    (change,) = resource_changes(
        resources(gpu={"machineType": "a", "max": 2}), resources(gpu={"machineType": "a", "max": 4}), REPLACED_ON
    )
    assert (change.kind, change.keys) == ("change", ("max",))


def test_without_replacement_keys_nothing_is_called_a_replacement() -> None:
    (change,) = resource_changes(resources(gpu={"machineType": "a"}), resources(gpu={"machineType": "b"}))
    assert change.kind == "change"


def test_a_removed_protected_resource_says_it_is_protected_and_retained() -> None:
    base = GraphBuilder()
    base.add(STORE, "data", {"name": "d"}, protect=True, retain_on_delete=True)
    (change,) = resource_changes(base.resources, [])
    assert (change.kind, change.protected, change.retained) == ("remove", True, True)


def test_adds_and_identical_resources() -> None:
    changes = resource_changes(resources(a={"x": 1}), resources(a={"x": 1}, b={"x": 2}))
    assert [(c.kind, c.name) for c in changes] == [("add", "b")]


def test_changed_inputs_are_the_keys_added_removed_or_changed() -> None:
    assert changed_inputs({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == ("b", "c")


def pair(before: dict, after: dict, **fields: object):
    base, head = GraphBuilder(), GraphBuilder()
    base.add(POOL, "gpu", before, **fields)
    head.add(POOL, "gpu", after, **fields)
    return base.resources, head.resources


def test_a_change_says_old_and_new_value_of_each_leaf_input() -> None:
    (change,) = resource_changes(*pair({"scaling": {"max": 2, "min": 0}}, {"scaling": {"max": 4, "min": 0}}))

    assert [(v.path, v.old, v.new) for v in change.changes] == [("scaling.max", 2, 4)]
    assert change.keys == ("scaling",)


def test_an_input_under_ignore_changes_is_no_change() -> None:
    before, after = {"scaling": {"desired": 1, "max": 2}}, {"scaling": {"desired": 3, "max": 2}}

    assert resource_changes(*pair(before, after, ignore_changes=["scaling.desired"])) == []
    assert resource_changes(*pair(before, after, ignore_changes=['scaling["desired"]'])) == []
    moved = {"scaling": {"desired": 3, "max": 4}}
    (change,) = resource_changes(*pair(before, moved, ignore_changes=["scaling.desired"]))
    assert [v.path for v in change.changes] == ["scaling.max"]


def test_the_same_map_in_another_order_is_no_change() -> None:
    tags = [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}]

    assert resource_changes(*pair({"tags": {"a": "1", "b": "2"}}, {"tags": {"b": "2", "a": "1"}})) == []
    assert resource_changes(*pair({"tags": tags}, {"tags": list(reversed(tags))})) == []
    assert resource_changes(*pair({"doc": '{"a": 1, "b": 2}'}, {"doc": '{"b": 2, "a": 1}'})) == []


def test_a_keyed_list_entry_that_changes_is_named_by_its_key() -> None:
    before = {"tags": [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}]}
    after = {"tags": [{"key": "b", "value": "3"}, {"key": "a", "value": "1"}]}

    (change,) = resource_changes(*pair(before, after))

    assert [(v.path, v.old, v.new) for v in change.changes] == [("tags.b.value", "2", "3")]


def test_a_secret_input_is_named_but_its_values_are_not_shown() -> None:
    base, head = GraphBuilder(), GraphBuilder()
    base.add(POOL, "gpu", {"password": "old-one"})
    head.add(POOL, "gpu", {"password": "new-one"})
    head.resources[0] = dataclasses.replace(head.resources[0], secret_inputs=frozenset({"password"}))

    (change,) = resource_changes(base.resources, head.resources)

    assert [(v.path, v.old, v.new) for v in change.changes] == [("password", SECRET, SECRET)]


def test_deleting_or_replacing_a_protected_resource_is_refused_and_an_update_is_not() -> None:
    def store(inputs: dict) -> list:
        builder = GraphBuilder()
        builder.add(STORE, "data", inputs, protect=True)
        return builder.resources

    replaced_on = {STORE: frozenset({"name"})}
    (removal,) = resource_changes(store({"name": "d"}), [], replaced_on)
    (replacement,) = resource_changes(store({"name": "d"}), store({"name": "e"}), replaced_on)
    (update,) = resource_changes(store({"name": "d", "size": 1}), store({"name": "d", "size": 2}), replaced_on)

    assert (removal.refused, replacement.refused, update.refused) == (True, True, False)
