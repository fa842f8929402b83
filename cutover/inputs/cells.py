"""What a cell typed by Excel means as text: the text a CSV file would hold for it.

A workbook's cells are numbers, dates, times and booleans as well as text. The readers of
`cutover.inputs` and `cutover.triage` read text, so each cell becomes the text that says
what it means: a date at midnight is its day (``2018-06-29``), a moment keeps its time
(``2018-06-29T15:30:00``), an integer is written without ``.0``, and a number too long for
Excel's 15 digits is written as Excel shows it (``2.01828E+18``), so that an id whose digits
are lost is refused as such, never read as another id.

A code that Excel turned into a number (``011002`` → ``11002``) gets its leading zero back
only where one reading alone is an agency's code (`restore_code`).
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable

import attrs

from cutover.jp.codes import check_digit, names_entry, official_entry

__all__ = ["CodeReading", "cell_text", "restore_code"]

# Excel keeps 15 significant digits: an integer past them has lost its last digits.
_EXACT_LIMIT = 10**15
# A database's exact number is written out in full up to this many digits, as no code, item
# or id has more; past them it is its exponent form, refused as such by every reader.
_DECIMAL_DIGITS = 100


def cell_text(value: object) -> str:
    """Return the text a cell's value means: "" for an empty cell, a date as ISO, an
    integer without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):  # (before int: a bool is an int)
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, decimal.Decimal):
        return _decimal_text(value)
    if isinstance(value, dt.datetime):
        return _moment_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds" if not value.microsecond else "auto")
    if isinstance(value, dt.timedelta):
        seconds = int(value.total_seconds())
        sign = "-" if seconds < 0 else ""
        hours, rest = divmod(abs(seconds), 3600)
        return f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"
    return str(value)


def _number_text(value: float) -> str:
    """Return a float as Excel shows it in a General cell: 21 for 21.0, 0.3 for
    0.30000000000000004, 2.01828E+18 for a number past 15 digits."""
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if abs(value) >= _EXACT_LIMIT:
        return format(value, ".6G")
    if value.is_integer():
        return str(int(value))
    return format(value, ".15g")


def _decimal_text(value: decimal.Decimal) -> str:
    """Return a database's exact number (NUMERIC, DECIMAL: a `Decimal`) as a number cell's
    text: 2 for ``Decimal("2.0")``, as for REAL 2.0, and 2.5 for ``Decimal("2.50")``; every
    digit it holds, none past them (it is exact: no 15-digit limit), never an exponent."""
    if not value.is_finite() or abs(value.adjusted()) > _DECIMAL_DIGITS:
        return str(value)  # (NaN, or 1E+999999: written out, a million digits)
    if value == value.to_integral_value():
        return str(int(value))
    # (Not `normalize`: it rounds to the context's 28 digits, 2.000…001 to 2, a whole item.)
    return format(value, "f").rstrip("0")


def _moment_text(value: dt.datetime) -> str:
    """Return a date-time cell as text: its day when at midnight, else ISO with its time.

    The time is cut to the second it falls in, never rounded: a request received at
    23:59:59.6 on 6/30 was received on 6/30, and rounding would move it to 7/1, across the
    provision cutoff (§6). Excel stores a moment as a fraction of a day, which the workbook
    reader has already read to the microsecond (`cutover.inputs.workbook`): a time typed to
    the second (15:30) comes back exact, so cutting loses nothing of it."""
    value = value.replace(microsecond=0)
    if value.time() == dt.time() and value.tzinfo is None:
        return value.date().isoformat()
    return value.isoformat()


def _names(code: str, named: str) -> bool:
    """Return whether `named` is the official name of `code` (士別市, 北海道 士別市)."""
    entry = official_entry(code)
    return entry is not None and names_entry(entry, named)


@attrs.frozen
class CodeReading:
    """How a code cell that Excel stored as a number reads.

    `text` is what the readers get: the 6-digit code when one reading alone is an agency's
    (`restored` then True), else the digits as written. `ambiguous` holds the two readings
    when both are agencies' codes: the leading zero lost, and the check digit left out.
    """

    text: str
    restored: bool = False
    ambiguous: tuple[str, str] | None = None


def restore_code(value: float, known: Callable[[str], bool], named: str = "") -> CodeReading:
    """Return how a code stored as a number reads, given which codes are agencies'
    (`known`: the registry's, or the official code list).

    Only a 5-digit number can have lost a leading zero (no code starts with ``00``): it is
    ``0`` + its digits when that code is known and the other reading of five digits (a
    code whose check digit was left out) is not, or when the row names (`named`) the agency
    of that code on the official list and not the other's (12203 beside 士別市 is 北海道's
    012203, not 千葉県 市川市's 122033). Any other number is its digits, for the code reader
    to judge.
    """
    if isinstance(value, float) and not value.is_integer():
        return CodeReading(_number_text(value))
    if abs(value) >= _EXACT_LIMIT:
        # (Past Excel's 15 digits, as Excel shows it: 1E+20, not 21 digits it never held,
        # whose run of zeros would pass for a personal number and show masked.)
        return CodeReading(_number_text(float(value)))
    digits = str(int(value))
    if len(digits) != 5 or int(value) < 0:
        return CodeReading(digits)
    zero = "0" + digits
    checked = digits + str(check_digit(digits))
    if known(zero) and known(checked):
        if _names(zero, named) and not _names(checked, named):
            return CodeReading(zero, restored=True)
        return CodeReading(digits, ambiguous=(zero, checked))
    if known(zero):
        return CodeReading(zero, restored=True)
    return CodeReading(digits)
