"""Revision calendars: the TOML files under `calendars/`, loaded into frozen models.

Loading goes in stages, as towncrier loads its configuration: find the file (a shipped id
such as ``2018-07`` or a path), parse the TOML, validate every table against the schema,
and build `RevisionCalendar`. Every problem found is reported together, each naming the
file, the TOML key path (with its line where it can be found), the bad value and the fix.

The schema is documented key by key in ``docs/calendar-format.md``. A new revision is
described by writing a new file: nothing in here knows about 2018.
"""

from __future__ import annotations

import importlib.resources
import os
import re
import tomllib
import unicodedata
from pathlib import Path

import attrs

from cutover.calendar.build import _build
from cutover.calendar.limits import (
    _LONG_NUMBER,
    _MAX_SIZE,
    _at_most,
    _check_limits,
    _check_text,
    _too_large,
)
from cutover.calendar.model import RevisionCalendar
from cutover.calendar.reader import (
    _MAX_KEY,
    _MAX_VALUE,
    _STRINGS,
    _bracket_depth,
    _key_lines,
    _Reader,
    _without_echoes,
)
from cutover.errors import CutoverError, clip, os_reason, require_text, suggest
from cutover.i18n.catalogue import Alternatives, Msg
from cutover.i18n.text import reads_as_shift_jis
from cutover.inputs.source import InputText, near_names
from cutover.jp.wareki import parse_fuzzy

__all__ = ["calendar_path", "load_calendar", "parse_calendar", "shipped_calendars", "toml_error"]


# --- finding calendars ---------------------------------------------------------------


def _shipped_dirs() -> list[Path]:
    dirs: list[Path] = []
    # Installed wheel: the calendars are copied into the package (see pyproject.toml).
    packaged = importlib.resources.files("cutover") / "calendars"
    if packaged.is_dir():
        dirs.append(Path(str(packaged)))
    # Source checkout or editable install: the calendars stay at the repository root.
    checkout = Path(__file__).resolve().parents[2] / "calendars"
    if checkout.is_dir() and checkout not in dirs:
        dirs.append(checkout)
    return dirs


def shipped_calendars() -> dict[str, Path]:
    """Return the calendars shipped with cutover, by id, sorted."""
    found: dict[str, Path] = {}
    for directory in _shipped_dirs():
        for path in sorted(directory.glob("*.toml")):
            found.setdefault(path.stem, path)
    return dict(sorted(found.items()))


def calendar_path(ref: str | os.PathLike[str]) -> Path:
    """Return the file a calendar reference names: a shipped id or a path to a TOML file."""
    text = os.fspath(ref)
    shipped = shipped_calendars()
    if text in shipped:
        return shipped[text]
    # An id typed in full-width characters (２０１８－０７), as every other argument may be.
    folded = unicodedata.normalize("NFKC", text).strip()
    if folded in shipped:
        return shipped[folded]
    path = Path(text)
    if path.exists() and not path.is_dir():
        return path  # a file, or a stream (``/dev/stdin``, ``<(…)``: read once, as a whole)
    near = near_names(path, (".toml",))
    if near:  # (2018-07-jlis.tml, 2018-07-jlis: the file beside it, not a shipped id)
        raise CutoverError.of("calendar.no-such-file-near", file=text, names=near)
    looks_like_path = path.suffix == ".toml" or "/" in text or "\\" in text
    if looks_like_path:
        raise CutoverError.of("calendar.no-such-file", file=text)
    raise CutoverError.of(
        "calendar.unknown-calendar", ref=text, suggestion=suggest(text, list(shipped))
    )


