"""Exports that a spreadsheet opens without running anything: CSV and XLSX.

The programme team opens the pre-applications export and the unanswered-questions report
in Excel or LibreOffice, and what a visitor typed is in them. A cell a spreadsheet reads
as a formula (``=HYPERLINK(…)``, ``+cmd|…``, ``@SUM(…)``) would run there, so:

- CSV: every cell is quoted (``csv.QUOTE_ALL``), so that neither a comma, a ";" nor a line
  break splits a cell in a spreadsheet that reads the file with commas. A cell that starts
  like a formula (``= + - @``, a tab or a carriage return, also after leading spaces or
  quotes, full-width forms included) gets a leading ``'``, which spreadsheets read as
  "text". A French spreadsheet may read the file with ";" as the separator, where a cell
  begins after any ";" (or line break) of the text: a formula start there gets the same
  ``'`` (``a;=1+1`` is exported as ``a;'=1+1``), so that whichever separator it uses, no
  cell it reads begins like a formula.
- XLSX (openpyxl): every cell is stored as a string (``t="inlineStr"``, never a formula),
  with the "quote prefix" style, so that editing the cell does not turn it into a formula
  either; characters XML cannot hold (control characters) are dropped.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import IO, Any, BinaryIO, Union

# What makes Excel, LibreOffice or Google Sheets read a cell as a formula or a DDE command,
# with the full-width forms some of them accept.
FORMULA_START = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
# Characters that may precede the formula and are skipped by a spreadsheet or by a person.
LEADING_NOISE = " \t\r\n\u00a0\"'"
# A cell starting with one of these is neutralised whatever follows.
CONTROL_START = frozenset("\t\r\n")
# Where a spreadsheet may start a cell inside our text (";" for one reading with ";"), when
# a formula follows.
_NOISE = re.escape(LEADING_NOISE)
_FORMULA = re.escape("".join(sorted(FORMULA_START)))
_FORMULA_AT_A_CELL_START = re.compile(f"(^|[;\r\n])(?=[{_NOISE}]*[{_FORMULA}])")


def cell_text(value: Any) -> str:
    """The text of one cell: empty for ``None``, ``true``/``false``, ISO 8601 UTC times."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).isoformat(timespec="seconds")
    return str(value)


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula."""
    if text[:1] in CONTROL_START:
        return True
    return text.lstrip(LEADING_NOISE)[:1] in FORMULA_START


def csv_cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not run: a ``'`` before a formula start, at the start
    of the text and after each ";" or line break."""
    text = cell_text(value)
    if isinstance(value, (int, float)):
        return text  # a number (-3) is a number, not a formula
    text = _FORMULA_AT_A_CELL_START.sub(lambda found: found.group(1) + "'", text)
    if text[:1] in CONTROL_START:
        text = "'" + text
    return text


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Iterable[str], out: IO[str]) -> int:
    """Write a header and ``rows`` (every cell quoted) to ``out``; return the row count."""
    columns = tuple(columns)
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([csv_cell(row[name]) for name in columns])
        count += 1
    return count


def write_xlsx(
    rows: Iterable[Mapping[str, Any]],
    columns: Iterable[str],
    out: Union[str, BinaryIO],
    sheet: str = "export",
) -> int:
    """Write a workbook of one sheet (header, then ``rows``), every cell a string."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])

    def cell(value: Any) -> WriteOnlyCell:
        text = ILLEGAL_CHARACTERS_RE.sub("", cell_text(value))
        written = WriteOnlyCell(worksheet, value=text)
        written.data_type = "s"  # a string even when it starts with "=" (never a formula)
        written.quotePrefix = True  # and it stays one when someone edits it
        return written

    columns = tuple(columns)
    worksheet.append([cell(name) for name in columns])
    count = 0
    for row in rows:
        worksheet.append([cell(row[name]) for name in columns])
        count += 1
    workbook.save(out)
    return count
