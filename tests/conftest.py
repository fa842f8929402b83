"""Fixtures shared by the test modules."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

import cutover.calendar.load as calendar_load

# CI must not go red by chance: there the examples are derived from each test's name, so a
# run is repeatable; locally every run explores new examples (and keeps the failing ones).
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def _parse_shipped_once() -> None:
    """Make `parse_calendar` give a shipped calendar's text, read from one file name, the
    calendar it gave the first time: thousands of commands and tests read the same two
    files, and parsing one is pure (its text and file name make the whole result, a frozen
    object; no warning, no clock, no environment). Any other text is parsed every time, so
    every test of the parser itself still runs it."""
    real = calendar_load.parse_calendar
    shipped = {
        p.read_bytes().decode("utf-8-sig") for p in calendar_load.shipped_calendars().values()
    }
    parsed: dict[tuple[str, str], object] = {}

    @functools.wraps(real)
    def parse_calendar(text: str, file: str = "<calendar>") -> object:
        if text not in shipped:
            return real(text, file)
        if (text, file) not in parsed:
            parsed[text, file] = real(text, file)
        return parsed[text, file]

    calendar_load.parse_calendar = parse_calendar  # type: ignore[assignment]


# (Before any test module imports the function.)
_parse_shipped_once()


@pytest.fixture
def write_calendar(tmp_path: Path) -> Callable[[str], Path]:
    """Return a function that writes TOML text to a file under `tmp_path` and gives its path."""

    def write(text: str, name: str = "calendar.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
