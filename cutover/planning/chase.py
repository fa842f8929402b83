"""The agencies to chase (督促先): what the coordinator asks each agency for, and why.

One entry for each thing missing, by agency code: a readiness report not sent for a side's
systems (`readiness-unknown`), a modification the report shows will not be done before the
revision (`provision-not-ready`, `query-not-ready`), one whose own planned day has passed
undone (`readiness-plan-passed`), one reported done on a day after the as-of date
(`readiness-done-after-as-of`: one entry, with the same modification's not-ready flag that
date makes when it is on or after the revision's day — one call asks the agency to correct
the status or the date), each hearing task of an agency the ministry may hear from
(`cutover hearings`' candidates, §4 §5), and each hearing task still to do in an open
window (its agencies at risk: chased before they become candidates). The summary workbook's
督促先 sheet, the summary page and its JSON all list these entries; each format only lays
them out.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from cutover.errors import require_instance, require_prefecture
from cutover.i18n.catalogue import Lang, text
from cutover.i18n.text import check_lang
from cutover.inputs.model import Agency
from cutover.jp.codes import in_prefecture
from cutover.jp.codes import prefecture as find_prefecture
from cutover.jp.vocabulary import Side
from cutover.planning.flags import Flag, FlagCode
from cutover.planning.hearings import Hearings, MissingTask
from cutover.planning.model import Plan, Task

__all__ = ["Chase", "ChaseReason", "chase_list"]


class ChaseReason(enum.StrEnum):
    """Why an agency is chased: a stable code (JSON), its words from the catalogue."""

    #: a side's systems with no readiness reported
    NO_REPLY = "no-reply"
    #: a modification reported not ready before the revision (§3)
    NOT_READY = "not-ready"
    #: a modification whose own planned day has passed undone (§3)
    PLAN_PASSED = "plan-passed"
    #: a modification reported done on a day after the as-of date: its status or date to
    #: correct (§3)
    DONE_AFTER_AS_OF = "done-after-as-of"
    #: a hearing task not shown done in its window (§4, §5)
    HEARING = "hearing"
    #: a hearing task not done yet, its window still open: to do by its deadline (§4, §5)
    AT_RISK = "at-risk"

    def label(self, lang: Lang) -> str:
        """Return the reason as a reader sees it: 回答なし / no reply."""
        return text(f"summary.chase-{self.value}", check_lang(lang))


#: The flags an agency is chased for, in the order its entries are listed.
_FLAGS = {
    FlagCode.READINESS_UNKNOWN: ChaseReason.NO_REPLY,
    FlagCode.PROVISION_NOT_READY: ChaseReason.NOT_READY,
    FlagCode.PROVISION_NOT_READY_ASSUMED: ChaseReason.NOT_READY,
    FlagCode.QUERY_NOT_READY: ChaseReason.NOT_READY,
    FlagCode.READINESS_PLAN_PASSED: ChaseReason.PLAN_PASSED,
    FlagCode.READINESS_DONE_AFTER_AS_OF: ChaseReason.DONE_AFTER_AS_OF,
}
_ORDER = {code: k for k, code in enumerate(_FLAGS)}


@attrs.frozen
class Chase:
    """One thing an agency is chased for: the flag that says it, or the hearing task."""

    agency: Agency
    reason: ChaseReason
    #: the task missing (None: a report missing for several systems, no one task)
    task: Task | None
    #: the flag of a readiness reason
    flag: Flag | None = None
    #: the hearing task, with why it is not shown done
    hearing: MissingTask | None = None
    #: the same modification's not-ready flag, for an entry whose report is done on a day
    #: after the as-of date and on or after the revision's (one call: the status or the date
    #: to correct, and, as written, not ready in time)
    not_ready: Flag | None = None

    @property
    def reasons(self) -> tuple[ChaseReason, ...]:
        """Return every reason this entry stands for, its `reason` first."""
        if self.not_ready is not None:
            return (self.reason, ChaseReason.NOT_READY)
        return (self.reason,)

    def reason_text(self, lang: Lang) -> str:
        """Return why the agency is chased, as a reader sees it: the reason's words, or, for
        a done date after the as-of date that also makes the modification late, both."""
        if self.not_ready is not None:
            return text("summary.chase-done-after-as-of-not-ready", check_lang(lang))
        return self.reason.label(lang)

    @property
    def due(self) -> dt.date | None:
        """Return the missing task's due date (None without a task)."""
        return self.task.due.date if self.task is not None else None

    @property
    def due_assumed(self) -> bool:
        """Return True when the due date is one the calendar assumes (※仮定: the source gives
        no date), not the ministry's; False for a date the source gives, or no due date."""
        return self.task is not None and self.task.due_assumed

    @property
    def side(self) -> Side | None:
        """Return the side of the modifications a readiness reason is about (§3: the
        flag's), or None for a hearing task."""
        return self.flag.side if self.flag is not None else None

    @property
    def systems(self) -> tuple[str, ...]:
        """Return the ids of the business systems whose modifications a readiness reason is
        about (the flag's: a report not sent may name several), or () for a hearing task."""
        return self.flag.systems if self.flag is not None else ()

    def missing(self, lang: Lang) -> str:
        """Return what is missing: the task's title, else the flag's message."""
        lang = check_lang(lang)
        if self.task is not None:
            return self.task.title_en if lang == "en" else self.task.title_ja
        return self.flag.message(lang) if self.flag is not None else ""

    def detail(self, lang: Lang) -> str | None:
        """Return what else says why: the flag's message (when the task names what is
        missing), or why the hearing task is not shown done, with its notes; either way a
        due date the calendar assumed says so, never shown as the ministry's date."""
        lang = check_lang(lang)
        if self.hearing is not None:
            parts = (self.hearing.reason.text(lang), *self.hearing.notes(lang))
            return text("text.sep-note", lang).join(parts)
        if self.task is not None and self.flag is not None:
            flag = self.flag.message(lang)
            if self.not_ready is not None:
                late = self.not_ready.message(lang)
                flag = text("summary.chase-detail-not-ready", lang, flag=flag, late=late)
            if not self.due_assumed:
                return flag
            # The task's due date is the calendar's assumption: said as a hearing task's is.
            note = text("plan.hearing-note-assumed", lang, assumption=self.task.assumption_in(lang))
            return text("summary.chase-detail-assumed", lang, flag=flag, note=note)
        return None


