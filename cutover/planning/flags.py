"""The flag rules: each finding about an agency has a stable code, a severity and a remedy.

Codes are part of the contract (JSON output, ``--fail-on``, ``docs/flags.md``): add new
ones, never rename. Messages are the catalogue's (``plan.<code>``), written from the flag's
parameters in the reader's language; remedies come from the calendar's task templates (so
from the source) wherever the source gives one, else from the catalogue.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping, Sequence

import attrs

from cutover.i18n.catalogue import Lang, text
from cutover.i18n.text import DataText, Items, Joined, Phrase, check_lang
from cutover.inputs.model import Attempt, Evidence, Readiness
from cutover.jp.vocabulary import BusinessSystem, Side

__all__ = [
    "FLAG_CODES",
    "Flag",
    "FlagCode",
    "Severity",
    "attempts_said",
    "done_late_hearing",
    "heard_late",
]


class Severity(enum.StrEnum):
    """How bad a finding is: errors need action now, warnings soon, info is for the record."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Return 2 for errors, 1 for warnings, 0 for info (for ``--fail-on``)."""
        return _RANKS[self]

    # Severities compare by how bad they are (``Severity.ERROR > Severity.WARNING``), not
    # as the strings they also are (where "error" < "warning").
    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    def label(self, lang: Lang) -> str:
        """Return the severity as a reader sees it: エラー / 警告 / 情報, or error / …"""
        return text(f"plan.severity-{self.value}", check_lang(lang))


_RANKS = {Severity.ERROR: 2, Severity.WARNING: 1, Severity.INFO: 0}


class FlagCode(enum.StrEnum):
    """The stable codes of every flag `cutover` raises."""

    def label(self, lang: Lang) -> str:
        """Return the flag's name as a table shows it: ヒアリングの候補 / hearing candidate."""
        return text(f"plan.flag-label-{self.value}", check_lang(lang))

    #: a provision-side modification will not be complete before the revision (§3)
    PROVISION_NOT_READY = "provision-not-ready"
    #: the same, when the day the revision takes effect is the calendar's assumption (※仮定:
    #: the November master delivery, which the source dates to the month): a warning, as an
    #: assumed date never makes an error on its own
    PROVISION_NOT_READY_ASSUMED = "provision-not-ready-assumed"
    #: a query-side modification will not be complete before the revision (§3)
    QUERY_NOT_READY = "query-not-ready"
    #: readiness.csv was given but says nothing of this system and side
    READINESS_UNKNOWN = "readiness-unknown"
    #: a modification reported planned for a day before the as-of date (and before the
    #: revision) is still not reported done: the agency's own plan has slipped, or its
    #: report is behind (§3: 「現在の予定どおり…必ず対応する必要がある」)
    READINESS_PLAN_PASSED = "readiness-plan-passed"
    #: a modification reported done (完了) on a day after the as-of date: not counted done,
    #: but planned for that day (完了 picked for 予定, or a mistyped year), as
    #: ``evidence-after-as-of`` is for an evidence row
    READINESS_DONE_AFTER_AS_OF = "readiness-done-after-as-of"
    #: a task the ministry follows up (test, registration) was not evidenced by the end of
    #: its window: the agency is a hearing candidate (§4, §5)
    HEARING_CANDIDATE = "hearing-candidate"
    #: the same, when the window's end is the calendar's assumption (※仮定), not a date the
    #: source gives: a warning until the real date is known (an assumed date never makes an
    #: error on its own)
    HEARING_CANDIDATE_ASSUMED = "hearing-candidate-assumed"
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
    #: an inter-agency test run inside its window failed: run, for §4's hearing criterion
    #: (「試験を実施していない機関」), but to be tested again once its cause is found
    TEST_FAILED = "test-failed"
    #: a test or registration evidenced only before the provision-side modification of its
    #: systems was done (§2: システム改修, 機関間試験, 副本登録): maybe not in the new layout
    EVIDENCE_BEFORE_MODIFICATION = "evidence-before-modification"
    #: evidence dated after the as-of date: not counted (not yet known, or a mistyped date)
    EVIDENCE_AFTER_AS_OF = "evidence-after-as-of"
    #: requests for cutoff items to answer by the cutoff (§6)
    QUERIES_TO_ANSWER = "queries-to-answer"
    #: queries to withdraw and re-issue after the revision (§6)
    QUERIES_TO_REISSUE = "queries-to-reissue"
    #: the queries file names the agency as provider of an item agencies.csv says it does not
    #: provide (a registry gap, or requests sent to the wrong agency)
    QUERIES_ITEM_NOT_PROVIDED = "queries-item-not-provided"
    #: open requests to the agency that §6's rule does not cover (another item, or received
    #: from the effective date): answered as usual, not "nothing to do"
    QUERIES_OUTSIDE_RULE = "queries-outside-rule"