def load_calendar(ref: str | os.PathLike[str]) -> RevisionCalendar:
    """Return the calendar a shipped id (``2018-07``) or a TOML path names, validated; or
    the one an `InputText` holds, read as the file it names would be."""
    if isinstance(ref, InputText):
        name, data = ref.name, ref.content[: _MAX_SIZE + 1]
    else:
        path = calendar_path(ref)
        # A shipped calendar is named as its file (2018-07.toml) in messages and outputs, not
        # by the folder it is installed in (a site-packages path on a clerk's Windows PC).
        name = path.name if path in shipped_calendars().values() else str(path)
        try:
            with path.open("rb") as stream:
                # One byte past the limit is enough to know the file is too large.
                data = stream.read(_MAX_SIZE + 1)
        except OSError as exc:
            raise CutoverError.of(
                "calendar.cannot-read", file=name, reason=os_reason(exc)
            ) from None
    if len(data) > _MAX_SIZE:
        raise _too_large(name)
    other = _other_kind(name, data)
    if other is not None:
        raise CutoverError.of(
            "calendar.not-a-calendar",
            file=name,
            kind=Msg(f"calendar.kind-{other}"),
            ids=Alternatives(tuple(shipped_calendars())),
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Located at its first byte that is not UTF-8, and said to be Shift_JIS when it reads
        # as such: what a calendar written in Windows' メモ帳 or Excel is saved as.
        line = data.count(b"\n", 0, exc.start) + 1
        code = "calendar.shift-jis" if reads_as_shift_jis(data) else "calendar.not-utf8"
        raise CutoverError.of(code, file=name, line=line) from None
    return parse_calendar(text, name)


#: What starts a workbook (.xlsx, a zip archive) and an Excel 97–2003 one (.xls).
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
_CSV_SUFFIXES = (".csv", ".tsv")


def _other_kind(name: str, data: bytes) -> str | None:
    """Return what a file given as a calendar is instead (``workbook``, ``csv``), or None
    when it may be a calendar: an Excel workbook by its first bytes, a CSV file by its name
    or by a first line of values parted by commas with no ``=`` (a TOML line has one, or is
    a ``[table]`` or a comment)."""
    if data.startswith(_WORKBOOK_MAGIC):
        return "workbook"
    if Path(name).suffix.lower() in _CSV_SUFFIXES:
        return "csv"
    head = data[:4096].removeprefix(b"\xef\xbb\xbf")  # (Notepad's BOM before a comment)
    first = next((line.strip() for line in head.splitlines() if line.strip()), b"")
    if first.count(b",") >= 2 and b"=" not in first and not first.startswith((b"[", b"#")):
        return "csv"
    return None


def parse_calendar(text: str, file: str = "<calendar>") -> RevisionCalendar:
    """Return the calendar in TOML `text`; `file` names it in messages."""
    require_text(text, "text")
    _check_text(text, file)
    try:
        data = tomllib.loads(text)
    except ValueError as exc:
        if isinstance(exc, tomllib.TOMLDecodeError):
            raise toml_error(exc, file, text) from None
        # int() refuses to read more than 4300 digits; tomllib lets its ValueError through.
        long_number = _LONG_NUMBER.search(text)
        raise CutoverError.of(
            "calendar.toml-integer-too-long",
            file=file,
            line=text.count("\n", 0, long_number.start()) + 1 if long_number else None,
        ) from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively.
        raise CutoverError.of("calendar.toml-nested-too-deeply", file=file) from None
    if not data:
        # (Saved empty, or only comments: one line, not one per missing table.)
        raise CutoverError.of("calendar.empty", file=file)
    reader = _Reader(text, file)
    _check_limits(data, "", reader)
    calendar = None if reader.problems else _build(data, reader)
    if reader.problems or calendar is None:
        raise CutoverError.from_problems(_at_most(_without_echoes(reader.problems), file))
    return calendar


def toml_error(exc: tomllib.TOMLDecodeError, file: str, text: str | None = None) -> CutoverError:
    """Return the error for the TOML file `file` that tomllib refused: its line, and its
    reason as the catalogue says it (`calendar.toml-…`). When tomllib ran into the end of
    the file (a quote or bracket opened earlier and never closed), the line is the file's
    last, known from its `text`."""
    message = str(exc)
    at = re.search(r"\s*\(at (?:line (\d+), column \d+|end of document)\)$", message)
    reason = (message[: at.start()] if at else message) or "invalid TOML"
    if at is not None and at.group(1) is None:
        return CutoverError.of(
            "calendar.toml-invalid-at-end",
            file=file,
            line=None if text is None else text.rstrip().count("\n") + 1,
            reason=reason,
            said=_toml_reason(reason),
        )
    line = int(at.group(1)) if at else None
    if text is not None and line is not None:
        explained = _explained(text, line, file)
        if explained is not None:
            return explained
    return CutoverError.of(
        "calendar.toml-invalid", file=file, line=line, reason=reason, said=_toml_reason(reason)
    )


#: A line ``key = value``, the value up to a comment (a line TOML refused: its value holds no
#: quoted ``#``, or it is not one of those this module explains).
_KEY_VALUE = re.compile(r"\s*(?P<name>[A-Za-z0-9_\-]+)\s*=\s*(?P<value>[^\s#][^#]*)(?:#.*)?")


def _written_value(text: str, line: int) -> tuple[str, str, str] | None:
    """Return the key path, the key and the value written on line `line` of `text`, when it
    is a line ``key = value``; else None."""
    lines = text.split("\n")
    if not 0 < line <= len(lines):
        return None
    written = _KEY_VALUE.fullmatch(lines[line - 1].rstrip("\r"))
    if written is None:
        return None
    # (The value is trimmed here, not by the pattern: a lazy match before spaces would try
    # every split of a long line.)
    name, value = written.group("name"), written.group("value").rstrip()
    paths = [p for p, n in _key_lines(lines).items() if n == line and p.split(".")[-1] == name]
    return (paths[0] if paths else name), name, value


def _explained(text: str, line: int, file: str) -> CutoverError | None:
    """Return the error for line `line` of `text` when its value is one a person writes and
    TOML cannot read, said with its key, its value and the fix: a date without quotes
    (``date = 2019/5/1``), a word or a lag without quotes (``after = [effective]``, ``5bd``),
    full-width digits (``number = ２``), ``True`` or ``はい`` for true, 「、」 between entries.
    tomllib only says that a value is invalid, or that something follows it. None when the
    line is none of these."""
    found = _written_value(text, line)
    if found is None:
        return _explained_in_array(text, line, file)
    key, name, value = found
    if not value.startswith(("[", '"', "'", "{")):
        try:
            day = parse_fuzzy(value)
        except CutoverError as err:
            if not {p.code for p in err.problems} & _NOT_A_DATE:
                # A date written as one, of a day there is not (2018-06-31, 2018-13-01):
                # that is its mistake, told as it is when quoted; quotes would not mend it.
                return CutoverError.from_problems(
                    attrs.evolve(p, file=file, line=line, key=clip(key, _MAX_KEY))
                    for p in err.problems
                )
        else:
            if day.precision == "day" and day.start == day.end:
                return _told(
                    "calendar.toml-unquoted-date",
                    file=file,
                    line=line,
                    key=key,
                    name=name,
                    value=value,
                    iso=day.start.isoformat(),
                )
            return _told(
                "calendar.toml-unquoted-period",
                file=file,
                line=line,
                key=key,
                name=name,
                value=value,
            )
    fixed = _value_fix(value)
    if fixed is None:
        return _explained_in_array(text, line, file)
    why, value_fixed = fixed
    return _told(
        "calendar.toml-value-fix",
        file=file,
        line=line,
        key=key,
        name=name,
        value=value,
        why=Msg(f"calendar.toml-why-{why}"),
        fixed=value_fixed,
    )


#: The date reader's problems with a text that is no date at all (a word, a lag): such a
#: value is told how to be written in TOML, not why it is no day.
_NOT_A_DATE = frozenset(
    {"jp.unrecognized-date", "jp.unrecognized-date-or-span", "jp.date-text-too-long"}
)


def _told(code: str, *, file: str, line: int, key: str, **params: object) -> CutoverError:
    """Return the error `code` on line `line`, its key and each text it quotes from the line
    shortened as every value a calendar's message quotes is (a line may be a megabyte)."""
    said = {k: clip(v, _MAX_VALUE) if isinstance(v, str) else v for k, v in params.items()}
    return CutoverError.of(code, file=file, line=line, key=clip(key, _MAX_KEY), **said)


def _explained_in_array(text: str, line: int, file: str) -> CutoverError | None:
    """Return the error for line `line` of `text` when it is a line of a list written over
    several lines (its first line included) with 「、」 between entries, said with the
    list's key and the line fixed; None when it is not, or when that fix would not do.
    (tomllib only says that the list is not closed.)"""
    lines = text.split("\n")
    if not 0 < line <= len(lines):
        return None
    written = lines[line - 1].rstrip("\r")
    fixed = _half_width_commas(written)
    if fixed == written or not _reads_past(lines, line, fixed):
        return None
    opened = [n for n in _key_lines(lines).values() if n <= line]
    found = _written_value(text, max(opened)) if opened else None
    if found is None:
        return None
    key, name, value = found
    still_open = _bracket_depth(value) + sum(
        _bracket_depth(lines[n - 1]) for n in range(max(opened) + 1, line)
    )
    if not value.startswith("[") or still_open <= 0:
        return None
    return _told(
        "calendar.toml-array-line-fix",
        file=file,
        line=line,
        key=key,
        name=name,
        value=written.strip(),
        why=Msg("calendar.toml-why-japanese-comma"),
        fixed=fixed.strip(),
    )


def _half_width_commas(value: str) -> str:
    """Return `value` with each 「、」 or 「，」 between entries (not in a quoted text or a
    comment) a half-width comma and a space, as TOML separates them."""
    return _JAPANESE_COMMAS.sub(lambda m: m.group("kept") or m.group("space") or ", ", value)


# (A run of spaces without a comma after it is taken whole, kept: else each of its spaces
# would start a new scan of the run for a comma, a line of spaces read once per space.)
_JAPANESE_COMMAS = re.compile(rf"(?P<kept>{_STRINGS.pattern}|#.*)|\s*[、，]\s*|(?P<space>\s+)")


def _reads_past(lines: list[str], line: int, fixed: str) -> bool:
    """Return True when TOML reads line `line` of `lines` once it is `fixed`: the whole
    text is read, or what it stops at comes later."""
    try:
        tomllib.loads("\n".join([*lines[: line - 1], fixed, *lines[line:]]))
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"\(at line (\d+), column \d+\)$", str(exc))
        return at is not None and int(at.group(1)) > line
    except (ValueError, RecursionError):
        # An integer of over 4300 digits or nesting too deep, which the text as written
        # never reached: not a fix to suggest (nor a traceback).
        return False
    return True


