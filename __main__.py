"""Pulumi entry point (Pulumi.yaml runs this file): see aimodel_infra/program.py."""

from aimodel_infra.program import main

main()
