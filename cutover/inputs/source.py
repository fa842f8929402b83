"""A file's bytes taken a block of whole lines at a time, and plain blocks split into columns
without the csv module; and an input's text given in memory instead of a file (`InputText`).
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

import attrs

from cutover.errors import type_error
from cutover.inputs.blocks import CsvBlock


@attrs.frozen
class InputText:
    """The text of an input given in memory instead of a file (a program's rows, a test's
    table): read by every reader as a file named `name` would be, and named so in every
    message (``agencies.csv:3: …``). `text` is the file's content: a `str`, or bytes in any
    encoding a file may have (UTF-8, with or without BOM, cp932, or a workbook's bytes).
    """

    name: str
    text: str | bytes

    def __attrs_post_init__(self) -> None:
        # (Said at the call that made it, not by a reader later, far from it.)
        if not isinstance(self.name, str):
            raise type_error("common.not-a-file-name", "name", self.name)
        if not isinstance(self.text, (str, bytes)):
            raise type_error("common.not-input-content", "text", self.text)

    def __fspath__(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name

    @property
    def content(self) -> bytes:
        """Return the bytes a file of this text would hold (a `str` as UTF-8)."""
        return self.text.encode("utf-8") if isinstance(self.text, str) else self.text


# Bytes read per block: large enough that per-block work is negligible, small enough that a
# block's strings stay a few megabytes whatever the file's length, and no more than the csv
# module's field size limit (128 KiB), so that the long-value check is rarely needed.
_BLOCK_BYTES = 128 * 1024


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
        if self._eof and cut == len(self._buffer):
            return _without_eof_mark(data)
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
                    rest = _without_eof_mark(rest)
                    if rest:
                        yield rest
                    continue
                return


_LINE_END = re.compile(rb"\r\n|\r|\n")


def _without_eof_mark(data: bytes) -> bytes:
    """Return the file's last bytes `data` without the end-of-file mark of DOS (Ctrl+Z,
    0x1A) some old programs write at the very end, on a line of its own or not: no part
    of the last value. (No byte of UTF-8's or Shift_JIS's Japanese is 0x1A.)"""
    return data.rstrip(b"\x1a")


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


#: The extensions of the files a clerk means when the name typed lacks or misses one.
_TABLE_SUFFIXES = (".csv", ".xlsx", ".txt")


def near_names(path: Path, suffixes: tuple[str, ...] = _TABLE_SUFFIXES) -> tuple[str, ...]:
    """Return the names of the files beside `path`, which does not exist, that it may mean:
    the name with an extension (Windows's Explorer hides them: ``agencies`` for
    agencies.csv, ``agencies.csv`` for agencies.csv.csv), or with another of `suffixes`
    for the one typed (agencies.xlsx for ``agencies.csv``, agencies.csv for the slip
    ``agencies.cvs``; 2018-07-jlis.toml for ``2018-07-jlis.tml`` with ``(".toml",)``),
    each compared as typed with full-width letters, a space after it or capitals
    (``agencies．csv``, ``ａｇｅｎｃｉｅｓ.csv``: Japanese input on); only files with one of
    `suffixes` (2018-07-jlis.md is no calendar); the first three, sorted. Folders are not
    named: a file is asked for."""
    folder = path.parent
    typed = _folded(path.name)
    stem, suffix = _folded(path.stem), _folded(path.suffix)
    if not suffix and "." in typed:  # (agencies．csv: its full-width dot parts no suffix)
        stem, _, rest = typed.rpartition(".")
        suffix = "." + rest
    try:
        names = sorted(
            entry.name
            for entry in folder.iterdir()
            if entry.suffix.lower() in suffixes
            and (
                _folded(entry.name) == typed
                or _folded(entry.name).startswith(typed + ".")
                or (bool(suffix) and _folded(entry.stem) == stem)
            )
            and entry.is_file()
        )
    except OSError:
        return ()
    return tuple(names[:3])


def _folded(name: str) -> str:
    """Return a file's name as `near_names` compares names: NFKC, trimmed, lower case."""
    return unicodedata.normalize("NFKC", name).strip().lower()
