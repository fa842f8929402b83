"""Personal numbers (個人番号, My Number): recognised in any value, and never repeated.

cutover never needs a personal number. Every value it reads goes through this guard, and a
value that holds one refuses its row (or its file): `refused` gives the refusal, a catalogue
message (``inputs.personal-number``). Every message goes through `mask_personal_numbers`,
so a refusal names the column and line but shows no more than the number's first four
digits (``6214********``).

A personal number is 12 digits whose last is the check digit of the first 11 (weights
6,5,4,3,2,7,6,5,4,3,2; check = 11 − Σ mod 11, 0 when that is 10 or 11: 行政手続における特定
の個人を識別するための番号の利用等に関する法律施行令 第8条). It is recognised however it is written:

- plain, or inside a longer run of digits (any 12 consecutive digits that pass the check);
- in three groups of four, separated by a space or a hyphen (``6214-9832-0257``,
  ``6214 9832 0257``), of any width or script (full-width ``６２１４``, ``－``, ``ー``, the
  ideographic space), or by a line break (a cell's Alt+Enter), a slash, a dot, an
  underscore or a middle dot (``6214・9832・0257``), or by several of these
  (``6214  9832  0257``, ``6214 ↵ 9832``);
- in any of these forms inside a longer text (``Q6214-9832-0257-01``);
- with characters that show nothing between its digits (a zero-width space, a BOM, a soft
  hyphen: pasted along, ``6214<ZWSP>9832<ZWSP>0257`` reads 621498320257 to a person).

So a value that merely happens to hold 12 such digits (one in eleven 12-digit numbers
passes the check) is refused too: the guard cannot tell it from a personal number, and a
real one must never pass. Shorter runs, and digits grouped otherwise (dates ``2018-06-25``,
telephone numbers ``0857-26-7111``), are not personal numbers; except a whole number of 9
to 11 digits from a spreadsheet's number cell, which is checked with its lost leading zeros
back (`number_cell_text`).
"""

from __future__ import annotations

import decimal
import re
import unicodedata

from cutover.i18n.catalogue import Msg

__all__ = [
    "INVISIBLE",
    "MASK",
    "find_personal_numbers",
    "holds_personal_number",
    "is_personal_number",
    "is_personal_number_column",
    "mask_personal_numbers",
    "may_hold_personal_number",
    "number_cell_text",
    "number_value_text",
    "personal_number_line",
    "refused",
]

#: What stands for the eight digits a message never shows.
MASK = "********"

_WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)

# What may separate the groups of four, one or several of them: spaces and line breaks
# (ASCII, no-break, ideographic, tab; a cell's Alt+Enter, CR LF, the Unicode line
# separators), the dashes people type for a hyphen (ASCII, Unicode hyphens and dashes,
# minus, full-width hyphen-minus, the long-vowel mark ー that Japanese input often gives
# for one), and the other marks a number is grouped with: slash, dot, underscore (a file
# name's), the middle dot ・ (each in its full- or half-width form).
_ASCII_SEPARATORS = " \t\n\r\v\f-/._"
_SEPARATORS = (
    " \t\n\r\v\f\x85\u00a0\u3000\u2028\u2029\\-\u2010-\u2015\u2043\u2212\ufe63\uff0d"
    "\u30fc\uff70/\uff0f.\uff0e_\uff3f\u30fb\uff65"
)
# Characters that show nothing (zero-width space, joiners, word joiner, BOM, soft hyphen):
# pasted between digits, 6214<ZWSP>9832<ZWSP>0257 reads 621498320257 to a person. The guard
# reads a text without them.
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
#: The characters that show nothing, for `str.translate` to drop (`normalize_text` reads
#: every word without them too).
INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS))
# Python's \d is every decimal digit of Unicode: full-width and other scripts' too.
_PLAIN = re.compile(r"\d{12,}")
_GROUPED = re.compile(rf"(?=(\d{{4}}[{_SEPARATORS}]+\d{{4}}[{_SEPARATORS}]+\d{{4}}))")
# Where a personal number may be written, found or not: a run of digits, or groups of
# digits joined by separators. A masked value replaces the whole run.
_WRITTEN = re.compile(rf"\d+(?:[{_SEPARATORS}{_INVISIBLE_CHARS}]+\d+)*")

