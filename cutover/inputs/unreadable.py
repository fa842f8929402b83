"""Why a workbook cannot be read: what the zip and XML libraries raise for a file that is
not a whole .xlsx, and how the catalogue says each (their own words are English)."""

from __future__ import annotations

import functools
import re
import zipfile
import zlib
from typing import IO, Any, BinaryIO, cast
from xml.etree.ElementTree import ParseError

from cutover.errors import CutoverError, clip, os_reason, printable
from cutover.i18n.catalogue import Msg

__all__ = [
    "UNREADABLE_WORKBOOK",
    "BadPart",
    "OpenDocument",
    "SharedStrings",
    "last_row",
    "open_workbook",
    "unreadable_workbook",
]


class BadPart(ValueError):
    """A part of a workbook that parses as XML but does not hold what a workbook's part
    does: an attribute no such element has, a cell naming a shared string the workbook does
    not have. (openpyxl raises TypeError or IndexError for them, which are also what a
    program's own mistakes raise: they are told apart where openpyxl reads a part.)"""


class SharedStrings(list[str]):
    """A workbook's shared strings, as its cells name them by number: a number that names
    none (past the table, or negative, which would silently name one from its end) is a
    `BadPart`, not an IndexError."""

    def __getitem__(self, index: object) -> str:  # type: ignore[override]
        if type(index) is not int or not 0 <= index < len(self):
            raise BadPart(f"a cell names shared string {index!r} of {len(self)}")
        return super().__getitem__(index)


class OpenDocument(ValueError):
    """A spreadsheet in LibreOffice's own format (OpenDocument, .ods), not an Excel workbook:
    the user saves it again as .xlsx, it is not damaged."""


#: How an OpenDocument spreadsheet begins: a zip archive whose first member, stored as it
#: is, is ``mimetype`` holding its media type (the OpenDocument standard's rule).
_OPEN_DOCUMENT = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
#: Where that begins in the archive: after the zip's 30 bytes of local file header.
_OPEN_DOCUMENT_AT = 30


def open_workbook(raw: BinaryIO) -> Any:
    """Return openpyxl's read-only workbook of the bytes `raw` (formulas' saved values), each
    sheet's shared strings a `SharedStrings`; raise `BadPart` for a part whose XML has an
    attribute no such element has, `OpenDocument` for an .ods spreadsheet."""
    head = raw.read(_OPEN_DOCUMENT_AT + len(_OPEN_DOCUMENT))
    raw.seek(0)
    if head.startswith(b"PK\x03\x04") and head[_OPEN_DOCUMENT_AT:] == _OPEN_DOCUMENT:
        raise OpenDocument("an OpenDocument spreadsheet (.ods)")
    try:
        reader = _excel_reader()(raw, read_only=True, data_only=True)
        reader.read()  # (what `load_workbook` does, with the strings read as below)
    except TypeError as exc:
        raise BadPart(str(exc)) from None
    book = reader.wb
    # (Each read-only sheet holds the strings the reader found in the file; the book's own
    # `shared_strings` is the empty table openpyxl keeps for writing, so a workbook that
    # Excel or LibreOffice saved, whose text cells all name shared strings, would read as
    # naming strings it does not have.)
    for sheet in book.worksheets:
        sheet._shared_strings = SharedStrings(sheet._shared_strings)  # (read-only sheets)
    return book


def last_row(element: Any) -> int | None:
    """Return the last row a sheet's dimension element names (None: none), as openpyxl
    sizes a read-only sheet; raise `BadPart` for a dimension without its range, ValueError
    for one whose range is no range."""
    from openpyxl.worksheet.dimensions import SheetDimension

    try:
        dimension: Any = SheetDimension.from_tree(element)
        bounds: tuple[Any, ...] = dimension.boundaries
    except TypeError as exc:
        raise BadPart(str(exc)) from None
    return cast("int | None", bounds[3])


#: The tags of a shared string and of its one plain text (SpreadsheetML's namespace).
_STRING = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}si"
_TEXT = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}t"


