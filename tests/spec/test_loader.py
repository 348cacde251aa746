"""Reading a spec from disk: plain YAML, Pulumi stack files, stack names, and every way that fails."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from aimodel_infra.errors import SpecError
from aimodel_infra.spec import (
    CONFIG_KEY,
    Environment,
    environment_document,
    find_project_root,
    load_spec,
    parse_environment,
    resolve_spec_path,
)

from .conftest import STACKS_DIR


@pytest.fixture
def project(tmp_path: Path, make_doc) -> Path:
    """A Pulumi project like the repo's: Pulumi.yaml at the root, stack files in stacks/."""
    (tmp_path / "Pulumi.yaml").write_text("name: aimodel-infra\nruntime: python\nstackConfigDir: stacks\n")
    (tmp_path / "stacks").mkdir()
    for name in ("dev", "prod"):
        stack = {"config": {CONFIG_KEY: make_doc(name=f"ml-{name}")}}
        (tmp_path / "stacks" / f"Pulumi.{name}.yaml").write_text(yaml.safe_dump(stack))
    (tmp_path / "infra" / "deep").mkdir(parents=True)
    return tmp_path


def _single_problem(caught: pytest.ExceptionInfo[SpecError]) -> str:
    [problem] = caught.value.problems
    return problem.message


# -- the two file shapes -----------------------------------------------------------------------


def test_plain_yaml_file_holds_the_environment_itself(tmp_path, make_doc, tiny_catalog):
    path = tmp_path / "env.yaml"
    path.write_text(yaml.safe_dump(make_doc(name="plain")))
    assert load_spec(path, tiny_catalog).name == "plain"


def test_stack_file_holds_the_environment_under_the_config_key(project, tiny_catalog):
    assert load_spec(project / "stacks" / "Pulumi.dev.yaml", tiny_catalog).name == "ml-dev"


def test_stack_file_value_wrapper_is_unwrapped(make_doc):
    doc = make_doc()
    assert environment_document({"config": {CONFIG_KEY: {"value": doc}}}) == doc


def test_stack_file_without_the_environment_key_names_the_key(tmp_path, tiny_catalog):
    path = tmp_path / "Pulumi.other.yaml"
    path.write_text(yaml.safe_dump({"config": {"aws:region": "us-east-1"}}))
    with pytest.raises(SpecError) as caught:
        load_spec(path, tiny_catalog)
    [problem] = caught.value.problems
    assert problem.path == "config"
    assert f"stack file has no '{CONFIG_KEY}' key" in problem.message
    assert caught.value.source == str(path)


@pytest.mark.parametrize("name", sorted(p.name for p in STACKS_DIR.glob("Pulumi.*.yaml")))
def test_every_example_stack_is_valid_against_the_bundled_catalog(bundled_catalog, name):
    env = load_spec(STACKS_DIR / name, bundled_catalog)
    assert f"Pulumi.{env.name}.yaml" == name
    for compute in env.compute:
        if compute.is_gpu:
            assert bundled_catalog.find(env.cloud.value, env.region, compute.accelerator, compute.accelerator_count)


# -- stack names -------------------------------------------------------------------------------


def test_stack_name_resolves_to_the_stack_file_from_the_project_root(project):
    assert resolve_spec_path("dev", project) == project / "stacks" / "Pulumi.dev.yaml"


def test_stack_name_resolves_from_a_subdirectory_of_the_project(project, tiny_catalog):
    assert load_spec("prod", tiny_catalog, root=project / "infra" / "deep").name == "ml-prod"


def test_stack_name_resolves_from_the_working_directory(project, tiny_catalog, monkeypatch):
    monkeypatch.chdir(project / "infra")
    assert load_spec("dev", tiny_catalog).name == "ml-dev"


def test_project_root_is_the_nearest_directory_with_pulumi_yaml(project, tmp_path_factory):
    assert find_project_root(project / "infra" / "deep") == project
    assert find_project_root(project) == project
    elsewhere = tmp_path_factory.mktemp("no-project")
    assert find_project_root(elsewhere) == elsewhere.resolve()


def test_unknown_stack_lists_the_available_stacks(project):
    with pytest.raises(SpecError) as caught:
        resolve_spec_path("staging", project)
    message = _single_problem(caught)
    assert "'staging' is neither a file nor a stack" in message
    assert message.endswith("available stacks: dev, prod")