_BOOLEANS = {
    "True": "true",
    "TRUE": "true",
    "False": "false",
    "FALSE": "false",
    **dict.fromkeys(("はい", "yes", "Yes", "YES", "○", "〇"), "true"),
    **dict.fromkeys(("いいえ", "no", "No", "NO", "×"), "false"),
}
#: A word TOML would need in quotes: an id, a lag, a name (no quote, bracket, comma or space).
_WORD = r"[^\s\[\]{},\"'=#、，]+"
# (The trailing comma's spaces are one run: two runs either side of no comma would try
# every split of a long run of spaces.)
_WORDS = re.compile(
    rf"(?P<open>\[\s*)?(?P<words>{_WORD}(?:\s*,\s*{_WORD})*)(?:\s*,)?\s*(?(open)\])"
)


def _value_fix(value: str) -> tuple[str, str] | None:
    """Return why TOML cannot read `value` and the value it is taken for, when one of a few
    slips a person makes explains it and the value so fixed is TOML; else None."""
    fixed, why = value, ""
    if _half_width_commas(fixed) != fixed:
        fixed, why = _half_width_commas(fixed), "japanese-comma"
    elif _FULL_WIDTH_DIGIT.search(fixed):
        fixed, why = unicodedata.normalize("NFKC", fixed), "full-width-digits"
    if fixed in _BOOLEANS:
        fixed, why = _BOOLEANS[fixed], "boolean"
    elif not _is_toml(fixed):
        words = _WORDS.fullmatch(fixed)
        if words is None:
            return None
        quoted = ", ".join(f'"{w.strip()}"' for w in words.group("words").split(","))
        fixed = f"[{quoted}]" if words.group("open") else quoted
        why = why or "quotes"
    return (why, fixed) if why and _is_toml(fixed) else None


