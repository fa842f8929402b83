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
import stat
import tempfile
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain, repeat
from pathlib import Path
from typing import BinaryIO

import attrs

from cutover.errors import (
    CutoverError,
    Problem,
    clip,
    os_reason,
    printable,
    warn_input,
)
from cutover.i18n.catalogue import Alternatives, Msg
from cutover.inputs.blocks import (
    CsvBlock,
    CsvLayout,
    CsvRow,
    CsvSpan,
    ScannedBlock,
    Scanner,
    headed,
)
from cutover.inputs.columns import column_aliases, header_key, other_kind
from cutover.inputs.encodings import (
    _ESCAPE,
    _SAVE_AS_CSV,
    _SAVE_AS_UTF8,
    _SNIFF_BYTES,
    ENCODING_NAMES,
    _decode,
    _foreign_encoding,
    _line_at,
    _not_csv,
    _past_ascii,
    detect_encoding,
)
from cutover.inputs.guard import block_holding, record_holding
from cutover.inputs.quotes import FREE_TEXT, open_quote, overlong_value
from cutover.inputs.source import InputText, _plain_block, _remove, _Source, near_names
from cutover.inputs.titles import header_below_titles
from cutover.jp.personal_number import (
    holds_personal_number,
    is_personal_number_column,
    refused,
)

__all__ = ["MAX_STREAM_BYTES", "CsvFile", "InputText", "column_aliases", "header_key"]

# The end-of-file mark of DOS (Ctrl+Z), which some programs still write after the last line.
_EOF_MARK = "\x1a"
# Bytes read at a time when a stream is copied (`CsvFile._readable`).
_COPY_BYTES = 1 << 20
#: The most bytes a stream (a pipe, a FIFO, a file of size 0 under /proc) may send: it is
#: copied into a temporary file before it is read, and one that never ends would fill the
#: disk. 2 GiB is ten times the largest input measured (a national query log of 3,000,000
#: rows, 200 MB: docs/performance.md); a file on disk is read where it is, with no limit.
MAX_STREAM_BYTES = 2 << 30
# The first bytes of a workbook (a zip archive, or an OLE2 compound file): copied, and read
# as a workbook (`cutover.inputs.workbook.open_table`).
_WORKBOOK_HEADS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
# Problems of a header read from a stream's first bytes alone that may be the cut's, not
# the file's (a character or a quoted value cut in two): left for the reading of the whole.
_CUT_CODES = frozenset(
    {
        "inputs.foreign-encoding",
        "inputs.jis-escape",
        "inputs.undecodable",
        "inputs.unreadable-csv",
        "inputs.value-too-long",
    }
)