def test_unknown_stack_without_any_stack_files_says_so(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("name: x\n")
    with pytest.raises(SpecError) as caught:
        resolve_spec_path("dev", tmp_path)
    assert f"no stack files in {tmp_path / 'stacks'}" in _single_problem(caught)


@pytest.mark.parametrize("spec", ["missing.yaml", "some/dir/env.yml"])
def test_missing_file_is_reported_as_such(project, spec):
    with pytest.raises(SpecError) as caught:
        resolve_spec_path(spec, project)
    assert _single_problem(caught) == f"no such file: {Path(spec)}"


def test_stack_name_too_long_for_the_file_system_is_an_unknown_stack(project):
    with pytest.raises(SpecError) as caught:
        resolve_spec_path("s" * 300, project)
    assert "available stacks: dev, prod" in _single_problem(caught)


# -- unreadable documents ----------------------------------------------------------------------


def test_yaml_syntax_error_reports_line_and_column(tmp_path, tiny_catalog):
    path = tmp_path / "broken.yaml"
    lines = ["name: ml-dev", "cloud: aws", "region: [us-east-1", "network: {}"]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(SpecError) as caught:
        load_spec(path, tiny_catalog)
    message = _single_problem(caught)
    assert message.startswith("YAML syntax error at line 4, column 8:")
    assert caught.value.source == str(path)


def test_yaml_tab_indentation_error_points_at_the_tab(tmp_path, tiny_catalog):
    path = tmp_path / "tabs.yaml"
    path.write_text("name: ml-dev\nnetwork:\n\tzones: 3\n")
    with pytest.raises(SpecError) as caught:
        load_spec(path, tiny_catalog)
    assert "line 3, column 1" in _single_problem(caught)


@pytest.mark.parametrize(
    "text,got",
    [
        ("", "an empty document"),
        ("# only a comment\n", "an empty document"),
        ("- a\n- b\n", "a list"),
        ("just text\n", "a str"),
        ("42\n", "a int"),
    ],
)
def test_document_that_is_not_a_mapping_says_what_it_is(tmp_path, tiny_catalog, text, got):
    path = tmp_path / "env.yaml"
    path.write_text(text)
    with pytest.raises(SpecError) as caught:
        load_spec(path, tiny_catalog)
    assert _single_problem(caught) == f"the environment must be a mapping of fields, got {got}"


def test_deeply_nested_yaml_is_a_spec_error_not_a_crash(tmp_path, tiny_catalog):
    path = tmp_path / "deep.yaml"
    path.write_text("name: " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(SpecError) as caught:
        load_spec(path, tiny_catalog)
    message = _single_problem(caught)
    assert "nested too deeply" in message or "exceeded maximum nesting depth" in message


def test_file_that_is_not_utf8_is_a_spec_error(tmp_path, tiny_catalog):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: caf\u00e9\n".encode("latin-1"))
    with pytest.raises(SpecError) as caught:
        load_spec(path, tiny_catalog)
    assert caught.value.source == str(path)
    assert _single_problem(caught) == "not UTF-8 text (byte 10 is 0xe9)"


def test_python_object_tags_are_refused_by_the_safe_loader(tmp_path, tiny_catalog):
    path = tmp_path / "evil.yaml"
    path.write_text("name: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(SpecError) as caught:
        load_spec(path, tiny_catalog)
    assert "YAML syntax error at line 1" in _single_problem(caught)


def test_problems_carry_the_file_they_came_from(tmp_path, make_doc, tiny_catalog):
    path = tmp_path / "env.yaml"
    path.write_text(yaml.safe_dump(make_doc(name="X")))
    with pytest.raises(SpecError) as caught:
        load_spec(path, tiny_catalog)
    assert caught.value.source == str(path)
    assert str(caught.value).startswith(f"invalid environment spec in {path} ")


def test_parse_environment_accepts_an_already_validated_environment_dump(make_doc, tiny_catalog):
    env = parse_environment(make_doc(), tiny_catalog)
    assert isinstance(env, Environment)
    assert parse_environment(env.model_dump(mode="json"), tiny_catalog) == env
