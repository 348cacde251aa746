"""Deprecated alias: the environment component moved to :mod:`aimodel_infra.component`, its tags
to :mod:`aimodel_infra.conventions`. Kept so existing imports keep working."""

from aimodel_infra.component import CloudEnvironment
from aimodel_infra.conventions import environment_tags

__all__ = ["CloudEnvironment", "environment_tags"]
