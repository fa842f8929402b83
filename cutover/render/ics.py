"""The timeline and one agency's tasks as iCalendar (RFC 5545), for the calendar people use.

Written with the `icalendar` library, which escapes text (``,`` ``;`` ``\\`` newlines),
folds long lines at 75 octets without splitting a character, and ends lines with CRLF.

Every event is an all-day event (``VALUE=DATE``, no time zone: a date in Japan is the
same date in any client set to Japan time): a window runs from its opening to its due
date, and ``DTEND`` is the day *after* the due date, because RFC 5545 ends are exclusive;
a milestone or deadline is one day, its due date. Dates are the ones people act on,
already moved off closed days; the description says when one moved and why. A date the
calendar assumes (the source gives none) is marked ※仮定 in the summary itself, and a task
the source says to do as needed (必要に応じて) says in its description that it is no
obligation.

Stable identifiers
    Importing the file again updates the events instead of adding copies, because each
    ``UID`` is made from what the event is, never from when the file was made:
    ``<calendar>.<event>@cutover`` (``2018-07.provision-cutoff@cutover``), with the date
    for an occurrence of a recurring obligation (``2018-07.training-plan.20180401@cutover``)
    and ``<calendar>.<agency code>.<task id>@cutover`` for an agency's tasks. A what-if
    timeline (with shifts) gets ``<calendar>.what-if.<shifts>`` instead of the calendar id,
    so that importing a what-if never overwrites the real schedule.

Updating on a new import (``SEQUENCE``, ``DTSTAMP``, ``LAST-MODIFIED``)
    A client that already holds an event with the same ``UID`` may keep it unless the new
    copy is a later revision: RFC 5545 §3.8.7.4 and RFC 5546 §2.1.5 order revisions by
    ``SEQUENCE``, then ``DTSTAMP``, and a client that follows them ignores a copy whose
    ``SEQUENCE`` is not higher: the old date would stay. Nothing is
    kept between runs, so the revision number comes from a day that grows with every later
    export: the as-of date (an agency's plan: its statuses are as of that day; the
    timeline: the day it is made, ``--as-of`` or today in JST). Every event carries
    ``SEQUENCE`` = that day as ``YYYYMMDD`` (``20180625``), and ``DTSTAMP`` =
    ``LAST-MODIFIED`` = that day at 00:00 JST: an export made on a later day outranks every
    earlier one, whichever of its dates moved, and the same inputs still give the same
    bytes. Two exports with the same day carry the same number (a client may keep the
    first). Without an as-of date the timeline is stamped with the day the revision takes
    effect and ``SEQUENCE:0``, the revision as declared, which any dated export outranks.
    The file says ``METHOD:PUBLISH`` (RFC 5546 §3.2.1): events to copy, not invitations.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import icalendar

from cutover.calendar.model import Recurring
from cutover.errors import CutoverError, closest, require_code, require_date
from cutover.i18n.catalogue import LANGS, Alternatives, Argument, Lang, Msg, text
from cutover.i18n.text import check_lang, format_day, moved_note
from cutover.inputs.model import Agency
from cutover.inputs.rows import KnownCodes
from cutover.jp.closed_days import JST, Adjustment, Closure
from cutover.jp.codes import official_entry
from cutover.jp.vocabulary import normalize_text
from cutover.jp.wareki import format_range
from cutover.planning.model import AgencyPlan, Plan, Task, TaskStatus
from cutover.schedule.model import ScheduledEvent
from cutover.schedule.timeline import Timeline
from cutover.schedule.whatif import WhatIf, shown_timeline

__all__ = ["UID_DOMAIN", "plan_ics", "timeline_ics"]

#: The right-hand side of every UID: fixed, so that UIDs never depend on the machine.
UID_DOMAIN = "cutover"

_PRODID = "-//cutover//data standard layout cutover//JA"
_ONE_DAY = dt.timedelta(days=1)


# --- text -----------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Return `text` with control characters RFC 5545 TEXT cannot carry made spaces.

    Newlines stay (icalendar writes them as ``\\n``); every other kind of line break
    becomes a newline, and other control characters a space.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for ch in text:
        if ch in "\u2028\u2029\x85":
            out.append("\n")
        elif ch in "\n\t":
            out.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cs"):
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def _both(code: str) -> str:
    """Return a label in both languages, as every description gives it: ``出典 Source``."""
    return f"{text(code, 'ja')} {text(code, 'en')}"


def _moved_lines(adjustment: Adjustment, *, opening: bool, window: bool) -> list[str]:
    """Return why a date moved off a closed day, in Japanese and English; [] when it did not."""
    if adjustment.closure is None:
        return []
    return [
        moved_note(adjustment, lang, opening=opening, window=window, form="calendar")
        for lang in LANGS
    ]


def _closed_lines(day: dt.date, closure: Closure | None) -> list[str]:
    """Return that `day`, a date not moved, is a closed day, in Japanese and English; []
    for a business day."""
    if closure is None:
        return []
    return [
        text("checklist.closed-day", lang, day=format_day(day, lang), reason=closure.reason(lang))
        for lang in LANGS
    ]


def _assumption_lines(ja: str | None, en: str | None) -> list[str]:
    lines = []
    if ja:
        lines.append(text("timeline.ics-assumption", "ja", assumption=ja))
    if en and en != ja:
        lines.append(text("timeline.ics-assumption", "en", assumption=en))
    return lines


def _fuzzy_lines(item: ScheduledEvent) -> list[str]:
    """Return how a date the source gives only roughly (下旬, a month) was written."""
    event = item.event
    lines = []
    for written, what in (
        (event.start, "start" if event.is_window else "date"),
        (event.end, "end"),
    ):
        if written is not None and written.precision != "day":
            lines.append(
                f"{_both(f'timeline.ics-given-{what}')} {format_range(written)}"
                f" ({format_range(written, lang='en')})"
            )
    return lines


def _title(ja: str, en: str, lang: Lang, *, assumed: bool = False) -> tuple[str, str]:
    """Return (summary, the other language's title) for `lang`.

    An `assumed` date (the source gives none: ※仮定) is marked in the summary, the one line
    a calendar's day or month view shows, as the timeline and checklists mark it beside the
    date: an imported deadline must not look like one the source sets.
    """
    summary, other = (ja or en, en) if lang == "ja" else (en or ja, ja)
    if assumed:
        summary = text("timeline.ics-summary-assumed", lang, summary=summary)
    return summary, other


def _optional_lines(optional: bool) -> list[str]:
    """Return, for a task the source says to do as needed (必要に応じて), that it is no
    obligation, in Japanese and English; [] for any other task."""
    return [text("timeline.ics-optional", lang) for lang in LANGS] if optional else []


# --- building events ------------------------------------------------------------------------


def _uid(*parts: str) -> str:
    return ".".join(parts) + f"@{UID_DOMAIN}"


def _midnight_jst(day: dt.date) -> dt.datetime:
    """Return 00:00 JST on `day`, in UTC (DTSTAMP must be UTC)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=JST).astimezone(dt.UTC)


