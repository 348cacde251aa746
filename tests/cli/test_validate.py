"""``validate``: a valid spec is summarised in one line; an invalid one lists every problem, exit 1."""

from __future__ import annotations

import json
from pathlib import Path

from aimodel_infra.cli.text import validation_summary
from aimodel_infra.spec import load_spec

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_a_valid_stack_prints_its_summary_then_one_placement_line_per_pool_and_exits_0(run, stack) -> None:
    result = run("validate", stack)

    assert result.exit_code == 0, result.stderr
    source = f"stacks/Pulumi.{stack}.yaml"
    env = load_spec(stack)
    first, *details = result.stdout.splitlines()
    assert first == validation_summary(env, source)
    assert [line.split(":")[0].strip() for line in details[: len(env.compute)]] == [c.name for c in env.compute]
    assert all(line.startswith("  ") for line in details)
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


def test_h100_in_us_east_2_is_valid_and_names_the_zone_ids_it_would_use(run, tmp_path) -> None:
    spec = tmp_path / "east2.yaml"
    spec.write_text(
        "name: east2\ncloud: aws\nregion: us-east-2\ncluster: {kubernetes_version: '1.35'}\n"
        "node_pools:\n  - {name: train, accelerator: 'H100:8', max_nodes: 2}\n"
        "autoscaling_groups:\n  - {name: web, instance_type: m6i.2xlarge, max_nodes: 2}\n"
    )
    result = run("validate", str(spec))
    assert result.exit_code == 0, result.stdout
    assert "train: p5.48xlarge (8 x H100) in zone IDs use2-az1, use2-az2, use2-az3" in result.stdout
    assert "warning: web: m6i.2xlarge is not priced in the catalog; cost totals leave it out" in result.stdout


def test_an_aks_version_kept_only_under_lts_is_priced_at_the_premium_tier(run, tmp_path) -> None:
    text = (REPO_ROOT / "stacks" / "Pulumi.azure-dev.yaml").read_text()
    spec = tmp_path / "Pulumi.lts.yaml"
    text = text.replace('kubernetes_version: "1.35"', 'kubernetes_version: "1.33"')
    spec.write_text(text.replace("cluster_tier: Standard", "cluster_tier: Premium"))
    payload = json.loads(run("validate", str(spec), "--json").stdout)
    [warning] = [w for w in payload["warnings"] if "Kubernetes" in w]
    assert warning.startswith("azure Kubernetes 1.33 is in extended support (standard support ended 2026-07-31")
    assert "needs the Premium tier" in warning and "$0.60/h instead of $0.10/h" in warning


def test_validate_warns_about_a_version_past_standard_support_with_its_price(run, tmp_path) -> None:
    text = (REPO_ROOT / "stacks" / "Pulumi.aws-dev.yaml").read_text()
    spec = tmp_path / "Pulumi.old.yaml"
    spec.write_text(text.replace('kubernetes_version: "1.35"', 'kubernetes_version: "1.33"'))
    payload = json.loads(run("validate", str(spec), "--json").stdout)
    [warning] = [w for w in payload["warnings"] if "Kubernetes" in w]
    assert warning.startswith("aws Kubernetes 1.33 is in extended support (standard support ended 2026-07-29")
    assert "$0.60/h instead of $0.10/h" in warning
    assert "cluster subnets avoid use1-az3 (EKS does not support those zone IDs)" in payload["placement"]
