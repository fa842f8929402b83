"""Collecting the problems of one calendar file, each located by key path and line."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from cutover.errors import CutoverError, Problem, clip, did_you_mean
from cutover.jp.closed_days import FIRST_YEAR, LAST_YEAR
from cutover.jp.wareki import DateRange, parse_fuzzy

if TYPE_CHECKING:
    pass


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

    def problem(self, key: str, message: str, fix: str) -> None:
        # A message quotes the bad value: a shortened one is as clear, and no longer than a
        # line, whatever the file holds.
        line = self.line_of(key)
        message, fix = clip(message, _MAX_MESSAGE), clip(fix, _MAX_MESSAGE)
        self.problems.append(Problem(message, fix, self.file, line, clip(key, _MAX_MESSAGE // 2)))

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
            self.problem(path, f"must be a table, not {_type_name(value)}", f"write [{path}]")
            return {}
        return value

    def array_of_tables(
        self, data: Mapping[str, Any], key: str, *, required: bool = False
    ) -> list[Mapping[str, Any]]:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(key, "is missing", f"add at least one [[{key}]] table")
            return []
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            self.problem(
                key,
                f"must be an array of tables, not {_type_name(value)}",
                f"write each entry as [[{key}]]",
            )
            return []
        return value

    def string(
        self, data: Mapping[str, Any], key: str, path: str, *, default: str | None = None
    ) -> str:
        value = data.get(key)
        if value is None:
            if default is None:
                self.problem(f"{path}.{key}", "is missing", f'add {key} = "…"')
                return ""
            return default
        if not isinstance(value, str):
            self.problem(
                f"{path}.{key}",
                f"must be a string, not {_type_name(value)} {value!r}",
                f'quote it: {key} = "{value}"',
            )
            return ""
        return value

    def boolean(self, data: Mapping[str, Any], key: str, path: str, *, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problem(
                f"{path}.{key}",
                f"must be true or false, not {value!r}",
                f"write {key} = true or {key} = false",
            )
            return default
        return value

    def strings(self, data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(
                f"{path}.{key}",
                f"must be a list of strings, not {value!r}",
                f'write {key} = ["…", "…"]',
            )
            return ()
        return tuple(value)

    def integers(self, data: Mapping[str, Any], key: str, path: str) -> frozenset[int]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value
        ):
            self.problem(
                f"{path}.{key}",
                f"must be a list of item numbers, not {value!r}",
                f"write {key} = [2, 21]",
            )
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
                self.problem(f"{path}.{key}", "is missing", f'add {key} = "…"')
            return default
        if not isinstance(value, str):
            self.problem(f"{path}.{key}", f"must be a string, not {value!r}", "quote it")
            return default
        try:
            return parse(value)
        except CutoverError as err:
            for p in err.problems:
                self.problem(f"{path}.{key}", p.message, p.fix)
            return default

    def date_range(self, data: Mapping[str, Any], key: str, path: str) -> DateRange | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            found = DateRange(value, value, value.isoformat(), "day")
        elif not isinstance(value, str):
            self.problem(
                f"{path}.{key}",
                f"must be a date, not {value!r}",
                f'write {key} = "2018-06-30" (or 平成30年6月30日, or "2018-05 下旬")',
            )
            return None
        else:
            try:
                found = parse_fuzzy(value)
            except CutoverError as err:
                for p in err.problems:
                    self.problem(f"{path}.{key}", p.message, p.fix)
                return None
        # Business days are only known for these years: a date outside them would fail
        # later, in the timeline, far from the line that is wrong.
        if not (found.start.year >= FIRST_YEAR and found.end.year <= LAST_YEAR):
            self.problem(
                f"{path}.{key}",
                f"{found.label!r} is outside the years cutover knows the closed days of "
                f"({FIRST_YEAR}–{LAST_YEAR})",
                f"give a date from {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31",
            )
            return None
        return found

    def unknown_keys(self, data: Mapping[str, Any], allowed: Sequence[str], path: str) -> None:
        for key in data:
            if key not in allowed:
                where = f"{path}.{key}" if path else key
                self.problem(where, f"{key!r} is not a valid key", did_you_mean(key, allowed))


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


def _type_name(value: object) -> str:
    names = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "a boolean",
        list: "an array",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)


#: The longest message: a quoted value is shortened to fit.
_MAX_MESSAGE = 400


def _check_id(r: _Reader, key: str, value: str) -> None:
    if value and not _ID.match(value):
        r.problem(
            key,
            f"id {value!r} is not lower-case letters, digits and hyphens",
            "write ids like 'duplicate-registration'",
        )


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
        r.problem(f"{key}.{field}", f"unknown event {value!r}", did_you_mean(value, event_ids))
    return value or None


_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
