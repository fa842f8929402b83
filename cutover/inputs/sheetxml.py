"""A sheet of an Excel workbook read a row at a time from its XML, with openpyxl's cell
parser made to tell more than openpyxl does: a formula whose result was not saved and an
error value (``#REF!``) from an empty cell, a moment to the microsecond on its own day, a
number in a date cell that makes no date as the number it is, an ISO date cell as its date
or its text.

Both the readers of `cutover.inputs.workbook` and `survey merge`'s locked cells
(`cutover.inputs.survey`) read cells through `sheet_values`, so that a cell means one thing
wherever it is read. openpyxl is imported when a workbook is read, not with this module:
every command reads its CSV files through `cutover.inputs.workbook`, and openpyxl (with
what it imports) costs about a tenth of a second of start-up that a CSV never needs.
"""

from __future__ import annotations

import contextlib
import functools
import math
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any, cast

import attrs

from cutover.inputs.unreadable import last_row
from cutover.jp.personal_number import holds_personal_number

__all__ = [
    "SHEET_MAIN_NS",
    "UNREAD",
    "ErrorValue",
    "Uncached",
    "plain_formula",
    "sheet_values",
    "unread_cell",
]

#: The SpreadsheetML namespace of a sheet's XML (ECMA-376; openpyxl's SHEET_MAIN_NS).
SHEET_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ROW = f"{{{SHEET_MAIN_NS}}}row"
_SHEET_DATA = f"{{{SHEET_MAIN_NS}}}sheetData"
_MERGE_CELL = f"{{{SHEET_MAIN_NS}}}mergeCell"
_DIMENSION = f"{{{SHEET_MAIN_NS}}}dimension"
_FORMULA = f"{{{SHEET_MAIN_NS}}}f"
_VALUE = f"{{{SHEET_MAIN_NS}}}v"
_INLINE = f"{{{SHEET_MAIN_NS}}}is"
_TEXT = f"{{{SHEET_MAIN_NS}}}t"
#: Microseconds in a day: a date cell's serial counts days.
_DAY_MICROSECONDS = 86_400_000_000


@attrs.frozen
class Uncached:
    """A formula cell whose result was not saved (written by a program, never opened in
    Excel): openpyxl reads no value for it."""

    formula: str


@attrs.frozen
class ErrorValue:
    """A cell holding an error value (#N/A, #REF!, #VALUE!)."""

    value: str


#: A cell with no text that is still something: a formula without its result, an error value.
UNREAD = (Uncached, ErrorValue)


def plain_formula(value: object) -> str:
    """Return how a cell with no text shows: its formula, or its error value."""
    return f"={value.formula}" if isinstance(value, Uncached) else getattr(value, "value", "")


def unread_cell(value: object) -> tuple[str, dict[str, str]] | None:
    """Return the problem (message code, parameters) of a cell with no text that is still
    something: a formula without its saved result, an error value; None for any other."""
    if isinstance(value, Uncached):
        return "inputs.workbook-uncached", {"formula": value.formula}
    if isinstance(value, ErrorValue):
        return "inputs.workbook-error-value", {"value": value.value}
    return None


#: Significant digits of a number in a spreadsheet (Excel's; LibreOffice writes no more).
_SPREADSHEET_DIGITS = 15


def _written_precision(text: str, serial: float) -> float:
    """Return, in microseconds, how far the moment a serial written as `text` may be from
    the serial: the float's own error (2), and half a unit of its last digit more when it is
    written to at most 15 significant digits (rounded so by the program that wrote it)."""
    digits = text.strip().lstrip("+-").replace(".", "").lstrip("0")
    if not digits.isdigit() or len(digits) > _SPREADSHEET_DIGITS or serial < 1:
        return 2
    last = math.floor(math.log10(serial)) - (_SPREADSHEET_DIGITS - 1)
    return 2 + 0.5 * 10.0**last * _DAY_MICROSECONDS