def _string_table(source: IO[bytes]) -> list[str]:
    """Return a workbook's shared strings as openpyxl's `read_string_table` reads them,
    taking a string of one plain text (``<si><t>…</t></si>``, nearly every one) as that
    text: openpyxl builds its rich-text objects for each, a fifth of the time to read a
    workbook Excel saved. Any other string (runs of rich text, phonetic guides) is read by
    openpyxl's own `Text`, and every one loses openpyxl's ``x005F_`` escapes as it does."""
    from openpyxl.cell.text import Text
    from openpyxl.xml.functions import iterparse

    strings: list[str] = []
    for _, node in iterparse(source):
        if node.tag != _STRING:
            continue
        if len(node) == 1 and node[0].tag == _TEXT and not len(node[0]):
            text: str = node[0].text or ""
        else:
            found = Text.from_tree(node)
            text = "" if found is None else found.content
        strings.append(text.replace("x005F_", ""))
        node.clear()
    return strings


@functools.cache
def _excel_reader() -> type[Any]:
    """Return openpyxl's workbook reader, its shared strings read by `_string_table` (made
    on first use: openpyxl is imported when a workbook is read)."""
    from openpyxl.packaging.relationship import get_dependents, get_rels_path
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.xml.constants import SHARED_STRINGS

    class Sheet(ReadOnlyWorksheet):
        """openpyxl's read-only sheet, sized (from its dimension) when its size is first
        asked for, not on opening: nothing asks it of most sheets, and openpyxl began
        parsing each sheet's XML, on opening, to find it (a tenth of `survey merge`)."""

        _sized = False
        #: its rows and merged ranges as read, to be read again (`sheet_values`' ``keep``)
        kept: Any = None

        def _get_size(self) -> None:
            pass  # (on opening)

        def _dimension(self, name: str) -> Any:
            if not self._sized:
                self._sized = True
                try:
                    super()._get_size()  # type: ignore[misc]
                except TypeError as exc:  # (as on opening: `open_workbook`)
                    raise BadPart(str(exc)) from None
            return getattr(self, name)

        @property
        def min_row(self) -> int:
            return cast("int", self._dimension("_min_row"))

        @property
        def max_row(self) -> int | None:
            return cast("int | None", self._dimension("_max_row"))

        @property
        def min_column(self) -> int:
            return cast("int", self._dimension("_min_column"))

        @property
        def max_column(self) -> int | None:
            return cast("int | None", self._dimension("_max_column"))

        def reset_dimensions(self) -> None:
            self._dimension("_max_row")
            super().reset_dimensions()

    class Reader(ExcelReader):
        def read_worksheets(self) -> None:
            # openpyxl's, read-only (as `open_workbook` opens), each sheet a `Sheet`; its
            # relationships read as openpyxl reads them, a damaged part refused.
            if not self.read_only:
                super().read_worksheets()
                return
            for sheet, rel in self.parser.find_sheets():
                if rel.target not in self.valid_files:
                    continue
                if "chartsheet" in rel.Type:
                    self.read_chartsheet(sheet, rel)
                    continue
                rels_path = get_rels_path(rel.target)  # type: ignore[no-untyped-call]
                if rels_path in self.valid_files:
                    get_dependents(self.archive, rels_path)
                ws: Any = Sheet(self.wb, sheet.name, rel.target, self.shared_strings)
                ws.sheet_state = sheet.state
                book: Any = self.wb
                book._sheets.append(ws)

        def read_chartsheet(self, sheet: Any, rel: Any) -> None:
            # openpyxl adds the chart sheet, then reads its charts from its relationships,
            # which a chart sheet with no chart has none of ([].find): the charts are never
            # read here, the sheet is there by its name.
            try:
                super().read_chartsheet(sheet, rel)
            except AttributeError:
                if sheet.name not in self.wb.sheetnames:
                    raise

        def read_strings(self) -> None:
            part = self.package.find(SHARED_STRINGS)  # type: ignore[no-untyped-call]
            if part is not None:
                with self.archive.open(part.PartName[1:]) as source:
                    self.shared_strings = _string_table(source)

    return Reader


