"""Pulumi policy pack entry: the aimodel-infra rules, enforced by ``pulumi preview/up --policy-pack policy``.

Each rule of :mod:`aimodel_infra.policy.rules` is one stack policy at the rule's enforcement
level, running the very checks the offline preview runs (:mod:`aimodel_infra.policy.pack` adapts
the stack's resources to the recorded graph). The environment, and so its policy exceptions,
comes from the stack's ``aimodel-infra:environment`` config, which the CLI passes to the pack.

``PolicyPack(...)`` starts a gRPC server and blocks, so it is built only when Pulumi runs this
file; importing it (tests, tools) does nothing.
"""

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    # aimodel_infra is imported from this repository rather than installed into the pack's
    # environment, so the pack always checks with the rules of the same checkout.
    sys.path.insert(0, str(REPO_ROOT))
    import pulumi_policy

    from aimodel_infra.policy.pack import PACK_NAME, build_policies

    pulumi_policy.PolicyPack(
        name=PACK_NAME,
        policies=build_policies(pulumi_policy),
        enforcement_level=pulumi_policy.EnforcementLevel.MANDATORY,
        description="aimodel-infra policy rules over the stack's real resource graph",
    )


if __name__ == "__main__":
    main()
