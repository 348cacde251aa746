"""GCP: spec rules, prices and (with the builder) a GKE environment from the same spec."""