#: Every code with its severity.
FLAG_CODES: dict[FlagCode, Severity] = {
    FlagCode.PROVISION_NOT_READY: Severity.ERROR,
    FlagCode.PROVISION_NOT_READY_ASSUMED: Severity.WARNING,
    FlagCode.QUERY_NOT_READY: Severity.WARNING,
    FlagCode.READINESS_UNKNOWN: Severity.WARNING,
    FlagCode.READINESS_PLAN_PASSED: Severity.WARNING,
    FlagCode.READINESS_DONE_AFTER_AS_OF: Severity.WARNING,
    FlagCode.HEARING_CANDIDATE: Severity.ERROR,
    FlagCode.HEARING_CANDIDATE_ASSUMED: Severity.WARNING,
    FlagCode.TASK_OVERDUE: Severity.WARNING,
    FlagCode.NEW_DELEGATION: Severity.INFO,
    FlagCode.DEADLINE_MOVED: Severity.INFO,
    FlagCode.ASSUMED_DATE: Severity.INFO,
    FlagCode.EVIDENCE_UNKNOWN_TASK: Severity.WARNING,
    FlagCode.EVIDENCE_BEFORE_WINDOW: Severity.WARNING,
    FlagCode.DONE_LATE: Severity.INFO,
    FlagCode.QUERIES_TO_ANSWER: Severity.WARNING,
    # §6: the querier withdraws and re-queries 「必要に応じて」: a warning, not an error.
    FlagCode.QUERIES_TO_REISSUE: Severity.WARNING,
    FlagCode.QUERIES_ITEM_NOT_PROVIDED: Severity.WARNING,
    FlagCode.QUERIES_OUTSIDE_RULE: Severity.INFO,
    FlagCode.EVIDENCE_NOT_COUNTED: Severity.WARNING,
    FlagCode.EVIDENCE_AFTER_AS_OF: Severity.WARNING,
    FlagCode.TEST_FAILED: Severity.WARNING,
    FlagCode.EVIDENCE_BEFORE_MODIFICATION: Severity.WARNING,
}