class _Stamp(NamedTuple):
    """The revision every event of one export carries: ``DTSTAMP`` and ``SEQUENCE``."""

    moment: dt.datetime
    sequence: int


def _stamp(day: dt.date, *, dated: bool = True) -> _Stamp:
    """Return the revision of an export made as of `day`: 00:00 JST, sequence ``YYYYMMDD``.

    An undated export (`dated` false) is revision 0, which any dated export outranks.
    """
    sequence = day.year * 10000 + day.month * 100 + day.day if dated else 0
    return _Stamp(_midnight_jst(day), sequence)


def _event(
    uid: str,
    stamp: _Stamp,
    first: dt.date,
    last: dt.date,
    summary: str,
    description: Sequence[str],
    categories: Sequence[str] = (),
) -> icalendar.Event:
    """Return an all-day VEVENT from `first` to `last` inclusive."""
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.moment)
    event.add("last-modified", stamp.moment)
    event.add("sequence", stamp.sequence)
    event.add("dtstart", first)
    # RFC 5545 §3.6.1: DTEND of an all-day event is exclusive.
    event.add("dtend", last + _ONE_DAY)
    event.add("summary", _clean(summary))
    text = "\n".join(line for line in description if line)
    if text:
        event.add("description", _clean(text))
    if categories:
        event.add("categories", [_clean(c).replace("\n", " ") for c in categories])
    # Deadlines, not meetings: they do not make anyone busy.
    event.add("transp", "TRANSPARENT")
    return event


