"""The shared policy rules on gcp's recorded resources (none until the builder records any)."""

from aimodel_infra.policy.engine import CloudChecks

CHECKS = CloudChecks(cloud="gcp", checks={})