@attrs.frozen(cache_hash=True)
class Flag:
    """A finding about one agency: what is wrong, how bad, and what to do about it.

    A flag carries its code and the parameters of its message (dates as dates, task ids,
    items, counts); its text is the catalogue's ``plan.<code>``, written in the reader's
    language when it is shown (`message`). What to do comes from two places: the catalogue
    (`advice`, phrases written when shown) and the calendar's task templates (`given_ja`,
    `given_en`: the source's remedies, data in both languages). The modifications a flag
    is about (§3: a side, business systems), the items (特定個人情報 N番) and how many
    queries of each, and the evidence rows and log lines it is about (their file and line)
    are data too (`side`, `systems`, `items`, `counts`, `evidence`): a program never reads
    them out of the message.
    """

    code: FlagCode
    params: tuple[tuple[str, object], ...] = ()
    #: the calendar's remedies, in Japanese and in English (after the `advice`)
    given_ja: tuple[str, ...] = ()
    given_en: tuple[str, ...] = ()
    #: the task instance the flag is about, if any
    task: str | None = None
    section: str = ""
    #: what to do, from the catalogue (before the calendar's remedies)
    advice: tuple[Phrase, ...] = ()
    #: the side of the modifications the flag is about (§3), or None for a flag about none
    side: Side | None = None
    #: the ids of the business systems whose modifications the flag is about (as in
    #: readiness.csv: ``local-tax``, …), in the calendar's order; empty for a flag about none
    systems: tuple[str, ...] = ()
    #: the numbers of the items (特定個人情報) the flag is about, ascending; empty for none
    items: tuple[int, ...] = ()
    #: how many queries there are of each of `items` (in their order), for a flag that
    #: counts queries (the ``queries-*`` flags); empty for any other
    counts: tuple[int, ...] = ()
    #: the evidence rows and log lines the flag is about (where they are written), in the
    #: order the message names them; empty for a flag about none
    evidence: tuple[Evidence | Attempt, ...] = ()
    #: the readiness row (where it is written) a flag judges by what it says
    #: (``readiness-done-after-as-of``), or None
    report: Readiness | None = None

    @classmethod
    def of(
        cls,
        code: FlagCode,
        *,
        task: str | None = None,
        section: str = "",
        advice: tuple[Phrase, ...] = (),
        given: tuple[tuple[str, ...], tuple[str, ...]] = ((), ()),
        side: Side | None = None,
        systems: Sequence[BusinessSystem] = (),
        items: Collection[int] | Mapping[int, int] = (),
        row: Evidence | Attempt | None = None,
        report: Readiness | None = None,
        attempts: Sequence[Attempt] = (),
        **params: object,
    ) -> Flag:
        """Return the flag of `code` with the parameters of its message.

        The modifications it is about, `side` and `systems`, are both the flag's data
        (`Flag.side`, `Flag.systems`: ids) and its message's ``{side}`` and ``{systems}``
        as a reader names them (情報照会 / query; 地方税務・国保 / local tax, NHI); so are
        its `items` (`Flag.items`, and ``{items}``: ``9番・21番`` / ``9, 21``, or, given how many
        queries of each, ``2番 3件、21番 1件`` / ``item 2: 3, item 21: 1``, with `Flag.counts`
        and their sum, the message's ``{count}``). So is the evidence it is about
        (`Flag.evidence`): one `row`, the message's ``{where}`` (``evidence.csv 4行目``), or
        log lines that did not count, `attempts`, its ``{lines}`` (the first three: day,
        reason, where) and ``{more}`` (how many more); or the readiness row it judges,
        `report` (`Flag.report`), its ``{where}`` (``readiness.csv 39行目``).
        """
        if side is not None:
            params["side"] = DataText(side.label("ja"), side.value)
        if systems:
            named = tuple(DataText(s.ja, s.en) for s in systems)
            params["systems"] = Joined(named, "plan.sep-systems", "plan.sep-systems-last")
        numbers = tuple(sorted(items))
        counts: tuple[int, ...] = ()
        if isinstance(items, Mapping):
            counts = tuple(items[n] for n in numbers)
            counted = (Phrase.of("plan.item-count", item=n, n=items[n]) for n in numbers)
            params["items"] = Joined(tuple(counted))
            params["count"] = sum(counts)
        elif items:
            params["items"] = Items(numbers)
        evidence: tuple[Evidence | Attempt, ...] = tuple(attempts)
        if row is not None:
            evidence = (row, *evidence)
        for written in (row, report):
            if written is not None:
                params["where"] = DataText(written.where("ja"), written.where("en"))
        if attempts:
            params |= attempts_said(attempts)
        return cls(
            code,
            Phrase.of(f"plan.{code.value}", **params).params,
            given[0],
            given[1],
            task,
            section,
            advice,
            side,
            tuple(s.id for s in systems),
            numbers,
            counts,
            evidence,
            report,
        )

    @property
    def severity(self) -> Severity:
        """Return the severity of this flag's code."""
        return FLAG_CODES[self.code]

    @property
    def rows(self) -> tuple[Readiness | Evidence | Attempt, ...]:
        """Return the rows the flag is about, where each is written: the readiness row it
        judges (`report`), then its evidence rows and log lines (`evidence`)."""
        return self.evidence if self.report is None else (self.report, *self.evidence)

    @property
    def count(self) -> int | None:
        """Return how many queries the flag counts (the sum of `counts`), or None."""
        return sum(self.counts) if self.counts else None

    @property
    def item_counts(self) -> tuple[tuple[int, int], ...]:
        """Return each item the flag counts queries of with their count: ``((2, 3), (21,
        1))``, or ``()`` for a flag that counts none."""
        if not self.counts:
            return ()
        return tuple(zip(self.items, self.counts, strict=True))

    @property
    def parameters(self) -> dict[str, object]:
        """Return the parameters of the message, by name."""
        return dict(self.params)

    def message(self, lang: Lang) -> str:
        """Return the message in `lang` (``ja`` or ``en``; another is a `CutoverError`)."""
        return Phrase(f"plan.{self.code.value}", self.params).text(check_lang(lang))

    def remedies(self, lang: Lang) -> tuple[str, ...]:
        """Return what to do in `lang`: the catalogue's advice, then the calendar's remedies."""
        lang = check_lang(lang)
        given = self.given_en if lang == "en" else self.given_ja
        if not self.advice:
            return given
        return (*(phrase.text(lang) for phrase in self.advice), *given)

    @property
    def message_ja(self) -> str:
        """Return the message in Japanese."""
        return self.message("ja")

    @property
    def message_en(self) -> str:
        """Return the message in English."""
        return self.message("en")

    @property
    def remedies_ja(self) -> tuple[str, ...]:
        """Return what to do, in Japanese."""
        return self.remedies("ja")

    @property
    def remedies_en(self) -> tuple[str, ...]:
        """Return what to do, in English."""
        return self.remedies("en")


