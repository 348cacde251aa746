"""Which image a GPU VM group boots, decided from the spec's ``image`` without any SDK.

``deep-learning`` is Google's Deep Learning VM image family with CUDA 12.8 and NVIDIA driver 570
on Ubuntu 22.04 (``common-cu128-ubuntu-2204-nvidia-570`` in project
``deeplearning-platform-release``; the family referenced by many public deployments; newer
families appear with new CUDA releases). Families are resolved to one image when Pulumi deploys
(``getImage``), so a new image in the family shows as an ordinary template change in the next
diff, never as a different image at the next scale-out. An explicit image is used as given.
"""

# No ``from __future__ import annotations``: typing.NamedTuple compiles each string annotation into a
# ForwardRef when the class is created, ~10 us per field on every cold start of ``validate`` and ``cost``.
import re
from typing import Final, NamedTuple

from aimodel_infra.errors import Problem, SpecError

DEEP_LEARNING_IMAGE: Final = "deep-learning"
DLVM_PROJECT: Final = "deeplearning-platform-release"
DLVM_FAMILY: Final = "common-cu128-ubuntu-2204-nvidia-570"
IMAGE_FORMS: Final = "projects/<project>/global/images/<image> or .../images/family/<family>"
_FAMILY = re.compile(r"^projects/(?P<project>[a-z][-a-z0-9]*)/global/images/family/(?P<family>[a-z][-a-z0-9]*)$")
_IMAGE = re.compile(r"^projects/[a-z][-a-z0-9]*/global/images/[a-z][-a-z0-9]*$")


class ImageSource(NamedTuple):
    """A family to resolve at deploy time (``project``/``family``), or a fixed ``image``."""

    project: str | None = None
    family: str | None = None
    image: str | None = None


def image_source(image: str, path: str = "autoscaling_groups[?].image") -> ImageSource:
    if image == DEEP_LEARNING_IMAGE:
        return ImageSource(project=DLVM_PROJECT, family=DLVM_FAMILY)
    family = _FAMILY.match(image)
    if family:
        return ImageSource(project=family["project"], family=family["family"])
    if _IMAGE.match(image):
        return ImageSource(image=image)
    raise SpecError(
        [
            Problem(
                path,
                f"{image!r} is not a valid gcp image; use 'deep-learning' or {IMAGE_FORMS}",
            )
        ]
    )
