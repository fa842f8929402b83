"""Reading the CSV files coordinators give us: encodings, headers, line numbers, refusals.

Every CSV input of `cutover` goes through `CsvFile`: it detects UTF-8, UTF-8 with BOM and
cp932 (Shift_JIS saved by Excel), maps English or Japanese headers to canonical column
names, refuses columns that name personal numbers, and yields each data row with the
physical line it starts on, so that no row is ever dropped without a message.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO

import attrs

from cutover.domain import normalize_text
from cutover.errors import CutoverError

__all__ = ["CsvFile", "CsvRow", "detect_encoding", "is_personal_number_column"]

_SNIFF_BYTES = 64 * 1024

# Column names that would carry a person's My Number: the planner never needs one, so a file
# that has such a column is refused before any row is read.
_PERSONAL_NUMBER = re.compile(
    r"個人番号|マイナンバー|my[\s_\-]*number|individual[\s_\-]*number|kojin[\s_\-]*bang?ou?"
)


def is_personal_number_column(header: str) -> bool:
    """Return True when a column header names personal numbers (個人番号, my_number, …)."""
    return _PERSONAL_NUMBER.search(normalize_text(header)) is not None


def detect_encoding(head: bytes) -> str:
    """Return the codec for a file that starts with `head`: utf-8-sig, utf-8 or cp932."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        # final=False: the sniffed block may end inside a multi-byte character.
        decoder.decode(head, final=False)
    except UnicodeDecodeError:
        return "cp932"
    return "utf-8"


@attrs.frozen
class CsvRow:
    """One data row: the line it starts on, and its values by canonical column name."""

    line: int
    values: Mapping[str, str]


def _header_key(text: str) -> str:
    return normalize_text(text).replace(" ", "_").replace("-", "_")


@attrs.define
class CsvFile:
    """A CSV file read as rows of canonical columns.

    `columns` maps each canonical column name to the header spellings accepted for it
    (the canonical name itself is always accepted). Columns in `required` must be present.
    Other columns are ignored and never copied anywhere.
    """

    path: Path
    columns: Mapping[str, Sequence[str]]
    required: Sequence[str]
    label: str = attrs.field(default="")

    @property
    def name(self) -> str:
        """Return the file name used in messages."""
        return str(self.path)

    def _open(self) -> tuple[IO[str], str]:
        try:
            raw = self.path.open("rb")
        except OSError as exc:
            raise CutoverError(
                f"cannot read {self.label or 'file'}: {exc.strerror}",
                fix="check the path",
                file=self.name,
            ) from None
        head = raw.read(_SNIFF_BYTES)
        raw.seek(0)
        encoding = detect_encoding(head)
        return io.TextIOWrapper(raw, encoding=encoding, newline=""), encoding

    def rows(self) -> Iterator[CsvRow | CutoverError]:
        """Yield every data row, or a `CutoverError` for a row that cannot be read.

        A header problem (missing required column, personal-number column, empty file,
        undecodable bytes) raises at once: nothing in the file can be trusted then.
        """
        text, encoding = self._open()
        with text:
            reader = csv.reader(text)
            try:
                header = next(reader, None)
            except (csv.Error, UnicodeDecodeError) as exc:
                raise self._fatal(exc, 1, encoding) from None
            if header is None:
                raise CutoverError(
                    "the file is empty",
                    fix=f"add a header line: {','.join(self.columns)}",
                    file=self.name,
                    line=1,
                )
            index = self._index(header)
            width = len(header)
            line = reader.line_num + 1
            while True:
                try:
                    record = next(reader)
                except StopIteration:
                    return
                except (csv.Error, UnicodeDecodeError) as exc:
                    raise self._fatal(exc, line, encoding) from None
                start, line = line, reader.line_num + 1
                if not record or (len(record) == 1 and not record[0].strip()):
                    continue  # a blank line is not a data row
                if len(record) != width:
                    yield CutoverError(
                        f"{len(record)} columns where the header has {width}",
                        fix="quote values that contain commas, and give every row "
                        "the header's columns",
                        file=self.name,
                        line=start,
                    )
                    continue
                yield CsvRow(start, {name: record[i].strip() for name, i in index.items()})

    def _fatal(self, exc: Exception, line: int, encoding: str) -> CutoverError:
        if isinstance(exc, UnicodeDecodeError):
            return CutoverError(
                f"bytes that are not valid {encoding}",
                fix="save the file as UTF-8 or as Shift_JIS (cp932), in one encoding throughout",
                file=self.name,
                line=line,
            )
        reason = str(exc)
        if "NUL" in reason or "\\x00" in reason:
            reason = "a NUL byte"
        return CutoverError(
            f"unreadable CSV ({reason})",
            fix="save the file again as CSV from the spreadsheet",
            file=self.name,
            line=line,
        )

    def _index(self, header: list[str]) -> dict[str, int]:
        aliases: dict[str, str] = {}
        for canonical, spellings in self.columns.items():
            for spelling in (canonical, *spellings):
                aliases[_header_key(spelling)] = canonical
        index: dict[str, int] = {}
        for i, cell in enumerate(header):
            if is_personal_number_column(cell):
                raise CutoverError(
                    f"column {cell.strip()!r} names personal numbers (個人番号)",
                    fix="remove that column: cutover never needs personal numbers, "
                    "and refuses files that carry them",
                    file=self.name,
                    line=1,
                )
            canonical = aliases.get(_header_key(cell))
            if canonical is not None and canonical not in index:
                index[canonical] = i
        missing = [c for c in self.required if c not in index]
        if missing:
            found = ",".join(h.strip() for h in header)
            raise CutoverError(
                f"missing column(s) {', '.join(missing)} in header {found!r}",
                fix=f"the header must name: {','.join(self.columns)}",
                file=self.name,
                line=1,
            )
        return index