#: How many of its attempts a flag's message lists (``ほか2件`` counts the others).
_LISTED = 3


def attempts_said(attempts: Sequence[Attempt]) -> dict[str, object]:
    """Return a message's ``{lines}`` and ``{more}`` for `attempts`: the first three
    (`_attempt_lines`), and how many others (ほか2件), or nothing when there are none."""
    more = len(attempts) - _LISTED
    said = Phrase.of("plan.more-attempts", n=more) if more > 0 else ""
    return {"lines": _attempt_lines(attempts), "more": said}


def _attempt_lines(attempts: Sequence[Attempt]) -> Joined:
    """Return the first three `attempts` as a flag's message lists them: day, reason, where."""
    return Joined(
        tuple(
            Phrase.of(
                "plan.attempt",
                date=a.date,
                reason=DataText(a.reason.text("ja"), a.reason.text("en")),
                where=DataText(a.where("ja"), a.where("en")),
            )
            for a in attempts[:_LISTED]
        ),
        "text.sep-semicolon",
        "text.sep-semicolon",
    )


#: The catalogue codes of what a ``done-late`` flag of a hearing task says when the ministry
#: may hear from the agency about it (`heard_late`); the second when the window's end is
#: the calendar's assumption (※仮定): only if the real window was over by then.
_DONE_LATE_HEARINGS = ("plan.done-late-hearing", "plan.done-late-hearing-assumed")


def done_late_hearing(*, assumed: bool) -> str:
    """Return the catalogue code of what a ``done-late`` flag of a hearing task says: the
    ministry may hear from the agency — if the real window was over by then, when its end
    is `assumed` (an assumed date never makes it certain)."""
    return _DONE_LATE_HEARINGS[assumed]


def heard_late(flag: Flag) -> bool:
    """Return True when `flag` is a ``done-late`` flag saying the ministry may hear from the
    agency about its task: a hearing task done after its window with nothing of it in the
    window (not after a test run in the window that failed, §4); `cutover hearings` lists
    these among the candidates."""
    hearing = flag.parameters.get("hearing")
    return (
        flag.code is FlagCode.DONE_LATE
        and isinstance(hearing, Phrase)
        and hearing.code in _DONE_LATE_HEARINGS
    )
