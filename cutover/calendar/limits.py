"""The bounds a calendar file must keep before and after TOML parsing: size, key depth,
integers, lists, no personal number, and task titles of one line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from cutover.calendar.reader import _Reader
from cutover.errors import CutoverError, Problem, clip
from cutover.i18n.catalogue import Msg
from cutover.jp.personal_number import holds_personal_number, refused

# --- limits ------------------------------------------------------------------------------
# A calendar is a few dozen KB, written by hand. These bounds are far above what any
# revision needs, and low enough that no file within them makes a command hang, exhaust
# memory or write gigabytes. docs/calendar-format.md lists them ("Limits").

#: The largest calendar, in bytes (in characters, for a text): the shipped ones are under
#: 30 KB.
_MAX_SIZE = 1024 * 1024
#: The most parts of a dotted key or a table header: the schema uses two (``[tasks.when]``).
#: tomllib takes time and memory growing with the square of the parts (50,000: gigabytes).
_MAX_KEY_PARTS = 10
#: The deepest nesting of tables and arrays: the schema has four (``tasks[0].when.kinds``).
_MAX_DEPTH = 10
#: TOML integers are 64-bit; Python reads any, and one of thousands of digits cannot even
#: be quoted in a message.
_MAX_INTEGER = 2**63 - 1
#: The most entries of each array of tables (the shipped calendars: 17 events, 9 tasks,
#: 4 items, 2 obligations). Tasks are multiplied by systems or items and by agencies.
_MAX_TABLES = {"events": 5000, "tasks": 100, "items": 200, "recurring": 50, "closures": 200}
#: The most entries of any other array: systems, remedies, dependencies (shipped: 8 at most).
_MAX_LIST = 50
#: The most problems reported at once; one more says how many more there are.
_MAX_PROBLEMS = 100

# A key part: bare, or quoted. Possessive (++, *+), and never starting inside another part
# or after a backslash (an escaped quote): every character is read once or twice, so a
# search of a megabyte stays linear.
_KEY_PART = r"""(?:[A-Za-z0-9_-]++|"(?:[^"\\\n]|\\.)*+"|'[^'\n]*+')"""
_DEEP_KEY = re.compile(
    rf"(?<![A-Za-z0-9_\-\"'.\\]){_KEY_PART}(?:[ \t]*+\.[ \t]*+{_KEY_PART}){{{_MAX_KEY_PARTS},}}"
)
_LONG_NUMBER = re.compile(r"[0-9_]{4301,}")
#: The keys of a title, in either language.
_TITLES = (".title_ja", ".title_en")


def _too_large(file: str) -> CutoverError:
    return CutoverError.of("calendar.too-large", file=file, size=_MAX_SIZE)


def _check_text(text: str, file: str) -> None:
    """Raise `CutoverError` for a text too large, or with keys too deep, to hand to tomllib."""
    if len(text) > _MAX_SIZE:
        raise _too_large(file)
    # Sought in the whole text, strings included: a string that looks like a key of eleven
    # parts is no more likely in a calendar than the key itself.
    deep = _DEEP_KEY.search(text)
    if deep is not None:
        raise CutoverError.of(
            "calendar.key-too-deep",
            file=file,
            line=text.count("\n", 0, deep.start()) + 1,
            name=clip(deep.group(), 60),
            most=_MAX_KEY_PARTS,
        )


def _refused(what: str, value: str) -> CutoverError:
    """Return the refusal of a key or a text of the calendar that holds a personal number
    (`what`: the catalogue's name of a key, or of a text)."""
    found = refused(Msg(what), value)
    return CutoverError.from_problems([Problem(code=found.code, params=found.params)])


def _check_limits(value: object, key: str, r: _Reader, depth: int = 0) -> None:
    """Record a problem for every array too long, integer too large or nesting too deep, for
    every text that holds a personal number, and every task title with a control character."""
    if depth > _MAX_DEPTH:
        r.problem(key, "calendar.nested-too-deep", most=_MAX_DEPTH)
    elif isinstance(value, Mapping):
        for name, inner in value.items():
            inner_key = f"{key}.{name}" if key else name
            if holds_personal_number(name):
                r.problems_of(inner_key, _refused("calendar.a-key", name))
            _check_limits(inner, inner_key, r, depth + 1)
    elif isinstance(value, str) and holds_personal_number(value):
        # A title or a note goes into every agency's checklist.
        r.problems_of(key, _refused("calendar.a-text", value))
    elif isinstance(value, str) and key.startswith("tasks[") and key.endswith(_TITLES):
        control = next((c for c in value if unicodedata.category(c) == "Cc"), None)
        if control is not None:
            # A task's title is one line: it names the task in a survey workbook's locked
            # cell and in an evidence file, where a line break or a control character does
            # not survive as written (a workbook keeps CR as LF, and no control character).
            r.problem(key, "calendar.control-in-title", char=repr(control)[1:-1])
    elif isinstance(value, list):
        most = _MAX_TABLES.get(key, _MAX_LIST)
        if len(value) > most:
            r.problem(key, "calendar.too-many-entries", count=len(value), most=most)
            return
        for i, inner in enumerate(value):
            _check_limits(inner, f"{key}[{i}]", r, depth + 1)
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > _MAX_INTEGER:
        # (str() refuses more than 4300 digits: past them, the count is worked out)
        bits = abs(value).bit_length()
        if bits < 14_000:
            r.problem(key, "calendar.integer-too-long", digits=len(str(abs(value))))
        else:
            r.problem(key, "calendar.integer-far-too-long", digits=int(bits * 0.30103))


def _at_most(problems: Sequence[Problem], file: str) -> list[Problem]:
    """Return the first `_MAX_PROBLEMS` problems, and one saying how many more there are."""
    if len(problems) <= _MAX_PROBLEMS:
        return list(problems)
    more = len(problems) - _MAX_PROBLEMS
    return [
        *problems[:_MAX_PROBLEMS],
        Problem(file=file, code="calendar.more-problems", params={"more": more}),
    ]
