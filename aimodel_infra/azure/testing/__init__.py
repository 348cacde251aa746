"""Azure test support: mock answers for ``azure-native:`` resources and invokes (no SDK import)."""
