"""The flag rules: each finding about an agency has a stable code, a severity and a remedy.

Codes are part of the contract (JSON output, ``--fail-on``, ``docs/flags.md``): add new
ones, never rename. Messages come in Japanese and English; remedies come from the
calendar's task templates (so from the source) wherever the source gives one.
"""

from __future__ import annotations

import enum

import attrs

__all__ = ["FLAG_CODES", "Flag", "FlagCode", "Severity"]


class Severity(enum.StrEnum):
    """How bad a finding is: errors need action now, warnings soon, info is for the record."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Return 2 for errors, 1 for warnings, 0 for info (for ``--fail-on``)."""
        return {Severity.ERROR: 2, Severity.WARNING: 1, Severity.INFO: 0}[self]


class FlagCode(enum.StrEnum):
    """The stable codes of every flag `cutover` raises."""

    #: a provision-side modification will not be complete before the revision (§3)
    PROVISION_NOT_READY = "provision-not-ready"
    #: a query-side modification will not be complete before the revision (§3)
    QUERY_NOT_READY = "query-not-ready"
    #: readiness.csv was given but says nothing of this system and side
    READINESS_UNKNOWN = "readiness-unknown"
    #: a task the ministry follows up (test, registration) was not evidenced by the end of
    #: its window: the agency is a hearing candidate (§4, §5)
    HEARING_CANDIDATE = "hearing-candidate"
    #: any other task past its due date without evidence
    TASK_OVERDUE = "task-overdue"
    #: a new delegation adds registrations (§5)
    NEW_DELEGATION = "new-delegation"
    #: a due date fell on a closed day and was moved to the previous business day
    DEADLINE_MOVED = "deadline-moved"
    #: a due date is an assumption of the calendar, not a date the source gives
    ASSUMED_DATE = "assumed-date"
    #: evidence.csv names a task this agency does not have
    EVIDENCE_UNKNOWN_TASK = "evidence-unknown-task"
    #: evidence dated before the task's window opened does not complete it
    EVIDENCE_BEFORE_WINDOW = "evidence-before-window"
    #: evidenced, but after the due date
    DONE_LATE = "done-late"
    #: an operator's log names the task, but a registration of 0 records or a failed test
    #: does not complete it (§4, §5)
    EVIDENCE_NOT_COUNTED = "evidence-not-counted"
    #: evidence dated after the as-of date: not counted (not yet known, or a mistyped date)
    EVIDENCE_AFTER_AS_OF = "evidence-after-as-of"
    #: requests for cutoff items to answer by the cutoff (§6)
    QUERIES_TO_ANSWER = "queries-to-answer"
    #: queries to withdraw and re-issue after the revision (§6)
    QUERIES_TO_REISSUE = "queries-to-reissue"
    #: the queries file names the agency as provider of an item agencies.csv says it does not
    #: provide (a registry gap, or requests sent to the wrong agency)
    QUERIES_ITEM_NOT_PROVIDED = "queries-item-not-provided"


#: Every code with its severity.
FLAG_CODES: dict[FlagCode, Severity] = {
    FlagCode.PROVISION_NOT_READY: Severity.ERROR,
    FlagCode.QUERY_NOT_READY: Severity.WARNING,
    FlagCode.READINESS_UNKNOWN: Severity.WARNING,
    FlagCode.HEARING_CANDIDATE: Severity.ERROR,
    FlagCode.TASK_OVERDUE: Severity.WARNING,
    FlagCode.NEW_DELEGATION: Severity.INFO,
    FlagCode.DEADLINE_MOVED: Severity.INFO,
    FlagCode.ASSUMED_DATE: Severity.INFO,
    FlagCode.EVIDENCE_UNKNOWN_TASK: Severity.WARNING,
    FlagCode.EVIDENCE_BEFORE_WINDOW: Severity.WARNING,
    FlagCode.DONE_LATE: Severity.INFO,
    FlagCode.QUERIES_TO_ANSWER: Severity.WARNING,
    FlagCode.QUERIES_TO_REISSUE: Severity.ERROR,
    FlagCode.QUERIES_ITEM_NOT_PROVIDED: Severity.WARNING,
    FlagCode.EVIDENCE_NOT_COUNTED: Severity.WARNING,
    FlagCode.EVIDENCE_AFTER_AS_OF: Severity.WARNING,
}


@attrs.frozen
class Flag:
    """A finding about one agency: what is wrong, how bad, and what to do about it."""

    code: FlagCode
    message_ja: str
    message_en: str
    remedies_ja: tuple[str, ...] = ()
    remedies_en: tuple[str, ...] = ()
    #: the task instance the flag is about, if any
    task: str | None = None
    section: str = ""

    @property
    def severity(self) -> Severity:
        """Return the severity of this flag's code."""
        return FLAG_CODES[self.code]

    def message(self, lang: str) -> str:
        """Return the message in `lang` (``ja`` or ``en``)."""
        return self.message_en if lang == "en" else self.message_ja

    def remedies(self, lang: str) -> tuple[str, ...]:
        """Return the remedies in `lang` (``ja`` or ``en``)."""
        return self.remedies_en if lang == "en" else self.remedies_ja
