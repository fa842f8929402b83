"""The merged cells of a sheet: which hold a cell of the header, and which hide, below it,
values the reader would take for blank cells."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

__all__ = ["hiding_cells", "hiding_values", "merged_on"]


def _bounds(merges: Iterable[str]) -> Iterator[tuple[int, int, int, int, str]]:
    """Yield each range's left, top, right and bottom (1: column A, row 1) and its text."""
    from openpyxl.utils import range_boundaries

    for ref in merges:
        try:
            left, top, right, bottom = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        if left is None or top is None or right is None or bottom is None:
            continue  # (a whole row or column: Excel cannot merge one)
        yield left, top, right, bottom, ref


def merged_on(merges: Iterable[str], row: int) -> list[str]:
    """Return the merged ranges that hold a cell of `row`, left to right."""
    found = sorted(
        (left, ref) for left, top, _, bottom, ref in _bounds(merges) if top <= row <= bottom
    )
    return [ref for _, ref in found]


def hiding_values(
    merges: Iterable[str], header: int, read: Iterable[int]
) -> list[tuple[int, int, str]]:
    """Return the ranges below the `header` row, over more than one row, that hold a cell
    of a column `read` (1: column A), as (top, left, range), top to bottom.

    Excel keeps a merged range's value in its top-left cell only: the rows below read as
    blank, where the person sees the value written for them all (a date written once for
    three tasks, 「2 21」 once for two agencies). Blank is a value in some columns (no
    items, not done yet), so those rows would change without a word. (A range within one
    row shows one value in one cell, and is read so.)"""
    columns = set(read)
    found = []
    for left, top, right, bottom, ref in _bounds(merges):
        if top <= header:
            continue  # (titles above the header; the header's own are refused on their own)
        if bottom > top and any(c in columns for c in range(left, right + 1)):
            found.append((top, left, ref))
    return sorted(found)


def hiding_cells(
    merges: Iterable[str], below: int, read: Iterable[int]
) -> list[tuple[int, int, str]]:
    """Return the ranges that hide a cell of a column `read` (1: column A) on a row below
    `below`: a cell of the range other than its top-left one, which reads as blank, as
    (top, left, range), top to bottom. (Within one row too: unlike `hiding_values`, for
    cells that may never be blank, as the locked cells of a survey workbook.)"""
    columns = set(read)
    found = []
    for left, top, right, bottom, ref in _bounds(merges):
        if any(
            (row, column) != (top, left) and column in columns
            for row in range(max(top, below + 1), bottom + 1)
            for column in range(left, right + 1)
        ):
            found.append((top, left, ref))
    return sorted(found)