def _span(opening: dt.date, due: dt.date) -> tuple[dt.date, dt.date]:
    """Return the days a window covers; an inverted window (a conflict) still gets a span."""
    return (opening, due) if opening <= due else (due, opening)


def _timeline_event(
    item: ScheduledEvent, tl: Timeline, prefix: str, stamp: _Stamp, lang: Lang
) -> icalendar.Event:
    event = item.event
    assumed = bool(event.assumption) or item.assumed_from is not None
    summary, other = _title(event.title_ja, event.title_en, lang, assumed=assumed)
    if event.is_window:
        first, last = _span(item.opening.date, item.due.date)
    else:
        first = last = item.due.date
    source = event.section or text("timeline.no-source", "ja")
    lines = [other, f"{_both('timeline.ics-source')}: {source}"]
    if event.is_window:
        lines += _moved_lines(item.opening, opening=True, window=True)
    lines += _moved_lines(item.due, opening=False, window=event.is_window)
    # A date kept on a closed day (a milestone, adjust = false) says so, as the timeline's
    # table does: a calendar shows the Sunday, not that no one is at work.
    opening_closed, due_closed = tl.stays_closed(item)
    opening_day, due_day = item.acted_on
    if event.is_window and opening_day != due_day:
        lines += _closed_lines(opening_day, opening_closed)
    lines += _closed_lines(due_day, due_closed)
    lines += _fuzzy_lines(item)
    if item.shifted is not None:
        lines.append(f"{_both('timeline.ics-shifted')}: {item.shifted}")
    lines += _assumption_lines(event.assumption, event.assumption_en)
    upstream = item.assumed_from
    if not event.assumption and upstream is not None:
        lines.append(text("timeline.assumed-from", "ja", event=upstream.title_ja or upstream.id))
        lines.append(text("timeline.assumed-from", "en", event=upstream.title_en or upstream.id))
    lines += [event.note_ja, event.note_en if event.note_en != event.note_ja else ""]
    lines += [
        f"{_both('timeline.ics-conflict')}: {c.text('ja')}"
        for c in tl.conflicts
        if c.event == event.id
    ]
    lines.append(f"cutover: {tl.calendar.id} / {event.id}")
    return _event(_uid(prefix, event.id), stamp, first, last, summary, lines)


def _recurring_event(
    rule: Recurring, day: dt.date, tl: Timeline, prefix: str, stamp: _Stamp, lang: Lang
) -> icalendar.Event:
    summary, other = _title(rule.title_ja, rule.title_en, lang, assumed=bool(rule.assumption))
    # An occurrence is not moved (the obligation is "every 4/1"), but one on a closed day
    # says so, as the timeline's list does: the work falls on the days around it.
    lines = [
        other,
        *_closed_lines(day, tl.closed.closure(day)),
        f"{_both('timeline.ics-source')}: {rule.section}" if rule.section else "",
        f"{_both('timeline.ics-repeats')}: {rule.rrule}",
        *_assumption_lines(rule.assumption, rule.assumption_en),
        rule.note_ja,
        rule.note_en if rule.note_en != rule.note_ja else "",
        f"cutover: {tl.calendar.id} / {rule.id}",
    ]
    return _event(_uid(prefix, rule.id, f"{day:%Y%m%d}"), stamp, day, day, summary, lines)


