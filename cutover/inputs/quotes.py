"""Values that run over several lines of a CSV file: a quote (") left open, told apart from a
cell Excel wrote on several lines; and where a value too long to read is.

A quoted value may hold line breaks: Excel writes a cell of several lines that way. A quote
left open (a stray ``"`` at the start of a value) makes the same shape: every line up to the
next quote is read into one value, and the rows on those lines are gone. `open_quote` is
the one rule that tells them apart, for every CSV file `cutover` reads
(`cutover.inputs.csvfile.CsvFile`):

- a column that never holds free text (an id, a code, a date, a word from a list: every
  column but those of `FREE_TEXT`) holding a line break is a quote left open: the row is
  refused, and its problem names the lines read as one;
- a value of a free-text column (or of a column the reader ignores) holding a line break is
  a cell's own, unless lines inside it look like rows of the file: then it is warned of.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import attrs

__all__ = ["FREE_TEXT", "OpenQuote", "looks_like_rows", "open_quote", "overlong_value"]

#: The canonical columns whose values are written freely, in every file read: an agency's
#: name and an evidence row's detail. Every other column holds an id, a code, a date, a
#: number or a word from a list, none of which ever holds a line break.
FREE_TEXT: frozenset[str] = frozenset({"name", "detail"})

# Line breaks as the csv module ends lines: LF, CRLF or a lone CR.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@attrs.frozen
class OpenQuote:
    """A record read over several lines, whose value at `position` seems to run on from a
    quote left open; `refused` when the row cannot be read (else it is only warned of)."""

    position: int
    refused: bool


def open_quote(
    record: Sequence[str],
    names: Mapping[int, str],
    *,
    named: int,
    fits: bool,
    free_text: frozenset[str] = FREE_TEXT,
) -> OpenQuote | None:
    """Return where a quote seems left open in `record`, a record the csv module read over
    several lines, or None when its line breaks are those of a cell.

    `names` gives the canonical column read at each position (others are ignored), `named`
    the header's named columns, and `fits` whether the record is as wide as a row may be.
    A line break in a column of `names` that is not free text refuses the row. One in
    another value refuses it only if the value's lines look like rows (`looks_like_rows`)
    and the record is too wide or too narrow (it is refused anyway: the open quote is why);
    a record that fits is then read, and warned of.
    """
    found: OpenQuote | None = None
    for position, value in enumerate(record):
        if "\n" not in value and "\r" not in value:
            continue
        name = names.get(position)
        if name is not None and name not in free_text:
            return OpenQuote(position, refused=True)
        if found is None:
            reference = record[0] if position else _LINE_BREAK.split(value, 1)[0]
            if looks_like_rows(value, reference.split(",", 1)[0], named):
                found = OpenQuote(position, refused=not fits)
    return found


def looks_like_rows(value: str, first: str, named: int) -> bool:
    """Return True when a line of `value` after its first looks like a row of the file: as
    many commas as a row of `named` columns has, before them a value of the kind of `first`
    (the first column's value on the record's own line: ``131016`` and ``312011`` are of
    one kind, ``Q1`` and ``Q2`` of another).

    Both, for few false alarms: a line of a note may hold commas (``tested 6/1, failed,
    tested again 6/5``) but seldom starts with a code or an id; the rows a quote left open
    swallows have both.
    """
    if named < 2:
        return False
    kind = _kind(first)
    return any(
        line.count(",") >= named - 1 and _kind(line.split(",", 1)[0]) == kind
        for line in _LINE_BREAK.split(value)[1:]
    )


def _kind(text: str) -> str:
    """Return the kinds of characters `text` is made of, one for each run of a kind: digits
    ``9``, letters (kanji and kana too) ``A``, any other character itself (``131016`` → ``9``,
    ``Q-12`` → ``A-9``, ``千代田区`` → ``A``)."""
    kinds: list[str] = []
    for char in text.strip():
        kind = "9" if char.isdigit() else "A" if char.isalpha() else char
        if not kinds or kinds[-1] != kind:
            kinds.append(kind)
    return "".join(kinds)


def overlong_value(lines: Iterable[str], limit: int) -> tuple[int, bool, int] | None:
    """Return the first value longer than `limit` characters in the record that starts at
    the first of `lines` (each with its line break): its position in the record, whether it
    is quoted, and the number of lines read up to where it passes the limit. None when the
    record ends first.

    The csv module says only that some value is too long: this reads the record again as
    it does (its default dialect, quotes not strict), to say which one. Only for that
    error: a Python loop over at most `limit` characters.
    """
    position, length, quoted = 0, 0, False
    state = "start"  # start | plain | quoted | quote (a quote inside a quoted value)
    for count, text in enumerate(lines, start=1):
        for char in text:
            if state == "quoted":
                if char == '"':
                    state = "quote"
                    continue
            elif state == "quote" and char == '"':
                state = "quoted"  # a doubled quote: one quote of the value
            elif char == ",":
                position, length, quoted, state = position + 1, 0, False, "start"
                continue
            elif char in "\r\n":
                return None  # the record ends
            elif state == "start" and char == '"':
                quoted, state = True, "quoted"
                continue
            else:
                state = "plain"  # (after a closing quote, what follows joins the value)
            length += 1
            if length > limit:
                return position, quoted, count
    return None
