"""Fixtures shared by the test modules."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

# CI must not go red by chance: there the examples are derived from each test's name, so a
# run is repeatable; locally every run explores new examples (and keeps the failing ones).
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture
def write_calendar(tmp_path: Path) -> Callable[[str], Path]:
    """Return a function that writes TOML text to a file under `tmp_path` and gives its path."""

    def write(text: str, name: str = "calendar.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
