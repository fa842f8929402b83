"""The personal-number guard of a CSV file's rows (`cutover.jp.personal_number`): the
rows of a block that hold one, and the values of a row refused for its shape that do, so
that its refusal says so first (`cutover.inputs.csvfile.CsvFile`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cutover.inputs.blocks import CsvBlock
from cutover.jp.personal_number import holds_personal_number, may_hold_personal_number

__all__ = ["block_holding", "record_holding"]


def block_holding(block: CsvBlock) -> dict[int, list[tuple[str, str]]]:
    """Return the rows of `block` that hold a personal number: for each, by its index, the
    columns and values that hold one. Every value is checked; a column is first tested as a
    whole, which clears nearly every column at once."""
    holding: dict[int, list[tuple[str, str]]] = {}
    # Column by column: a column of codes or dates is ASCII, which the fast test reads as
    # bytes; only a column of Japanese text (names, details) needs the full search.
    for name, values in block.columns.items():
        if not may_hold_personal_number("\x00".join(values)):
            continue
        for k, value in enumerate(values):
            if holds_personal_number(value):
                holding.setdefault(k, []).append((name, value))
    return holding


def record_holding(record: Sequence[str], column: Callable[[int], str]) -> list[tuple[str, str]]:
    """Return the columns and values of a record refused for its shape (a quote left open,
    a line break, too many or too few values) that hold a personal number, each column
    named by `column` from its position."""
    if not may_hold_personal_number("\x00".join(record)):
        return []
    return [(column(i), value) for i, value in enumerate(record) if holds_personal_number(value)]
