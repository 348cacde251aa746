#!/usr/bin/env python3
"""Which stacks a change touches, as the JSON list the preview workflow's matrix reads.

Reads changed paths (``git diff --name-only BASE...HEAD``), one per line, on stdin, and prints
the stack names to preview: a changed ``stacks/Pulumi.<name>.yaml`` previews that stack; a change
to anything that builds or prices every stack (the package, Pulumi.yaml, pyproject.toml, the
policy pack, this workflow) previews them all; documentation alone previews none. A stack the
change deletes is not previewed (there is nothing to build), and ``--all`` prints every stack.

    git diff --name-only origin/main...HEAD | python3 .ci/changed-stacks.py
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STACK_FILE = re.compile(r"^stacks/Pulumi\.(?P<name>[^/]+)\.yaml$")
#: Paths that change no stack's resources or cost.
NO_STACK = re.compile(r"(\.md$|^docs/|^tests/|^benchmarks/|^LICENSE|^\.gitignore$)")


def stacks_in(root: Path) -> list[str]:
    return sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in (root / "stacks").glob("Pulumi.*.yaml"))


def changed_stacks(paths: list[str], existing: list[str]) -> list[str]:
    """The stacks to preview for these changed paths, in the order of ``existing``."""
    wanted: set[str] = set()
    for path in (p.strip() for p in paths):
        if not path:
            continue
        match = STACK_FILE.match(path)
        if match:
            wanted.add(match["name"])
        elif not NO_STACK.search(path):
            return list(existing)
    return [name for name in existing if name in wanted]


def main(argv: list[str]) -> int:
    existing = stacks_in(ROOT)
    stacks = existing if "--all" in argv else changed_stacks(sys.stdin.read().splitlines(), existing)
    print(json.dumps(stacks))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
