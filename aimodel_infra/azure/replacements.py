"""Which input changes replace a azure resource instead of updating it (for `diff`).

Empty until the azure builder creates resources.
"""

from collections.abc import Mapping

REPLACED_ON_CHANGE: Mapping[str, frozenset[str]] = {}
