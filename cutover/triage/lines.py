"""The query ids of given lines of a queries file: a rejected row's problem carries its line,
and a table of rejected rows shows its query id beside it."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from cutover.errors import CutoverError
from cutover.i18n.catalogue import Msg
from cutover.inputs.csvfile import CsvFile
from cutover.jp.personal_number import mask_personal_numbers
from cutover.triage.parse import QUERY_COLUMNS, REQUIRED

__all__ = ["query_ids_at"]


def query_ids_at(path: str | Path, lines: Collection[int]) -> dict[int, str]:
    """Return the query id written on each of `lines` of the queries file at `path` (a
    row's first line), stripped and masked (a rejected row may be one that holds a personal
    number); a line whose row cannot be read, or that is no row, is left out."""
    wanted = set(lines)
    found: dict[int, str] = {}
    if not wanted:
        return found
    source = CsvFile(
        Path(path), columns=QUERY_COLUMNS, required=REQUIRED, label=Msg("inputs.file-queries")
    )
    for block in source.blocks():
        if isinstance(block, CutoverError):
            continue
        ids = block.columns["query_id"]
        for k, line in enumerate(block.lines):
            if line in wanted:
                found[line] = mask_personal_numbers(ids[k].strip())
        if len(found) == len(wanted):
            break
    return found