def chase_list(
    plan: Plan, hearings: Hearings, *, prefecture: str | int | None = None
) -> tuple[Chase, ...]:
    """Return the entries to chase of `plan` (those of `hearings`, `cutover.planning.hearings
    .hearings` of it, for the hearing tasks), by agency code, each agency's readiness
    entries first in flag order, then its hearing tasks; only the agencies of one prefecture
    when `prefecture` names it, as `summarize` takes it (``31``, ``"310000"``, ``"鳥取県"``)."""
    require_instance(plan, Plan, "plan", "common.not-a-plan")
    require_instance(hearings, Hearings, "hearings", "common.not-hearings")
    prefecture_code = None
    if prefecture is not None:
        prefecture_code = find_prefecture(require_prefecture(prefecture, "prefecture")).code
    found: list[tuple[str, int, Chase]] = []
    for agency_plan in plan.agencies:
        agency = agency_plan.agency
        if not in_prefecture(agency.code, prefecture_code):
            continue
        tasks = {t.id: t for t in agency_plan.tasks}
        # A modification reported done after the as-of date, on or after the revision's day,
        # is flagged both for the date and as not ready: one agency, one modification, one
        # call (to correct the status or the date), so one entry that says both.
        done_after = {
            (f.side, f.systems)
            for f in agency_plan.flags
            if f.code is FlagCode.READINESS_DONE_AFTER_AS_OF
        }
        late: dict[tuple[Side | None, tuple[str, ...]], Flag] = {}
        for flag in agency_plan.flags:
            reason = _FLAGS.get(flag.code)
            if reason is ChaseReason.NOT_READY and (flag.side, flag.systems) in done_after:
                late[flag.side, flag.systems] = flag
        for flag in agency_plan.flags:
            reason = _FLAGS.get(flag.code)
            if reason is None or flag in late.values():
                continue
            task = tasks.get(flag.task) if flag.task is not None else None
            chase = Chase(agency, reason, task, flag)
            if flag.code is FlagCode.READINESS_DONE_AFTER_AS_OF:
                chase = attrs.evolve(chase, not_ready=late.get((flag.side, flag.systems)))
            found.append((agency.code, _ORDER[flag.code], chase))
    # The hearing tasks (§4 §5): missed, then still to do before their deadline, each
    # agency's after its readiness entries (a registration not yet done in the window's
    # last week is what §5 asks to be done 「遺漏なく」: chased before it is missed).
    hearing_groups = (
        (ChaseReason.HEARING, hearings.candidates),
        (ChaseReason.AT_RISK, hearings.at_risk),
    )
    for order, (reason, groups) in enumerate(hearing_groups, start=len(_FLAGS)):
        for group in groups:
            for entry in group.agencies:
                agency = entry.agency
                if not in_prefecture(agency.code, prefecture_code):
                    continue
                for item in entry.missing:
                    chase = Chase(agency, reason, item.task, hearing=item)
                    found.append((agency.code, order, chase))
    found.sort(key=lambda f: (f[0], f[1]))  # (stable: each agency's flags in plan order)
    return tuple(chase for _, _, chase in found)
