"""Tables as files a spreadsheet opens right: CSV (UTF-8 with BOM, semicolons) and XLSX.

CSV uses semicolons because Excel in Finnish (and Swedish) locales expects them: the comma is
the decimal separator there, and a comma-separated file opens as one column. The BOM makes
Excel read UTF-8, so ä, ö and å come out right.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

CSV_DELIMITER = ";"
#: A cell starting with one of these runs as a formula in a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text that would start a formula gets a leading apostrophe: shown, never run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_csv(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([neutralise(str(h)) for h in header])
    for row in rows:
        writer.writerow([neutralise(_text(value)) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit for sheet names
    sheet.append([str(h) for h in header])
    for row in rows:
        sheet.append([neutralise(value) for value in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING  # never a formula, whatever it starts with
            elif isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        width = max(len(_text(cell.value)) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width, 8) + 2, 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
