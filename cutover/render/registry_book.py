"""The registry template as an Excel workbook (``cutover init -o agencies.xlsx``).

The same rows as the CSV template (`cutover.inputs.registry.registry_template_rows`), in a
workbook whose code columns are text: a CSV opened in Excel loses the leading zero of every
code of 北海道 to 茨城県 (``010006`` becomes ``10006``), a text cell keeps it, and so does
every cell of those columns a coordinator fills in below (the 一部事務組合・広域連合 added by
hand), because the whole column is formatted as text.
"""

from __future__ import annotations

import datetime as dt

from openpyxl.utils import get_column_letter

from cutover.i18n.catalogue import Lang
from cutover.i18n.text import check_lang
from cutover.inputs.model import AGENCY_COLUMNS
from cutover.inputs.registry import registry_template_rows
from cutover.render.xlsx import Book, h

__all__ = ["registry_template_xlsx"]

#: Excel's number format of a text cell.
_TEXT = "@"
#: The columns typed as text: the code, and the item numbers (``2,21`` is not a number).
_TEXT_COLUMNS = ("code", "provides", "new_delegations")
#: The workbook's date (`cutover.render.xlsx.workbook_bytes`): there is no as-of date, and
#: the shipped code list is the one in force from 2019-05-01 (cutover/data/README.md).
_STAMP = dt.date(2019, 5, 1)


def registry_template_xlsx(prefecture_query: str | int, *, lang: str = "ja") -> bytes:
    """Return the bytes of the prefecture's registry template as a workbook: one sheet,
    the columns of agencies.csv, the code and item columns formatted as text."""
    checked: Lang = check_lang(lang)
    book = Book(checked, _STAMP)
    headers = list(AGENCY_COLUMNS)
    rows = registry_template_rows(prefecture_query)
    ws = book.table(h("sheet-agencies", checked), headers, rows)
    for name in _TEXT_COLUMNS:
        column = headers.index(name) + 1
        letter = get_column_letter(column)
        ws.column_dimensions[letter].number_format = _TEXT
        for row in range(2, len(rows) + 2):
            ws.cell(row=row, column=column).number_format = _TEXT
    return book.bytes()
