"""The README's spec reference is generated from the models and must match them."""

from pathlib import Path

from aimodel_infra.spec.models import Environment
from aimodel_infra.spec.reference import BEGIN, END, render, splice

README = Path(__file__).parents[2] / "README.md"


def test_readme_spec_reference_is_up_to_date() -> None:
    readme = README.read_text(encoding="utf-8")
    assert splice(readme) == readme, "regenerate: python -m aimodel_infra.spec.reference --write README.md"


def test_reference_documents_every_field_of_every_model_with_a_meaning() -> None:
    text = render()
    for field_name, field in Environment.model_fields.items():
        assert f"| `{field_name}` |" in text
        assert field.description, f"Environment.{field_name} has no description"
    assert "| `accelerator_count` |" in text and "| `cold_after_days` |" in text
    assert not any(line.endswith("|  |") for line in text.splitlines()), "a field without a description"


def test_splice_replaces_only_the_marked_section() -> None:
    document = f"intro\n{BEGIN}\nstale\n{END}\noutro\n"
    spliced = splice(document)
    assert spliced.startswith("intro\n") and spliced.endswith("\noutro\n")
    assert "stale" not in spliced and "#### Environment" in spliced
