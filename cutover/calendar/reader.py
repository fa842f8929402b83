"""Collecting the problems of one calendar file, each located by key path and line.

A problem is a catalogue code (``calendar.…``) and its parameters: its text is written in
the reader's language where it is shown. A value the file holds is quoted shortened
(`clip`), whatever its size, so that no message is longer than a line or two.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import attrs

from cutover.errors import CutoverError, Problem, clip, suggest
from cutover.i18n.catalogue import Msg
from cutover.jp.closed_days import FIRST_YEAR, LAST_YEAR
from cutover.jp.wareki import DateRange, parse_fuzzy

# --- values in messages -----------------------------------------------------------------

#: The longest a value is quoted in a message: a message and its fix stay within a few
#: hundred characters, whatever the file holds.
_MAX_VALUE = 300


class Shown(str):
    """A value of any type as a message quotes it: its repr, shortened. Written as it is
    both ways (``{value}`` and ``{value!r}``): it is quoted already."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str.__str__(self)


def shown(value: object) -> Shown:
    """Return `value` as a message quotes it (`Shown`): ``'text'``, ``[1, 2]``, ``True``."""
    return Shown(clip(repr(value), _MAX_VALUE))


def _clipped(value: object) -> object:
    """Return a parameter of a message with every text in it shortened to `_MAX_VALUE`."""
    if isinstance(value, Shown):
        return value
    if isinstance(value, str):
        return clip(value, _MAX_VALUE)
    if isinstance(value, Msg):
        return Msg(value.code, {k: _clipped(v) for k, v in value.params.items()})
    if isinstance(value, tuple):
        return tuple(_clipped(v) for v in value)
    return value


def type_name(value: object) -> Msg:
    """Return the name of a TOML value's type, for a message: a string, an array, …"""
    name = _TYPE_NAMES.get(type(value))
    if name is None:
        return Msg("calendar.type-other", {"name": type(value).__name__})
    return Msg(f"calendar.type-{name}")


_TYPE_NAMES = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    list: "array",
    dict: "table",
}


# --- parsing and validation -----------------------------------------------------------

_T = TypeVar("_T")


