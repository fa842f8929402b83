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
import re
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

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
from cutover.calendar.reader import _Reader
from cutover.errors import CutoverError, did_you_mean

if TYPE_CHECKING:
    pass

__all__ = ["calendar_path", "load_calendar", "parse_calendar", "shipped_calendars"]


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


def calendar_path(ref: str | Path) -> Path:
    """Return the file a calendar reference names: a shipped id or a path to a TOML file."""
    text = str(ref)
    shipped = shipped_calendars()
    if text in shipped:
        return shipped[text]
    path = Path(text)
    if path.exists() and not path.is_dir():
        return path  # a file, or a stream (``/dev/stdin``, ``<(…)``: read once, as a whole)
    looks_like_path = path.suffix == ".toml" or "/" in text or "\\" in text
    if looks_like_path:
        raise CutoverError(
            "no such calendar file", fix="check the path, or give a shipped id", file=text
        )
    raise CutoverError(
        f"unknown calendar {text!r}",
        fix=did_you_mean(text, list(shipped)) + " (`cutover calendars` lists them)",
    )


def load_calendar(ref: str | Path) -> RevisionCalendar:
    """Return the calendar a shipped id (``2018-07``) or a TOML path names, validated."""
    path = calendar_path(ref)
    try:
        with path.open("rb") as stream:
            # One byte past the limit is enough to know the file is too large.
            data = stream.read(_MAX_SIZE + 1)
    except OSError as exc:
        raise CutoverError(
            f"cannot read the calendar: {exc.strerror}", fix="check the path", file=str(path)
        ) from None
    if len(data) > _MAX_SIZE:
        raise _too_large(str(path))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CutoverError(
            "the calendar is not UTF-8", fix="save the TOML file as UTF-8", file=str(path)
        ) from None
    return parse_calendar(text, str(path))


def parse_calendar(text: str, file: str = "<calendar>") -> RevisionCalendar:
    """Return the calendar in TOML `text`; `file` names it in messages."""
    _check_text(text, file)
    try:
        data = tomllib.loads(text)
    except ValueError as exc:
        if isinstance(exc, tomllib.TOMLDecodeError):
            raise _toml_error(exc, file) from None
        # int() refuses to read more than 4300 digits; tomllib lets its ValueError through.
        long_number = _LONG_NUMBER.search(text)
        raise CutoverError(
            "not valid TOML: an integer of more than 4300 digits",
            fix="TOML integers are 64-bit: a calendar's are item numbers and the schema",
            file=file,
            line=text.count("\n", 0, long_number.start()) + 1 if long_number else None,
        ) from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively.
        raise CutoverError(
            "not valid TOML: arrays or tables nested too deeply",
            fix="a calendar nests tables two or three levels at most",
            file=file,
        ) from None
    reader = _Reader(text, file)
    _check_limits(data, "", reader)
    calendar = None if reader.problems else _build(data, reader)
    if reader.problems or calendar is None:
        raise CutoverError.from_problems(_at_most(reader.problems, file))
    return calendar


def _toml_error(exc: tomllib.TOMLDecodeError, file: str) -> CutoverError:
    message = str(exc)
    match = re.search(r"\(at line (\d+), column \d+\)", message)
    line = int(match.group(1)) if match else None
    reason = re.sub(r"\s*\(at line.*\)", "", message) or "invalid TOML"
    return CutoverError(
        f"not valid TOML: {reason}",
        fix="check quotes, brackets and = on that line",
        file=file,
        line=line,
    )