# The fast test of `may_hold_personal_number`: ASCII text with every digit made "0" and
# every ASCII separator "s" holds one of two byte strings wherever a number may be written
# with single separators; groups parted by several ("ss") are looked for with `_GROUPED`.
_SHAPES = bytes.maketrans(
    b"0123456789" + _ASCII_SEPARATORS.encode(), b"0" * 10 + b"s" * len(_ASCII_SEPARATORS)
)
_TWELVE = b"0" * 12
_FOURS = b"0000s0000s0000"
_MIDDLE_FOUR = _FOURS[4:10]  # b"s0000s"
_SEVERAL = b"ss"


def is_personal_number(digits: str) -> bool:
    """Return True when `digits` (12 ASCII digits) pass the personal number's check digit."""
    if len(digits) != 12 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=False))
    remainder = total % 11
    check = 0 if remainder <= 1 else 11 - remainder
    return int(digits[11]) == check


def _ascii_digits(text: str) -> str:
    """Return `text`'s decimal digits (of any script) as ASCII digits, others dropped."""
    if text.isascii():
        return "".join(filter(str.isdigit, text))
    return "".join(str(unicodedata.decimal(c)) for c in text if c.isdecimal())


def find_personal_numbers(text: str) -> list[str]:
    """Return the personal numbers `text` holds, as 12 ASCII digits each, in order."""
    text = text.translate(INVISIBLE)
    found: list[str] = []
    for run in _PLAIN.finditer(text):
        digits = _ascii_digits(run[0])
        found.extend(
            digits[i : i + 12]
            for i in range(len(digits) - 11)
            if is_personal_number(digits[i : i + 12])
        )
    for grouped in _GROUPED.finditer(text):
        digits = _ascii_digits(grouped[1])
        if is_personal_number(digits):
            found.append(digits)
    return found


def may_hold_personal_number(text: str | bytes) -> bool:
    """Return False when `text` surely holds no personal number; True when it may.

    A fast test for a large text (a column of two million query ids joined; bytes are
    UTF-8): two byte searches when the text is ASCII. True calls for
    `holds_personal_number` on its parts.
    """
    if len(text) < 12:
        return False  # (every form has its 12 digits: a file name, a code, a message's "")
    if not text.isascii():
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        text = text.translate(INVISIBLE)
        return _PLAIN.search(text) is not None or _GROUPED.search(text) is not None
    shapes = (text if isinstance(text, bytes) else text.encode("ascii")).translate(_SHAPES)
    # `_MIDDLE_FOUR` first: a part of `_FOURS` that ends in the rarer "s", searched several
    # times faster in a column of digits (docs/performance.md, triage); `_FOURS` is searched
    # only where it is.
    if _TWELVE in shapes:
        return True
    if _MIDDLE_FOUR not in shapes:
        return False
    if _FOURS in shapes:
        return True
    if _SEVERAL not in shapes:
        return False
    return _GROUPED.search(text.decode("ascii") if isinstance(text, bytes) else text) is not None


#: How many digits a whole number in a spreadsheet's number cell may have and still be a
#: personal number whose leading zeros the cell dropped (093325963440 typed into a cell
#: shows 93325963440). Shorter numbers are counts, items and codes: a personal number loses
#: four zeros or more once in ten thousand.
DROPPED_ZEROS_DIGITS = range(9, 12)


def number_cell_text(value: int) -> str | None:
    """Return the text the guard checks, besides the cell's own, for a whole number read from
    a spreadsheet's number cell: with 9 to 11 digits, zero-filled to 12 (the zeros a personal
    number lost there); None for any other number, which is checked as the cell shows it
    (a number of 16 digits or more shows as ``2.01828E+18``, its digits lost)."""
    text = str(value)
    return text.zfill(12) if value > 0 and len(text) in DROPPED_ZEROS_DIGITS else None


def number_value_text(value: object) -> str | None:
    """Return `number_cell_text` of a whole number given as a number (an int, or a float
    or a Decimal with no fraction, as a spreadsheet's number cell or a database's INTEGER,
    REAL or NUMERIC column holds it); None for anything else."""
    whole = (type(value) is float and value.is_integer() and abs(value) < 1e12) or (
        type(value) is decimal.Decimal
        and value.is_finite()
        and value.adjusted() < 12  # (a whole number past 12 digits: no zeros were lost)
        and value == value.to_integral_value()
    )
    if whole:
        value = int(value)  # type: ignore[call-overload]
    return number_cell_text(value) if type(value) is int else None


