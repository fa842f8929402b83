"""The agencies to chase (督促先): what the coordinator asks each agency for, and why.

One entry for each thing missing, by agency code: a readiness report not sent for a side's
systems (`readiness-unknown`), a modification the report shows will not be done before the
revision (`provision-not-ready`, `query-not-ready`), one whose own planned day has passed
undone (`readiness-plan-passed`), one reported done on a day after the as-of date
(`readiness-done-after-as-of`), and each hearing task of an agency the ministry may hear
from (`cutover hearings`' candidates, §4 §5). The summary workbook's 督促先 sheet, the
summary page and its JSON all list these entries; each format only lays them out.
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
            if not self.due_assumed:
                return self.flag.message(lang)
            # The task's due date is the calendar's assumption: said as a hearing task's is.
            note = text("plan.hearing-note-assumed", lang, assumption=self.task.assumption_in(lang))
            flag = self.flag.message(lang)
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
        for flag in agency_plan.flags:
            reason = _FLAGS.get(flag.code)
            if reason is None:
                continue
            task = tasks.get(flag.task) if flag.task is not None else None
            found.append((agency.code, _ORDER[flag.code], Chase(agency, reason, task, flag)))
    for group in hearings.candidates:
        for entry in group.agencies:
            agency = entry.agency
            if not in_prefecture(agency.code, prefecture_code):
                continue
            for item in entry.missing:
                chase = Chase(agency, ChaseReason.HEARING, item.task, hearing=item)
                found.append((agency.code, len(_FLAGS), chase))
    found.sort(key=lambda f: (f[0], f[1]))  # (stable: each agency's flags in plan order)
    return tuple(chase for _, _, chase in found)
