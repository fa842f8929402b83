"""Labels of a plan's values as people read them, shared by the renderers."""

from __future__ import annotations

from cutover.i18n.catalogue import Lang
from cutover.planning.model import TaskStatus

__all__ = ["status_label"]


def status_label(status: TaskStatus, lang: Lang) -> str:
    """Return the status as a reader sees it: 期限超過 / overdue, …"""
    return status.label(lang)
