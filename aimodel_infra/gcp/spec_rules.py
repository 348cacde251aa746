"""What GCP would refuse in a spec that is otherwise valid, checked without any SDK."""

from __future__ import annotations

import re

from aimodel_infra.catalog import Catalog
from aimodel_infra.errors import Problem
from aimodel_infra.spec.checks import physical_bucket_prefix
from aimodel_infra.spec.models import Environment

#: Compute Engine image references: a global image or an image family of a project.
IMAGE = re.compile(r"projects/[a-z][-a-z0-9]*/global/images/(family/)?[a-z][-a-z0-9]*")
IMAGE_FORMS = "projects/<project>/global/images/<image> or .../images/family/<family>"


def gcp_problems(env: Environment, catalog: Catalog) -> list[Problem]:
    problems = []
    for i, group in enumerate(env.autoscaling_groups):
        if group.image != "deep-learning" and not IMAGE.fullmatch(group.image):
            problems.append(
                Problem(
                    f"autoscaling_groups[{i}].image",
                    f"{group.image!r} is not a valid gcp image; use 'deep-learning' or {IMAGE_FORMS}",
                )
            )
    for i, bucket in enumerate(env.buckets):
        prefix = physical_bucket_prefix(env, bucket)
        # Cloud Storage bucket naming: "cannot begin with the goog prefix" or contain "google".
        if "google" in prefix or prefix.startswith("goog"):
            problems.append(
                Problem(f"buckets[{i}].name", "GCS bucket names must not contain 'google' or start with 'goog'")
            )
    return problems
