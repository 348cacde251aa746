"""The clouds aimodel-infra knows, written once (no dependencies: the CLI's cold start reads it)."""

from enum import StrEnum


class Cloud(StrEnum):
    AWS = "aws"
    GCP = "gcp"
    AZURE = "azure"


#: Cloud names in their documented order, for messages and CSV validation.
CLOUD_NAMES: tuple[str, ...] = tuple(c.value for c in Cloud)
