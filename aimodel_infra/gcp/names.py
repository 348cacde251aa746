"""Names GCP accepts, fitted deterministically (the same spec always gives the same names and URNs).

Pulumi auto-names most GCP resources ``<logical name>-<7 random characters>``; offline mocks do
not enforce the service limits, so :func:`fit_name` keeps the logical name short enough for the
physical one to fit. Service-account ids are not auto-named (``account_id`` is required) and
must be 6-30 characters (``gcp.serviceaccount.Account`` docstring): :func:`account_id` makes one.
"""

from __future__ import annotations

import hashlib
from typing import Final

#: What Pulumi's auto-naming appends: '-' and 7 random characters.
AUTONAME_SUFFIX: Final = 8
#: GKE cluster and node pool names: at most 40 characters (GKE API ``NodePool.name``; the
#: cluster-toolkit module limits pools to 36, which auto-naming keeps within).
GKE_NAME_MAX: Final = 40
#: Compute Engine resource names (instance templates, groups, autoscalers): RFC 1035, 63 characters.
COMPUTE_NAME_MAX: Final = 63
#: Service account ids: 6-30 characters, ``[a-z]([-a-z0-9]*[a-z0-9])``.
ACCOUNT_ID_MIN: Final = 6
ACCOUNT_ID_MAX: Final = 30
#: Base instance names of a managed instance group: the group appends '-' and 4 characters and the
#: result is an instance name (63); 58 keeps room.
BASE_INSTANCE_NAME_MAX: Final = 58
_DIGEST: Final = 6


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:_DIGEST]


def fit_name(base: str, suffix: str, max_physical: int, autoname_suffix: int = AUTONAME_SUFFIX) -> str:
    """``<base>-<suffix>``, with ``base`` cut and tagged with a short hash when the physical name
    (plus the auto-naming suffix) would not fit in ``max_physical`` characters."""
    name = f"{base}-{suffix}" if suffix else base
    if len(name) + autoname_suffix <= max_physical:
        return name
    tail = f"-{suffix}" if suffix else ""
    room = max_physical - autoname_suffix - len(tail) - _DIGEST - 1
    if room < 1:
        raise ValueError(f"suffix {suffix!r} leaves no room for a name within {max_physical} characters")
    return f"{base[:room].rstrip('-')}-{_digest(name)}{tail}"


def account_id(environment: str, purpose: str) -> str:
    """A service-account id ``<environment>-<purpose>`` within 6-30 characters (hashed when longer)."""
    name = fit_name(environment, purpose, ACCOUNT_ID_MAX, autoname_suffix=0)
    if len(name) < ACCOUNT_ID_MIN:
        name = f"{name}-{_digest(name)}"[:ACCOUNT_ID_MAX]
    return name
