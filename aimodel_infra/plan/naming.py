"""Deterministic short names: the same spec always gives the same names, hence the same URNs.

Clouds cap names far below what a spec allows (AKS pools: 12 lowercase alphanumerics; Azure
storage accounts: 24; AWS IAM roles: 64 including Pulumi's auto-name suffix). Cutting a name
alone could make two different names collide, so a cut name carries a short hash of the whole.
"""

from __future__ import annotations

import hashlib
import re
from typing import Final

#: What Pulumi's auto-naming appends: '-' and 7 random characters.
AUTONAME_SUFFIX: Final = 8
DIGEST: Final = 6
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def digest(text: str, length: int = DIGEST) -> str:
    """``length`` lowercase hex characters of the SHA-256 of ``text``."""
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def fit_name(base: str, suffix: str, max_physical: int, autoname_suffix: int = AUTONAME_SUFFIX) -> str:
    """``<base>-<suffix>``, with ``base`` cut and tagged with a short hash when the auto-named
    physical name would not fit in ``max_physical`` characters."""
    name = f"{base}-{suffix}" if suffix else base
    if len(name) + autoname_suffix <= max_physical:
        return name
    tail = f"-{suffix}" if suffix else ""
    room = max_physical - autoname_suffix - len(tail) - DIGEST - 1
    if room < 1:
        raise ValueError(f"suffix {suffix!r} leaves no room for a name within {max_physical} characters")
    return f"{base[:room].rstrip('-')}-{digest(name)}{tail}"


def short_name(name: str, max_len: int, *, first_letter: bool = True) -> str:
    """``name`` as lowercase letters and digits only, at most ``max_len`` long.

    A name that already fits (after dropping other characters) is kept readable; a longer one
    is cut and ends in a hash of the whole original name, so two names that share a long prefix
    still differ. With ``first_letter`` the result starts with a letter (AKS pool names must).
    """
    if max_len < DIGEST + 1:
        raise ValueError(f"max_len {max_len} leaves no room for a {DIGEST}-character hash")
    plain = _NOT_ALNUM.sub("", name.lower())
    if first_letter and not plain[:1].isalpha():
        plain = "n" + plain
    if plain and len(plain) <= max_len and plain == name.lower():
        return plain
    head = plain[: max_len - DIGEST]
    return f"{head}{digest(name)}"[:max_len]
