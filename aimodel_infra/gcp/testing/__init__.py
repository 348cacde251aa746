"""GCP test support: mock answers for ``gcp:`` resources and invokes (no SDK import)."""