@attrs.define
class CsvFile:
    """A CSV file read as rows of canonical columns.

    `columns` maps each canonical column name to the header spellings accepted for it
    (the canonical name itself is always accepted). Columns in `required` must be present.
    Other columns are ignored and never copied anywhere. Two columns that mean the same
    are refused (which to read?), but for the free-text `notes` columns: the first is read.
    `label` is what messages call the file (``Msg("inputs.file-agencies")``: 団体一覧の
    ファイル / agencies file); a plain string is shown as it is, in every language.
    `free_text` are the columns whose values may hold line breaks (a cell Excel wrote on
    several lines); in any other, a line break is a quote left open (`cutover.inputs.quotes`).
    """

    path: Path
    columns: Mapping[str, Sequence[str]]
    required: Sequence[str]
    label: Msg | str = attrs.field(default="")
    notes: frozenset[str] = attrs.field(default=frozenset())
    free_text: frozenset[str] = attrs.field(default=FREE_TEXT, kw_only=True)
    #: the file's bytes, when given in memory (`InputText`): `path` is then only its name
    content: bytes | None = attrs.field(default=None, kw_only=True, repr=False)
    #: what is read: `path`, or the copy of a stream it names (`_readable`)
    _copy: Path | None = attrs.field(default=None, init=False, repr=False, eq=False)
    #: the header's layout, once read (`layout`)
    _header: CsvLayout | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def name(self) -> str:
        """Return the file name used in messages."""
        return str(self.path)

    def locate(self, problem: Problem) -> Problem:
        """Return `problem` (of one of this file's rows) with its column named as the file's
        header writes it (`headed`): a line locates it (`WorkbookFile.locate` adds a sheet
        and a cell)."""
        if self._header is None or problem.file != printable(self.name):
            return problem
        return headed(problem, self._header.index, self._header.header)[1]

    def outside_values(self) -> dict[int, tuple[str, str, tuple[str, ...]]]:
        """Return, for each row whose columns read are all blank and that holds a value in a
        column the reader does not read (a note under 備考), by its line: that column's
        header as written, the value, and the headers of the columns read. The file is
        read again, once (a reader asks only when it finds rows with every column blank)."""
        layout = self.layout()
        read = set(layout.index.values())
        columns = tuple(layout.header[i].strip() for i in sorted(read))
        found: dict[int, tuple[str, str, tuple[str, ...]]] = {}
        with self.open_bytes() as raw, self._reading():
            raw.seek(layout.data_start)
            with io.TextIOWrapper(raw, encoding=layout.codec, errors="replace", newline="") as text:
                reader = csv.reader(text)
                start = layout.data_line
                for record in reader:
                    line, start = start, layout.data_line + reader.line_num
                    if any(record[i].strip() for i in read if i < len(record)):
                        continue
                    for i, value in enumerate(record):
                        if i not in read and value.strip():
                            header = layout.header[i].strip() if i < len(layout.header) else ""
                            found[line] = (header or str(i + 1), value.strip(), columns)
                            break
        return found

    def _label(self) -> Msg | str:
        """Return what messages call the file: its `label`, or 「ファイル」 / "file"."""
        return self.label or Msg("inputs.file")

    def header_names(self) -> dict[str, str]:
        """Return the canonical column named by each accepted header spelling (`header_key`)."""
        return column_aliases(self.columns)

    def open_bytes(self) -> BinaryIO:
        """Return the file opened for reading bytes (a stream's copy: `_readable`; the bytes
        given in memory: `content`)."""
        if self.content is not None:
            return io.BytesIO(self.content)
        try:
            return self._readable().open("rb")
        except OSError as exc:
            missing = isinstance(exc, FileNotFoundError)  # (then no Excel holds it open)
            near = near_names(self.path) if missing else ()
            code = "inputs.cannot-read-missing" if missing else "inputs.cannot-read"
            raise CutoverError.of(
                "inputs.cannot-read-near" if near else code,
                file=self.name,
                label=self._label(),
                reason=os_reason(exc),
                names=near,
            ) from None

    def _readable(self) -> Path:
        """Return the path to read: `path`, or a copy of what it streams.

        A file is read several times (its header, its encoding, its rows, a second process
        at an offset): a pipe or FIFO (``/dev/stdin``, ``<(…)``) can be read only once, so
        it is copied once into a temporary file, removed when this object goes. So is a
        file whose size is 0: a file the system makes as it is read (``/proc/self/status``)
        has that size whatever it holds, cannot be sought to its end, and may read otherwise
        each time (an empty file is copied in no time). A device is not a file of rows (a
        terminal, ``/dev/zero``): refused. A stream is refused as soon as its first bytes
        show it is not CSV, or its header is wrong (`_check_head`), and when it sends more
        than `MAX_STREAM_BYTES` (``/proc/self/pagemap`` never ends).
        """
        if self._copy is not None:
            return self._copy
        try:
            status = self.path.stat()
        except OSError:
            return self.path  # (opening it says what is wrong)
        mode = status.st_mode
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
            raise CutoverError.of("inputs.device", file=self.name, label=self._label())
        streamed = stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)
        if not streamed and not (stat.S_ISREG(mode) and status.st_size == 0):
            return self.path
        with self._reading():
            stream = self.path.open("rb")
        copied: Path | None = None
        try:
            with (
                stream,
                tempfile.NamedTemporaryFile(prefix="cutover-", suffix=".csv", delete=False) as copy,
            ):
                copied = Path(copy.name)
                weakref.finalize(self, _remove, copied)
                # (Not shutil.copyfileobj: a failed read is the file's problem, not the copy's.)
                data = self._read(stream)
                if len(data) == _COPY_BYTES:  # (more to come: what is wrong is said now)
                    self._check_head(data)
                size = 0
                while data:
                    size += len(data)
                    if size > MAX_STREAM_BYTES:
                        raise CutoverError.of(
                            "inputs.stream-too-large",
                            file=self.name,
                            label=self._label(),
                            limit=MAX_STREAM_BYTES,
                        )
                    copy.write(data)
                    data = self._read(stream)
        except (OSError, CutoverError) as exc:
            if copied is not None:
                _remove(copied)  # (not left to fill the disk until this object goes)
            if isinstance(exc, OSError):
                raise self._cannot_copy(exc) from None
            raise
        self._copy = copied  # (only once whole: a part of the file is never read as all of it)
        return copied

    def _check_head(self, head: bytes) -> None:
        """Raise what the first bytes of a stream, `head`, already show wrong: bytes that
        are not CSV text (`_not_csv`), or a header that cannot be used (`layout`, read from
        the whole lines of `head`); a workbook is read as one (`open_table`)."""
        if head.startswith(_WORKBOOK_HEADS):
            return
        what = _not_csv(head[:_SNIFF_BYTES])
        if what is not None:
            raise CutoverError.of(
                "inputs.not-csv", file=self.name, line=1, what=what, how=_SAVE_AS_CSV
            )
        end = max(head.rfind(b"\n"), head.rfind(b"\r"))
        if end < 0:
            return
        lines = attrs.evolve(self, content=head[: end + 1])
        try:
            lines.layout()
        except CutoverError as exc:
            if not any(p.code in _CUT_CODES for p in exc.problems):
                raise

    def _read(self, stream: BinaryIO) -> bytes:
        """Return the next bytes of `stream`, the file (`_reading`)."""
        with self._reading():
            return stream.read(_COPY_BYTES)

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        """Turn an error of the system's while the file is read (``EIO``: a damaged disk,
        or ``/proc/self/mem``) into the file's problem, naming it and the reason."""
        try:
            yield
        except OSError as exc:
            raise CutoverError.of(
                "inputs.cannot-read", file=self.name, label=self._label(), reason=os_reason(exc)
            ) from None

    def _cannot_copy(self, exc: OSError) -> CutoverError:
        """Return the problem of a copy of the file (`_readable`) that could not be written."""
        return CutoverError.of(
            "inputs.cannot-copy",
            file=self.name,
            label=self._label(),
            reason=os_reason(exc),
            folder=tempfile.gettempdir(),
        )

    def rows(self) -> Iterator[CsvRow | CutoverError]:
        """Return every data row, or a `CutoverError` for a row that cannot be read.

        A header problem (missing required column, personal-number column, empty file,
        undecodable bytes) raises at once: nothing in the file can be trusted then.
        """
        # (The rows of a block are chained in C: Python runs once a block, not once a row.)
        return chain.from_iterable(map(_rows_of, self.stripped_blocks()))

    def stripped_blocks(self) -> Iterator[CsvBlock | CutoverError]:
        """Yield the rows of `rows` in blocks, by column: the same values, lines and errors,
        in file order (a row that holds a personal number is an error between blocks)."""
        for block in self.blocks():
            if isinstance(block, CutoverError):
                yield block
                continue
            # (A column stripped at once, in a C loop: a national file has 50,000 rows.)
            columns = {name: list(map(str.strip, c)) for name, c in block.columns.items()}
            holding = block_holding(block)
            start = 0
            for k in sorted(holding):
                if start < k:
                    yield _part(block.lines, columns, start, k)
                yield self._refusal(holding[k], block.lines[k])
                start = k + 1
            if start < len(block):
                yield _part(block.lines, columns, start, len(block))

    def _refusal(self, found: list[tuple[str, str]], line: int) -> CutoverError:
        """Return the error of the row on `line`, whose columns and values `found` hold a
        personal number."""
        return CutoverError.from_problems(
            _problem(refused(*where), file=self.name, line=line) for where in found
        )

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
        with self.open_bytes() as raw, self._reading():
            head = raw.read(_SNIFF_BYTES)
            what = _not_csv(head)
            if what is not None:
                raise CutoverError.of(
                    "inputs.not-csv", file=self.name, line=1, what=what, how=_SAVE_AS_CSV
                )
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
            read: list[str] = []  # the header's lines

            def header_lines() -> Iterator[str]:
                for physical in source.lines():
                    read.append(_decode(physical, codec))
                    yield read[-1]

            records = csv.reader(header_lines())
            try:
                header = next(records, None)
            except (csv.Error, UnicodeDecodeError) as exc:
                raise self._fatal(exc, 1, encoding, read) from None
            if header is None:
                raise CutoverError.of(
                    "inputs.empty", file=self.name, line=1, header=",".join(self.columns)
                )
            try:
                index = self._index(header)
            except CutoverError as exc:
                below = header_below_titles(exc, self.name, header, records, self._index)
                raise (exc if below is None else below) from None
            self._header = CsvLayout(
                encoding=encoding,
                index=index,
                width=len(header),
                data_start=source.pos,
                data_line=len(read) + 1,
                size=size,
                named=max((i + 1 for i, cell in enumerate(header) if cell.strip()), default=0),
                header=tuple(header),
            )
            return self._header

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
        with self.open_bytes() as raw, self._reading():
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

        A quoted value may span lines beyond the text: those are read from `source`. A
        record read over several lines is judged by `cutover.inputs.quotes.open_quote`: a
        quote left open refuses its row, or is warned of (`InputWarning`).
        """
        # Lines split as the csv module splits them: at LF, CRLF or a lone CR.
        chunk_lines = io.StringIO(text, newline="").readlines()
        index, width, named = layout.index, layout.width, layout.named
        whole = _one_record_a_line(text, chunk_lines, width, named)
        if whole is not None:
            n = len(chunk_lines)
            return [_block(range(line, line + n), whole, index)], n
        codec = layout.codec
        beyond: list[str] = []  # the lines read past the text's end, for `_fatal`
        read_at = {i: name for name, i in index.items()}

        def column(position: int) -> str:
            # (A column as a problem names it, or by its number.)
            return _column_key(position, read_at, layout) or str(position + 1)

        def more_lines() -> Iterator[str]:
            # Only reached while a quoted value is still open at the text's end.
            for more in source.lines():
                beyond.append(_decode(more, codec))
                yield beyond[-1]

        # (The reader counts the physical lines it takes, `line_num`: no counting per line.)
        reader = csv.reader(chain(chunk_lines, more_lines()))
        items: list[CsvBlock | CutoverError] = []
        lines: list[int] = []
        records: list[list[str]] = []
        while reader.line_num < len(chunk_lines):
            start = line + reader.line_num
            try:
                record = next(reader)
            except StopIteration:
                break
            except (csv.Error, UnicodeDecodeError) as exc:
                record_lines = chain(chunk_lines[start - line :], beyond)
                raise self._fatal(exc, start, layout.encoding, record_lines, layout) from None
            if not record or (len(record) == 1 and not record[0].strip().strip(_EOF_MARK)):
                # A blank line is not a data row; nor is the end-of-file mark (Ctrl+Z, 0x1A)
                # some old DOS and Windows programs write after the last line.
                continue
            # A row may leave out all the blank cells the header ends with (Excel drops the
            # commas of empty cells at the end of some rows): nothing is read from them. Not
            # some of them: a row one value short of the header's width may be a value with an
            # unquoted comma (2,21) and the trailing comma left out, read one column off.
            fits = len(record) == width or len(record) == named
            last = line + reader.line_num - 1
            # A record read over several lines: a quote left open refuses it, or is warned of.
            refusal = None if last == start else self._open_quote(record, start, last, fits, layout)
            problem: Msg | None = None
            if refusal is None and not fits:
                problem = Msg(
                    "inputs.column-count",
                    {"found": len(record), "width": width, "how": _column_count_fix(record, width)},
                )
            elif refusal is None and "\x00" in "".join(record):
                # The csv module passes a NUL into the value: no text of ours holds one.
                problem = Msg("inputs.nul-byte")
            if problem is not None:
                refusal = _problem(problem, file=self.name, line=start)
            if refusal is not None:
                # A personal number in the row is said first, whatever else refuses it.
                held = record_holding(record, column)
                error = (
                    self._refusal(held, start) if held else CutoverError.from_problems([refusal])
                )
                if lines:
                    items.append(_block(lines, records, index))
                    lines, records = [], []
                items.append(error)
                continue
            lines.append(start)
            records.append(record)
        if lines:
            items.append(_block(lines, records, index))
        return items, reader.line_num

    def _open_quote(
        self, record: list[str], first: int, last: int, fits: bool, layout: CsvLayout
    ) -> Problem | None:
        """Return the problem that refuses `record`, read from line `first` to `last`, when a
        quote seems left open in it (`open_quote`); warn (`InputWarning`) when it seems so
        but the row is read. None when its line breaks are a cell's own."""
        names = {i: name for name, i in layout.index.items()}
        found = open_quote(record, names, named=layout.named, fits=fits, free_text=self.free_text)
        if found is None:
            return None
        message = Msg(found.code, {"first": first, "last": last, "count": last - first + 1})
        key = _column_key(found.position, names, layout)
        problem = _problem(message, file=self.name, line=first, key=key)
        if found.refused:
            return problem
        warn_input(problem)
        return None

    def _refuse_foreign(self, sample: bytes, start: int = 0) -> None:
        """Raise when `sample`, the file's bytes from offset `start` on, is in another
        Japanese encoding than UTF-8 or cp932 (`_foreign_encoding`)."""
        foreign = _foreign_encoding(sample)
        if foreign is None:
            return
        name, offset = foreign
        with self.open_bytes() as raw, self._reading():  # (the lines before `sample`, counted now)
            before = raw.read(start)
        raise CutoverError.of(
            "inputs.foreign-encoding",
            file=self.name,
            line=_line_at(before + sample, start + offset),
            encoding=name,
            how=_SAVE_AS_UTF8,
        )

    def _fatal(
        self,
        exc: Exception,
        line: int,
        encoding: str,
        lines: Iterable[str] = (),
        layout: CsvLayout | None = None,
    ) -> CutoverError:
        """Return the error that stops the reading of the file at the record that starts on
        `line`: `lines` are the record's lines and those after it, read as text, and
        `layout` the header's (None: the record is the header)."""
        if isinstance(exc, UnicodeDecodeError) and exc.reason == _ESCAPE:
            return CutoverError.of(
                "inputs.jis-escape",
                file=self.name,
                line=self._undecodable_line(encoding) or line,
                how=_SAVE_AS_UTF8,
            )
        if isinstance(exc, UnicodeDecodeError):
            # (Named as a clerk knows it, UTF-8 or Shift_JIS, not by Python's codec name.)
            shown = ENCODING_NAMES.get(encoding)
            return CutoverError.of(
                "inputs.undecodable",
                file=self.name,
                line=self._undecodable_line(encoding) or line,
                encoding=encoding if shown is None else Msg(shown),
            )
        limit = csv.field_size_limit()
        overlong = overlong_value(lines, limit)
        if overlong is None:
            # No other error of the csv module is known to reach here (since Python 3.11 a
            # NUL is read into its value, and lines are split at a lone CR as the module
            # splits them): its words, English, are shown in English only.
            reason = " ".join(str(exc).split())
            return CutoverError.of(
                "inputs.unreadable-csv", file=self.name, line=line, reason=reason
            )
        # The csv module's "field larger than field limit": which value, and why it may be.
        position, quoted, count = overlong
        key = None
        if layout is not None:
            names = {i: name for name, i in layout.index.items()}
            key = _column_key(position, names, layout)
        how = Msg("inputs.value-too-long-shorten", {"limit": limit})
        if quoted and count > 1:
            how = Msg("inputs.value-too-long-quote", {"line": line, "limit": limit})
        return CutoverError.of(
            "inputs.value-too-long", file=self.name, line=line, key=key, limit=limit, how=how
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
            with self.open_bytes() as raw:
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
                column = Msg("inputs.header-cell", {"number": i + 1})
                refusal = _problem(refused(column, cell), file=self.name, line=1)
                raise CutoverError.from_problems([refusal])
            if is_personal_number_column(cell):
                raise CutoverError.of(
                    "inputs.personal-number-column", file=self.name, line=1, name=cell.strip()
                )
            name = aliases.get(header_key(cell))
            if name is not None and name in index and name in self.notes:
                continue  # a note: the first column is read, as both say what it is
            if name is not None and name in index:
                # Which would be read? A wrong guess drops a pending request or an id.
                raise CutoverError.of(
                    "inputs.same-column",
                    file=self.name,
                    line=1,
                    first=header[index[name]].strip(),
                    second=cell.strip(),
                    name=name,
                )
            if name is not None:
                index[name] = i
        missing = [c for c in self.required if c not in index]
        # Tab-separated text read as CSV: its tabs outnumber the cells the commas made. (A
        # blank first line has no cells and no tabs: it is no tab-separated header.)
        if missing and header and sum(cell.count("\t") for cell in header) >= len(header):
            raise CutoverError.of("inputs.tab-separated", file=self.name, line=1, how=_SAVE_AS_CSV)
        other = other_kind(header, self.columns) if missing else None
        if other is not None:
            # Another kind's file given to this option (readiness.csv as --agencies): asking
            # for this kind's columns would have the clerk add them to the wrong file.
            raise CutoverError.of(
                "inputs.other-kind",
                file=self.name,
                line=1,
                label=self._label(),
                kind=Msg(other.label),
                option=other.option,
                header=",".join(h.strip() for h in header),
                expected=",".join(self.columns),
            )
        if missing:
            spellings = _also_written(self.columns, missing)
            raise CutoverError.of(
                "inputs.missing-columns" if spellings is None else "inputs.missing-columns-aliases",
                file=self.name,
                line=1,
                missing=tuple(missing),
                header=",".join(h.strip() for h in header),
                expected=",".join(self.columns),
                aliases=spellings or "",
            )
        return index


def _problem(message: Msg, *, file: str, line: int, key: str | None = None) -> Problem:
    """Return the problem `message` (a code and its parameters) at a line of a file (and
    under the column `key`)."""
    return Problem(file=file, line=line, key=key, code=message.code, params=message.params)


def _column_key(position: int, names: Mapping[int, str], layout: CsvLayout) -> str | None:
    """Return how a problem names the column at `position` of a row: its canonical name, or
    for a column the reader ignores its header as written (None when it has none)."""
    name = names.get(position)
    if name is not None:
        return name
    written = layout.header[position].strip() if position < len(layout.header) else ""
    return written or None


def _one_record_a_line(
    text: str, lines: list[str], width: int, named: int
) -> list[list[str]] | None:
    """Return the records of `lines` (the lines of `text`) read at once, when reading them
    one by one (`CsvFile._quoted_block`) would find what they find: one record a line, each
    a data row as wide as the header (or its named columns), and no NUL. Else None.

    (The csv module reads a block at once in C, where a Python loop took a row at a time.)
    """
    if named < 2 or "\x00" in text:
        return None  # (a blank line is then one value wide, as a row may be)
    try:
        records = list(csv.reader(lines))
    except csv.Error:
        return None
    # One record a line: no quoted value spans lines, but perhaps the last, still open
    # where the text ends (it goes on past it), whose value then holds the line break.
    last = "".join(records[-1]) if records else ""
    if len(records) != len(lines) or "\n" in last or "\r" in last:
        return None
    if not set(map(len, records)) <= {width, named}:
        return None  # a blank line, or a row of another width: a problem each
    return records


def _rows_of(item: CsvBlock | CutoverError) -> Iterable[CsvRow | CutoverError]:
    """Return the rows of a block, or the error of an unreadable row alone."""
    if isinstance(item, CutoverError):
        return (item,)
    names = repeat(tuple(item.columns))
    # (Each row's dict made from a zip, and each row made, in C loops.)
    values = zip(*item.columns.values(), strict=True)
    return map(CsvRow, item.lines, map(dict, map(zip, names, values)))


def _part(
    lines: Sequence[int], columns: Mapping[str, list[str]], start: int, stop: int
) -> CsvBlock:
    """Return the rows `start` to `stop` (not included) of a block of `lines` and `columns`."""
    if start == 0 and stop == len(lines):
        return CsvBlock(lines, columns)
    return CsvBlock(lines[start:stop], {name: c[start:stop] for name, c in columns.items()})


def _block(lines: Sequence[int], records: list[list[str]], index: Mapping[str, int]) -> CsvBlock:
    """Return the rows `records` (starting on `lines`) as a block of the columns `index` names.

    Every record is as wide as the header's named columns (`CsvLayout.named`) or wider, and
    no column is named past them."""
    return CsvBlock(lines, {name: [r[i] for r in records] for name, i in index.items()})


def _also_written(columns: Mapping[str, Sequence[str]], missing: Sequence[str]) -> Msg | None:
    """Return the other spellings of the `missing` columns that have some, as one message
    (``code may also be written 団体コード, コード; name may also be written …``), or None."""
    found: Msg | None = None
    for name in reversed([n for n in missing if columns[n]]):
        more = "" if found is None else Msg("inputs.also-written-more", {"next": found})
        found = Msg(
            "inputs.also-written",
            {"name": name, "spellings": Alternatives(tuple(columns[name])), "more": more},
        )
    return found


def _column_count_fix(record: Sequence[str], width: int) -> Msg:
    """Return the fix for a row of `record`'s values under a header of `width` columns."""
    if not any(value.strip() for value in record):
        return Msg("inputs.column-count-empty-row")
    extra = record[width:]
    if not any(value.strip() for value in record[:width]):
        # Something only right of the header's columns: a note beside the table.
        note = next(value.strip() for value in extra if value.strip())
        return Msg("inputs.column-count-note", {"value": clip(note, 40), "width": width})
    if not extra or any(value.strip() for value in extra):
        return Msg("inputs.column-count-quote")
    if len(extra) == 1:
        return Msg("inputs.column-count-trailing-comma")
    return Msg("inputs.column-count-trailing-commas", {"count": len(extra)})
