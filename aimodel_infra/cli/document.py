"""What reports are made of before anything draws them: lines of text, tables, layouts, trees.

The report builders (:mod:`aimodel_infra.cli.render`, :mod:`aimodel_infra.cli.render_preview`)
return these, and one of two writers draws them: :mod:`aimodel_infra.cli.terminal` with rich on a
terminal (colour, and the richest layout that fits its width), :mod:`aimodel_infra.cli.plain` as
plain aligned text everywhere else (pipes, files, CI logs, editors). The facts are built once, so
both forms say the same (tests/cli/test_plain.py holds their words equal). Nothing here imports
rich: importing it and drawing with it was a fifth of ``cost``'s cold start, for output that a
pipe receives without colour or width anyway.

The names and arguments follow rich's (``Text(text, style=...)``, ``Table.add_column(header,
justify=...)``, ``Tree.add``), a small subset of them, so a builder reads like rich code. Styles are
rich style strings ("bold red"); the plain writer drops them. Plain slotted classes, not NamedTuples
or dataclasses: ``cost`` defines them on every cold start (see README, Development).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias


class Text:
    """A line (or lines) of text, in a rich style on a terminal."""

    __slots__ = ("text", "style")

    def __init__(self, text: str, style: str = "") -> None:
        self.text = text
        self.style = style

    @property
    def plain(self) -> str:
        return self.text


#: A table cell: a string, or Text for a styled one.
Cell: TypeAlias = "str | Text"


class Column:
    """One column: its header and how its cells sit (rich's justify, no_wrap, max_width, overflow)."""

    __slots__ = ("header", "justify", "no_wrap", "max_width", "overflow")

    def __init__(self, header: str, justify: str = "left", no_wrap: bool = False) -> None:
        self.header = header
        self.justify = justify
        self.no_wrap = no_wrap
        #: A terminal narrows this column to the width and folds or cuts what does not fit.
        self.max_width: int | None = None
        self.overflow = "ellipsis"


class Row:
    __slots__ = ("cells", "style")

    def __init__(self, cells: tuple[Cell, ...], style: str = "") -> None:
        self.cells = cells
        self.style = style


class Table:
    """A titled table with an optional caption under it; every table has a bold header row."""

    __slots__ = ("title", "columns", "rows", "caption")

    def __init__(self, title: str = "") -> None:
        self.title = title
        self.columns: list[Column] = []
        self.rows: list[Row] = []
        self.caption = ""

    def add_column(self, header: str, justify: str = "left", no_wrap: bool = False) -> None:
        self.columns.append(Column(header, justify, no_wrap))

    def add_row(self, *cells: Cell, style: str = "") -> None:
        if len(cells) != len(self.columns):
            raise ValueError(f"a row of {len(cells)} cells in a table of {len(self.columns)} columns")
        self.rows.append(Row(cells, style))


class Stack:
    """Several parts drawn one under the other, as one (a layout can be a list of lines)."""

    __slots__ = ("parts",)

    def __init__(self, parts: Sequence[Renderable]) -> None:
        self.parts = parts


class Fitted:
    """Several layouts of the same facts, richest first: a terminal shows the first that fits its
    width without cutting a word, down to the last (which must fit anything); plain text, which no
    width limits, shows the first."""

    __slots__ = ("layouts",)

    def __init__(self, *layouts: Renderable) -> None:
        if not layouts:
            raise ValueError("Fitted needs at least one layout")
        self.layouts = layouts


class Tree:
    """A labelled node with children (the preview's resource tree)."""

    __slots__ = ("label", "children")

    def __init__(self, label: Text) -> None:
        self.label = label
        self.children: list[Tree] = []

    def add(self, label: Text) -> Tree:
        child = Tree(label)
        self.children.append(child)
        return child


Renderable: TypeAlias = "str | Text | Table | Stack | Fitted | Tree"