_FULL_WIDTH_DIGIT = re.compile("[０-９]")


def _is_toml(value: str) -> bool:
    """Return True when `value` is a TOML value on its own."""
    try:
        tomllib.loads(f"v = {value}")
    except (ValueError, RecursionError):
        # (Not TOML, or an integer of over 4300 digits, or nesting too deep: 「２」 a
        # thousand times over, 「、」 before a list of lists.)
        return False
    return True


#: tomllib's reasons (English, its own words), each with what the catalogue says in the
#: reader's language: a pattern, and the code of the text with the parts it names.
_TOML_REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), code)
    for pattern, code in (
        (r"Cannot overwrite a value", "calendar.toml-overwrite"),
        (r"Cannot declare (?P<name>.+) twice", "calendar.toml-declared-twice"),
        (r"Cannot redefine namespace (?P<name>.+)", "calendar.toml-redefined"),
        (r"Cannot mutate immutable namespace (?P<name>.+)", "calendar.toml-immutable"),
        (r"Duplicate inline table key (?P<name>.+)", "calendar.toml-duplicate-inline-key"),
        (r"Expected '=' after a key in a key/value pair", "calendar.toml-expected-equals"),
        (r"Expected ']' at the end of a table declaration", "calendar.toml-expected-bracket"),
        (r"Expected ']]' at the end of an array declaration", "calendar.toml-expected-brackets"),
        (r"Expected newline or end of document after a statement", "calendar.toml-one-per-line"),
        (r"Expected (?P<name>.+)", "calendar.toml-expected"),
        (r"Invalid value", "calendar.toml-invalid-value"),
        (r"Invalid statement", "calendar.toml-invalid-statement"),
        (r"Invalid initial character for a key part", "calendar.toml-invalid-key"),
        (r"Invalid date or datetime", "calendar.toml-invalid-date"),
        (r"Invalid hex value", "calendar.toml-invalid-escape"),
        (r"Escaped character is not a Unicode scalar value", "calendar.toml-invalid-escape"),
        (r"Unescaped '\\' in a string", "calendar.toml-unescaped-backslash"),
        (r"Unterminated string", "calendar.toml-unterminated-string"),
        (r"Unclosed array", "calendar.toml-unclosed-array"),
        (r"Unclosed inline table", "calendar.toml-unclosed-table"),
        (r"(?:Illegal|Found invalid) character (?P<name>.+)", "calendar.toml-bad-character"),
    )
)


def _toml_reason(reason: str) -> Msg:
    """Return tomllib's `reason` as the catalogue says it (its own words when unknown)."""
    for pattern, code in _TOML_REASONS:
        match = pattern.fullmatch(reason)
        if match is not None:
            return Msg(code, match.groupdict())
    return Msg("calendar.toml-other", {"reason": reason})
