"""The diff engine on a fake cloud: it knows no cloud, only recorded resources and which of a
type's inputs force a replacement."""

from __future__ import annotations

from aimodel_infra.diff import changed_inputs, resource_changes
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