def _calendar(name: str, events: Iterable[icalendar.Event]) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", _PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _clean(name).replace("\n", " "))
    cal.add("x-wr-timezone", "Asia/Tokyo")
    for event in events:
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def _uid_prefix(tl: Timeline) -> str:
    """Return the calendar part of the UIDs: the calendar id, marked when shifts apply."""
    if not tl.shifts:
        return tl.calendar.id
    shifts = ".".join(f"{s.event}{s.lag}" for s in tl.shifts)
    return f"{tl.calendar.id}.what-if.{shifts}"


def timeline_ics(
    subject: Timeline | WhatIf, *, lang: Lang = "ja", as_of: dt.date | None = None
) -> bytes:
    """Return every event of the timeline and every recurring occurrence as an iCalendar file.

    The summary is the title in `lang` (Japanese by default); the description gives the
    other title, the source section, closed-day moves, assumptions and notes. `as_of` is
    the day the file is made: an export with a later one updates the events a client
    imported before (``SEQUENCE``); without it, the file is revision 0.
    """
    language = check_lang(lang)
    if as_of is not None:
        require_date(as_of, "as_of")
    tl = shown_timeline(subject)
    prefix = _uid_prefix(tl)
    stamp = _stamp(tl.calendar.revision.effective, dated=False) if as_of is None else _stamp(as_of)
    events = [_timeline_event(item, tl, prefix, stamp, language) for item in tl.events]
    events += [
        _recurring_event(rule, day, tl, prefix, stamp, language) for rule, day in tl.recurring
    ]
    revision = tl.calendar.revision
    name = revision.title_en if language == "en" else revision.title_ja
    if tl.shifts:
        shifts = ", ".join(str(s) for s in tl.shifts)
        name = text("timeline.ics-what-if", language, name=name, shifts=shifts)
    return _calendar(name, events)


# --- one agency's plan ----------------------------------------------------------------------


def _agency(plan: Plan, code: str) -> AgencyPlan:
    """Return the plan of the agency with `code` (full-width digits as a Japanese input
    method types them, ３１２０４５, read as the code), or raise `CutoverError` naming the
    codes."""
    typed = normalize_text(code)  # (full-width digits folded, as every input folds them)
    for agency_plan in plan.agencies:
        if agency_plan.agency.code == typed:
            return agency_plan
    agencies = [a.agency for a in plan.agencies]
    if not agencies:
        raise CutoverError.of("timeline.ics-empty-registry", agency=code, agencies=_REGISTRY)
    wanted = code.strip()
    # A clerk types the name they know (岩美町, or 府中 for it): the codes of the agencies of
    # that name, with the names that tell them apart (東京都府中市, 広島県府中市), are the
    # fix, not the closest of codes that look nothing like it.
    named = [a for a in agencies if a.name == wanted]
    official = official_entry(typed)
    if official is not None and not named:
        # A real agency the registry does not hold (千代田区 against 鳥取県's): the registry
        # given is the likelier mistake than the code, and no code near it is meant.
        raise CutoverError.of(
            "timeline.ics-agency-not-in-registry",
            agency=wanted,
            name=official.full_name,
            agencies=_REGISTRY,
        )
    key = normalize_text(wanted)
    if not named and key and not key.isdigit():
        named = [a for a in agencies if key in normalize_text(a.name)]
    elif not named and key.isdigit() and len(key) < 6:
        # The code's first digits (3120): the agencies whose codes start so, not the one of
        # them difflib happens to prefer.
        named = [a for a in agencies if a.code.startswith(key)]
    if not named:
        codes = [a.code for a in agencies]
        # A code one typo away (a digit changed, two swapped), as ``registry[code]`` finds
        # it; difflib alone may prefer another agency's code over the one a digit away.
        near = KnownCodes(codes).near(typed)
        close = None if near else closest(typed, codes)
        if close is not None:
            near = [close]
        named = [a for a in agencies if a.code in near]
    suggestion: Msg
    if not named and len(agencies) > _CHOICES:
        suggestion = Msg(
            "timeline.ics-agency-by-name",
            {"count": len(agencies), "given": Argument("code", dest="agency")},
        )
    else:
        found = tuple(map(_described, sorted(named or agencies, key=lambda a: a.code)[:_CHOICES]))
        suggestion = (
            Msg("timeline.ics-agency-meant", {"agency": found[0]})
            if len(found) == 1
            else Msg("timeline.ics-agency-choices", {"agencies": Alternatives(found)})
        )
    raise CutoverError.of("timeline.ics-no-such-agency", agency=code, suggestion=suggestion)


