"""The registry: one line per cloud, each naming its support descriptor; the cloud's own limits
reported by validate."""

from __future__ import annotations

import pytest

from aimodel_infra.catalog import default_catalog
from aimodel_infra.errors import SpecError
from aimodel_infra.registry import REGISTRY, CloudNotSupported, builders, environment_class, spec_problems, support
from aimodel_infra.spec import Cloud, load_spec, parse_environment

AWS_LIMITS = {
    "name": "limits",
    "cloud": "aws",
    "region": "us-east-1",
    "network": {"cidr": "10.0.0.0/12", "nat": "none"},
    "buckets": [{"name": "logs", "purpose": "logs", "lifecycle": {"cold_after_days": 7}}],
}


def test_every_cloud_has_exactly_one_registry_entry_describing_it() -> None:
    assert set(REGISTRY) == set(Cloud)
    for cloud in Cloud:
        assert support(cloud).cloud is cloud


def test_validation_reports_aws_limits_with_their_field_paths() -> None:
    with pytest.raises(SpecError) as error:
        parse_environment(AWS_LIMITS)
    paths = {p.path for p in error.value.problems}
    assert paths == {"network.cidr", "network.nat", "buckets[0].lifecycle.cold_after_days"}


@pytest.mark.parametrize("stack", ["aws-dev", "gcp-dev", "azure-dev"])
def test_example_stacks_are_within_their_clouds_limits(stack: str) -> None:
    env = load_spec(stack)
    assert spec_problems(env, default_catalog()) == []


def test_a_cloud_without_a_builder_fails_with_a_message_naming_the_ones_that_exist() -> None:
    missing = [cloud for cloud in Cloud if cloud not in builders()]
    for cloud in missing:
        with pytest.raises(CloudNotSupported, match="builders exist for: .*aws"):
            environment_class(cloud)


def test_aws_entry_resolves_to_the_aws_environment_component() -> None:
    assert environment_class(Cloud.AWS).__name__ == "AwsEnvironment"
