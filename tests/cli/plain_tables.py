"""Reading back the plain-text tables that commands print to a pipe (what the CLI tests capture).

Columns are found from the dashed rule under the header, so a cell holding single spaces
(``8 x H100``) or nothing at all is read whole; a table ends at the empty line after it.
"""

from __future__ import annotations

import re


def spans(rule: str) -> list[tuple[int, int]]:
    """Where each column sits: the runs of dashes in the rule line."""
    return [match.span() for match in re.finditer(r"-+", rule)]


def cells(stdout: str, title: str) -> list[list[str]]:
    """The header and then each data row of the table titled ``title``, as lists of cells."""
    lines = stdout.splitlines()
    start = lines.index(title)
    header, rule = lines[start + 1], lines[start + 2]
    assert set(rule) == {"-", " "}, f"no dashed rule under the header of {title!r}: {rule!r}"
    columns = spans(rule)
    rows = [[header[a:b].strip() for a, b in columns]]
    for line in lines[start + 3 :]:
        if not line or any(line[b : b + 2].strip() for _, b in columns[:-1] if b < len(line)):
            break  # the empty line after the table, or the caption (text across the column gaps)
        rows.append([line[a:b].strip() for a, b in columns])
    return rows


def table(stdout: str, title: str) -> list[dict[str, str]]:
    """The data rows of the table titled ``title``, each as {header: cell}; a caption is not a row."""
    header, *rows = cells(stdout, title)
    return [dict(zip(header, row, strict=True)) for row in rows]
