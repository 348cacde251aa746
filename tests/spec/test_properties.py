"""Whatever a user feeds in, the spec answers with an Environment or a SpecError, never a traceback.

Three kinds of input: (a) random JSON-like trees, (b) the example stacks with a few random
mutations (keys dropped or renamed, wrong types, numbers out of range, random strings, random
CIDRs), (c) random YAML text through the file-loading path. Every Environment that comes out
must survive a round trip: dumping it and parsing the dump gives the same Environment. Valid
variations of the stacks (values the rules allow) must parse, come back canonical and round-trip.
"""

from __future__ import annotations

import copy
import enum
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from aimodel_infra.catalog import Catalog
from aimodel_infra.errors import SpecError
from aimodel_infra.spec import Environment, load_spec, parse_environment
from aimodel_infra.spec import models as spec_models

from .conftest import STACKS_DIR


def fuzz(examples: int) -> settings:
    """Budgets sized so the whole module runs in about ten seconds of CPU."""
    return settings(max_examples=examples, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


STACK_NAMES = sorted(p.name.removeprefix("Pulumi.").removesuffix(".yaml") for p in STACKS_DIR.glob("Pulumi.*.yaml"))

#: Every field name and enum value of the spec, so random trees reach past the top-level checks.
FIELD_NAMES = sorted(
    {name for model in vars(spec_models).values() if isinstance(model, type) and issubclass(model, BaseModel)
     for name in model.model_fields}
)  # fmt: skip
ENUM_VALUES = sorted(
    {member.value for e in vars(spec_models).values() if isinstance(e, type) and issubclass(e, enum.Enum)
     for member in e}
)  # fmt: skip
SPEC_WORDS = ["aws", "gcp", "azure", "us-east-1", "us-central1", "eastus", "H100", "h100:8", "L4", "T4", "A10G",
              "p5.48xlarge", "m6i.large", "deep-learning", "10.0.0.0/16", "ops@example.com", *ENUM_VALUES]  # fmt: skip

leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**6), max_value=10**6)
    | st.sampled_from([0, 1, 2, 8, 16, 17, 1000, 1001, -1, 2**63, 0.5, float("inf"), float("-inf"), float("nan")])
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(SPEC_WORDS)
)
keys = st.sampled_from(FIELD_NAMES) | st.text(max_size=8)
json_trees = st.recursive(
    leaves, lambda kids: st.lists(kids, max_size=4) | st.dictionaries(keys, kids, max_size=6), max_leaves=25
)
small_json_trees = st.recursive(
    leaves, lambda kids: st.lists(kids, max_size=3) | st.dictionaries(keys, kids, max_size=3), max_leaves=8
)


@st.composite
def cidrs(draw: st.DrawFn) -> str:
    address = draw(st.ip_addresses(v=4))
    return f"{address}/{draw(st.integers(min_value=0, max_value=33))}"


@st.composite
def environment_like(draw: st.DrawFn) -> dict[str, Any]:
    """A mapping with the top-level shape of an environment and random insides."""
    doc = {"name": draw(st.sampled_from(["ml-dev", "x", "Bad"]) | st.text(max_size=25)),
           "cloud": draw(st.sampled_from(["aws", "gcp", "azure", "AWS"])),
           "region": draw(st.sampled_from(["us-east-1", "us-central1", "eastus", "nowhere"]))}  # fmt: skip
    extra = draw(st.dictionaries(st.sampled_from(FIELD_NAMES), small_json_trees, max_size=5))
    return {**doc, **extra}


# -- mutations of the example stacks ------------------------------------------------------------


