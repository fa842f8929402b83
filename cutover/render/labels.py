"""Labels of a plan's values as people read them, shared by the renderers."""

from __future__ import annotations

from cutover.i18n.text import Lang
from cutover.plan.model import TaskStatus

__all__ = ["status_label"]

_STATUS_EN = {
    TaskStatus.DONE: "done",
    TaskStatus.OVERDUE: "overdue",
    TaskStatus.DUE_SOON: "due soon",
    TaskStatus.UPCOMING: "upcoming",
    TaskStatus.NOT_APPLICABLE: "not applicable",
}


def status_label(status: TaskStatus, lang: Lang) -> str:
    """Return the status as a reader sees it: 期限超過 / overdue, …"""
    return status.ja if lang == "ja" else _STATUS_EN[status]
