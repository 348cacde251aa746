"""``schema``: the JSON Schema comes from the spec models, and the committed copies never go stale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from aimodel_infra.cli.schema import (
    ENVIRONMENT_SCHEMA_FILE,
    STACK_SCHEMA_FILE,
    environment_schema,
    schema_text,
    stack_file_schema,
)
from aimodel_infra.spec import CONFIG_KEY, Environment

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = REPO_ROOT / "schema"
REGENERATE = "aimodel-infra schema [--stack-file] --output schema/<file>"


def test_the_printed_schema_describes_every_environment_field(run) -> None:
    result = run("schema")

    assert result.exit_code == 0, result.stderr
    schema = json.loads(result.stdout)
    assert set(schema["properties"]) == set(Environment.model_fields)
    assert set(schema["required"]) == {name for name, f in Environment.model_fields.items() if f.is_required()}
    assert schema["additionalProperties"] is False


def test_the_stack_file_schema_puts_the_environment_under_its_config_key(run) -> None:
    schema = json.loads(run("schema", "--stack-file").stdout)

    config = schema["properties"]["config"]
    reference = config["properties"][CONFIG_KEY]["$ref"]
    assert reference == "#/$defs/Environment"
    environment = schema["$defs"]["Environment"]
    assert set(environment["properties"]) == set(Environment.model_fields)
    assert CONFIG_KEY in config["required"]
    assert config["additionalProperties"] is True, "other packages' config keys must stay allowed"


def test_every_reference_in_the_stack_file_schema_resolves() -> None:
    schema = stack_file_schema()
    text = json.dumps(schema)
    references = {part.split('"')[0] for part in text.split('"$ref": "#/$defs/')[1:]}

    assert references
    assert references <= set(schema["$defs"])


@pytest.mark.parametrize(
    ("file_name", "generate"), [(ENVIRONMENT_SCHEMA_FILE, environment_schema), (STACK_SCHEMA_FILE, stack_file_schema)]
)
def test_the_committed_schema_files_equal_the_generated_ones(file_name: str, generate) -> None:
    committed = (SCHEMA_DIR / file_name).read_text(encoding="utf-8")

    assert committed == schema_text(generate()), f"schema/{file_name} is stale; regenerate: {REGENERATE}"


def test_output_writes_the_file_and_says_where(run, tmp_path) -> None:
    target = tmp_path / "env.schema.json"

    result = run("schema", "--output", str(target))

    assert result.exit_code == 0, result.stderr
    assert target.read_text(encoding="utf-8") == schema_text(environment_schema())
    assert str(target) in result.stdout


def test_an_unwritable_output_is_an_error_not_a_traceback(run, tmp_path) -> None:
    target = tmp_path / "no-such-dir" / "env.schema.json"

    result = run("schema", "--output", str(target))

    assert result.exit_code == 1
    assert f"cannot write the schema to {target}" in result.stderr


def test_the_stack_files_point_editors_at_the_committed_schema() -> None:
    for stack_file in sorted((REPO_ROOT / "stacks").glob("Pulumi.*.yaml")):
        first_line = stack_file.read_text(encoding="utf-8").splitlines()[0]
        assert first_line == f"# yaml-language-server: $schema=../schema/{STACK_SCHEMA_FILE}", stack_file.name


def test_the_committed_stacks_validate_against_the_stack_file_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(stack_file_schema())

    for stack_file in sorted((REPO_ROOT / "stacks").glob("Pulumi.*.yaml")):
        document = yaml.safe_load(stack_file.read_text(encoding="utf-8"))
        assert [error.message for error in validator.iter_errors(document)] == [], stack_file.name
    mistyped = yaml.safe_load((REPO_ROOT / "stacks" / "Pulumi.aws-dev.yaml").read_text(encoding="utf-8"))
    mistyped["config"][CONFIG_KEY]["node_pools"][0]["max_node"] = 2
    assert any("max_node" in error.message for error in validator.iter_errors(mistyped))
