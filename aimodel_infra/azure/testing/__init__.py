"""Realistic offline answers for azure-native resources and invokes (used by ``DefaultMocks``)."""

from aimodel_infra.azure.testing.invokes import AZURE_INVOKES
from aimodel_infra.azure.testing.state import AZURE_RESOURCES, SUBSCRIPTION_ID, autoname

__all__ = ["AZURE_INVOKES", "AZURE_RESOURCES", "SUBSCRIPTION_ID", "autoname"]
