"""Azure: spec rules, prices and (with the builder) an AKS environment from the same spec."""
