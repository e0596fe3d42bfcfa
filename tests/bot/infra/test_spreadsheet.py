"""Exports a spreadsheet opens without running anything: the files are read back with the
csv module, with openpyxl, and as the XML inside the XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from bot.infra import spreadsheet

COLUMNS = ("text", "note")

# What a visitor could type to make the programme team's spreadsheet run something.
FORMULAS = [
    '=HYPERLINK("http://evil.example","clic")',
    "+cmd|' /c calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "   +1",
    '"=1+1',
    "'=1+1",
    " '@x",
    "\u00a0=1",
    "\uff1d1+1",  # full-width equals sign
    "\n-1",
]
HARMLESS = [
    "Ouvrir les données ; des cantines",
    "a, b; c",
    'Line one\nline two, with "quotes"',
    "moi@example.org",
    "1=1",
    "",
]


def would_run(cell: str) -> bool:
    """A cell a spreadsheet reads as a formula: formula-like, and not marked as text by '."""
    return not cell.startswith("'") and spreadsheet.is_formula_like(cell)


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_like_text_is_recognised(text: str) -> None:
    assert spreadsheet.is_formula_like(text)
    assert spreadsheet.csv_cell(text).startswith("'")
    assert spreadsheet.csv_cell(text).replace("'", "") == text.replace("'", "")


@pytest.mark.parametrize("text", HARMLESS)
def test_plain_text_is_left_alone(text: str) -> None:
    assert not spreadsheet.is_formula_like(text)
    assert spreadsheet.csv_cell(text) == text


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("a;=1+1", "a;'=1+1"),
        ('x; "@SUM(A1)', "x;' \"@SUM(A1)"),
        ("une ligne\n-1", "une ligne\n'-1"),
        ("=1;+2", "'=1;'+2"),
        ("\tnothing", "'\tnothing"),
        ("a; b", "a; b"),
    ],
)
def test_a_formula_after_a_semicolon_or_a_line_break_is_neutralised(text: str, cell: str) -> None:
    assert spreadsheet.csv_cell(text) == cell


def test_values_become_text() -> None:
    when = dt.datetime(2026, 3, 1, 13, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert spreadsheet.csv_cell(None) == ""
    assert spreadsheet.csv_cell(True) == "true" and spreadsheet.csv_cell(False) == "false"
    assert spreadsheet.csv_cell(when) == "2026-03-01T12:00:00+00:00"
    assert spreadsheet.csv_cell(-3) == "-3"  # a number is a number, not a formula


ATTACKS = [*FORMULAS, "a;=1+1", 'b; "@x', "c;\t+1", "d\n=2"]


def rows() -> list[dict[str, object]]:
    texts = ATTACKS + HARMLESS
    return [{"text": text, "note": f"n{index}; -{index}"} for index, text in enumerate(texts)]


def test_csv_quotes_every_cell_and_neutralises_formulas() -> None:
    out = io.StringIO()
    assert spreadsheet.write_csv(rows(), COLUMNS, out) == len(ATTACKS + HARMLESS)
    written = out.getvalue()
    assert written.startswith('"text","note"\r\n')
    records = list(csv.reader(io.StringIO(written)))
    assert records[0] == list(COLUMNS)
    # Every cell quoted: the file is exactly what QUOTE_ALL writes of the cells read back.
    again = io.StringIO()
    csv.writer(again, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(records)
    assert again.getvalue() == written
    read = [record[0] for record in records[1:]]
    assert read[len(ATTACKS) :] == HARMLESS
    assert [cell for record in records for cell in record if would_run(cell)] == []
    assert [record[1] for record in records[1:3]] == ["n0;' -0", "n1;' -1"]


@pytest.mark.parametrize("separator", [",", ";"])
def test_no_cell_a_spreadsheet_reads_begins_like_a_formula(separator: str) -> None:
    """Read as an English (",") or a French (";") spreadsheet would: no formula anywhere."""
    out = io.StringIO()
    spreadsheet.write_csv(rows(), COLUMNS, out)
    cells = [
        cell
        for record in csv.reader(io.StringIO(out.getvalue()), delimiter=separator)
        for cell in record
    ]
    assert len(cells) > len(rows())
    assert [cell for cell in cells if would_run(cell)] == []
    if separator == ";":  # what a French spreadsheet shows of the quoted first column
        assert "n3" not in cells and any(cell.startswith("a;'=1+1") for cell in cells)


def test_xlsx_stores_every_cell_as_a_string(tmp_path: Path) -> None:
    target = tmp_path / "export.xlsx"
    count = spreadsheet.write_xlsx(rows(), COLUMNS, str(target), sheet="applications")
    assert count == len(ATTACKS + HARMLESS)
    workbook = openpyxl.load_workbook(target)
    sheet = workbook["applications"]
    cells = list(sheet.iter_rows(values_only=False))
    assert [cell.value for cell in cells[0]] == list(COLUMNS)
    texts = [row[0].value or "" for row in cells[1:]]
    # The text as typed (XML reads a carriage return as a line break), never a formula.
    assert texts == [text.replace("\r", "\n") for text in ATTACKS + HARMLESS]
    notes = [row[1].value for row in cells[1:]]
    assert notes == [f"n{index}; -{index}" for index in range(len(ATTACKS + HARMLESS))]
    for row in cells:
        for cell in row:
            assert cell.data_type in ("s", "inlineStr"), (cell.coordinate, cell.value)
            assert cell.quotePrefix
    with zipfile.ZipFile(target) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in xml and "<f " not in xml
    types = set(re.findall(r'<c [^>]*t="([a-zA-Z]+)"', xml))
    assert types == {"inlineStr"}


def test_xlsx_drops_characters_xml_cannot_hold(tmp_path: Path) -> None:
    target = tmp_path / "export.xlsx"
    spreadsheet.write_xlsx([{"text": "a\x00b\x1bc", "note": None}], COLUMNS, str(target))
    sheet = openpyxl.load_workbook(target).active
    assert [cell.value for cell in sheet[2]] == ["abc", None]
