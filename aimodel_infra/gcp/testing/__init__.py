"""Offline answers for the GCP builder: resource states and invokes, as the GCP APIs would give them.

Mock tables only (they import Pulumi's mock types, never ``pulumi_gcp``): :mod:`.state`,
:mod:`.invokes`, and :data:`.tables.MOCK_TABLES`, which ``DefaultMocks`` uses for ``gcp:`` tokens.
"""