#: The registry of the plan, as a problem names it: `cutover.plan`'s `registry`, given on the
#: command line with ``--agencies``.
_REGISTRY = Argument("registry", dest="agencies")

#: At most this many agencies are listed in a fix: past it, a list helps nobody find one.
_CHOICES = 12


def _described(agency: Agency) -> Msg:
    """Return the agency's code with the name that tells it apart (東京都府中市)."""
    official = official_entry(agency.code)
    name = agency.name if official is None else official.full_name
    return Msg("jp.described-code", {"code": agency.code, "name": name})


def _task_event(task: Task, prefix: str, stamp: _Stamp, lang: Lang) -> icalendar.Event:
    summary, other = _title(task.title_ja, task.title_en, lang, assumed=bool(task.assumption))
    detail, notes = (
        (task.detail_ja, task.notes_ja) if lang == "ja" else (task.detail_en, task.notes_en)
    )
    window = task.start is not None
    if task.start is not None:
        first, last = _span(task.start.date, task.due.date)
    else:
        first = last = task.due.date
    status = f"{_both('timeline.ics-status')}: {task.status.label('ja')} ({task.status.value})"
    if task.done_on is not None:
        status += f" {task.done_on.isoformat()}"
    lines = [
        detail,
        *notes,
        *_optional_lines(task.template.optional),
        other,
        status,
        f"{_both('timeline.ics-task')}: {task.id}",
    ]
    lines.append(f"{_both('timeline.ics-source')}: {task.section}" if task.section else "")
    if task.start is not None:
        lines += _moved_lines(task.start, opening=True, window=window)
    lines += _moved_lines(task.due, opening=False, window=window)
    lines += _assumption_lines(task.assumption, task.assumption_en)
    return _event(
        _uid(prefix, task.id),
        stamp,
        first,
        last,
        summary,
        lines,
        categories=(task.status.label("ja"), task.status.value),
    )


def plan_ics(plan: Plan, code: str, *, lang: Lang = "ja") -> bytes:
    """Return one agency's tasks as an iCalendar file: each on its due date or window.

    Tasks that do not apply to the agency (status n/a) are left out. `code` is the
    agency's 6-digit code; an unknown code raises `CutoverError` with the closest one.
    """
    language = check_lang(lang)
    agency_plan = _agency(plan, require_code(code, "code"))
    tl = plan.timeline
    prefix = f"{_uid_prefix(tl)}.{agency_plan.agency.code}"
    stamp = _stamp(plan.as_of)
    # Every task but those that do not apply (n/a), as the checklist lists them: a §6 task
    # whose need a queries file would tell (要否不明) stays, its status saying so, rather than
    # the provision cutoff vanishing from the clerk's calendar; so does an as-needed one.
    tasks = [t for t in agency_plan.tasks if t.status is not TaskStatus.NOT_APPLICABLE]
    events = [_task_event(task, prefix, stamp, language) for task in tasks]
    revision = plan.calendar.revision
    title = revision.title_en if language == "en" else revision.title_ja
    return _calendar(f"{agency_plan.agency.name} — {title}", events)