class _Reader:
    """Collects every problem of one calendar file, each located by key path and line."""

    def __init__(self, text: str, file: str) -> None:
        self.file = file
        # Split on "\n" only, as TOML counts lines: str.splitlines() would also split on
        # U+2028, form feeds and the like inside strings, and shift every later line.
        self.lines = text.split("\n")
        self.problems: list[Problem] = []
        self._key_lines: dict[str, int] | None = None

    def problem(self, key: str, code: str, **params: object) -> None:
        """Record the problem `code` (a catalogue code) with `params`, at the key path `key`."""
        # A message quotes the bad value: a shortened one is as clear, and no longer than a
        # line, whatever the file holds.
        self.problems.append(
            Problem(
                file=self.file,
                line=self.line_of(key),
                key=clip(key, _MAX_KEY),
                code=code,
                params={name: _clipped(value) for name, value in params.items()},
            )
        )

    def problems_of(self, key: str, err: CutoverError) -> None:
        """Record, at the key path `key`, every problem of `err`: a value's own problems
        (a date, a lag, an actor), found by the function that reads it."""
        for found in err.problems:
            line, where = self.line_of(key), clip(key, _MAX_KEY)
            if found.code:
                params = {name: _clipped(value) for name, value in found.params.items()}
                located = attrs.evolve(found, file=self.file, line=line, key=where, params=params)
            else:
                message, fix = clip(found.message, _MAX_TEXT), clip(found.fix, _MAX_TEXT)
                located = attrs.evolve(
                    found, file=self.file, line=line, key=where, message=message, fix=fix
                )
            self.problems.append(located)

    def line_of(self, key: str) -> int | None:
        """Return the line where a key path such as ``events[3].date`` is written, if found.

        A path not written on a line of its own (an entry of a one-line array, a key that
        is missing) is located at its nearest written parent: the array's key, the table's
        header.
        """
        if self._key_lines is None:
            self._key_lines = _key_lines(self.lines)
        path = key
        while path:
            if path in self._key_lines:
                return self._key_lines[path]
            parent = _LAST_PART.sub("", path)
            if parent == path:
                break
            path = parent
        return None

    # Typed getters: each records a problem and returns a default instead of raising, so
    # that one run reports everything wrong with the file.

    def table(self, data: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, Mapping):
            self.problem(path, "calendar.not-a-table", type=type_name(value), path=path)
            return {}
        return value

    def array_of_tables(
        self, data: Mapping[str, Any], key: str, *, required: bool = False
    ) -> list[Mapping[str, Any]]:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(key, "calendar.missing-tables", name=key)
            return []
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            self.problem(key, "calendar.not-tables", type=type_name(value), name=key)
            return []
        return value

    def string(
        self, data: Mapping[str, Any], key: str, path: str, *, default: str | None = None
    ) -> str:
        value = data.get(key)
        if value is None:
            if default is None:
                self.problem(f"{path}.{key}", "calendar.missing-key", name=key)
                return ""
            return default
        if not isinstance(value, str):
            self.problem(
                f"{path}.{key}",
                "calendar.not-a-string",
                type=type_name(value),
                value=shown(value),
                name=key,
                written=str(value),
            )
            return ""
        return value

    def lag_text(self, data: Mapping[str, Any], key: str, path: str, *, default: str) -> str:
        """Return the lag written at `key`, as text for `parse_lag`. A bare number (``3``)
        says neither unit: it is reported with both (``"3bd"``, ``"3d"``), and `default`
        returned, rather than told to be quoted as ``"3"``, which is no lag either."""
        value = data.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            self.problem(f"{path}.{key}", "calendar.lag-without-unit", n=value, name=key)
            return default
        return self.string(data, key, path, default=default)

    def boolean(self, data: Mapping[str, Any], key: str, path: str, *, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problem(f"{path}.{key}", "calendar.not-a-boolean", value=shown(value), name=key)
            return default
        return value

    def strings(self, data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(f"{path}.{key}", "calendar.not-strings", value=shown(value), name=key)
            return ()
        return tuple(value)

    def integers(self, data: Mapping[str, Any], key: str, path: str) -> frozenset[int]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value
        ):
            self.problem(f"{path}.{key}", "calendar.not-item-numbers", value=shown(value), name=key)
            return frozenset()
        return frozenset(value)

    def choice(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        parse: Callable[[str], _T],
        default: _T | None = None,
    ) -> _T | None:
        value = data.get(key)
        if value is None:
            if default is None:
                self.problem(f"{path}.{key}", "calendar.missing-key", name=key)
            return default
        if not isinstance(value, str):
            self.problem(f"{path}.{key}", "calendar.choice-not-a-string", value=shown(value))
            return default
        try:
            return parse(value)
        except CutoverError as err:
            self.problems_of(f"{path}.{key}", err)
            return default

    def date_range(self, data: Mapping[str, Any], key: str, path: str) -> DateRange | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                # 2018-06-30T20:00:00-05:00 is 7/1 in Japan: its own day would be a day off.
                self.problem(
                    f"{path}.{key}",
                    "calendar.date-with-time-zone",
                    value=value.isoformat(),
                    name=key,
                )
                return None
            value = value.date()
        if isinstance(value, dt.date):
            found = DateRange(value, value, value.isoformat(), "day")
        elif not isinstance(value, str):
            self.problem(f"{path}.{key}", "calendar.not-a-date", value=shown(value), name=key)
            return None
        else:
            try:
                found = parse_fuzzy(value)
            except CutoverError as err:
                self.problems_of(f"{path}.{key}", err)
                return None
        # Business days are only known for these years: a date outside them would fail
        # later, in the timeline, far from the line that is wrong.
        if not (found.start.year >= FIRST_YEAR and found.end.year <= LAST_YEAR):
            self.problem(
                f"{path}.{key}",
                "calendar.date-outside-years",
                label=found.label,
                first=FIRST_YEAR,
                last=LAST_YEAR,
            )
            return None
        return found

    def unknown_keys(
        self,
        data: Mapping[str, Any],
        allowed: Sequence[str],
        path: str,
        *,
        fitting: Sequence[str] | None = None,
    ) -> None:
        """Report each key of `data` not `allowed`, with the key it seems to mean among the
        `fitting` ones (those this table takes: a window's ``end``, not its ``date``)."""
        for key in data:
            if key not in allowed:
                where = f"{path}.{key}" if path else key
                self.problem(
                    where,
                    "calendar.unknown-key",
                    name=key,
                    suggestion=_meant_key(key, data, allowed if fitting is None else fitting),
                )


def _meant_key(key: str, data: Mapping[str, Any], choices: Sequence[str]) -> Msg:
    """Return the suggestion for an unknown `key`: a key it is made of that the table lacks
    (``end_date`` for ``end``), else the closest of `choices` (a slip of a letter or two)."""
    parts = [part for part in re.split(r"[_\-]", key) if part in choices and part not in data]
    if len(parts) == 1:
        return Msg("common.did-you-mean", {"choice": parts[0]})
    return suggest(key, choices)


def _without_echoes(problems: Sequence[Problem]) -> list[Problem]:
    """Return `problems` less each missing key that a misspelt key of the same table is
    taken for: ``titel_en`` is reported unknown with "did you mean 'title_en'?", and a second
    line saying ``title_en`` is missing would only repeat it (its fix is the same)."""
    meant: set[str] = set()
    for found in problems:
        suggestion = found.params.get("suggestion")
        if (
            found.code == "calendar.unknown-key"
            and found.key is not None
            and isinstance(suggestion, Msg)
            and suggestion.code == "common.did-you-mean"
        ):
            table = found.key.rpartition(".")[0]
            choice = str(suggestion.params["choice"])
            meant.add(f"{table}.{choice}" if table else choice)
    return [
        found
        for found in problems
        if not (found.code.startswith("calendar.missing") and found.key in meant)
    ]


# --- locating key paths in the text -----------------------------------------------------
# tomllib gives values, not positions; these light patterns find where each key path is
# written, so that a message can name the line. They follow TOML closely enough for the
# files people write by hand: bare keys, headers, inline tables, multi-line arrays/strings.

_HEADER = re.compile(
    r"^\s*(\[\[?)\s*([A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*)\s*\]\]?\s*(?:#.*)?$"
)
_KEY_LINE = re.compile(r"^\s*([A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*)\s*=")
_INLINE_KEY = re.compile(r"[{,]\s*([A-Za-z0-9_\-]+)\s*=")
# (Possessive, and never from a quote after a backslash: a line of a megabyte of \" in a
# comment is read once, not once per quote.)
_STRINGS = re.compile(r'(?<!\\)"(?:[^"\\]|\\.)*+"|\'[^\']*+\'')
_LAST_PART = re.compile(r"(?:\.[^.\[\]]*|\[\d+\])$")


def _bracket_depth(value: str) -> int:
    """Return how many more brackets `value` opens than it closes, strings and comment aside."""
    bare = _STRINGS.sub("", value).split("#", 1)[0]
    return bare.count("[") + bare.count("{") - bare.count("]") - bare.count("}")


def _key_lines(lines: Sequence[str]) -> dict[str, int]:
    """Return the 1-based line of every key path written in `lines` (first one wins)."""
    found: dict[str, int] = {}
    counts: dict[str, int] = {}
    table = ""
    depth = 0  # inside a multi-line array: its lines are values, not keys or headers
    in_string = ""  # inside a multi-line string: the quotes that close it
    for number, line in enumerate(lines, start=1):
        if in_string:
            if line.count(in_string) % 2 == 1:
                in_string = ""
            continue
        if depth > 0:
            depth = max(0, depth + _bracket_depth(line))
            continue
        header = _HEADER.match(line)
        if header is not None:
            names = [part.strip() for part in header.group(2).split(".")]
            path = ""
            for i, name in enumerate(names):
                path = f"{path}.{name}" if path else name
                # [tasks.when] after [[tasks]] belongs to the last [[tasks]] table.
                if i < len(names) - 1 and path in counts:
                    path = f"{path}[{counts[path] - 1}]"
            found.setdefault(path, number)
            if header.group(1) == "[[":
                index = counts.get(path, 0)
                counts[path] = index + 1
                path = f"{path}[{index}]"
                found.setdefault(path, number)
            table = path
            continue
        key = _KEY_LINE.match(line)
        if key is None:
            continue
        name = re.sub(r"\s+", "", key.group(1))
        path = f"{table}.{name}" if table else name
        found.setdefault(path, number)
        value = line[key.end() :]
        for inner in _INLINE_KEY.finditer(_STRINGS.sub('""', value)):
            found.setdefault(f"{path}.{inner.group(1)}", number)
        for quotes in ('"""', "'''"):
            if value.count(quotes) % 2 == 1:
                in_string = quotes
                break
        else:
            depth = max(0, _bracket_depth(value))
    return found


#: The longest key path a problem names, and the longest text of a problem made without a
#: code (by a function of another part of cutover).
_MAX_KEY = 200
_MAX_TEXT = 400


def _check_id(r: _Reader, key: str, value: str) -> None:
    if value and not _ID.match(value):
        r.problem(key, "calendar.bad-id", value=value)


def _event_ref(
    r: _Reader,
    t: Mapping[str, Any],
    field: str,
    key: str,
    event_ids: Sequence[str],
    *,
    required: bool = True,
) -> str | None:
    if field not in t and not required:
        return None
    value = r.string(t, field, key)
    if value and value not in event_ids:
        r.problem(
            f"{key}.{field}",
            "calendar.unknown-event",
            value=value,
            suggestion=suggest(value, event_ids),
        )
    return value or None


_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
