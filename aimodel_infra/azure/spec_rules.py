"""What Azure would refuse in a spec that is otherwise valid, checked without any SDK."""

from __future__ import annotations

import re

from aimodel_infra.catalog import Catalog
from aimodel_infra.errors import Problem
from aimodel_infra.spec.checks import physical_bucket_prefix
from aimodel_infra.spec.models import Environment

#: An image resource id, or a Marketplace image URN publisher:offer:sku:version.
IMAGE = re.compile(r"(/subscriptions/.+/providers/Microsoft\.Compute/.+|[^:\s]+:[^:\s]+:[^:\s]+:[^:\s]+)", re.I)
IMAGE_FORMS = "an image resource id (/subscriptions/...) or a publisher:offer:sku:version URN"


def azure_problems(env: Environment, catalog: Catalog) -> list[Problem]:
    problems = []
    for i, group in enumerate(env.autoscaling_groups):
        if group.image != "deep-learning" and not IMAGE.fullmatch(group.image):
            problems.append(
                Problem(
                    f"autoscaling_groups[{i}].image",
                    f"{group.image!r} is not a valid azure image; use 'deep-learning' or {IMAGE_FORMS}",
                )
            )
    for i, bucket in enumerate(env.buckets):
        prefix = physical_bucket_prefix(env, bucket)
        if "--" in prefix:
            # The bucket name cannot hold '--', but the environment name in front of it can.
            problems.append(
                Problem(f"buckets[{i}].name", f"'{prefix}' has '--'; Azure container names allow only single hyphens")
            )
    return problems
