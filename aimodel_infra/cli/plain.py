"""Reports as plain text, for everything that is not a terminal: pipes, files, CI logs, editors.

One row per line, columns aligned and separated by two spaces, a dashed rule under each header and
an empty line after each table; no colour, no box drawing and no wrapping, so ``grep``, ``diff`` and
a log viewer see whole rows, and a table never changes shape with someone's ``COLUMNS``. Drawn
straight from :mod:`aimodel_infra.cli.document`, the same facts a terminal gets from rich, without
importing rich (a fifth of the cold start of ``cost``, which CI and editors run on every change).
``--json`` remains the form for programs.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Sequence

from aimodel_infra.cli import document

GAP = "  "
#: The guides rich draws a tree with, so a piped preview's tree reads like the terminal's.
BRANCH, LAST, PIPE, SPACE = "├── ", "└── ", "│   ", "    "


def to_plain(renderables: Iterable[document.Renderable]) -> str:
    """The text of the renderables, one after the other, each line ending in a newline."""
    return "".join(f"{line}\n" for node in renderables for line in lines_of(node))


def lines_of(node: document.Renderable) -> Iterator[str]:
    if isinstance(node, str):
        yield from node.split("\n")
    elif isinstance(node, document.Text):
        yield from node.text.split("\n")
    elif isinstance(node, document.Table):
        yield from _table_lines(node)
    elif isinstance(node, document.Stack):
        for part in node.parts:
            yield from lines_of(part)
    elif isinstance(node, document.Fitted):
        yield from lines_of(node.layouts[0])  # the richest: nothing limits a pipe's width
    elif isinstance(node, document.Tree):
        yield node.label.text
        yield from _tree_lines(node, "")
    else:
        raise TypeError(f"cannot write {type(node).__name__}")


def width(text: str) -> int:
    """Columns the text takes in a monospaced font: East Asian wide and full-width characters take two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _cell_lines(cell: document.Cell) -> list[str]:
    return (cell.text if isinstance(cell, document.Text) else cell).split("\n")


def _aligned(cells: Sequence[str], widths: Sequence[int], columns: Sequence[document.Column]) -> str:
    padded = []
    for text, size, column in zip(cells, widths, columns, strict=True):
        fill = " " * (size - width(text))
        padded.append(fill + text if column.justify == "right" else text + fill)
    return GAP.join(padded).rstrip()


def _table_lines(table: document.Table) -> Iterator[str]:
    """Title, header, a dashed rule, each row (a cell of several lines makes a row that tall), the
    caption, and an empty line that ends the table for a reader and for a script."""
    rows = [[_cell_lines(cell) for cell in row.cells] for row in table.rows]
    widths = [
        max([width(column.header), *(width(line) for row in rows for line in row[index])])
        for index, column in enumerate(table.columns)
    ]
    if table.title:
        yield table.title
    yield _aligned([column.header for column in table.columns], widths, table.columns)
    yield GAP.join("-" * size for size in widths)
    for row in rows:
        for depth in range(max((len(lines) for lines in row), default=1)):
            cells = [lines[depth] if depth < len(lines) else "" for lines in row]
            yield _aligned(cells, widths, table.columns)
    if table.caption:
        yield table.caption
    yield ""


def _tree_lines(node: document.Tree, indent: str) -> Iterator[str]:
    for index, child in enumerate(node.children):
        last = index == len(node.children) - 1
        yield f"{indent}{LAST if last else BRANCH}{child.label.text}"
        yield from _tree_lines(child, indent + (SPACE if last else PIPE))
