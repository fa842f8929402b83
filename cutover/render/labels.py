"""Labels of a plan's values as people read them, shared by the renderers."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from cutover.i18n.catalogue import Lang, text

if TYPE_CHECKING:  # (triage, which writes the records note, does not import the planner)
    from cutover.planning.model import TaskStatus

__all__ = ["records_note", "status_label"]


@functools.cache
def status_label(status: TaskStatus, lang: Lang) -> str:
    """Return the status as a reader sees it: 期限超過 / overdue, … (cached: a national run
    labels tens of thousands of tasks with a handful of statuses)"""
    return status.label(lang)


@functools.cache
def records_note(lang: Lang = "ja") -> str:
    """Return what a query in error needs besides its action (§10–§12): its provision record
    is saved as 開示, so the record and its 開示/不開示 status need attention before any 追記."""
    return text("triage-report.records-note", lang)
