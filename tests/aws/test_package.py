"""aimodel_infra.aws: every component importable from the package, the SDK loaded only when used."""

from __future__ import annotations

import subprocess
import sys

import pytest

import aimodel_infra.aws as aws_package


@pytest.mark.parametrize("name", aws_package.__all__)
def test_every_exported_name_resolves_to_its_class(name: str) -> None:
    exported = getattr(aws_package, name)
    assert isinstance(exported, type) and exported.__name__ == name


def test_importing_the_policy_checks_does_not_load_pulumi_aws() -> None:
    """The policy pack runs the checks without the SDK; they live inside this package."""
    code = "import sys, aimodel_infra.aws.policy; print('pulumi_aws' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchComponent"):
        aws_package.NoSuchComponent  # noqa: B018


def test_all_lists_exactly_the_lazily_exported_names() -> None:
    assert sorted(aws_package.__all__) == sorted(aws_package._EXPORTS)
