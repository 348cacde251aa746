"""Logical names short enough for Pulumi to auto-name the physical resource from them.

Pulumi names an AWS resource ``<logical name>-<7 random characters>`` and refuses to deploy when
that exceeds the service's limit ("name '...' plus 7 random chars is longer than maximum length
63"). Offline mocks truncate instead, so the failure would first show at ``pulumi up``. With a
20-character environment and a 32-character pool name, names like ``<env>-<pool>-on-demand``
pass the limit of EKS node groups (63) and IAM roles (64); :func:`fit_name` shortens those
deterministically (the same spec always gives the same URN) and keeps the meaningful suffix.
"""

from __future__ import annotations

import hashlib
from typing import Final

#: What auto-naming appends: '-' and 7 random characters.
AUTONAME_SUFFIX: Final = 8
#: Longest physical names AWS accepts, per resource kind this package auto-names.
IAM_ROLE_MAX: Final = 64
NODE_GROUP_MAX: Final = 63
EKS_CLUSTER_MAX: Final = 100
LAUNCH_TEMPLATE_MAX: Final = 128
_DIGEST: Final = 6


def fit_name(base: str, suffix: str, max_physical: int) -> str:
    """``<base>-<suffix>``, with ``base`` cut and tagged with a short hash when the auto-named
    physical name would not fit in ``max_physical`` characters."""
    name = f"{base}-{suffix}" if suffix else base
    if len(name) + AUTONAME_SUFFIX <= max_physical:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:_DIGEST]
    tail = f"-{suffix}" if suffix else ""
    room = max_physical - AUTONAME_SUFFIX - len(tail) - _DIGEST - 1
    if room < 1:
        raise ValueError(f"suffix {suffix!r} leaves no room for a name within {max_physical} characters")
    return f"{base[:room].rstrip('-')}-{digest}{tail}"
