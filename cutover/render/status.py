"""A task's status as a page shows it on the plan's date, shared by every page that shows one."""

from __future__ import annotations

import datetime as dt

from cutover.i18n.catalogue import Lang, text
from cutover.i18n.text import format_day
from cutover.jp.closed_days import Adjustment
from cutover.planning.model import Task, TaskStatus, open_until_day_ends
from cutover.render.labels import status_label

__all__ = ["due_status_text", "open_until_day_ends", "shown_status", "status_text"]


def status_text(task: Task, as_of: dt.date | None, lang: Lang) -> str:
    """Return the task's status as a page shows it on `as_of` (`due_status_text`)."""
    return due_status_text(task.status, task.due, as_of, lang)


def due_status_text(
    status: TaskStatus, due: Adjustment | None, as_of: dt.date | None, lang: Lang
) -> str:
    """Return the status of a task due `due` as a page shows it on `as_of`. On Saturday 6/30
    a window due Friday 6/29 (its written end 6/30 a closed day) is overdue to the plan, yet
    still open until the day ends: it is said so, not 期限超過, on a checklist as in the
    hearings list. (Without its due date, the status alone.)"""
    if open_until_day_ends(status, due, as_of):
        assert due is not None  # (a task with no due date is never still open)
        until = format_day(due.original, lang)
        return text("render.last-business-day-passed", lang, until=until)
    return status_label(status, lang)


def shown_status(task: Task, as_of: dt.date | None) -> TaskStatus:
    """Return the task's status as a page counts it on `as_of`: one still open until its
    written end's day ends (`open_until_day_ends`) is due soon, not overdue."""
    if open_until_day_ends(task.status, task.due, as_of):
        return TaskStatus.DUE_SOON
    return task.status
