"""Reports on a terminal: :mod:`aimodel_infra.cli.document` drawn with rich.

Colour follows rich's own rules (none under ``NO_COLOR``); each :class:`~aimodel_infra.cli.document.Fitted`
shows the richest of its layouts that fits the terminal's width without cutting a word. Data strings
(names, notes, fee sources) become rich Text, never markup, so a ``[`` in a note cannot restyle the
output, and no ``:emoji:`` code is replaced (nor rich's emoji table loaded).
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable

from rich import table as rich_table
from rich import text as rich_text
from rich import tree as rich_tree
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment

from aimodel_infra.cli import document

#: Width when rich draws for something it does not count as a terminal (``to_text`` in tests; IDLE or
#: Jupyter): wide enough that the cost table's full layout (Azure's long instance types) is kept.
PIPE_WIDTH = 200
#: What rich puts where it cuts a word; a layout whose rendering holds one does not fit.
ELLIPSIS = "…"


def console() -> Console:
    """The stdout console: rich's terminal and NO_COLOR detection, wide when not a terminal."""
    out = Console(markup=False, highlight=False, emoji=False)
    if not out.is_terminal and "COLUMNS" not in os.environ:
        out.width = PIPE_WIDTH
    return out


def print_all(renderables: Iterable[document.Renderable]) -> None:
    out = console()
    for renderable in renderables:
        out.print(to_rich(renderable))


def to_text(renderables: Iterable[document.Renderable], width: int = PIPE_WIDTH) -> str:
    """What a terminal of ``width`` columns shows, without colour (for tests and snapshots)."""
    buffer = io.StringIO()
    out = Console(file=buffer, width=width, markup=False, highlight=False, emoji=False, color_system=None)
    for renderable in renderables:
        out.print(to_rich(renderable))
    return buffer.getvalue()


def to_rich(node: document.Renderable) -> RenderableType:
    if isinstance(node, str):
        return node
    if isinstance(node, document.Text):
        return _text(node)
    if isinstance(node, document.Table):
        return _table(node)
    if isinstance(node, document.Stack):
        return Stack([to_rich(part) for part in node.parts])
    if isinstance(node, document.Fitted):
        return Fitted(*(to_rich(layout) for layout in node.layouts))
    if isinstance(node, document.Tree):
        return _tree(node, rich_tree.Tree(_text(node.label)))
    raise TypeError(f"cannot draw {type(node).__name__}")


def _text(node: document.Text) -> rich_text.Text:
    return rich_text.Text(node.text, style=node.style)


def _cell(cell: document.Cell) -> RenderableType:
    return _text(cell) if isinstance(cell, document.Text) else cell


def _table(node: document.Table) -> rich_table.Table:
    table = rich_table.Table(
        title=node.title or None, title_justify="left", header_style="bold",
        caption=node.caption or None, caption_justify="left",
    )  # fmt: skip
    for column in node.columns:
        table.add_column(
            column.header, justify=column.justify, no_wrap=column.no_wrap,  # type: ignore[arg-type]
            max_width=column.max_width, overflow=column.overflow,  # type: ignore[arg-type]
        )  # fmt: skip
    for row in node.rows:
        table.add_row(*(_cell(cell) for cell in row.cells), style=row.style or None)
    return table


def _tree(node: document.Tree, branch: rich_tree.Tree) -> rich_tree.Tree:
    for child in node.children:
        _tree(child, branch.add(_text(child.label)))
    return branch


class Fitted:
    """The first of several layouts of the same facts that fits the width without cutting a word.

    Money figures, instance types and verdicts are single words in their cells, so a table whose
    minimum width fits shows each of them whole; narrower terminals get the next, leaner layout
    (fewer columns, then one block per row). The last layout must fit anything.
    """

    def __init__(self, *layouts: RenderableType) -> None:
        self.layouts = layouts

    def _first_fitting(self, console: Console, options: ConsoleOptions) -> tuple[RenderableType, list[Segment]]:
        """The layout to show and its rendering at these options (empty for the last, which fits anything).

        Tried, not measured: rich's measurement of a table can say it fits while rendering then
        squeezes a column and cuts a word with an ellipsis. The trial is rendered with the real
        console and options, so a layout that fits is printed from that very rendering, not a second.
        """
        for layout in self.layouts[:-1]:
            segments = list(console.render(layout, options))
            if not any(ELLIPSIS in segment.text for segment in segments):
                return layout, segments
        return self.layouts[-1], []

    def choose(self, console: Console, width: int) -> RenderableType:
        return self._first_fitting(console, console.options.update_width(width))[0]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        layout, segments = self._first_fitting(console, options)
        if segments:
            yield from segments
        else:
            yield layout

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.choose(console, options.max_width))


class Stack:
    """Several renderables as one."""

    def __init__(self, parts: list[RenderableType]) -> None:
        self.parts = parts

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.parts

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, options.max_width)
