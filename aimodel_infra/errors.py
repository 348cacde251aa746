"""The project's own errors: every input problem becomes one of these, never a traceback.

The CLI and the Pulumi program catch :class:`AimodelError` in one place each and turn it into
a message and exit code 1, so anything raised as one must already read well to a user.
"""

# No ``from __future__ import annotations``: typing.NamedTuple compiles each string annotation into a
# ForwardRef when the class is created, ~10 us per field on every cold start of ``validate`` and ``cost``.
from collections.abc import Iterable
from typing import NamedTuple


def close_matches(word: str, choices: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The "did you mean" candidates for a bad value (:func:`difflib.get_close_matches`).

    difflib is imported here, on first use: only bad input needs it, and the cold start of
    ``validate`` skips it.
    """
    import difflib

    return difflib.get_close_matches(word, list(choices), n=n, cutoff=cutoff)


def printable(text: str) -> str:
    """``text`` safe to print and to put in JSON: bytes that were not UTF-8 (a file name from the OS,
    decoded with surrogate escapes) become ``\\xff`` escapes instead of an UnicodeEncodeError later."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


class Problem(NamedTuple):
    """One thing wrong with the input, located by its path in the document (``node_pools[0].max_nodes``)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class AimodelError(Exception):
    """Base of every error that is the user's input, not our bug."""


class SpecError(AimodelError):
    """The environment spec is invalid; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem], source: str | None = None) -> None:
        self.problems = [Problem(printable(p.path), printable(p.message)) for p in problems]
        self.source = printable(source) if source is not None else None
        super().__init__(self.render())

    def render(self) -> str:
        where = f" in {self.source}" if self.source else ""
        count = len(self.problems)
        lines = [f"invalid environment spec{where} ({count} problem{'s' if count != 1 else ''}):"]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)


class CatalogError(AimodelError):
    """A catalog file is unreadable or a lookup cannot be answered."""
