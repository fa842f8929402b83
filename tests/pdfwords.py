"""What a printed PDF says, word by word, as poppler reads it back (``pdftotext -bbox``):
the words of each page with their boxes, the size of a page's text, and its lines. Shared
by the tests that print with LibreOffice (tests/test_print.py) and Chromium
(tests/test_browser.py)."""

from __future__ import annotations

import re
import statistics
import subprocess
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import attrs

#: The least size of the text on paper, in points: 60% of the sheets' 11 points (smaller
#: is hard to read on A4).
LEGIBLE_POINTS = 0.6 * 11
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


@attrs.frozen
class Word:
    """A word printed on a page, and the box it takes (points, from the top left)."""

    text: str
    left: float
    top: float
    right: float
    bottom: float


def pages(pdf: Path) -> list[list[Word]]:
    """Return the words of each page of `pdf`, in reading order."""
    found = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    return [
        [
            Word(text, float(left), float(top), float(right), float(bottom))
            for left, top, right, bottom, text in _WORD.findall(page)
        ]
        for page in found.split("<page ")[1:]
    ]


def text_size(page: Sequence[Word]) -> float:
    """Return the size of the page's text in points: the width of a full-width (Japanese)
    character, which is its size whatever the font."""
    sizes = [
        (word.right - word.left) / len(word.text)
        for word in page
        if len(word.text) > 1
        and all(unicodedata.east_asian_width(c) in ("W", "F") for c in word.text)
    ]
    assert sizes, "a page with no Japanese text"
    return statistics.median(sizes)


def lines(page: Sequence[Word]) -> list[str]:
    """Return the page's lines of text, each word as printed, separated by spaces (a word
    less than 2 points lower than the line's first is on the line)."""
    found: list[list[Word]] = []
    for word in sorted(page, key=lambda w: w.top):
        if found and word.top - found[-1][0].top < 2:
            found[-1].append(word)
        else:
            found.append([word])
    return [" ".join(w.text for w in sorted(line, key=lambda w: w.left)) for line in found]