def _slots(node: Any) -> Iterator[tuple[dict[Any, Any] | list[Any], Any]]:
    """Every (container, key) pair in a document, depth first."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in list(items):
        yield node, key
        yield from _slots(value)


def _drop(draw: st.DrawFn, container: Any, key: Any) -> None:
    del container[key]


def _rename(draw: st.DrawFn, container: Any, key: Any) -> None:
    if isinstance(container, dict):
        typos = st.just(f"{key}s") | st.just(str(key)[:-1])
        new_key = draw(st.sampled_from(FIELD_NAMES) | st.text(max_size=10) | typos)
        container[new_key] = container.pop(key)


def _replace_with(values: st.SearchStrategy[Any]) -> Callable[[st.DrawFn, Any, Any], None]:
    def replace(draw: st.DrawFn, container: Any, key: Any) -> None:
        container[key] = draw(values)

    return replace


def _duplicate(draw: st.DrawFn, container: Any, key: Any) -> None:
    if isinstance(container, list):
        container.append(copy.deepcopy(container[key]))


SHOUTED_ENUM_VALUES = [v.upper() for v in ENUM_VALUES]
numbers_out_of_range = st.sampled_from([-1, 0, 7, 17, 21, 1001, 10**9, -(10**9), 0.5, float("inf"), float("nan")])
MUTATIONS = [
    _drop,
    _rename,
    _duplicate,
    _replace_with(json_trees),
    _replace_with(numbers_out_of_range | st.integers()),
    _replace_with(st.text(max_size=15) | st.sampled_from(SPEC_WORDS) | st.sampled_from(SHOUTED_ENUM_VALUES)),
    _replace_with(cidrs()),
    _replace_with(st.lists(cidrs(), max_size=3)),
]


@st.composite
def mutated_stacks(draw: st.DrawFn, stack_doc: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    doc = stack_doc(draw(st.sampled_from(STACK_NAMES)))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        slots = list(_slots(doc))
        if not slots:
            break
        container, key = draw(st.sampled_from(slots))
        draw(st.sampled_from(MUTATIONS))(draw, container, key)
    return doc


# -- valid variations of the example stacks -----------------------------------------------------

tag_keys = st.from_regex(r"[a-z][a-z0-9_-]{0,12}", fullmatch=True)
tag_values = st.from_regex(r"[a-z0-9_-]{0,12}", fullmatch=True)
label_keys = st.from_regex(
    r"([a-z0-9]{1,8}\.[a-z]{2,3}/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,10}[A-Za-z0-9])?", fullmatch=True
)
label_values = st.from_regex(r"([A-Za-z0-9]([-A-Za-z0-9_.]{0,10}[A-Za-z0-9])?)?", fullmatch=True)


@st.composite
def any_case(draw: st.DrawFn, word: str) -> str:
    return "".join(c.upper() if draw(st.booleans()) else c.lower() for c in word)


@st.composite
def valid_variations(draw: st.DrawFn, stack_doc: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """An example stack with fields changed only to other values the rules allow."""
    doc = stack_doc(draw(st.sampled_from(STACK_NAMES)))
    doc["tags"] = draw(st.dictionaries(tag_keys, tag_values, max_size=4))
    nat_modes = [m.value for m in spec_models.NatMode]
    if doc["cloud"] == "aws" and doc.get("cluster", {}) is not None:
        nat_modes.remove("none")  # EKS nodes need egress; the AWS rules refuse a cluster without it
    if doc["cloud"] == "azure" and doc.get("cluster", {}) is not None:
        nat_modes = ["single"]  # AKS needs egress, and one node subnet takes one NAT gateway (no per-zone)
    doc.setdefault("network", {})["nat"] = draw(st.sampled_from(nat_modes))
    for compute in [*doc.get("node_pools", []), *doc.get("autoscaling_groups", [])]:
        low = draw(st.integers(min_value=0, max_value=5))
        high = draw(st.integers(min_value=max(low, 1), max_value=10))
        capacity = draw(st.sampled_from([c.value for c in spec_models.Capacity]))
        compute.update(min_nodes=low, max_nodes=high, capacity=capacity)
        if draw(st.booleans()):
            compute["desired_nodes"] = draw(st.integers(min_value=low, max_value=high))
        if compute.get("accelerator"):
            compute["accelerator"] = draw(any_case(compute["accelerator"]))
        compute["labels"] = draw(st.dictionaries(label_keys, label_values, max_size=3))
    for bucket in doc.get("buckets", []):
        expiring = bucket.get("lifecycle", {}).get("expire_noncurrent_after_days")
        bucket["versioning"] = draw(st.just(True) if expiring else st.none() | st.booleans())
        bucket["deletion_protection"] = draw(st.booleans())
    return doc


# -- random YAML text ---------------------------------------------------------------------------

YAML_TOKENS = [
    "name: ml-dev", "cloud: aws", "region: us-east-1", "config:", "  aimodel-infra:environment:", "node_pools:",
    "accelerator: ", "max_nodes: ", "H100:8", "10.0.0.0/16", "- ", "  ", "\n", "\t", ": ", "[", "]", "{", "}", ",",
    "&a ", "*a", "<<: ", "!!str ", "!!binary ", "!!python/name:os ", "'", '"', "#", "|", ">", "? ", "---", "...",
    "%YAML 1.1", "1e400", ".inf", ".nan", "~", "yes", "2024-01-01", "0x1F", "\x00", "\ufeff",
]  # fmt: skip
printable_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=200)
token_soup = st.lists(st.sampled_from(YAML_TOKENS) | st.text(max_size=3), max_size=40).map("".join)


@st.composite
def damaged_yaml(draw: st.DrawFn) -> str:
    """A real stack file with a few characters inserted, deleted or replaced."""
    text = (STACKS_DIR / f"Pulumi.{draw(st.sampled_from(STACK_NAMES))}.yaml").read_text()
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        cut = draw(st.integers(min_value=0, max_value=3))
        inserted = draw(st.sampled_from(["", ":", " ", "\n", "-", "[", "'", "\t", "&x", "*x"]) | st.text(max_size=2))
        text = text[:at] + inserted + text[at + cut :]
    return text


# -- the property ---------------------------------------------------------------------------------


def _assert_environment_or_spec_error(parse: Callable[[], Environment], catalog: Catalog) -> None:
    try:
        env = parse()
    except SpecError as error:
        event("spec error")
        assert error.problems, "a SpecError must carry at least one problem"
        assert all(isinstance(p.path, str) and p.message for p in error.problems)
        return
    event("environment")
    assert isinstance(env, Environment)
    assert parse_environment(env.model_dump(), catalog) == env
    assert parse_environment(env.model_dump(mode="json"), catalog) == env


@fuzz(200)
@given(doc=json_trees)
def test_random_json_trees_give_an_environment_or_a_spec_error(bundled_catalog, doc):
    _assert_environment_or_spec_error(lambda: parse_environment(doc, bundled_catalog), bundled_catalog)


@fuzz(100)
@given(doc=environment_like())
def test_random_environment_shaped_mappings_give_an_environment_or_a_spec_error(bundled_catalog, doc):
    _assert_environment_or_spec_error(lambda: parse_environment(doc, bundled_catalog), bundled_catalog)


@fuzz(250)
@given(data=st.data())
def test_mutated_example_stacks_give_an_environment_or_a_spec_error(bundled_catalog, stack_doc, data):
    doc = data.draw(mutated_stacks(stack_doc))
    _assert_environment_or_spec_error(lambda: parse_environment(doc, bundled_catalog), bundled_catalog)


@fuzz(120)
@given(data=st.data())
def test_valid_variations_of_the_example_stacks_parse_canonical_and_round_trip(bundled_catalog, stack_doc, data):
    env = parse_environment(data.draw(valid_variations(stack_doc)), bundled_catalog)
    for compute in env.compute:
        assert compute.accelerator in bundled_catalog.accelerator_names()
        assert compute.min_nodes <= compute.desired <= compute.max_nodes
    assert parse_environment(env.model_dump(), bundled_catalog) == env
    assert parse_environment(env.model_dump(mode="json"), bundled_catalog) == env


@pytest.fixture(scope="module")
def spec_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "env.yaml"


@fuzz(200)
@given(text=printable_text | token_soup)
def test_random_yaml_text_gives_an_environment_or_a_spec_error(bundled_catalog, spec_file, text):
    spec_file.write_text(text, encoding="utf-8")
    _assert_environment_or_spec_error(lambda: load_spec(spec_file, bundled_catalog), bundled_catalog)


@fuzz(150)
@given(data=st.data())
def test_damaged_stack_files_give_an_environment_or_a_spec_error(bundled_catalog, spec_file, data):
    spec_file.write_text(data.draw(damaged_yaml()), encoding="utf-8")
    _assert_environment_or_spec_error(lambda: load_spec(spec_file, bundled_catalog), bundled_catalog)


@pytest.mark.parametrize("name", STACK_NAMES)
def test_example_stacks_round_trip_through_yaml(bundled_catalog, stack_doc, spec_file, name):
    env = parse_environment(stack_doc(name), bundled_catalog)
    spec_file.write_text(yaml.safe_dump(env.model_dump(mode="json")), encoding="utf-8")
    assert load_spec(spec_file, bundled_catalog) == env
