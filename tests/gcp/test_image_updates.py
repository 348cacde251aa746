"""A new Deep Learning VM image does not replace the group's template (and restart its VMs) by surprise."""

from __future__ import annotations

from aimodel_infra.preview import record_environment
from aimodel_infra.spec import load_spec

TEMPLATE = "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate"


def templates(updates: str | None = None):
    env = load_spec("gcp-dev")
    groups = [
        g.model_validate({**g.model_dump(), **({"image_updates": updates} if updates else {})})
        for g in env.autoscaling_groups
    ]
    graph = record_environment(env.model_copy(update={"autoscaling_groups": groups}))
    return graph.of_type(TEMPLATE)


def test_by_default_the_family_image_is_held_until_asked() -> None:
    found = templates()
    assert found and all("disks[0].sourceImage" in t.ignore_changes for t in found)


def test_follow_latest_lets_the_template_move_to_the_newest_image() -> None:
    assert all(not t.ignore_changes for t in templates("follow-latest"))
