"""Text rules of the spec said in words: which characters a value may hold, and how to show a bad one.

A name typed with a Unicode hyphen (``us‐east‐1``), a full-width letter, a zero-width space or a
right-to-left mark looks right in an editor and a terminal, so a message that only says "invalid"
leaves the user staring at what seems to be the correct text. Every message about such a value
names the character (``U+2010 HYPHEN at position 3``). Everything here is linear in the length
of the text: a spec string is bounded, but a check must not be the slow part of a long one.
"""

from __future__ import annotations

import unicodedata
from typing import Any

#: Characters no spec value may hold, even free text: they change how the text is displayed
#: (bidirectional overrides, the "Trojan Source" trick) or are invisible.
_INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u061c\u00ad"  # zero-width, marks, BOM, soft hyphen
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # bidirectional embeddings and isolates
)


def character_name(char: str) -> str:
    """``U+2010 HYPHEN``: how a message shows a character a reader cannot see or tell apart."""
    name = unicodedata.name(char, "") or {"\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\t": "TAB"}.get(char, "")
    return f"U+{ord(char):04X} {name}".rstrip()


def first_unusual(text: str, *, allow_unicode: bool = False) -> tuple[int, str] | None:
    """The position and character of the first character a spec identifier must not hold.

    Identifiers (names, regions, ids, keys) are printable ASCII; free text (``allow_unicode``) may
    hold any printable character but no control, invisible or direction-changing one.
    """
    for index, char in enumerate(text):
        if char in _INVISIBLE or unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            return index, char
        if not allow_unicode and not (" " <= char <= "~"):
            return index, char
    return None


def unusual_character_message(text: str, *, allow_unicode: bool = False) -> str | None:
    """``contains U+2010 HYPHEN at position 3 (...)``, or None when every character is allowed."""
    found = first_unusual(text, allow_unicode=allow_unicode)
    if found is None:
        return None
    index, char = found
    kind = "a character that is invisible or changes text direction" if allow_unicode else "only ASCII is allowed"
    hint = f"; did you mean '{_ascii_look_alike(char)}'?" if _ascii_look_alike(char) else ""
    return f"contains {character_name(char)} at position {index + 1} ({kind}; retype it){hint}"


def _ascii_look_alike(char: str) -> str | None:
    """The ASCII character a look-alike stands for (full-width forms, Unicode hyphens and dashes)."""
    folded = unicodedata.normalize("NFKC", char)
    if len(folded) == 1 and " " < folded <= "~" and folded != char:
        return folded
    if unicodedata.category(char) == "Pd":  # dash punctuation: hyphens, en and em dashes
        return "-"
    return None


def echo(value: Any, limit: int = 80) -> str:
    """A bad value as a message shows it: ``repr`` (so invisible characters show as escapes), cut to
    ``limit`` characters with its length said, so a megabyte of input gives a line, not a megabyte."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]!r}... ({len(value)} characters)"
    text = repr(value)
    return text if len(text) <= limit + 2 else f"{text[:limit]}... ({len(text)} characters)"


def is_dns_subdomain(text: str) -> bool:
    """RFC 1123 subdomain, as Kubernetes requires of a label key's prefix: at most 253 characters,
    dot-separated parts of lowercase letters, digits and inner hyphens, each starting and ending
    with a letter or digit (so no empty part: no leading, trailing or double dot)."""
    if not 1 <= len(text) <= 253:
        return False
    return all(_is_dns_label(part) for part in text.split("."))


def _is_dns_label(part: str) -> bool:
    return (
        1 <= len(part) <= 63
        and part[0].isascii()
        and part[0].isalnum()
        and part[-1].isascii()
        and part[-1].isalnum()
        and all(c.isascii() and (c.islower() or c.isdigit() or c == "-") for c in part)
    )
