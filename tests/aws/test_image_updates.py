"""A new Deep Learning AMI does not roll the batch fleet during an unrelated `pulumi up`."""

from __future__ import annotations

import pytest

from aimodel_infra.preview import record_environment
from aimodel_infra.spec import load_spec

LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"


def batch_template(image: str | None = None, updates: str | None = None):
    env = load_spec("aws-dev")
    (group,) = env.autoscaling_groups
    update = {k: v for k, v in {"image": image, "image_updates": updates}.items() if v is not None}
    group = group.model_validate({**group.model_dump(), **update})
    graph = record_environment(env.model_copy(update={"autoscaling_groups": [group]}))
    return graph.one(LAUNCH_TEMPLATE, "aws-dev-batch-lt")


def test_by_default_the_deep_learning_image_is_held_until_asked() -> None:
    assert "imageId" in batch_template().ignore_changes


def test_follow_latest_lets_the_next_up_move_to_the_newest_image() -> None:
    assert "imageId" not in batch_template(updates="follow-latest").ignore_changes


@pytest.mark.parametrize("image", ["ami-0123456789abcdef0"])
def test_an_explicit_image_changes_only_when_the_spec_does(image: str) -> None:
    template = batch_template(image=image)
    assert "imageId" not in template.ignore_changes
    assert template.inputs["imageId"] == image
