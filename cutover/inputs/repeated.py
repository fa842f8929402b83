"""One file given twice where several are read as one (``--agencies a.csv --agencies
a.csv``, ``load_registry([a, a])``): refused before any row is read, for every row would
be counted twice, none a duplicate of another (each is the same line of the same file)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from cutover.errors import CutoverError
from cutover.i18n.catalogue import Argument
from cutover.inputs.sheetnames import sheet_read, split_sheet
from cutover.inputs.source import InputText

__all__ = ["refuse_repeated_inputs"]

#: A file named by a path (`str` or `os.PathLike`).
StrPath = str | os.PathLike[str]


def refuse_repeated_inputs(inputs: Iterable[tuple[str | Argument, StrPath]]) -> None:
    """Raise `CutoverError` when an option is given one file twice (``--agencies a.csv
    --agencies a.csv``): its rows would be read twice, each row the same line of the same
    file, so no row is a duplicate of another and every agency is counted twice.

    `inputs` are (option, path) pairs: the option as the command names it, or the library's
    parameter (an `Argument`); files are compared by identity (a file given in memory,
    `InputText`, is no file), and a workbook's sheets (``book.xlsx#シート``) by the sheet
    each is read from (`sheet_read`): ``book.xlsx`` is its first sheet.
    """

    seen: dict[tuple[str, int, int], list[tuple[str | None, str]]] = {}
    for option, given in inputs:
        if isinstance(given, InputText):
            continue
        path = os.fspath(given)
        file, sheet = split_sheet(path)
        try:
            info: os.stat_result | None = Path(file).stat()
        except (OSError, ValueError):
            info = None
        if info is None or stat.S_ISDIR(info.st_mode):
            continue  # (read, it says what it is; a folder is no file of rows)
        key = option if isinstance(option, str) else option.name
        earlier = seen.setdefault((key, info.st_dev, info.st_ino), [])
        for other, first in earlier:
            read = other == sheet
            if not read:
                # (Only for one file given twice to one option: the book is opened then.)
                title = sheet_read(file, other)
                read = title is not None and title == sheet_read(file, sheet)
            if read:
                raise CutoverError.of("files.input-twice", file=path, option=option, first=first)
        earlier.append((sheet, path))
