"""Names GCP accepts, fitted deterministically (the same spec always gives the same names and URNs).

Pulumi auto-names most GCP resources ``<logical name>-<7 random characters>``; offline mocks do
not enforce the service limits, so :func:`fit_name` keeps the logical name short enough for the
physical one to fit. Service-account ids are not auto-named (``account_id`` is required) and
must be 6-30 characters (``gcp.serviceaccount.Account`` docstring): :func:`account_id` makes one.
"""

from __future__ import annotations

from typing import Final

from aimodel_infra.plan.naming import AUTONAME_SUFFIX, DIGEST, digest, fit_name

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


def account_id(environment: str, purpose: str) -> str:
    """A service-account id ``<environment>-<purpose>`` within 6-30 characters (cut and hashed when longer)."""
    name = f"{environment}-{purpose}"
    if len(name) > ACCOUNT_ID_MAX:
        name = f"{name[: ACCOUNT_ID_MAX - DIGEST - 1].rstrip('-')}-{digest(name)}"
    if len(name) < ACCOUNT_ID_MIN:
        name = f"{name}-{digest(name)}"
    return name


__all__ = [
    "ACCOUNT_ID_MAX",
    "ACCOUNT_ID_MIN",
    "AUTONAME_SUFFIX",
    "BASE_INSTANCE_NAME_MAX",
    "COMPUTE_NAME_MAX",
    "GKE_NAME_MAX",
    "account_id",
    "fit_name",
]
