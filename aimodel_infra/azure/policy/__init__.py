"""The shared policy rules on azure's recorded resources (none until the builder records any)."""

from aimodel_infra.policy.engine import CloudChecks

CHECKS = CloudChecks(cloud="azure", checks={})
