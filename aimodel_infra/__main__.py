"""``python -m aimodel_infra``: the same command line as ``aimodel-infra``."""

from aimodel_infra.cli import console_main

if __name__ == "__main__":
    console_main()
