"""Reading a spec as a careless user hands it in: duplicate keys, stdin, directories, odd file names,
a stack whose provider region disagrees, and text that only looks right."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from aimodel_infra.errors import SpecError
from aimodel_infra.spec import load_spec
from aimodel_infra.spec.loader import parse_yaml
from aimodel_infra.spec.text import unusual_character_message

PLAIN = "name: ml-dev\ncloud: aws\nregion: us-east-1\nnode_pools:\n  - name: train\n    accelerator: H100:8\n"


def _problems(caught: pytest.ExceptionInfo[SpecError]) -> list[str]:
    return [str(p) for p in caught.value.problems]


def test_a_duplicate_key_is_an_error_with_both_line_numbers() -> None:
    with pytest.raises(SpecError) as caught:
        parse_yaml("name: a\nregion: us-east-1\nname: b\n", "spec.yaml")
    assert _problems(caught) == [
        "duplicate key 'name' at line 3 (first at line 1); YAML would keep only the last and Pulumi refuses "
        "the file: keep one"
    ]


def test_duplicate_keys_in_nested_mappings_are_all_reported() -> None:
    text = (
        "node_pools:\n  - name: a\n    max_nodes: 2\n    max_nodes: 200\nbudget:\n  monthly_usd: 1\n  monthly_usd: 9\n"
    )
    with pytest.raises(SpecError) as caught:
        parse_yaml(text)
    assert [p.split(" (")[0] for p in _problems(caught)] == [
        "duplicate key 'max_nodes' at line 4",
        "duplicate key 'monthly_usd' at line 7",
    ]


def test_yaml_merge_keys_are_not_duplicates() -> None:
    assert parse_yaml("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n") == {"base": {"x": 1}, "other": {"x": 1, "y": 2}}


def test_an_alias_bomb_is_refused_without_expanding_it() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    with pytest.raises(SpecError) as caught:
        parse_yaml("\n".join(lines) + "\n")
    assert "expands to more than 200000 values" in _problems(caught)[0]


def test_dash_reads_the_spec_from_stdin(monkeypatch: pytest.MonkeyPatch, tiny_catalog) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(PLAIN.encode())))
    assert load_spec("-", tiny_catalog).name == "ml-dev"


def test_a_directory_says_it_is_a_directory(tmp_path: Path, tiny_catalog) -> None:
    with pytest.raises(SpecError) as caught:
        load_spec(tmp_path, tiny_catalog)
    assert _problems(caught) == [f"{tmp_path} is a directory; give a YAML file, a stack name, or - for stdin"]


def test_a_file_name_that_is_not_utf8_is_reported_printably(tmp_path: Path, tiny_catalog) -> None:
    raw = bytes(tmp_path) + b"/spec-\xff.yaml"
    Path(raw.decode("utf-8", "surrogateescape")).write_text("name: [\n")
    with pytest.raises(SpecError) as caught:
        load_spec(raw.decode("utf-8", "surrogateescape"), tiny_catalog)
    assert caught.value.source == f"{tmp_path}/spec-\\xff.yaml"
    caught.value.render().encode("utf-8")  # printable: no lone surrogate left


def _stack(tmp_path: Path, provider: str, value: str) -> Path:
    body = "".join(f"    {line}\n" for line in PLAIN.splitlines())
    path = tmp_path / "Pulumi.dev.yaml"
    path.write_text(f"config:\n  {provider}: {value}\n  aimodel-infra:environment:\n{body}")
    return path


def test_a_stack_whose_provider_region_disagrees_names_both(tmp_path: Path, tiny_catalog) -> None:
    with pytest.raises(SpecError) as caught:
        load_spec(_stack(tmp_path, "aws:region", "us-west-2"), tiny_catalog)
    [problem] = caught.value.problems
    assert problem.path == "config.aws:region"
    assert "the stack's aws:region is 'us-west-2' but the spec's region is 'us-east-1'" in problem.message


def test_a_stack_whose_provider_region_agrees_loads(tmp_path: Path, tiny_catalog) -> None:
    assert load_spec(_stack(tmp_path, "aws:region", "us-east-1"), tiny_catalog).region == "us-east-1"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            "us\u2010east\u20101",
            "contains U+2010 HYPHEN at position 3 (only ASCII is allowed; retype it); did you mean '-'?",
        ),
        ("\uff41ws", "contains U+FF41 FULLWIDTH LATIN SMALL LETTER A at position 1"),
        ("a\u200bb", "contains U+200B ZERO WIDTH SPACE at position 2"),
        ("ab\u200f", "contains U+200F RIGHT-TO-LEFT MARK at position 3"),
        ("1.33\n", "contains U+000A LINE FEED at position 5"),
    ],
)
def test_look_alike_and_invisible_characters_are_named(text: str, says: str) -> None:
    assert says in (unusual_character_message(text) or "")


def test_free_text_may_hold_unicode_but_no_direction_override() -> None:
    assert unusual_character_message("Grüße, café", allow_unicode=True) is None
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in (unusual_character_message("ok \u202e", allow_unicode=True) or "")
