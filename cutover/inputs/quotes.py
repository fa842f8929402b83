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
  a cell's own, unless lines inside it look like rows of the file (`looks_like_rows`): then
  it is warned of.
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
    quote left open; `refused` when the row cannot be read (else it is only warned of).
    `rows` says the value's lines look like rows of the file (a quote left open surely);
    a refused value whose lines do not is as likely a cell's own line break (Alt+Enter) in
    a column that holds none."""

    position: int
    refused: bool
    rows: bool = True

    @property
    def code(self) -> str:
        """Return the catalogue code of its problem: a quote left open, perhaps (a value
        refused, its lines not like rows) a line break in a value, or a warning."""
        if not self.refused:
            return "inputs.open-quote-free-text"
        return "inputs.open-quote" if self.rows else "inputs.line-break-in-value"


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
        own = _own_values(record, position, names, free_text, fits)
        after = record[position + 1 : named] if fits else ()
        if name is not None and name not in free_text:
            return OpenQuote(position, refused=True, rows=looks_like_rows(value, own, named, after))
        if found is None and looks_like_rows(value, own, named, after):
            found = OpenQuote(position, refused=not fits)
    return found


def _own_values(
    record: Sequence[str],
    position: int,
    names: Mapping[int, str],
    free_text: frozenset[str],
    fits: bool,
) -> dict[int, str]:
    """Return the record's own values a row swallowed into its value at `position` is
    compared with (`looks_like_rows`), by position: the first column's, and those of the
    columns read that are not free text. A value after `position` is the record's own only
    when the record fits (else it is one column off, or more); the first column's, when the
    value is the first, is what the value's first line starts with."""
    first = record[0] if position else _LINE_BREAK.split(record[0], 1)[0]
    own = {0: first.split(",", 1)[0]}
    for index, name in names.items():
        ours = index < position or (index > position and fits)
        if ours and index < len(record) and name not in free_text:
            own[index] = record[index]
    return own


def looks_like_rows(
    value: str, own: Mapping[int, str], named: int, after: Sequence[str] = ()
) -> bool:
    """Return True when a line of `value` after its first looks like a row of the file: as
    many commas as a row of `named` columns has, a first value of the kind of the record's
    own first value (``131016`` and ``312011`` are of one kind, ``Q1`` and ``Q2`` of
    another), and in each other column of `own` (the record's own values, by position) a
    value written with the same sorts of characters (`_alike`). The last line may also be
    the start of a row that the values `after` the value end: a quote left open in a
    column before the last and closed in the same column of the next row swallows that
    row into one record, which then has a row's width.

    All three, for few false alarms: a line of a note may hold commas (``tested 6/1,
    failed, tested again 6/5``), and may even start with a code (``131016, 総務課, 山田,
    確認済み``), but its words seldom fall where the row's dates, codes and words fall
    (``山田`` where the date is); the rows a quote left open swallows hold values of the
    file's own columns.
    """
    if named < 2:
        return False
    kind = _kind(own.get(0, ""))
    lines = _LINE_BREAK.split(value)[1:]
    rows = [line.split(",") for line in lines]
    if lines and after:
        # The last line's values fill the columns up to the value's own, `after` the rest.
        rows.append([*rows[-1], *after] if len(rows[-1]) + len(after) == named else [])
    return any(
        len(fields) >= named
        and _kind(fields[0]) == kind
        and all(_alike(fields[i], text) for i, text in own.items() if 0 < i < named)
        for fields in rows
    )


def _alike(text: str, other: str) -> bool:
    """Return True when `text` and `other` could be values of one column: either is blank
    (a column left empty on some rows), or both hold digits, or both hold letters (kanji
    and kana too). Loose on purpose: one column may hold ``2018-05-17`` and ``平成30年5月17日``,
    ``municipality`` and ``市町村``; a word where a date or a code is, or digits where a
    word from a list is, differ."""
    sorts, others = _sorts(text), _sorts(other)
    return not sorts or not others or bool(sorts & others)


def _sorts(text: str) -> set[str]:
    """Return the sorts of characters `text` holds, of digits ``9`` and letters ``A``."""
    return {"9" if char.isdigit() else "A" for char in text if char.isalnum()}


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
