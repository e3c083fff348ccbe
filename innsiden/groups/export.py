"""Member lists as files a spreadsheet opens safely: CSV (Excel-friendly) and .xlsx.

Whatever the register holds — a name like `=HYPERLINK(...)` or `@SUM(...)` — no cell may
become a formula when a leader opens the file: every text cell starting with `=`, `+`, `-`,
`@`, a tab or a carriage return gets a leading apostrophe (OWASP's advice for CSV
injection). The .xlsx writer also stores every cell as an inline string, never a formula.
It is written by hand (a handful of XML parts in a zip) so no spreadsheet library is needed.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from flask_babel import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with a byte order mark and `;` between fields: what Excel in Norway expects."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")


_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SHEETML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="{_PACKAGE}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_SHEETML}.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    f'ContentType="{_SHEETML}.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{_OFFICE}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_OFFICE}">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    f'{_XML}<Relationships xmlns="{_PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{_OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _sheet(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = [f'{_XML}<worksheet xmlns="{_MAIN}"><sheetData>']
    for number, row in enumerate([header, *rows], start=1):
        cells = "".join(
            f'<c r="{_column(i)}{number}" t="inlineStr"><is><t xml:space="preserve">'
            f"{escape(neutralise(value))}</t></is></c>"
            for i, value in enumerate(row)
        )
        lines.append(f'<row r="{number}">{cells}</row>')
    lines.append("</sheetData></worksheet>")
    return "".join(lines)


def to_xlsx(
    header: Sequence[str], rows: Iterable[Sequence[object]], sheet: str | None = None
) -> bytes:
    sheet = sheet or _("Medlemmer")  # the sheet's tab, in the reader's language
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK.format(name=escape(sheet[:31])))
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", _sheet(header, rows))
    return out.getvalue()
