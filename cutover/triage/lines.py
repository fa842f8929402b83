"""The query ids of given rows of queries files: a rejected row's problem carries its file and
line, and a table of rejected rows shows its query id beside them."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import Path

from cutover.errors import CutoverError, printable
from cutover.i18n.catalogue import Msg
from cutover.inputs.workbook import open_table
from cutover.jp.personal_number import mask_personal_numbers
from cutover.triage.parse import QUERY_COLUMNS, REQUIRED

__all__ = ["query_ids_at"]


def query_ids_at(
    paths: Iterable[str | Path], rows: Collection[tuple[str | None, int]]
) -> dict[tuple[str | None, int], str]:
    """Return the query id written on each of `rows` — (file as a problem names it, or None
    for any file; line, or a workbook's row) — of the queries files at `paths`, stripped and
    masked (a rejected row may be one that holds a personal number). A row that cannot be
    read, or is no row, is left out."""
    wanted = set(rows)
    found: dict[tuple[str | None, int], str] = {}
    if not wanted:
        return found
    for path in paths:
        source = open_table(
            path, columns=QUERY_COLUMNS, required=REQUIRED, label=Msg("inputs.file-queries")
        )
        name = printable(source.name)
        for block in source.blocks():
            if isinstance(block, CutoverError):
                continue
            ids = block.columns["query_id"]
            for k, line in enumerate(block.lines):
                for key in ((name, line), (None, line)):
                    if key in wanted:
                        found[key] = mask_personal_numbers(ids[k].strip())
    return found
