"""The one output dispatcher: a command's document, in the format asked for, to its target.

A command hands `write_output` the format (``--format``), the target (``-o``, None for
standard output) and a writer for each format it offers. The dispatcher checks that the
format is one of them and that the file's extension does not contradict it (``-o plan.csv``
with ``--format json`` is a usage error, not a JSON file named .csv), opens the output once
(`cutover.render.files.open_output`: atomic, safe for devices and links) and writes.

Without ``--format``, the format is the one `-o`'s extension names when the command offers
it (``-o plan.xlsx`` writes a workbook, ``-o plan.csv`` a CSV), else the command's default
(`format_for`). A workbook (``xlsx``) is bytes, written by `cutover.render.files.write_bytes`;
it is never written to standard output (a usage error), where it would be noise on a screen.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

import attrs

from cutover.errors import printable
from cutover.i18n.catalogue import Alternatives, Msg

__all__ = [
    "BINARY_FORMATS",
    "EXTENSIONS",
    "BinaryDocument",
    "UsageError",
    "Writer",
    "check_target",
    "csv_encoding",
    "document",
    "format_for",
    "html_of_markdown",
    "json_document",
    "raw_document",
    "write_output",
]


@attrs.frozen
class BinaryDocument:
    """A document of bytes (a workbook): what `make` returns, written as it is."""

    make: Callable[[], bytes]


#: Writes one document to an open text stream.
TextWriter = Callable[[TextIO], None]
#: Writes one document to an open text stream, or makes the bytes of a binary one.
Writer = TextWriter | BinaryDocument

#: The formats whose documents are bytes: never written to standard output.
BINARY_FORMATS = frozenset({"xlsx"})

#: The file extensions of each output format. An extension listed here for another format
#: contradicts the format; one listed nowhere (``.txt``, none) is the user's choice.
EXTENSIONS: Mapping[str, tuple[str, ...]] = {
    "json": (".json",),
    "csv": (".csv",),
    "md": (".md", ".markdown"),
    "ics": (".ics", ".ical", ".icalendar"),
    "mermaid": (".mmd", ".mermaid"),
    "svg": (".svg",),
    "html": (".html", ".htm"),
    "xlsx": (".xlsx",),
}
_FORMAT_OF = {suffix: fmt for fmt, suffixes in EXTENSIONS.items() for suffix in suffixes}
#: Extensions of other programs' formats, which cutover never writes: ``-o summary.xls``
#: wrote Markdown under the name of an Excel 97-2003 book, that Excel refuses or garbles.
FOREIGN_EXTENSIONS = frozenset(
    {".xls", ".xlsm", ".xlsb", ".xlt", ".xltx", ".xltm", ".ods", ".pdf", ".doc", ".docx"}
    | {".odt", ".rtf", ".ppt", ".pptx"}
)


class UsageError(Exception):
    """The command was asked for something it cannot do (exit 2): a message to show."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.code)
        self.message = message


def _to_stdout(target: str | None) -> bool:
    return target is None or target == "-"


def format_for(target: str | None, offered: Sequence[str], default: str) -> str:
    """Return the format of an output whose ``--format`` was not given: the one `target`'s
    extension names when the command offers it, else `default`."""
    if _to_stdout(target):
        return default
    assert target is not None
    named = _FORMAT_OF.get(Path(target).suffix.lower())
    return named if named is not None and named in offered else default


def check_target(fmt: str, target: str | None, offered: Sequence[str] = ()) -> None:
    """Raise `UsageError` when `target`'s extension belongs to a format other than `fmt`,
    or to another program's format (`FOREIGN_EXTENSIONS`; the message gives the
    extensions of the formats `offered`), or when a workbook would go to standard output."""
    if _to_stdout(target):
        if fmt in BINARY_FORMATS:
            raise UsageError(Msg("cli.binary-to-stdout", {"format": fmt}))
        return
    assert target is not None
    suffix = Path(target).suffix.lower()
    if suffix in FOREIGN_EXTENSIONS:
        choices = Alternatives(
            tuple(EXTENSIONS[f][0] for f in (offered or (fmt,)) if f in EXTENSIONS)
        )
        raise UsageError(
            Msg(
                "cli.extension-not-written",
                {"file": printable(target), "suffix": suffix, "format": fmt, "choices": choices},
            )
        )
    other = _FORMAT_OF.get(suffix)
    if other is None or other == fmt:
        return
    raise UsageError(
        Msg(
            "cli.extension-contradicts",
            {
                "file": printable(target),
                "suffix": suffix,
                "format": fmt,
                "other": other,
                "expected": EXTENSIONS.get(fmt, (f".{fmt}",))[0],
            },
        )
    )


