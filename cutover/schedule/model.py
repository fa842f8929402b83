"""The scheduled timeline's parts: constraints, scheduled events and conflicts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal

import attrs

from cutover.calendar.model import Dependency, Event, Lag
from cutover.i18n.catalogue import DEFAULT_LANG, Lang, Msg, entry, format_template, text
from cutover.i18n.text import check_lang, long_day
from cutover.jp.closed_days import Adjustment

__all__ = [
    "CONFLICT_CODES",
    "Anchor",
    "Conflict",
    "Constraint",
    "Direction",
    "EventName",
    "ScheduledEvent",
    "dependency_words",
]

Anchor = Literal["start", "end"]
Direction = Literal["after", "before"]

#: Every conflict code, stable across versions: tools may match on them.
CONFLICT_CODES = (
    "after-effective",
    "dependency-violated",
    "window-all-closed",
    "window-inverted",
)


@attrs.frozen
class Constraint:
    """One dependency as an edge of the graph: `source` comes before `target`."""

    source: str
    target: str
    lag: Lag
    #: the end of the *other* event the lag counts from (the source's for "after",
    #: the target's for "before")
    anchor: Anchor
    direction: Direction
    #: where the dependency is written, e.g. ``events[3].after[0]``
    key: str = ""
    line: int | None = None

    @property
    def owner(self) -> str:
        """Return the id of the event whose ``after`` or ``before`` declares the dependency."""
        return self.target if self.direction == "after" else self.source

    @property
    def other(self) -> str:
        """Return the id of the event the dependency refers to."""
        return self.source if self.direction == "after" else self.target


@attrs.frozen
class ScheduledEvent:
    """An event with its dates worked out: earliest, adjusted off closed days, and latest."""

    event: Event
    #: declared or derived, before any closed-day adjustment
    start: dt.date
    #: equal to `start` for milestones and deadlines
    end: dt.date
    #: the start moved to the next business day when a window opens on a closed day
    opening: Adjustment
    #: the end moved to the previous business day for deadlines and window ends
    due: Adjustment
    #: the start came from dependencies, not from a declared date
    derived: bool
    shifted: Lag | None
    #: the latest dates that keep the revision on its date; None with no path to it
    latest_start: dt.date | None
    latest_end: dt.date | None
    slack_days: int | None
    critical: bool
    #: the event whose assumption (※仮定) this date rests on: the event itself when it
    #: carries one, or, for a date derived from other events, the first of them whose date is
    #: assumed (a date worked out from an assumed one is assumed too); None when the source
    #: gives it
    assumed_from: Event | None = None
    #: the same for its start (a window's opening) alone: the event itself when its start is
    #: declared and it carries an assumption; for a start derived from other events, the
    #: first of them whose date is assumed (re-query's 7/1, after the revision, is given)
    opening_assumed_from: Event | None = None

    @property
    def id(self) -> str:
        """Return the event id."""
        return self.event.id

    @property
    def moved(self) -> bool:
        """Return True when the opening or the due date was moved off a closed day."""
        return self.opening.moved or self.due.moved

    @property
    def acted_on(self) -> tuple[dt.date, dt.date]:
        """Return the first and last days the event is acted on, as people are shown them: a
        window's opening and due date, else its due date twice (moved off closed days)."""
        first = self.opening.date if self.event.is_window else self.due.date
        return first, self.due.date


@attrs.frozen
class EventName:
    """How a conflict's text names an event: its title in the reader's language and, to find
    it in the file, its id (only the id when the calendar gives no title)."""

    id: str
    title_ja: str
    title_en: str

    @classmethod
    def of(cls, event: Event) -> EventName:
        """Return the name of `event`."""
        return cls(event.id, event.title_ja, event.title_en)

    def text(self, lang: Lang) -> str:
        """Return the name in `lang`: ``Survey day (survey)`` / ``調査日（survey）``."""
        title = self.title_en if lang == "en" else self.title_ja
        return text("schedule.event-named", lang, title=title, id=self.id) if title else self.id


# --- the parts of a text about a dependency --------------------------------------------------


