"""Which input changes replace a gcp resource instead of updating it (for `diff`).

Empty until the gcp builder creates resources.
"""

from collections.abc import Mapping

REPLACED_ON_CHANGE: Mapping[str, frozenset[str]] = {}