def holds_personal_number(text: str) -> bool:
    """Return True when `text` holds a personal number, in any of the forms recognised."""
    return may_hold_personal_number(text) and bool(find_personal_numbers(text))


def mask_personal_numbers(text: str) -> str:
    """Return `text` with each personal number it holds shown as its first four digits and
    ``********`` (the whole run of digits it stands in, so that no digit of it is left)."""
    if not may_hold_personal_number(text):
        return text

    def masked(written: re.Match[str]) -> str:
        run = written[0]
        found = find_personal_numbers(run)
        if not found:
            return run
        # What the run holds before the number, up to the last mark before it, is kept: a
        # date's ``2018-06-01T09:00:00.`` before a fraction of a second that holds one.
        start = _first_start(run)
        kept = max((i + 1 for i in range(start) if not run[i].isdecimal()), default=0)
        return run[:kept] + found[0][:4] + MASK

    return _WRITTEN.sub(masked, text)


def personal_number_line(text: str) -> tuple[int, str] | None:
    """Return the line (from 1) of `text` on which its first personal number begins, with
    the lines it is written on (several when line breaks part its groups), masked; None
    when `text` holds none."""
    if not holds_personal_number(text):
        return None
    run = next(w for w in _WRITTEN.finditer(text) if find_personal_numbers(w[0]))
    start = run.start() + _first_start(run[0])
    first = text.count("\n", 0, start) + 1
    begin = text.rfind("\n", 0, start) + 1
    end = text.find("\n", run.end())
    lines = text[begin : len(text) if end < 0 else end]
    return first, mask_personal_numbers(lines)


def _first_start(written: str) -> int:
    """Return where in `written` (a run of digits and separators that holds a personal
    number) the first personal number it holds begins."""
    run = written.translate(INVISIBLE)
    if run != written:  # (found in the run without its invisible characters: mapped back)
        shown = [at for at, c in enumerate(written) if ord(c) not in INVISIBLE]
        return shown[_first_start(run)]
    starts = [
        plain.start() + i
        for plain in _PLAIN.finditer(run)
        for i in range(len(plain[0]) - 11)
        if is_personal_number(_ascii_digits(plain[0][i : i + 12]))
    ]
    starts.extend(
        grouped.start()
        for grouped in _GROUPED.finditer(run)
        if is_personal_number(_ascii_digits(grouped[1]))
    )
    return min(starts)


# Column names that would carry a person's My Number: the planner never needs one, so a file
# that has such a column is refused before any row is read. Matched in the header folded by
# `_header_words`: lower case, half-width, katakana, words separated by single spaces.
_PERSONAL_NUMBER_COLUMN = re.compile(
    r"個人番号|個人ナンバ|マイナンバ|マイナ番号|my ?number|individual ?number|personal ?number"
    r"|kojin ?bang?ou?|(?<![a-z])(?:my|kojin|personal|indiv|individual) ?(?:no|num|nbr)(?![a-z])"
)
_WORD_BREAKS = re.compile(r"[\s_\-.・/]+")
_HIRAGANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}


def _header_words(header: str) -> str:
    """Return a header cell folded for `is_personal_number_column`."""
    text = unicodedata.normalize("NFKC", header).lower().translate(_HIRAGANA)
    return _WORD_BREAKS.sub(" ", text).strip()


def is_personal_number_column(header: str) -> bool:
    """Return True when a column header names personal numbers (個人番号, my_number, MyNo, …)."""
    words = _header_words(header)
    if _PERSONAL_NUMBER_COLUMN.search(words):
        return True
    # Japanese is written without spaces: 「個人 番号」 is 個人番号 spaced out.
    return not words.isascii() and bool(_PERSONAL_NUMBER_COLUMN.search(words.replace(" ", "")))


def refused(column: str | Msg, value: str) -> Msg:
    """Return the refusal of `value` of `column` for holding a personal number: the message
    ``inputs.personal-number``, whose parameters hold the value masked (so does any output
    that carries them, JSON included)."""
    return Msg("inputs.personal-number", {"column": column, "value": mask_personal_numbers(value)})
