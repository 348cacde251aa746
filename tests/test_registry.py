"""The registry: which cloud builds, and the cloud's own limits reported by validate."""

from __future__ import annotations

import subprocess
import sys

import pytest

from aimodel_infra.errors import SpecError
from aimodel_infra.registry import REGISTRY, CloudNotSupported, entry, environment_class, spec_problems
from aimodel_infra.spec import Cloud, load_spec, parse_environment

AWS_LIMITS = {
    "name": "limits",
    "cloud": "aws",
    "region": "us-east-1",
    "network": {"cidr": "10.0.0.0/12", "nat": "none"},
    "buckets": [{"name": "logs", "purpose": "logs", "lifecycle": {"cold_after_days": 7}}],
}


def test_validation_reports_aws_limits_with_their_field_paths() -> None:
    with pytest.raises(SpecError) as error:
        parse_environment(AWS_LIMITS)
    paths = {p.path for p in error.value.problems}
    assert paths == {"network.cidr", "network.nat", "buckets[0].lifecycle.cold_after_days"}


def test_the_same_spec_on_a_cloud_without_a_builder_has_no_cloud_rules_to_break() -> None:
    env = load_spec("gcp-dev")
    assert env.cloud not in REGISTRY
    assert spec_problems(env, None) == []  # type: ignore[arg-type]


def test_example_aws_stack_is_within_aws_limits() -> None:
    env = load_spec("aws-dev")
    assert spec_problems(env, __import__("aimodel_infra.catalog").catalog.default_catalog()) == []


@pytest.mark.parametrize("cloud", [Cloud.GCP, Cloud.AZURE])
def test_clouds_without_a_builder_fail_with_a_message_naming_the_ones_that_exist(cloud: Cloud) -> None:
    with pytest.raises(CloudNotSupported, match="builders exist for: aws"):
        entry(cloud)


def test_aws_entry_resolves_to_the_aws_environment_component() -> None:
    assert environment_class(Cloud.AWS).__name__ == "AwsEnvironment"


def test_aws_spec_rules_policy_checks_and_replacement_keys_load_without_the_aws_sdk() -> None:
    code = (
        "import sys; from aimodel_infra.registry import REGISTRY; from aimodel_infra.spec import Cloud;"
        "e = REGISTRY[Cloud.AWS]; e.spec_rules(); e.policy_checks(); assert e.replacement_keys();"
        "print(sorted(m for m in sys.modules if m.startswith('pulumi')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