@functools.cache
def _cell_parsers() -> tuple[type[Any], type[Any]]:
    """Return openpyxl's cell parser reading every value as openpyxl does, only an inline
    string cell of one plain text without building openpyxl's rich-text objects for it; and
    that parser telling a formula without a saved result, and an error value, from an empty
    cell and from text (made on first use: see the imports)."""
    from openpyxl.utils.datetime import from_excel, from_ISO8601
    from openpyxl.worksheet._reader import WorkSheetParser

    parse_iso = cast("Callable[[str], object]", from_ISO8601)

    class InlineParser(WorkSheetParser):
        def parse_cell(self, element: Any) -> dict[str, Any]:
            if element.get("t") == "inlineStr" and not self.rich_text:
                text = _plain_inline(element)
                if text is not None:
                    # (openpyxl builds its rich-text objects for each such cell: a quarter
                    # of the time to read a workbook openpyxl wrote, for the same text.)
                    plain: dict[str, Any] = super().parse_cell(_InlineText(element, text))
                    return plain
            cell: dict[str, Any] = super().parse_cell(element)
            return cell

    class CellParser(InlineParser):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            # The styles of date cells, as the sheet's XML writes them.
            self.date_styles = {str(style) for style in cast("set[int]", self.date_formats)}
            # Serials every date cell strictly between takes to a date without a doubt (from
            # 0001-01-02 to 9999-12-31 in this workbook's date system: 1900, or 1904 as a
            # Mac's Excel saved it, whose serials end 1,462 days sooner); one outside is
            # converted only after a look at whether it can be.
            epoch: datetime = self.epoch
            self.sure_serials = (
                float((datetime(1, 1, 2) - epoch).days),
                float((datetime(9999, 12, 31) - epoch).days),
            )

        def parse_cell(self, element: Any) -> dict[str, Any]:
            if element.get("t") == "d":
                return self._iso_date(element)
            if element.get("s") in self.date_styles and not self._a_date(element):
                # A number in a date cell that is no date (Excel shows ####): read as the
                # number it is. openpyxl would warn, on standard error, with the number
                # (a personal number typed into a date column among them), and call it
                # #VALUE!, which it is not.
                date_formats, self.date_formats = self.date_formats, set()
                try:
                    number: dict[str, Any] = super().parse_cell(element)
                    return number
                finally:
                    self.date_formats = date_formats
            cell: dict[str, Any] = super().parse_cell(element)
            if isinstance(cell["value"], datetime):
                cell["value"] = self._moment(element, cell["value"])
            elif cell["data_type"] == "e":
                cell["value"] = ErrorValue(str(cell["value"]))
            elif cell["value"] is None:
                formula = element.find(_FORMULA)
                if formula is not None:
                    cell["value"] = Uncached(formula.text or "")
            return cell

        def _moment(self, element: Any, read: datetime) -> datetime:
            """Return the moment of a date cell's serial, to the microsecond and on the day
            the serial is in; `read` (openpyxl's) when the cell holds no serial of a day.

            openpyxl rounds the fraction of the day to the millisecond: a request that a
            program wrote at 23:59:59.9996 on 6/30 came back as 7/1 00:00, on the other side
            of the cutoff (§6). Read to the microsecond, a time written to the second comes
            back exact; a moment is never rounded past the last microsecond of its day.
            """
            text = element.findtext(_VALUE)
            if text is None or element.get("t", "n") != "n":
                return read
            try:
                serial = float(text)
                day = math.floor(serial)
                if day < 1:  # (a time of day with no date, or before the epoch: openpyxl's)
                    return read
                fraction = round((serial - day) * _DAY_MICROSECONDS)
                # A time within the serial's error of a whole second is that second (2 µs
                # after 2079; 6 µs in LibreOffice's 15 digits: 17:43:00 is 43279.7381944444).
                second = round(fraction / 1_000_000) * 1_000_000
                if abs(fraction - second) <= _written_precision(text, serial):
                    fraction = second
                fraction = min(fraction, _DAY_MICROSECONDS - 1)
                midnight: datetime = from_excel(day, self.epoch)
                return midnight + timedelta(microseconds=fraction)
            except (ValueError, OverflowError, TypeError):
                return read

        def _a_date(self, element: Any) -> bool:
            """Return False for a number cell whose serial makes no date."""
            text = element.findtext(_VALUE)
            if text is None or element.get("t", "n") != "n":
                return True
            try:
                serial = float(text)
            except ValueError:
                return True  # (openpyxl's own error)
            low, high = self.sure_serials
            if low < serial < high:
                return True
            try:
                from_excel(serial, self.epoch)
            except (OverflowError, ValueError):
                return False
            return True

        def _iso_date(self, element: Any) -> dict[str, Any]:
            """Return a date cell stored as ISO 8601 text (``t="d"``): its date, or its
            text when that is no date, holds a personal number, or says more than openpyxl
            reads of it (then the row's reader reads or refuses it at its cell, as it would
            the same text in a CSV file: openpyxl would raise Python's own error for the
            whole workbook, round the digits of a fraction of a second away, or drop a
            time zone: 2018-06-30T15:00:00Z is 7/1 in Japan, not 6/30 15:00)."""
            cell: dict[str, Any] = super().parse_cell(_Plain(element))
            text = cell["value"]
            if isinstance(text, str) and _naive_iso(text) and not holds_personal_number(text):
                with contextlib.suppress(ValueError, TypeError, OverflowError):
                    cell["value"], cell["data_type"] = parse_iso(text), "d"
            return cell

    return InlineParser, CellParser


# An ISO 8601 date, date-time or time with no time zone and at most milliseconds: what
# openpyxl reads whole (its own pattern ignores a zone, and what follows the milliseconds).
_NAIVE_ISO = re.compile(
    r"(?:[0-9]{4}-[0-9]{2}-[0-9]{2})?T?(?:[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,3})?)?)?"
)


