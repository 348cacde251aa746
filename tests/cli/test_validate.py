"""``validate``: a valid spec is summarised in one line; an invalid one lists every problem, exit 1."""

from __future__ import annotations

import json

from aimodel_infra.cli.text import validation_summary
from aimodel_infra.spec import load_spec


def test_a_valid_stack_prints_its_one_line_summary_and_exits_0(run, stack) -> None:
    result = run("validate", stack)

    assert result.exit_code == 0, result.stderr
    source = f"stacks/Pulumi.{stack}.yaml"
    assert result.stdout == validation_summary(load_spec(stack), source) + "\n"
    assert result.stdout.startswith(f"{source}: valid (")
    assert result.stderr == ""


def test_json_lists_what_the_environment_holds(run, stack) -> None:
    result = run("validate", stack, "--json")

    assert result.exit_code == 0, result.stderr
    env = load_spec(stack)
    payload = json.loads(result.stdout)
    assert payload["valid"] is True
    assert payload["spec"] == stack
    assert (payload["environment"], payload["cloud"], payload["region"]) == (env.name, env.cloud.value, env.region)
    assert payload["node_pools"] == [p.name for p in env.node_pools]
    assert payload["autoscaling_groups"] == [g.name for g in env.autoscaling_groups]
    assert payload["buckets"] == [b.name for b in env.buckets]


def test_a_spec_file_path_is_accepted_as_well_as_a_stack_name(run, write_spec, stack_environment) -> None:
    path = write_spec(stack_environment("gcp-dev"))

    result = run("validate", path)

    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{path}: valid (gcp ")


def test_an_unknown_stack_names_the_available_stacks(run) -> None:
    result = run("validate", "prod")

    assert result.exit_code == 1
    assert result.stdout == ""
    assert "'prod'" in result.stderr
    for stack in ("aws-dev", "gcp-dev", "azure-dev"):
        assert stack in result.stderr


def test_a_missing_file_says_so(run, tmp_path) -> None:
    missing = tmp_path / "nowhere.yaml"

    result = run("validate", str(missing))

    assert result.exit_code == 1
    assert f"no such file: {missing}" in result.stderr


def test_a_yaml_syntax_error_names_the_line(run, tmp_path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: aws-dev\ncloud: aws\nnode_pools: [\n  {name: train\n")

    result = run("validate", str(path))

    assert result.exit_code == 1
    assert "YAML syntax error at line" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_mistyped_field_is_named_with_its_path_and_the_likely_fix(run, write_spec, stack_environment) -> None:
    environment = stack_environment("aws-dev")
    environment["node_pools"][0]["max_node"] = 3

    result = run("validate", write_spec(environment))

    assert result.exit_code == 1
    assert "node_pools[0].max_node: unknown field; did you mean 'max_nodes'?" in result.stderr


def test_catalog_rule_problems_are_all_listed_in_one_run(run, write_spec, stack_environment) -> None:
    environment = stack_environment("aws-dev")
    environment["buckets"][0]["readers"] = ["nobody"]
    environment["node_pools"][0]["accelerator_count"] = 3

    result = run("validate", write_spec(environment))

    assert result.exit_code == 1
    assert "(2 problems)" in result.stderr
    assert "buckets[0].readers: nobody not a node pool or autoscaling group" in result.stderr
    assert "node_pools[0].accelerator: 3 x H100 is not offered" in result.stderr


def test_json_errors_are_one_document_on_stdout_with_each_problem(run, write_spec, stack_environment) -> None:
    environment = stack_environment("aws-dev")
    environment["node_pools"][1]["min_nodes"] = 9
    path = write_spec(environment)

    result = run("validate", path, "--json")

    assert result.exit_code == 1
    assert result.stderr == ""
    payload = json.loads(result.stdout)
    assert payload["valid"] is False
    assert payload["kind"] == "SpecError"
    assert payload["source"] == path
    assert [problem["path"] for problem in payload["problems"]] == ["node_pools[1]"]
    assert "min_nodes <= desired_nodes <= max_nodes" in payload["problems"][0]["message"]