def csv_encoding(fmt: str, target: str | None, bom: bool | None) -> str:
    """Return the encoding of an output: a CSV written to a file starts with a BOM, for
    Excel (without it, Excel reads UTF-8 Japanese as Shift_JIS, garbled); on standard
    output, read by other programs, it does not. `bom` (``--bom`` / ``--no-bom``) decides
    instead when given."""
    if fmt != "csv":
        return "utf-8"
    with_bom = bom if bom is not None else not _to_stdout(target)
    return "utf-8-sig" if with_bom else "utf-8"


def write_output(
    fmt: str,
    target: str | None,
    writers: Mapping[str, Writer],
    *,
    bom: bool | None = None,
    windows: bool = False,
) -> None:
    """Write the document of format `fmt` to `target` (None or "-": standard output) with
    the writer `writers` gives for it, after checking the format and the target agree.

    With `windows` (``--windows``), Markdown is written with a BOM and CRLF line ends."""
    from cutover.render.checklists import windows_text
    from cutover.render.files import open_output, write_bytes

    writer = writers.get(fmt)
    if writer is None:
        raise UsageError(
            Msg("cli.format-not-offered", {"format": fmt, "formats": Alternatives(tuple(writers))})
        )
    check_target(fmt, target)
    if isinstance(writer, BinaryDocument):
        assert target is not None  # (`check_target` refuses standard output)
        write_bytes(target, writer.make())
        return
    if windows and fmt == "md":
        # Its lines end in CRLF already: written as bytes, as iCalendar is, for standard
        # output on Windows would make each of them CR CR LF.
        data = windows_text(_written(writer)).encode("utf-8")
        with open_output(target, encoding="utf-8-sig") as stream:
            raw_document(lambda: data)(stream)
        return
    with open_output(target, encoding=csv_encoding(fmt, target, bom)) as stream:
        writer(stream)


def _written(writer: TextWriter) -> str:
    """Return what `writer` writes, as one string."""
    buffer = io.StringIO()
    writer(buffer)
    return buffer.getvalue()


def html_of_markdown(
    markdown: TextWriter, lang: str, *, svg: Callable[[], str] | None = None
) -> TextWriter:
    """Return a writer of the HTML page (`cutover.render.html.html_document`) of the Markdown
    document `markdown` writes; `svg` draws a figure for the page (the timeline)."""
    from cutover.i18n.text import check_lang
    from cutover.render.html import html_document

    def write(stream: TextIO) -> None:
        figure = svg() if svg is not None else None
        stream.write(html_document(_written(markdown), lang=check_lang(lang), svg=figure))

    return write


def document(make: Callable[[], str]) -> TextWriter:
    """Return a writer of the text `make` returns."""

    def write(stream: TextIO) -> None:
        stream.write(make())

    return write


def json_document(make: Callable[[], object]) -> Callable[[TextIO], None]:
    """Return a writer of the JSON of what `make` returns (UTF-8, indented, a final newline)."""

    def write(stream: TextIO) -> None:
        json.dump(make(), stream, ensure_ascii=False, indent=2)
        stream.write("\n")

    return write


def raw_document(make: Callable[[], bytes]) -> Callable[[TextIO], None]:
    """Return a writer of the bytes `make` returns, as they are: iCalendar lines (and
    ``--windows`` Markdown's) end in CRLF, which no text layer may touch."""

    def write(stream: TextIO) -> None:
        data = make()
        buffer = getattr(stream, "buffer", None)
        if stream is sys.stdout and buffer is not None:
            # (Standard output translates newlines on Windows: its bytes below it do not.)
            stream.flush()
            buffer.write(data)
            buffer.flush()
        else:
            # A file's stream translates no newlines, so the CRLFs reach it unchanged.
            stream.write(data.decode("utf-8"))

    return write