#: What reading a workbook raises when the file is not a whole .xlsx: the zip archive's
#: errors (a cut file, corrupt compressed data, a missing part) and the XML parser's.
#: (Opening one may also raise an OSError: openpyxl's "File contains no valid workbook part";
#: a part packed as Excel never does, or zip-encrypted, NotImplementedError or RuntimeError.)
UNREADABLE_WORKBOOK: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    ParseError,
    ValueError,
    EOFError,
    NotImplementedError,
    RuntimeError,
)

#: The libraries' words (English) for why a workbook cannot be read, each with the code of
#: what the catalogue says instead; their other words are told as `inputs.workbook-other`.
_WORKBOOK_WORDS: tuple[tuple[type[Exception], re.Pattern[str], str], ...] = tuple(
    (kind, re.compile(pattern), code)
    for kind, pattern, code in (
        (
            zipfile.BadZipFile,
            r"File is not a zip file|Bad offset for central directory"
            r"|Truncated central directory|Bad magic number for central directory",
            "inputs.workbook-not-zip",
        ),
        (
            zipfile.BadZipFile,
            r"Bad CRC-32 for file .*|Bad magic number for file header|Truncated file header"
            r"|Overlapped entries.*|Corrupt extra field.*|Corrupt zip64 extra field.*"
            r"|File name in directory .* and header .* differ\.",
            "inputs.workbook-damaged",
        ),
        (zlib.error, r"Error -?\d+ while decompressing data.*", "inputs.workbook-damaged"),
        (OSError, r"Invalid data stream", "inputs.workbook-damaged"),  # (bz2's)
        (EOFError, r".*", "inputs.workbook-damaged"),
        (
            KeyError,
            r"There is no item named '(?P<part>.*)' in the archive",
            "inputs.workbook-missing-part",
        ),
        (OSError, r"File contains no valid workbook part", "inputs.workbook-not-excel"),
        (
            NotImplementedError,
            r"That compression method is not supported|compression type \d+.*"
            r"|compressed patched data.*|zip file version.*",
            "inputs.workbook-repacked",
        ),
        (NotImplementedError, r"strong encryption.*", "inputs.workbook-zip-password"),
        (RuntimeError, r"File .* is encrypted, password .*", "inputs.workbook-zip-password"),
        (ParseError, r".*", "inputs.workbook-bad-xml"),
        (BadPart, r".*", "inputs.workbook-bad-xml"),
    )
)


def unreadable_workbook(exc: Exception, file: str) -> CutoverError:
    """Return the error for the workbook `file` that could not be read (`exc`, one of
    `UNREADABLE_WORKBOOK`, or an OSError on opening it): why, as the catalogue says it."""
    if isinstance(exc, OSError) and exc.errno is not None:
        # The file itself could not be read (a refusal of the system): not a damaged workbook.
        reason = os_reason(exc)
        return CutoverError.of(
            "inputs.cannot-read", file=file, label=Msg("inputs.file"), reason=reason
        )
    if isinstance(exc, OpenDocument):
        return CutoverError.of("inputs.workbook-ods", file=file)
    return CutoverError.of("inputs.workbook-corrupt", file=file, reason=_reason(exc))


def _reason(exc: Exception) -> Msg:
    """Return why a workbook could not be read, as the catalogue says it; the library's
    own words (English) only where no text says it, and only in English."""
    # (A KeyError's text is its key's repr: the words are its argument.)
    words = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    lines = words.strip().splitlines()
    said = lines[0] if lines else ""
    for kind, pattern, code in _WORKBOOK_WORDS:
        match = pattern.fullmatch(said) if isinstance(exc, kind) else None
        if match is not None:
            return Msg(code, {k: clip(printable(v), 200) for k, v in match.groupdict().items()})
    detail = clip(printable(said or type(exc).__name__), 200)
    return Msg("inputs.workbook-other", {"detail": detail})
