"""CSV cells that a spreadsheet shows as text, never runs as a formula.

Our CSV downloads for people (statistics, takedown figures) carry text that reporters or the
internet chose, such as host names. A spreadsheet that opens such a file evaluates a cell that
begins with `=`, `+`, `-` or `@` (and, in some, a tab or carriage return) as a formula, which
can fetch URLs or run commands on the reader's machine ("CSV injection"). A leading apostrophe
makes the spreadsheet show the cell as the text it is. The lists' CSV feeds, read by
programs, carry values exactly as their JSON does and do not use this (see
`turntide.api.formats`).

Only text that begins so changes. Numbers, hex digests, ISO dates and codes come out as
they were, and so does text that is just a signed decimal number, which a spreadsheet reads
as that number and nothing more:

>>> spreadsheet_safe('=HYPERLINK("http://evil.example/","click")')
'\\'=HYPERLINK("http://evil.example/","click")'
>>> spreadsheet_safe("@SUM(A1:A2)"), spreadsheet_safe("\\tcmd")
("'@SUM(A1:A2)", "'\\tcmd")
>>> spreadsheet_safe("-2+3+cmd|' /C calc'!A0")
"'-2+3+cmd|' /C calc'!A0"
>>> spreadsheet_safe("host.example"), spreadsheet_safe("2026-11-26"), spreadsheet_safe("")
('host.example', '2026-11-26', '')
>>> spreadsheet_safe(-12), spreadsheet_safe(-1.5), spreadsheet_safe(None)
(-12, -1.5, None)
>>> spreadsheet_safe("-1.50"), spreadsheet_safe("+3")
('-1.50', '+3')
>>> spreadsheet_row(["added", 7, "+44 20 7946 0000"])
['added', 7, "'+44 20 7946 0000"]
>>> list(csv_lines([["a", "=1+1"], [2, "x,y"]]))
["a,'=1+1\\r\\n", '2,"x,y"\\r\\n']
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator

__all__ = ["FORMULA_STARTS", "csv_lines", "spreadsheet_row", "spreadsheet_safe"]

# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_SIGNED_DECIMAL = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def spreadsheet_safe[T](value: T) -> T | str:
    """`value`, with an apostrophe before text a spreadsheet would run as a formula."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _SIGNED_DECIMAL.fullmatch(value)
    ):
        return "'" + value
    return value


def spreadsheet_row(cells: Iterable[object]) -> list[object]:
    """A CSV row with every cell made `spreadsheet_safe`."""
    return [spreadsheet_safe(cell) for cell in cells]


def csv_lines(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """Each row as one line of CSV text, cells made `spreadsheet_safe`: for downloads and
    files streamed a row at a time, whatever their length."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(spreadsheet_row(row))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
