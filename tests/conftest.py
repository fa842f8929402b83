"""Fixtures shared by the test modules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def write_calendar(tmp_path: Path) -> Callable[[str], Path]:
    """Return a function that writes TOML text to a file under `tmp_path` and gives its path."""

    def write(text: str, name: str = "calendar.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
