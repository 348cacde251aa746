"""``python -m aimodel_infra``: the same command line as ``aimodel-infra``."""

from aimodel_infra.cli import main

if __name__ == "__main__":
    main()
