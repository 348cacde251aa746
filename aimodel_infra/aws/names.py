"""The AWS name limits of what this package auto-names; the shortening itself is shared.

Pulumi names an AWS resource ``<logical name>-<7 random characters>`` and refuses to deploy when
that exceeds the service's limit ("name '...' plus 7 random chars is longer than maximum length
63"). Offline mocks truncate instead, so the failure would first show at ``pulumi up``. With a
20-character environment and a 32-character pool name, names like ``<env>-<pool>-on-demand``
pass the limit of EKS node groups (63) and IAM roles (64); :func:`fit_name`
(:mod:`aimodel_infra.plan.naming`) shortens those deterministically and keeps the meaningful suffix.
"""

from __future__ import annotations

from typing import Final

from aimodel_infra.plan.naming import AUTONAME_SUFFIX, fit_name

#: Longest physical names AWS accepts, per resource kind this package auto-names.
IAM_ROLE_MAX: Final = 64
NODE_GROUP_MAX: Final = 63
EKS_CLUSTER_MAX: Final = 100
LAUNCH_TEMPLATE_MAX: Final = 128

__all__ = ["AUTONAME_SUFFIX", "EKS_CLUSTER_MAX", "IAM_ROLE_MAX", "LAUNCH_TEMPLATE_MAX", "NODE_GROUP_MAX", "fit_name"]
