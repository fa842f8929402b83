"""Whether a survey workbook in `survey make`'s folder is still the one it wrote, byte for
byte but for the parts that hold no answer: a national folder holds 1,826 of them, and
comparing the zip's parts spares reading each one (`cutover.inputs.survey.why_not_replaceable`).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

__all__ = ["as_made"]

#: The part of a workbook that says when it was made (and by what): read by no one here.
_MADE_ON = "docProps/core.xml"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def as_made(path: Path, blank: bytes, read: Iterable[str]) -> bool:
    """Return True when the workbook at `path` holds the parts of `blank` (and no other),
    byte for byte, but for those no answer is written in: the part saying when it was made,
    and the sheets `merge_survey` does not read, those not named in `read` (the
    instructions, whose text follows the run's --due and --lang)."""
    try:
        data = path.read_bytes()
        if data == blank:
            return True
        with zipfile.ZipFile(io.BytesIO(data)) as found, zipfile.ZipFile(io.BytesIO(blank)) as made:
            parts = {info.filename: info for info in found.infolist()}
            expected = made.infolist()
            if len(parts) != len(found.infolist()) or parts.keys() != {
                info.filename for info in expected
            }:
                return False
            # (Which part holds which sheet is said by the workbook's own parts, compared
            # below: those of `blank`, of the same bytes, say it for both.)
            unread = {_MADE_ON, *_unread_sheets(made, frozenset(read))}
            for info in expected:
                part = parts[info.filename]
                if info.filename in unread:
                    continue
                if (part.file_size, part.CRC) != (info.file_size, info.CRC):
                    return False
                if found.read(part) != made.read(info):
                    return False
    except (OSError, zipfile.BadZipFile, zlib.error, ValueError, EOFError, NotImplementedError):
        # (A part that does not decompress is no part as made: the caller reads the file.)
        return False
    return True


def _unread_sheets(made: zipfile.ZipFile, read: frozenset[str]) -> list[str]:
    """Return the parts of the sheets of a workbook `survey make` wrote that `merge_survey`
    does not read, those not named in `read` (none, if its parts do not say it plainly)."""
    from xml.etree import ElementTree

    try:
        workbook = ElementTree.fromstring(made.read("xl/workbook.xml"))
        relationships = ElementTree.fromstring(made.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return []
    targets = {rel.get("Id"): rel.get("Target", "") for rel in relationships}
    unread = []
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(_RELATIONSHIP))
        if sheet.get("name") in read or not target:
            continue
        # (A target is absolute, /xl/worksheets/sheet1.xml, or relative to xl/.)
        unread.append(target[1:] if target.startswith("/") else f"xl/{target}")
    return unread