def _naive_iso(text: str) -> bool:
    """Return True when openpyxl reads all of `text`: an ISO 8601 date or time with no zone."""
    return _NAIVE_ISO.fullmatch(text) is not None


class _Plain:
    """A cell's XML element read as a text cell (``t="str"``): the rest as it is."""

    def __init__(self, element: Any) -> None:
        self.element = element

    def get(self, key: str, default: Any = None) -> Any:
        return "str" if key == "t" else self.element.get(key, default)

    def find(self, path: str) -> Any:
        return self.element.find(path)

    def findtext(self, path: str, default: Any = None) -> Any:
        return self.element.findtext(path, default)


class _InlineText(_Plain):
    """An inline string cell (``t="inlineStr"``) of one plain text, read as a text cell
    holding it: what openpyxl makes of it, without its rich-text objects."""

    def __init__(self, element: Any, text: str) -> None:
        super().__init__(element)
        self.text = text

    def findtext(self, path: str, default: Any = None) -> Any:
        return self.text if path == _VALUE else self.element.findtext(path, default)


def _plain_inline(element: Any) -> str | None:
    """Return the text of an inline string cell that is one plain, non-empty text
    (``<is><t>…</t></is>``, as openpyxl writes it); None for anything else (runs of rich
    text, phonetic guides, an empty text), which openpyxl reads itself."""
    child = element.find(_INLINE)
    if child is None or len(child) != 1:
        return None
    (only,) = child
    if only.tag != _TEXT or len(only) or not only.text:
        return None
    text: str = only.text
    return text


def sheet_values(
    book: Any,
    sheet: Any,
    merges: list[str] | None = None,
    *,
    as_openpyxl: bool = False,
    keep: bool = False,
) -> Iterator[tuple[int, list[object]]]:
    """Yield each row of `sheet` (of `book`, opened by `open_workbook`) that has cells: its
    number and its values by position (column A first), a formula without its saved result
    and an error value told from an empty cell (`unread_cell`); add its merged ranges to
    `merges`. With `as_openpyxl`, each value is the one openpyxl's own reader reads
    (``iter_rows``: a formula without its result None, an error value its text, a date
    rounded to the millisecond), only sooner; a row with no cells is yielded too (it
    numbers the rows after it, as openpyxl numbers them), and none past the last row the
    sheet's dimension names. Either way a dimension that names no range is refused, as
    openpyxl refused it on opening (`open_workbook` sizes no sheet).

    With `keep`, the rows and merged ranges, once all read (and not changed by the reader),
    are kept on the sheet, and its next reading yields them again instead of parsing its
    XML once more: `survey merge` reads a reply's tables for their locked cells, then its
    sheets' readers read them."""
    kept = getattr(sheet, "kept", None)
    if kept is not None and not as_openpyxl:
        sheet.kept = None
        rows, merged = kept
        if merges is not None:
            merges.extend(merged)
        yield from rows
        return
    found = merges if merges is not None else []
    start = len(found)
    read: list[tuple[int, list[object]]] = []
    for row in _parsed_values(book, sheet, found, as_openpyxl=as_openpyxl):
        if keep:
            read.append(row)
        yield row
    if keep:
        sheet.kept = (read, found[start:])


def _parsed_values(
    book: Any, sheet: Any, merges: list[str], *, as_openpyxl: bool
) -> Iterator[tuple[int, list[object]]]:
    """Yield the rows of `sheet_values`, parsed from the sheet's XML."""
    from openpyxl.xml.functions import iterparse

    parser = _cell_parsers()[0 if as_openpyxl else 1](
        "",  # (no source: the rows are handed to it one by one)
        sheet._shared_strings,
        data_only=True,
        epoch=book.epoch,
        date_formats=book._date_formats,
        timedelta_formats=book._timedelta_formats,
    )
    with sheet._get_source() as xml:
        data = None
        last: int | None = None
        sized = False
        for event, element in iterparse(xml, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == _SHEET_DATA:
                    data = element
                continue
            if tag == _DIMENSION and data is None and not sized:
                sized = True  # (the first, before the rows: openpyxl's)
                last = last_row(element)
            elif tag == _ROW:
                number, cells = parser.parse_row(element)
                if as_openpyxl and last is not None and number > last:
                    return
                if data is not None:
                    data.clear()  # (rows read are let go: constant memory)
                if not cells and not as_openpyxl:
                    continue
                values: list[object] = [None] * max((c["column"] for c in cells), default=0)
                for cell in cells:
                    values[cell["column"] - 1] = cell["value"]
                yield number, values
            elif tag == _MERGE_CELL:
                ref = element.get("ref")
                if ref:
                    merges.append(ref)
