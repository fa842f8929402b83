"""Reading the CSV files coordinators give us: encodings, headers, line numbers, refusals.

Every CSV input of `cutover` goes through `CsvFile`: it detects UTF-8, UTF-8 with BOM and
cp932 (Shift_JIS saved by Excel), maps English or Japanese headers to canonical column
names, refuses columns that name personal numbers, and yields each data row with the
physical line it starts on, so that no row is ever dropped without a message.

Large files (a national query log) are read as bytes, a block of whole lines at a time,
and split into columns with `str` methods; only blocks with a quote character go through
the csv module. Cutting bytes at LF is safe in every encoding read here: neither UTF-8 nor
cp932 has a multi-byte character that contains a CR or LF byte.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import shutil
import stat
import tempfile
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import BinaryIO

import attrs

from cutover.domain import normalize_text
from cutover.errors import CutoverError, Problem
from cutover.personal_number import (
    holds_personal_number,
    is_personal_number_column,
    may_hold_personal_number,
    refusal,
)

__all__ = [
    "CsvBlock",
    "CsvFile",
    "CsvLayout",
    "CsvRow",
    "CsvSpan",
    "ScannedBlock",
    "detect_encoding",
    "header_key",
]

_SNIFF_BYTES = 64 * 1024
# Bytes read per block: large enough that per-block work is negligible, small enough that a
# block's strings stay a few megabytes whatever the file's length, and no more than the csv
# module's field size limit (128 KiB), so that the long-value check is rarely needed.
_BLOCK_BYTES = 128 * 1024


# What Japanese Excel offers when a CSV is asked for: the fix of every "not a CSV" refusal.
_SAVE_AS_CSV = (
    "open it in Excel and save it with 名前を付けて保存 as 「CSV UTF-8 (コンマ区切り)」 "
    "(or 「CSV (コンマ区切り)」), then give that file"
)
_SAVE_AS_UTF8 = (
    "save it again as UTF-8: in メモ帳, 名前を付けて保存 with 文字コード 「UTF-8」; or open it "
    "in Excel and save it as 「CSV UTF-8 (コンマ区切り)」"
)
# Bytes Python's cp932 decoder accepts although Shift_JIS has no character there (0x80,
# 0xA0, 0xFD-0xFF, decoded to U+0080 and U+F8F0-U+F8F3): a file holding them is in another
# encoding, and reading on would put garbage into names.
_CP932_STRAY = re.compile("[\x80\uf8f0-\uf8f3]")


_ESCAPE = "an escape byte"
# The escape sequences of ISO-2022-JP (RFC 1468) and its extensions: to and from JIS X 0208
# (ESC $ @, ESC $ B), JIS X 0212 and 0213 (ESC $ ( D, O, P, Q), ASCII, JIS X 0201 roman and
# katakana (ESC ( B, J, I).
_JIS_ESCAPE = re.compile(rb"\x1b(?:\$[@B]|\$\([DOPQ]|\([BJI])")


def _decode(data: bytes, codec: str) -> str:
    """Return `data` decoded; raise `UnicodeDecodeError` for bytes the codec has no character for.

    Strict for cp932 too: the bytes its decoder lets through (`_CP932_STRAY`) are refused.
    """
    text = data.decode(codec)
    if "\x1b" in text:  # (maybe an escape sequence of ISO-2022-JP, past the bytes sniffed)
        escape = _JIS_ESCAPE.search(data)
        if escape is not None:
            raise UnicodeDecodeError(codec, data, escape.start(), escape.end(), _ESCAPE)
    if codec == "cp932":
        stray = _CP932_STRAY.search(text)
        if stray is not None:
            start = len(text[: stray.start()].encode(codec))
            raise UnicodeDecodeError(codec, data, start, start + 1, "no Shift_JIS character")
    return text


def _line_at(data: bytes, offset: int) -> int:
    """Return the line of `data` (the start of a file) that byte `offset` is on."""
    before = data[:offset]
    return 1 + before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n")


def _not_csv(head: bytes) -> str | None:
    """Return what a file that starts with `head` is when it is plainly not CSV text, or None.

    The usual mistakes: the workbook itself, or Excel's 「Unicode テキスト」 (UTF-16), given
    where its CSV was meant.
    """
    if head.startswith(b"PK\x03\x04"):
        return "an Excel workbook (.xlsx) or another ZIP archive, not a CSV file"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "an Excel 97-2003 workbook (.xls), not a CSV file"
    first = re.split(b"[\r\n]", head, maxsplit=1)[0]
    # UTF-16 without its BOM: the ASCII characters (commas at least) leave NUL bytes on one
    # side of each pair only; Japanese characters leave none.
    odd, even = first[1::2].count(0), first[0::2].count(0)
    one_sided = min(odd, even) == 0 and max(odd, even) >= max(2, len(first) // 16)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or one_sided:
        return "UTF-16 text (Excel's 「Unicode テキスト」), not a CSV file in UTF-8 or Shift_JIS"
    if b"\x00" in first:
        return "binary data (NUL bytes in the header line), not a CSV file"
    return None


_NOT_ASCII = re.compile(rb"[\x80-\xff]")


def _past_ascii(raw: BinaryIO) -> tuple[int, bytes] | None:
    """Return the offset of the file's first byte that is not ASCII and the bytes from it
    (up to `_SNIFF_BYTES` of them), or None when every byte is ASCII.

    A log with English headers and plain rows for its first 64 KB may have a Japanese
    status or memo much further on: its encoding is known only there. Every byte before it
    is ASCII, so the bytes returned start on a character.
    """
    raw.seek(0)
    offset = 0
    while chunk := raw.read(1 << 20):
        if not chunk.isascii():
            match = _NOT_ASCII.search(chunk)
            assert match is not None
            rest = chunk[match.start() :]
            if len(rest) < _SNIFF_BYTES:
                rest += raw.read(_SNIFF_BYTES - len(rest))
            return offset + match.start(), rest
        offset += len(chunk)
    return None


# Base64 runs of UTF-7 (``+nOVT1ncM-`` is 鳥取県): a plus sign, then letters, digits, + and /.
_UTF7_RUN = re.compile(rb"\+[A-Za-z0-9+/]{3,}-?")
# Where a Japanese text's characters lie: kana and CJK punctuation, kanji, full-width forms.
_JAPANESE = re.compile("[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff5e]")
_HALF_WIDTH_KANA = re.compile("[\uff61-\uff9f]")


def _japanese_in(text: str) -> int:
    return len(_JAPANESE.findall(text))


def _foreign_encoding(head: bytes) -> tuple[str, int] | None:
    """Return the name of the encoding `head` (a file's first bytes) is in when it is one
    of the other Japanese encodings, which read as UTF-8 or cp932 would give garbage
    (mojibake) without an error, and the offset of its first such character; None when it
    is not one of them.

    - ISO-2022-JP (JIS, as some mail and old systems write): ASCII with escape sequences,
      which no CSV text holds;
    - UTF-7: ASCII, with Japanese as base64 runs after a plus sign;
    - EUC-JP (old Unix systems): read as cp932 it turns mostly into half-width katakana,
      or fails, where EUC-JP reads Japanese.
    """
    escape = _JIS_ESCAPE.search(head)
    if escape is not None:
        return "ISO-2022-JP (JIS)", escape.start()
    if head.isascii():
        runs = list(_UTF7_RUN.finditer(head))
        text = b"".join(run[0] for run in runs).decode("utf-7", "replace")
        if runs and _japanese_in(text) >= 2:
            return "UTF-7", runs[0].start()
        return None
    if head.startswith(codecs.BOM_UTF8):
        return None
    euc = codecs.getincrementaldecoder("euc_jp")()
    try:
        as_euc = euc.decode(head, final=False)
    except UnicodeDecodeError:
        return None
    try:
        _decode(head, "utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return None
    try:
        as_cp932 = codecs.getincrementaldecoder("cp932")().decode(head, final=False)
    except UnicodeDecodeError:
        return "EUC-JP", _first_not_ascii(head)
    # (Shift_JIS text of half-width katakana alone, ﾄｯﾄﾘｹﾝ, reads as EUC-JP kanji too: a
    # file of nothing else would be taken for EUC-JP. One full-width character rules that out.)
    half_width = len(_HALF_WIDTH_KANA.findall(as_cp932))
    if half_width > _japanese_in(as_cp932) and _japanese_in(as_euc):
        return "EUC-JP", _first_not_ascii(head)
    return None


def _first_not_ascii(data: bytes) -> int:
    match = _NOT_ASCII.search(data)
    return 0 if match is None else match.start()


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


@attrs.frozen
class ScannedBlock:
    """A run of consecutive data rows that a `CsvFile.spans` caller's scanner read itself
    from the plain text, one row per line: `lines[i]` is row i's line; `found` is whatever
    the scanner made of them."""

    lines: range
    found: object

    def __len__(self) -> int:
        return len(self.lines)


#: A scanner for `CsvFile.spans`: given a stretch of decoded text (whole lines) and the line
#: it starts on, the rows it read itself, or None to have them split into columns as usual.
Scanner = Callable[[str, int], ScannedBlock | None]


@attrs.frozen
class CsvLayout:
    """What a file's header says: its encoding, its columns, and where the data starts."""

    encoding: str  # as detected: utf-8, utf-8-sig or cp932
    index: Mapping[str, int]  # canonical column name → position in a row
    width: int  # the number of columns in the header
    data_start: int  # byte offset of the first line after the header
    data_line: int  # that line's number (the header's lines are 1 …)
    size: int  # the file's size in bytes when the header was read
    #: the header's columns up to its last that is not blank: a header saved by Excel may
    #: end with blank cells (``code,name,,``) that some of its rows leave out
    named: int = attrs.field()

    @named.default
    def _named_default(self) -> int:
        return self.width

    @property
    def codec(self) -> str:
        """Return the codec that decodes the data lines (the BOM is behind them)."""
        return "utf-8" if self.encoding == "utf-8-sig" else self.encoding


@attrs.frozen
class CsvSpan:
    """The rows read from one stretch of a file: bytes ``[start, end)``, whole records only.

    `line` is the line the stretch starts on and `lines` the number of physical lines in it,
    so ``line + lines`` is the line of the byte at `end`.
    """

    start: int
    end: int
    line: int
    lines: int
    items: Sequence[CsvBlock | ScannedBlock | CutoverError]


def header_key(text: str) -> str:
    """Return the form in which a header cell is matched: folded, spaces and hyphens as ``_``."""
    return normalize_text(text).replace(" ", "_").replace("-", "_")


@attrs.define
class CsvFile:
    """A CSV file read as rows of canonical columns.

    `columns` maps each canonical column name to the header spellings accepted for it
    (the canonical name itself is always accepted). Columns in `required` must be present.
    Other columns are ignored and never copied anywhere. Two columns that mean the same
    are refused (which to read?), but for the free-text `notes` columns: the first is read.
    """

    path: Path
    columns: Mapping[str, Sequence[str]]
    required: Sequence[str]
    label: str = attrs.field(default="")
    notes: frozenset[str] = attrs.field(default=frozenset())
    #: what is read: `path`, or the copy of a stream it names (`_readable`)
    _copy: Path | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def name(self) -> str:
        """Return the file name used in messages."""
        return str(self.path)

    def header_names(self) -> dict[str, str]:
        """Return the canonical column named by each accepted header spelling (`header_key`)."""
        aliases: dict[str, str] = {}
        for canonical, spellings in self.columns.items():
            for spelling in (canonical, *spellings):
                aliases[header_key(spelling)] = canonical
        return aliases

    def open_bytes(self) -> BinaryIO:
        """Return the file opened for reading bytes (a stream's copy: `_readable`)."""
        try:
            return self._readable().open("rb")
        except OSError as exc:
            raise CutoverError(
                f"cannot read {self.label or 'file'}: {exc.strerror}",
                fix="check the path",
                file=self.name,
            ) from None

    def _readable(self) -> Path:
        """Return the path to read: `path`, or a copy of what it streams.

        A file is read several times (its header, its encoding, its rows, a second process
        at an offset): a pipe or FIFO (``/dev/stdin``, ``<(…)``) can be read only once, so
        it is copied once into a temporary file, removed when this object goes. A device
        is not a file of rows (a terminal, ``/dev/zero``): refused.
        """
        if self._copy is not None:
            return self._copy
        try:
            mode = self.path.stat().st_mode
        except OSError:
            return self.path  # (opening it says what is wrong)
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
            raise CutoverError(
                f"the {self.label or 'file'} names a device (a terminal, a disk), not a file",
                fix="give the path of a CSV file, or send one in with < FILE",
                file=self.name,
            )
        if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
            return self.path
        try:
            with (
                self.path.open("rb") as stream,
                tempfile.NamedTemporaryFile(prefix="cutover-", suffix=".csv", delete=False) as copy,
            ):
                self._copy = Path(copy.name)
                weakref.finalize(self, _remove, self._copy)
                shutil.copyfileobj(stream, copy)
        except OSError as exc:
            raise CutoverError(
                f"cannot read {self.label or 'file'}: {exc.strerror}",
                fix="check the path, or free space in the temporary directory "
                f"({tempfile.gettempdir()})",
                file=self.name,
            ) from None
        return self._copy

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
            refused = _personal_numbers(block)
            for k, line in enumerate(block.lines):
                if k in refused:
                    yield CutoverError.from_problems(
                        Problem(*refusal(name, value), file=self.name, line=line)
                        for name, value in refused[k]
                    )
                    continue
                yield CsvRow(line, {n: c[k].strip() for n, c in zip(names, columns, strict=True)})

    def blocks(self) -> Iterator[CsvBlock | CutoverError]:
        """Yield the data rows in blocks, by column, or a `CutoverError` for an unreadable row.

        The same rows, lines and errors as `rows`, in file order, but values are not
        stripped, and a block holds many rows: callers that process a column at a time
        (triage of a 2,000,000-row file) avoid building one object per row.
        """
        for span in self.spans():
            for item in span.items:
                assert not isinstance(item, ScannedBlock)  # (only with a scanner)
                yield item

    def layout(self) -> CsvLayout:
        """Return what the header says, or raise `CutoverError` when it cannot be used."""
        with self.open_bytes() as raw:
            head = raw.read(_SNIFF_BYTES)
            what = _not_csv(head)
            if what is not None:
                raise CutoverError(f"the file is {what}", fix=_SAVE_AS_CSV, file=self.name, line=1)
            self._refuse_foreign(head)
            encoding = detect_encoding(head)
            if encoding == "utf-8" and head.isascii() and len(head) == _SNIFF_BYTES:
                # ASCII so far is both UTF-8 and cp932: the first other byte tells which.
                later = _past_ascii(raw)
                if later is not None:
                    start, sample = later
                    self._refuse_foreign(sample, start)
                    encoding = detect_encoding(sample)
            start = len(codecs.BOM_UTF8) if encoding == "utf-8-sig" else 0
            size = raw.seek(0, io.SEEK_END)
            source = _Source(raw, start)
            codec = "utf-8" if encoding == "utf-8-sig" else encoding
            consumed = 0

            def header_lines() -> Iterator[str]:
                nonlocal consumed
                for physical in source.lines():
                    consumed += 1
                    yield _decode(physical, codec)

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
            return CsvLayout(
                encoding=encoding,
                index=self._index(header),
                width=len(header),
                data_start=source.pos,
                data_line=consumed + 1,
                size=size,
                named=max((i + 1 for i, cell in enumerate(header) if cell.strip()), default=0),
            )

    def spans(
        self,
        layout: CsvLayout | None = None,
        *,
        start: int | None = None,
        line: int | None = None,
        stop: int | None = None,
        scanner: Scanner | None = None,
        block_bytes: int | None = None,
    ) -> Iterator[CsvSpan]:
        """Yield the data rows a stretch of whole lines at a time, with where each stretch is.

        By default from the first data line to the end. `start` (a byte offset where a
        record begins, on line `line`) and `stop` (a line start) read part of the file: the
        last span ends at the first record end at or after `stop`, which is past `stop`
        only when a quoted value runs over it. The rows are those `blocks` yields, but for
        stretches `scanner` reads itself (a `ScannedBlock` then stands for them), in
        stretches of about `block_bytes`.
        """
        if layout is None:
            layout = self.layout()
        if start is None or line is None:
            start, line = layout.data_start, layout.data_line
        limit = csv.field_size_limit()
        codec = layout.codec
        with self.open_bytes() as raw:
            source = _Source(raw, start, stop, block_bytes)
            while True:
                begin = source.pos
                try:
                    chunk = source.chunk()
                    text = _decode(chunk, codec)
                except UnicodeDecodeError as exc:
                    raise self._fatal(exc, line, layout.encoding) from None
                if not chunk:
                    return
                scanned = None if scanner is None else scanner(text, line)
                if scanned is not None:
                    yield CsvSpan(begin, source.pos, line, len(scanned), (scanned,))
                    line += len(scanned)
                    continue
                block = _plain_block(text, layout.index, layout.width, line, limit)
                if block is not None:
                    n = len(block)
                    yield CsvSpan(begin, source.pos, line, n, (block,))
                else:
                    items, n = self._quoted_block(text, source, layout, line)
                    yield CsvSpan(begin, source.pos, line, n, items)
                line += n

    def _quoted_block(
        self, text: str, source: _Source, layout: CsvLayout, line: int
    ) -> tuple[list[CsvBlock | CutoverError], int]:
        """Return the rows of `text` (starting on `line`) parsed by the csv module, and the
        number of physical lines read in all.

        A quoted value may span lines beyond the text: those are read from `source`.
        """
        # Lines split as the csv module splits them: at LF, CRLF or a lone CR.
        chunk_lines = io.StringIO(text, newline="").readlines()
        pending = iter(chunk_lines)
        left = len(chunk_lines)
        consumed = 0
        codec = layout.codec

        def physical_lines() -> Iterator[str]:
            nonlocal left, consumed
            for physical in pending:
                left -= 1
                consumed += 1
                yield physical
            # Only reached while a quoted value is still open at the text's end.
            for more in source.lines():
                consumed += 1
                yield _decode(more, codec)

        index, width, named = layout.index, layout.width, layout.named
        reader = csv.reader(physical_lines())
        items: list[CsvBlock | CutoverError] = []
        lines: list[int] = []
        columns: dict[str, list[str]] = {name: [] for name in index}
        while left:
            start = line + consumed
            try:
                record = next(reader)
            except StopIteration:
                break
            except (csv.Error, UnicodeDecodeError) as exc:
                raise self._fatal(exc, start, layout.encoding) from None
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # a blank line is not a data row
            problem = None
            # A row may leave out all the blank cells the header ends with (Excel drops the
            # commas of empty cells at the end of some rows): nothing is read from them. Not
            # some of them: a row one value short of the header's width may be a value with an
            # unquoted comma (2,21) and the trailing comma left out, read one column off.
            if len(record) != width and len(record) != named:
                problem = (
                    f"{len(record)} columns where the header has {width}",
                    _column_count_fix(record, width),
                )
            elif any("\x00" in value for value in record):
                # The csv module passes a NUL into the value: no text of ours holds one.
                problem = (
                    "a NUL byte in this row: the file is damaged here, or holds binary data",
                    "remove the NUL byte, or save the file again as CSV from the spreadsheet",
                )
            if problem is not None:
                if lines:
                    items.append(CsvBlock(lines, columns))
                    lines, columns = [], {name: [] for name in index}
                message, fix = problem
                items.append(CutoverError(message, fix=fix, file=self.name, line=start))
                continue
            lines.append(start)
            for name, i in index.items():
                columns[name].append(record[i])
        if lines:
            items.append(CsvBlock(lines, columns))
        return items, consumed

    def _refuse_foreign(self, sample: bytes, start: int = 0) -> None:
        """Raise when `sample`, the file's bytes from offset `start` on, is in another
        Japanese encoding than UTF-8 or cp932 (`_foreign_encoding`)."""
        foreign = _foreign_encoding(sample)
        if foreign is None:
            return
        name, offset = foreign
        with self.open_bytes() as raw:  # (the lines before `sample`, counted only now)
            before = raw.read(start)
        raise CutoverError(
            f"the file is in {name}, not in UTF-8 or Shift_JIS (cp932): its Japanese would "
            "be read as garbage",
            fix=_SAVE_AS_UTF8,
            file=self.name,
            line=_line_at(before + sample, start + offset),
        )

    def _fatal(self, exc: Exception, line: int, encoding: str) -> CutoverError:
        if isinstance(exc, UnicodeDecodeError) and exc.reason == _ESCAPE:
            return CutoverError(
                "an escape sequence: the file is in ISO-2022-JP (JIS) from here, not in UTF-8 or "
                "Shift_JIS (cp932)",
                fix=_SAVE_AS_UTF8,
                file=self.name,
                line=self._undecodable_line(encoding) or line,
            )
        if isinstance(exc, UnicodeDecodeError):
            return CutoverError(
                f"bytes that are not valid {encoding}",
                fix="save the file as UTF-8 or as Shift_JIS (cp932), in one encoding throughout",
                file=self.name,
                line=self._undecodable_line(encoding) or line,
            )
        return CutoverError(
            f"unreadable CSV ({exc})",
            fix="save the file again as CSV from the spreadsheet",
            file=self.name,
            line=line,
        )

    def _undecodable_line(self, encoding: str) -> int | None:
        """Return the physical line holding the first bytes `encoding` cannot decode.

        A block fails to decode as a whole; reading the bytes again line by line names the
        exact line. Splitting bytes at CR and LF is safe in UTF-8 and cp932, whose
        multi-byte characters never contain those bytes.
        """
        codec = "utf-8" if encoding == "utf-8-sig" else encoding
        line = 1
        try:
            with self._readable().open("rb") as raw:
                for number, physical in enumerate(raw):
                    data = physical[3:] if number == 0 and encoding == "utf-8-sig" else physical
                    try:
                        _decode(data, codec)
                    except UnicodeDecodeError as exc:
                        before = data[: exc.start]
                        return line + before.count(b"\r") - before.count(b"\r\n")
                    line += 1 + data.count(b"\r") - data.count(b"\r\n")
        except OSError:
            return None
        return None

    def _index(self, header: list[str]) -> dict[str, int]:
        aliases = self.header_names()
        index: dict[str, int] = {}
        for i, cell in enumerate(header):
            if holds_personal_number(cell):
                message, fix = refusal(f"header cell {i + 1}", cell)
                raise CutoverError(message, fix=fix, file=self.name, line=1)
            if is_personal_number_column(cell):
                raise CutoverError(
                    f"column {cell.strip()!r} names personal numbers (個人番号)",
                    fix="remove that column: cutover never needs personal numbers, "
                    "and refuses files that carry them",
                    file=self.name,
                    line=1,
                )
            name = aliases.get(header_key(cell))
            if name is not None and name in index and name in self.notes:
                continue  # a note: the first column is read, as both say what it is
            if name is not None and name in index:
                # Which would be read? A wrong guess drops a pending request or an id.
                raise CutoverError(
                    f"columns {header[index[name]].strip()!r} and {cell.strip()!r} both "
                    f"mean {name}",
                    fix="keep one of them: rename or delete the other, so that it is "
                    "clear which to read",
                    file=self.name,
                    line=1,
                )
            if name is not None:
                index[name] = i
        missing = [c for c in self.required if c not in index]
        # Tab-separated text read as CSV: its tabs outnumber the cells the commas made.
        if missing and sum(cell.count("\t") for cell in header) >= len(header):
            raise CutoverError(
                "the header is separated by tabs, not commas: the file is tab-separated text",
                fix=_SAVE_AS_CSV,
                file=self.name,
                line=1,
            )
        if missing:
            found = ",".join(h.strip() for h in header)
            spellings = "; ".join(
                f"{name} may also be written {', '.join(self.columns[name])}"
                for name in missing
                if self.columns[name]
            )
            raise CutoverError(
                f"missing column(s) {', '.join(missing)} in header {found!r}",
                fix=f"the header must name: {','.join(self.columns)}"
                + (f" ({spellings})" if spellings else ""),
                file=self.name,
                line=1,
            )
        return index


def _personal_numbers(block: CsvBlock) -> dict[int, list[tuple[str, str]]]:
    """Return the rows of `block` that hold a personal number: for each, by its index, the
    columns and values that hold one. Every value is checked; a column is first tested as a
    whole, which clears nearly every column at once."""
    refused: dict[int, list[tuple[str, str]]] = {}
    # Column by column: a column of codes or dates is ASCII, which the fast test reads as
    # bytes; only a column of Japanese text (names, details) needs the full search.
    for name, values in block.columns.items():
        if not may_hold_personal_number("\x00".join(values)):
            continue
        for k, value in enumerate(values):
            if holds_personal_number(value):
                refused.setdefault(k, []).append((name, value))
    return refused


_COLUMN_COUNT_FIX = "quote values that contain commas, and give every row the header's columns"


def _column_count_fix(record: Sequence[str], width: int) -> str:
    """Return the fix for a row of `record`'s values under a header of `width` columns."""
    if not any(value.strip() for value in record):
        return (
            "the row is empty: delete it (in Excel, select the empty rows under or between the "
            "data, delete them with 行の削除 and save again)"
        )
    extra = record[width:]
    if not extra or any(value.strip() for value in extra):
        return _COLUMN_COUNT_FIX
    commas = "a trailing comma" if len(extra) == 1 else f"{len(extra)} trailing commas"
    return (
        f"the row ends with {commas}, empty values the header has no column for: delete them "
        "(in Excel, delete the empty columns right of the table with 列の削除 and save again); "
        'if a value contains a comma, such as 2,21, quote it: "2,21"'
    )


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


class _Source:
    """A file's bytes from an offset, taken a block of whole lines at a time, or line by line.

    `pos` is the offset of the first byte not yet handed out. With `stop` (a line start),
    `chunk` hands out nothing at or past it; `lines` reads on regardless, for a quoted
    value that runs over.
    """

    def __init__(
        self, raw: BinaryIO, pos: int, stop: int | None = None, block: int | None = None
    ) -> None:
        raw.seek(pos)
        self._raw = raw
        self._block = _BLOCK_BYTES if block is None else block
        self._buffer = b""  # read but not yet handed out, from `_start` on
        self._start = 0
        self._eof = False
        self.pos = pos
        self._stop = stop

    def _read(self, size: int) -> bool:
        """Add up to `size` more bytes to the buffer; return False at the end of the file."""
        more = self._raw.read(size)
        if not more:
            self._eof = True
            return False
        self._buffer = self._buffer[self._start :] + more
        self._start = 0
        return True

    def chunk(self) -> bytes:
        """Return the next whole lines, about a block's bytes of them, or b"" at the end.

        Only the file's last line may lack its line break. A chunk ends with an LF, so it
        never ends inside a CRLF.
        """
        want = self._block
        if self._stop is not None:
            want = min(want, self._stop - self.pos)
            if want <= 0:
                return b""
        while len(self._buffer) - self._start < want and self._read(want):
            pass
        buffer, start = self._buffer, self._start
        cut = buffer.rfind(b"\n", start, start + want) + 1
        searched = len(buffer)
        while not cut:
            # A line longer than a block: read until it ends.
            if not self._read(self._block):
                cut = len(self._buffer)
                break
            cut = self._buffer.find(b"\n", searched - (start - self._start)) + 1
            start = self._start
            searched = len(self._buffer)
        data = self._buffer[self._start : cut]
        self._start = cut
        self.pos += len(data)
        return data

    def lines(self) -> Iterator[bytes]:
        """Yield the next physical lines, each with its line break (LF, CRLF or a lone CR).

        Stop pulling at any point: what is left is where the next `chunk` starts.
        """
        while True:
            buffer, start = self._buffer, self._start
            match = _LINE_END.search(buffer, start)
            # A CR at the very end may be the first half of a CRLF: read on to know.
            if match is not None and (match.end() < len(buffer) or match[0] != b"\r" or self._eof):
                self._start = match.end()
                self.pos += match.end() - start
                yield buffer[start : match.end()]
                continue
            if not self._read(_BLOCK_BYTES):
                if self._start < len(self._buffer):
                    rest = self._buffer[self._start :]
                    self._start = len(self._buffer)
                    self.pos += len(rest)
                    yield rest
                    continue
                return


_LINE_END = re.compile(rb"\r\n|\r|\n")


def _plain_block(
    text: str, index: Mapping[str, int], width: int, line: int, limit: int
) -> CsvBlock | None:
    """Return the lines of `text` (the first on `line`) split into columns, or None when it
    needs the csv module.

    Without a quote character, a CSV line is its text split at commas. Each line break is
    turned into a field of its own (``\\n``): the text splits into rows of exactly `width`
    fields only when every such field sits where a row ends, which keeps this identical to
    the csv module (blank lines, wrong column counts, quoted values and lone CRs go the
    slow way).
    """
    if width < 2 or '"' in text or "\x00" in text:
        return None  # (a NUL byte makes its row an error: the csv module's path says so)
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None  # a lone CR ends a line for the csv module: leave it to it
    if not text.endswith("\n"):
        text += "\n"  # the file's last line
    n = text.count("\n")
    stride = width + 1
    values = text.replace("\n", ",\n,").split(",")
    # n rows of `width` values and a line-break field each, then the empty text after the
    # last one. (A one-character field is a cached string: the extra fields cost nothing.)
    if len(values) != n * stride + 1 or values[width::stride].count("\n") != n:
        return None
    if len(text) > limit and max(map(len, values)) > limit:
        return None  # the csv module refuses a value longer than its field size limit
    stop = n * stride
    return CsvBlock(
        range(line, line + n),
        {name: values[i:stop:stride] for name, i in index.items()},
    )
