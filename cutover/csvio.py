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
from itertools import repeat
from pathlib import Path
from typing import IO

import attrs

from cutover.domain import normalize_text
from cutover.errors import CutoverError

__all__ = ["CsvBlock", "CsvFile", "CsvRow", "detect_encoding", "is_personal_number_column"]

_SNIFF_BYTES = 64 * 1024
# Text read per block: large enough that per-block work is negligible, small enough that a
# block's strings stay a few megabytes whatever the file's length, and under the csv
# module's field size limit (128 KiB), so that the long-value check is never needed.
_BLOCK_CHARS = 96 * 1024

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


@attrs.frozen
class CsvBlock:
    """A run of consecutive data rows, by column.

    `lines[i]` is the line row i starts on, and `columns[name][i]` its value exactly as
    written (not stripped), for every canonical column the header has.
    """

    lines: Sequence[int]
    columns: Mapping[str, Sequence[str]]

    def __len__(self) -> int:
        return len(self.lines)


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
        for block in self.blocks():
            if isinstance(block, CutoverError):
                yield block
                continue
            names = tuple(block.columns)
            columns = tuple(block.columns.values())
            for k, line in enumerate(block.lines):
                yield CsvRow(line, {n: c[k].strip() for n, c in zip(names, columns, strict=True)})

    def blocks(self) -> Iterator[CsvBlock | CutoverError]:
        """Yield the data rows in blocks, by column, or a `CutoverError` for an unreadable row.

        The same rows, lines and errors as `rows`, in file order, but values are not
        stripped, and a block holds many rows: callers that process a column at a time
        (triage of a 2,000,000-row file) avoid building one object per row.
        """
        text, encoding = self._open()
        with text:
            source = _Text(text)
            consumed = 0

            def header_lines() -> Iterator[str]:
                nonlocal consumed
                for physical in source.lines():
                    consumed += 1
                    yield physical

            try:
                header = next(csv.reader(header_lines()), None)
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
            line = consumed  # physical lines read so far
            limit = csv.field_size_limit()
            while True:
                try:
                    chunk = source.block()
                except UnicodeDecodeError as exc:
                    raise self._fatal(exc, line + 1, encoding) from None
                if not chunk:
                    return
                block = _plain_block(chunk, index, width, line, limit)
                if block is not None:
                    line += len(block)
                    yield block
                    continue
                items, line = self._quoted_block(chunk, source, index, width, line, encoding)
                yield from items

    def _quoted_block(
        self,
        chunk: str,
        source: _Text,
        index: Mapping[str, int],
        width: int,
        line: int,
        encoding: str,
    ) -> tuple[list[CsvBlock | CutoverError], int]:
        """Return the rows of `chunk` parsed by the csv module, and the lines read in all.

        A quoted value may span lines beyond the chunk: those are read from `source`.
        """
        # Lines split as the text layer splits them with newline="": at LF, CRLF or a lone CR.
        chunk_lines = io.StringIO(chunk, newline="").readlines()
        pending = iter(chunk_lines)
        left = len(chunk_lines)
        consumed = 0

        def physical_lines() -> Iterator[str]:
            nonlocal left, consumed
            for physical in pending:
                left -= 1
                consumed += 1
                yield physical
            # Only reached while a quoted value is still open at the chunk's end.
            for physical in source.lines():
                consumed += 1
                yield physical

        reader = csv.reader(physical_lines())
        items: list[CsvBlock | CutoverError] = []
        lines: list[int] = []
        columns: dict[str, list[str]] = {name: [] for name in index}
        while left:
            start = line + consumed + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            except (csv.Error, UnicodeDecodeError) as exc:
                raise self._fatal(exc, start, encoding) from None
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # a blank line is not a data row
            if len(record) != width:
                if lines:
                    items.append(CsvBlock(lines, columns))
                    lines, columns = [], {name: [] for name in index}
                items.append(
                    CutoverError(
                        f"{len(record)} columns where the header has {width}",
                        fix="quote values that contain commas, and give every row "
                        "the header's columns",
                        file=self.name,
                        line=start,
                    )
                )
                continue
            lines.append(start)
            for name, i in index.items():
                columns[name].append(record[i])
        if lines:
            items.append(CsvBlock(lines, columns))
        return items, line + consumed

    def _fatal(self, exc: Exception, line: int, encoding: str) -> CutoverError:
        if isinstance(exc, UnicodeDecodeError):
            return CutoverError(
                f"bytes that are not valid {encoding}",
                fix="save the file as UTF-8 or as Shift_JIS (cp932), in one encoding throughout",
                file=self.name,
                line=self._undecodable_line(encoding) or line,
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

    def _undecodable_line(self, encoding: str) -> int | None:
        """Return the physical line holding the first bytes `encoding` cannot decode.

        The text decoder fails a whole buffer at a time; reading the bytes again line by
        line names the exact line. Splitting bytes at CR and LF is safe in UTF-8 and cp932,
        whose multi-byte characters never contain those bytes.
        """
        codec = "utf-8" if encoding == "utf-8-sig" else encoding
        line = 1
        try:
            with self.path.open("rb") as raw:
                for number, physical in enumerate(raw):
                    data = physical[3:] if number == 0 and encoding == "utf-8-sig" else physical
                    try:
                        data.decode(codec)
                    except UnicodeDecodeError as exc:
                        before = data[: exc.start]
                        return line + before.count(b"\r") - before.count(b"\r\n")
                    line += 1 + data.count(b"\r") - data.count(b"\r\n")
        except OSError:
            return None
        return None

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
            name = aliases.get(_header_key(cell))
            if name is not None and name not in index:
                index[name] = i
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


class _Text:
    """A file's decoded text, taken a block of whole lines at a time, or line by line."""

    def __init__(self, text: IO[str]) -> None:
        self._text = text
        self._buffer = ""  # read but not yet handed out, from `_start` on
        self._start = 0

    def block(self) -> str:
        """Return the next whole lines, about `_BLOCK_CHARS` of them, or "" at the end.

        Only the file's last line may lack its line break. A block never ends inside a
        CRLF: it ends with an LF.
        """
        parts = [self._buffer[self._start :]]
        self._buffer, self._start = "", 0
        while True:
            more = self._text.read(_BLOCK_CHARS)
            if not more:
                return "".join(parts)
            cut = more.rfind("\n") + 1
            if cut:
                parts.append(more[:cut])
                self._buffer = more[cut:]
                return "".join(parts)
            parts.append(more)

    def lines(self) -> Iterator[str]:
        """Yield the next physical lines, split as the text layer splits them (newline="").

        Stop pulling at any point: what is left is where the next `block` starts.
        """
        while True:
            buffer, start = self._buffer, self._start
            match = _LINE_END.search(buffer, start)
            # A CR at the very end may be the first half of a CRLF: read on to know.
            if match is not None and (match.end() < len(buffer) or match[0] != "\r"):
                self._start = match.end()
                yield buffer[start : match.end()]
                continue
            more = self._text.read(_BLOCK_CHARS)
            if not more:
                if start < len(buffer):
                    self._start = len(buffer)
                    yield buffer[start:]
                return
            self._buffer, self._start = buffer[start:] + more, 0


_LINE_END = re.compile(r"\r\n|\r|\n")


def _plain_block(
    text: str, index: Mapping[str, int], width: int, line: int, limit: int
) -> CsvBlock | None:
    """Return the lines of `text` split into columns, or None when it needs the csv module.

    Without a quote character, a CSV line is its text split at commas; checking each
    line's comma count and line ending first keeps this identical to the csv module
    (blank lines, wrong column counts, quoted values and lone CRs go the slow way).
    """
    if width < 2 or '"' in text:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None  # a lone CR ends a line for the csv module: leave it to it
    if not text.endswith("\n"):
        text += "\n"  # the file's last line
    lines = text.split("\n")  # the last item is the empty text after the last LF
    n = len(lines) - 1
    if len(text) > limit and max(map(len, lines)) > limit:
        return None  # the csv module refuses a value longer than its field size limit
    commas = width - 1
    if text.count(",") != n * commas:
        return None
    if list(map(str.count, lines, repeat(","))).count(commas) != n:
        return None
    values = text.replace("\n", ",").split(",")
    stop = n * width
    return CsvBlock(
        range(line + 1, line + 1 + n),
        {name: values[i:stop:width] for name, i in index.items()},
    )
