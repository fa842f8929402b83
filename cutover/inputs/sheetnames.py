"""Which sheet of a workbook a path names (``book.xlsx#シート``), and which one is read
without a name: the first visible one, as the clerk sees it."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from cutover.inputs.unreadable import UNREADABLE_WORKBOOK, open_workbook
from cutover.jp.vocabulary import normalize_text

__all__ = [
    "WORKBOOK_SUFFIXES",
    "first_sheet",
    "named_path",
    "named_sheet",
    "sheet_read",
    "split_sheet",
]

#: The names a workbook's file ends with (an .xlsm is read as its data).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def first_sheet(book: Any) -> Any:
    """Return the sheet a workbook given without one is read from: its first visible one,
    the first tab Excel shows (a hidden sheet before it, an old copy or a lookup table, is
    not the table the clerk sees and edits), else its first."""
    sheets = book.worksheets
    return next((s for s in sheets if s.sheet_state == "visible"), sheets[0])


def named_sheet(book: Any, name: str) -> Any | None:
    """Return the sheet of `book` that ``book.xlsx#name`` reads: the one titled `name`, else
    the first whose title is `name` folded (`normalize_text`: ＤＡＴＡ, " data " and Data
    are one name typed); None when no sheet is."""
    sheets = book.worksheets
    found = [s for s in sheets if s.title == name]
    if not found:
        wanted = normalize_text(name)
        found = [s for s in sheets if normalize_text(s.title) == wanted]
    return found[0] if found else None


def sheet_read(file: Path, sheet: str | None) -> str | None:
    """Return the title of the sheet of the workbook `file` that `sheet` names, as
    `WorkbookFile` finds it (None: the first); None when there is none, when the workbook
    cannot be read (its reader says why), or is no regular file: a FIFO's bytes read here
    would be lost to its reader, and a device (``/dev/zero``) never ends."""
    from openpyxl.utils.exceptions import InvalidFileException

    unread: tuple[type[Exception], ...] = (OSError, InvalidFileException, *UNREADABLE_WORKBOOK)
    try:
        if not stat.S_ISREG(file.stat().st_mode):
            return None
        with file.open("rb") as raw:
            book = open_workbook(raw)
            try:
                if not book.worksheets:
                    return None
                chosen = first_sheet(book) if sheet is None else named_sheet(book, sheet)
                return None if chosen is None else str(chosen.title)
            finally:
                book.close()
    except unread:
        return None


def split_sheet(path: str | os.PathLike[str]) -> tuple[Path, str | None]:
    """Return the file and the sheet a path names: ``book.xlsx#シート`` is the sheet シート
    of book.xlsx; any other path (one that exists, even with a ``#``) is the file alone.
    (A name no file can have, too long or with a NUL, exists no more than a missing one:
    its reader says what is wrong with it.)"""
    text = os.fspath(path)
    marked = "#" in text or _WIDE_MARK in text
    if marked and not os.path.exists(text):  # noqa: PTH110 (Path.exists raises for them)
        return named_path(text)
    return Path(text), None


#: What parts a workbook's name from its sheet's as ``#`` does: the full-width ``＃`` that
#: Japanese input gives when the sheet's name (改修状況) is typed after it.
_WIDE_MARK = "\uff03"


def named_path(name: str) -> tuple[Path, str | None]:
    """Return the file and the sheet ``book.xlsx#シート`` (or ``book.xlsx＃シート``) names;
    any other name is the file's."""
    at = max(name.rfind("#"), name.rfind(_WIDE_MARK))
    file, sheet = name[: max(at, 0)], name[at + 1 :]
    if at >= 0 and file.lower().endswith(WORKBOOK_SUFFIXES) and sheet:
        return Path(file), sheet
    return Path(name), None
