"""Which AMI a GPU autoscaling group boots, decided from the spec's ``image`` without any SDK.

Pure so that ``aimodel-infra validate`` can reject an image the AWS builder would refuse.
"""

# No ``from __future__ import annotations``: typing.NamedTuple compiles each string annotation into a
# ForwardRef when the class is created, ~10 us per field on every cold start of ``validate`` and ``cost``.
import re
from typing import NamedTuple

from aimodel_infra.errors import Problem, SpecError

#: AWS Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04), x86_64: the public SSM
#: parameter AWS keeps pointing at the latest release (DLAMI release notes, "Query AMI-ID").
DEEP_LEARNING_AMI_PARAMETER = (
    "/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id"
)
DEEP_LEARNING_IMAGE = "deep-learning"
RESOLVE_SSM_PREFIX = "resolve:ssm:"
#: AMI ids are ``ami-`` and 8 or 17 hex digits (EC2 API reference, "Resource IDs").
AMI_ID = re.compile(r"ami-[0-9a-f]{8,17}")
#: SSM parameter names start with '/' and hold no whitespace.
SSM_PARAMETER = re.compile(r"/\S+")


class ImageSource(NamedTuple):
    """Where the AMI comes from.

    ``template_image`` goes into the launch template as is (None: use ``parameter``'s value, read
    at deploy time); ``parameter`` is the SSM parameter read at deploy time (to get the AMI id, or
    for a ``resolve:ssm:`` image only to learn the image's root device name).
    """

    template_image: str | None
    parameter: str | None


def image_source(image: str, path: str = "autoscaling_groups[?].image") -> ImageSource:
    if image == DEEP_LEARNING_IMAGE:
        return ImageSource(template_image=None, parameter=DEEP_LEARNING_AMI_PARAMETER)
    parameter = image.removeprefix(RESOLVE_SSM_PREFIX)
    if image.startswith(RESOLVE_SSM_PREFIX) and SSM_PARAMETER.fullmatch(parameter):
        return ImageSource(template_image=image, parameter=parameter)
    if AMI_ID.fullmatch(image):
        return ImageSource(template_image=image, parameter=None)
    raise SpecError(
        [
            Problem(
                path,
                f"{image!r} is not a valid aws image; use 'deep-learning' or ami-<hex> or resolve:ssm:/<parameter>",
            )
        ]
    )
