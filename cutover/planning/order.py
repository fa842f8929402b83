"""The order of the work (§2): システム改修, 機関間試験, 副本登録.

§2 lists the work in this order and sets no order as a rule: a test or registration done
before the provision side of the item's business system is modified may not be in the new
layout. The calendar names each item's systems (``[[items]] systems``) and, on a task, the
per-system tasks that come first (``after``). This module gives the note that names them
and that risk on the task, and flags a test or registration evidenced only before that
modification (``evidence-before-modification``).

The source names no system per item: where the calendar assumes the link
(``[[items]] systems_assumption``), the note and the flag say so, and how to correct it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import attrs

from cutover.calendar.model import RevisedItem, RevisionCalendar, TaskTemplate
from cutover.i18n.catalogue import Lang, text
from cutover.i18n.text import DataText, Items, Joined, Phrase
from cutover.inputs.model import Agency, Evidence
from cutover.jp.vocabulary import system_by_id
from cutover.planning.flags import Flag, FlagCode
from cutover.planning.model import AssumedLink, Task, TaskStatus

__all__ = ["First", "after_notes", "before_modification", "systems_behind"]


def systems_behind(
    template: TaskTemplate, calendar: RevisionCalendar, agency: Agency, item: int | None
) -> list[str]:
    """Return the business systems whose provision side comes before `template`'s task
    (§2): its item's, or, for a task done once, those of every revised item the agency
    provides."""
    return list(_items_behind(calendar, agency, item))


def _items_behind(
    calendar: RevisionCalendar, agency: Agency, item: int | None
) -> dict[str, list[RevisedItem]]:
    """Return each business system behind a task (`systems_behind`) with the revised items
    that link it to the task, in the calendar's order."""
    numbers = [item] if item is not None else sorted(agency.provides)
    found: dict[str, list[RevisedItem]] = {}
    for number in numbers:
        revised = calendar.item(number)
        if revised is None:
            continue
        for system in revised.systems:
            if system in calendar.revision.systems:
                found.setdefault(system, []).append(revised)
    return found


def _assumed(system: str, items: list[RevisedItem]) -> AssumedLink | None:
    """Return the link of `system` to `items` when the calendar assumes every one of them
    (a link the source makes, by any item, is not assumed), or None."""
    if not items or any(i.systems_assumption is None for i in items):
        return None

    def why(lang: Lang) -> str:
        return " ".join(i.systems_assumption_in(lang) or "" for i in items)

    return AssumedLink("", system, tuple(i.number for i in items), why("ja"), why("en"))


def _link_words(link: AssumedLink) -> Phrase:
    """Return the words for an assumed link: its items and its system."""
    system = system_by_id(link.system)
    return Phrase.of(
        "plan.assumed-link-part",
        items=Items(link.items),
        system=DataText(system.ja, system.en),
    )


@attrs.frozen
class First:
    """The task instances that come before a task (§2), and the note that names them."""

    ids: tuple[str, ...] = ()
    note_ja: str = ""
    note_en: str = ""
    #: of `ids`, those that come first by a link the calendar assumes
    assumed: tuple[AssumedLink, ...] = ()


def after_notes(
    template: TaskTemplate, calendar: RevisionCalendar, agency: Agency, item: int | None
) -> First:
    """Return the task instances that come first (§2), with the note naming them in
    Japanese and English."""
    behind = _items_behind(calendar, agency, item)
    titles: list[tuple[str, str]] = []
    ids: list[str] = []
    assumed: list[AssumedLink] = []
    links: dict[str, AssumedLink] = {}
    for before in template.after:
        earlier = next((t for t in calendar.tasks if t.id == before), None)
        if earlier is None:
            continue
        for system_id, items in behind.items():
            system = system_by_id(system_id)
            fields = {"system": system.id, "system_ja": system.ja, "system_en": system.en}
            titles.append(
                (earlier.title_ja.format_map(fields), earlier.title_en.format_map(fields))
            )
            ids.append(f"{earlier.id}:{system.id}")
            link = _assumed(system_id, items)
            if link is not None:
                assumed.append(attrs.evolve(link, first=ids[-1]))
                links.setdefault(system_id, link)
    if not titles:
        return First()
    note_ja = text("plan.note-after", "ja", titles="」「".join(t[0] for t in titles))
    note_en = text("plan.note-after", "en", titles=tuple(f"'{t[1]}'" for t in titles))
    if links:
        # The order is §2's; which system provides the item is the calendar's guess.
        said = Phrase.of(
            "plan.note-after-assumed",
            links=Joined(tuple(_link_words(link) for link in links.values())),
        )
        note_ja, note_en = note_ja + said.text("ja"), note_en + said.text("en")
    return First(tuple(ids), note_ja, note_en, tuple(assumed))


def before_modification(
    tasks: Sequence[Task],
    evidence: Mapping[str, Sequence[Evidence]],
    as_of: dt.date,
) -> Iterable[Flag]:
    """Yield a flag for each done task whose every counted evidence row predates the
    modification that comes first (§2: システム改修, 機関間試験, 副本登録): done before it,
    or while it is not done. A modification reported done without a date is not judged."""
    by_id: dict[str, Task] | None = None
    for task in tasks:
        if not task.first or task.done_on is None:
            continue
        if by_id is None:
            by_id = {t.id: t for t in tasks}
        opened = task.start.original if task.start is not None else None
        rows = [
            r
            for r in evidence.get(task.id, ())
            if r.date <= as_of and (opened is None or r.date >= opened)
        ]
        if not rows:
            continue  # (never: the task's done_on is the date of one of them)
        last = max(rows, key=lambda r: (r.date, r.line))
        for first in task.first:
            earlier = by_id.get(first)
            if earlier is None or earlier.status is TaskStatus.NOT_APPLICABLE:
                continue
            if earlier.status is TaskStatus.DONE:
                modified = earlier.done_on
                if modified is None or any(r.date >= modified for r in rows):
                    continue
                when = Phrase.of("plan.modified-on", date=modified)
            else:
                when = Phrase.of("plan.not-modified", as_of=as_of)
            link = next((a for a in task.first_assumed if a.first == first), None)
            advice = (
                Phrase.of("plan.redo-after-modification"),
                Phrase.of("plan.correct-modification-date"),
            )
            yield Flag.of(
                FlagCode.EVIDENCE_BEFORE_MODIFICATION,
                task=task.id,
                section="§2",
                advice=advice if link is None else (*advice, _link_fix(link)),
                # (The modification that comes first, as data: `before` names it to a reader.)
                side=earlier.template.side,
                systems=(system_by_id(earlier.system),) if earlier.system else (),
                title=DataText(task.title_ja, task.title_en),
                date=last.date,
                row=last,
                before=DataText(earlier.title_ja, earlier.title_en),
                when=when,
                link=""
                if link is None
                else Phrase.of(
                    "plan.assumed-link",
                    link=_link_words(link),
                    why=DataText(link.why_ja, link.why_en),
                ),
            )


def _link_fix(link: AssumedLink) -> Phrase:
    """Return what to do when the system the calendar assumes for the items is not the
    agency's: compare with the modification of the one that provides them, and correct the
    calendar (a copy of it is a calendar: ``CAL`` may be a path)."""
    system = system_by_id(link.system)
    return Phrase.of(
        "plan.assumed-link-fix", items=Items(link.items), system=DataText(system.ja, system.en)
    )
