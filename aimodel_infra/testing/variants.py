"""Spec variants for tests: an example environment document with a few fields changed."""

from __future__ import annotations

import copy
from typing import Any


def merged(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``changes`` applied: mappings merge key by key, anything else (lists too) replaces.
    A change of ``None`` sets the field to null (``cluster=None``)."""
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out