def _amount(lag: Lag) -> Msg:
    """Return the size of the lag, without its sign: ``3 business days`` / ``3開庁日``."""
    n = abs(lag.days)
    if lag.business:
        return Msg("schedule.business-day" if n == 1 else "schedule.business-days", {"n": n})
    return Msg("schedule.day" if n == 1 else "schedule.days", {"n": n})


def _lag(lag: Lag, direction: Direction) -> Msg:
    """Return ``3 business days after`` / ``2日前``, or ``when`` / ``当日`` for a lag of zero."""
    if lag.days == 0:
        return Msg("schedule.lag-zero")
    forward = (lag.days > 0) == (direction == "after")
    return Msg("schedule.lag-after" if forward else "schedule.lag-before", {"amount": _amount(lag)})


def _anchor(c: Constraint) -> Msg:
    """Return the end of the other event a lag counts from: ``starts`` / ``開始``."""
    return Msg("schedule.anchor-start" if c.anchor == "start" else "schedule.anchor-end")


def dependency_words(dep: Dependency, other_name: str) -> Msg:
    """Return a dependency in words, the other event named `other_name`: ``調査日（survey）の
    終了の1開庁日後`` / ``1 business day after Survey day (survey) ends``."""
    anchor = Msg("schedule.anchor-start" if dep.anchor == "start" else "schedule.anchor-end")
    lag = _lag(dep.lag, dep.direction)
    return Msg(
        "schedule.dependency", {"other_name": other_name, "anchor": anchor, "lag_phrase": lag}
    )


def _written(value: object, lang: Lang) -> object:
    """Return a conflict's parameter as its text in `lang` shows it: a day in full
    (``平成30年6月29日（金）`` / ``Fri 29 Jun 2018``), an event's name."""
    if isinstance(value, dt.date):
        return long_day(value, lang)
    if isinstance(value, EventName):
        return value.text(lang)
    return value


@attrs.frozen
class Conflict:
    """A declared date or a shift that breaks a dependency, or a window that cannot be.

    It carries its stable `code` and the events at fault, and its text as a catalogue code
    (`text_code`, ``schedule.…``) with its parameters: days as dates, events as their ids
    and names (`EventName`), lags. The text is written in the reader's language by
    `describe`; `message` and `fix` are the English, `message_ja` and `fix_ja` the Japanese.
    """

    #: stable: one of `CONFLICT_CODES`
    code: str
    event: str
    other: str | None
    #: the catalogue code of the conflict's text (a message and a fix), e.g.
    #: ``schedule.dependency-violated-after``
    text_code: str
    params: Mapping[str, object] = attrs.field(factory=dict, hash=False)
    #: the TOML key of the dependency or event at fault, when known
    key: str | None = None

    @property
    def identity(self) -> tuple[str, str, str]:
        """Return what identifies the conflict across two timelines: code and events."""
        return (self.code, self.event, self.other or "")

    def describe(self, lang: Lang = DEFAULT_LANG) -> tuple[str, str]:
        """Return what is wrong and how to fix it, in `lang`."""
        lang = check_lang(lang)
        found = entry(self.text_code, lang)
        assert not isinstance(found, str), self.text_code
        params = {name: _written(value, lang) for name, value in self.params.items()}
        return (
            format_template(found["message"], lang, params),
            format_template(found["fix"], lang, params),
        )

    def text(self, lang: Lang = DEFAULT_LANG) -> str:
        """Return the conflict as one line in `lang`: ``what — fix``."""
        message, fix = self.describe(lang)
        return f"{message} — {fix}"

    @property
    def message(self) -> str:
        """Return what is wrong, in English."""
        return self.describe("en")[0]

    @property
    def fix(self) -> str:
        """Return how to fix it, in English."""
        return self.describe("en")[1]

    @property
    def message_ja(self) -> str:
        """Return what is wrong, in Japanese."""
        return self.describe("ja")[0]

    @property
    def fix_ja(self) -> str:
        """Return how to fix it, in Japanese."""
        return self.describe("ja")[1]


@attrs.frozen
class _Dates:
    start: dt.date
    end: dt.date
    derived: bool


def _anchor_day(dates: _Dates, anchor: Anchor) -> dt.date:
    return dates.start if anchor == "start" else dates.end
