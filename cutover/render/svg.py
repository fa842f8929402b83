"""The timeline as a self-contained SVG Gantt chart, for terminals with no internet (LGWAN).

One row per event, in date order (recurring obligations among them): windows are bars
from their opening to their due date, milestones and deadlines diamonds on their due
date; dates are the ones people act on, moved off closed days, and a dashed outline marks
where a moved date was. Closed days (weekends, national holidays, 12/29–1/3 and the
calendar's own closures, all from `ClosedDays`) are thin shaded bands across the chart,
one per day; months have gridlines and labels; the day the revision takes effect is a
thick red line, and the as-of date ("today") a dashed blue one.

Self-contained: nothing is fetched. No scripts, links, images, CSS or fonts: styling is
presentation attributes, and the font is a generic family list (the reader's own
Japanese font is used). Every string from a calendar is XML-escaped, and characters XML
cannot carry are dropped. Output is deterministic: integer day widths, no clock reads.

Geometry: a day ``d`` spans ``[x(d), x(d) + PX_PER_DAY)``, with
``x(d) = chart_left + (d - first_day).days * PX_PER_DAY``; the effective and as-of lines
are drawn at the start of their day.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from xml.sax.saxutils import escape

import attrs

from cutover.calendar.model import Event, RevisionKind
from cutover.errors import require_date
from cutover.i18n.catalogue import Lang, text
from cutover.i18n.text import (
    check_lang,
    format_month,
    long_day,
    moved_note,
    short_day,
)
from cutover.jp.closed_days import FIRST_YEAR, LAST_YEAR, Adjustment
from cutover.schedule.model import ScheduledEvent
from cutover.schedule.timeline import Timeline
from cutover.schedule.whatif import WhatIf, shown_timeline

__all__ = ["FONT_FAMILY", "PAD_DAYS", "PX_PER_DAY", "timeline_svg"]

#: Width of one day, in pixels: the 2018-07 calendar (Feb–Nov, with its labels) is about
#: 1,230 px wide, so that its 12-px text prints at about 7.5 pt across an A4 landscape page
#: and shows at nearly its size in a browser window (at 5 px a day: 1,774 px, 5.3 pt).
PX_PER_DAY = 3
#: Days shown before the earliest event and after the latest one.
PAD_DAYS = 3
#: A generic family list: no font file ships, the reader's Japanese font is used.
FONT_FAMILY = (
    "'Noto Sans CJK JP', 'Noto Sans JP', 'Hiragino Sans', 'Hiragino Kaku Gothic ProN', "
    "'Yu Gothic', Meiryo, sans-serif"
)

_ROW = 22
_MARGIN = 16
_FONT = 12
_SMALL = 11
_TITLE_Y = 26
_SUBTITLE_Y = 46
_MARKER_Y = 66
_MONTH_Y = 82
_CHART_TOP = 90
_LABEL_MIN = 160
_LABEL_MAX = 420
_ONE_DAY = dt.timedelta(days=1)

# Colours (Open Color): blue windows, orange deadlines, grey milestones, green recurring.
_WINDOW = "#4c6ef5"
_WINDOW_CRITICAL = "#e8590c"
_DEADLINE = "#f08c00"
_MILESTONE = "#495057"
_RECURRING = "#0ca678"
_CRITICAL_STROKE = "#c92a2a"
_WEEKEND = "#dee2e6"
_HOLIDAY = "#ffc9c9"
_EFFECTIVE = "#c92a2a"
_AS_OF = "#1c7ed6"
_TEXT = "#212529"
_MUTED = "#495057"
_GRID = "#adb5bd"
_ZEBRA = "#f8f9fa"

# XML 1.0 cannot carry these even as character references: they are dropped.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x85]")


# --- XML ------------------------------------------------------------------------------------


def _plain(text: str) -> str:
    """Return `text` on one line, without the characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", _LINE_BREAKS.sub(" ", text))


def _text(text: str) -> str:
    """Return `text` escaped as XML character data."""
    return escape(_NOT_XML.sub("", text))


def _attr(value: str) -> str:
    """Return `value` escaped for a double-quoted XML attribute."""
    return escape(_plain(value), {'"': "&quot;"})


def _n(value: float) -> str:
    """Return a coordinate as the shortest exact decimal (``12``, ``12.5``)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _tag(name: str, attributes: Mapping[str, str | float], content: str | None = None) -> str:
    """Return an element; `content` is already-escaped markup (None: an empty element)."""
    parts = [name]
    for key, value in attributes.items():
        parts.append(f'{key}="{_attr(value if isinstance(value, str) else _n(value))}"')
    head = " ".join(parts)
    if content is None:
        return f"<{head}/>"
    return f"<{head}>{content}</{name}>"


def _width(text: str, size: float) -> float:
    """Return an estimate of the width of `text` at `size` px: 1 em wide, 0.6 em narrow."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.6 for ch in text)


#: Widths are sums of fractional pixels: a title exactly as wide as its room, less its
#: marks, must not come out a hair too wide (179.99999999999997 for 180) and be cut.
_EPSILON = 1e-6


def _fit(text: str, size: float, room: float) -> str:
    """Return `text`, cut with "…" so that its estimated width fits in `room` px."""
    room += _EPSILON
    if _width(text, size) <= room:
        return text
    # One pass over the prefix widths: cutting a character at a time and measuring again
    # was quadratic, and a calendar title of 1 MB never finished.
    ellipsis = _width("…", size)
    used = 0.0
    for end, ch in enumerate(text):
        used += size if unicodedata.east_asian_width(ch) in "WF" else size * 0.6
        if used + ellipsis > room:
            return text[:end] + "…"
    return text + "…"


# --- words ----------------------------------------------------------------------------------


@attrs.frozen
class _Words:
    """The fixed words of the chart, in one language."""

    heading: str
    effective: str
    as_of: str
    outside: str
    shifts: str
    legend: tuple[tuple[str, str], ...]
    conflict: str
    recurring: str


_LEGEND = (
    "window",
    "critical",
    "deadline",
    "milestone",
    "recurring",
    "weekend",
    "holiday",
    "effective",
    "as-of",
    "moved",
    "text",
)


@functools.cache
def _words(lang: Lang, kind: RevisionKind) -> _Words:
    """Return the fixed words of the chart in `lang` for a calendar of `kind` (read once per
    language and kind: the day a master delivery takes effect is no revision's)."""
    legend = tuple(
        (
            item,
            text(
                f"timeline.chart-legend-{item}" + (f"-{kind}" if item == "effective" else ""), lang
            ),
        )
        for item in _LEGEND
    )
    return _Words(
        heading=text("timeline.heading", lang),
        effective=text(f"timeline.effective-{kind}", lang),
        as_of=text("render.fact-as-of", lang),
        outside=text("timeline.chart-outside", lang),
        shifts=text("timeline.chart-shifts", lang),
        legend=legend,
        conflict=text("timeline.chart-conflict", lang),
        recurring=text("timeline.chart-recurring", lang),
    )


def _day(d: dt.date, lang: Lang) -> str:
    """Return ``6/29（金）`` or ``Fri 29 Jun``: a day as a chart label writes it."""
    return short_day(d, lang)


def _moved(adjustment: Adjustment, lang: Lang, *, opening: bool, window: bool) -> str:
    """Return the note for a date moved off a closed day, or ""."""
    return moved_note(adjustment, lang, opening=opening, window=window, form="chart")


# --- rows -----------------------------------------------------------------------------------


@attrs.frozen
class _Row:
    """One row of the chart, with its shapes' dates and its finished strings."""

    #: "window", "deadline", "milestone" or "recurring"
    kind: str
    key: str
    title: str
    #: what follows the title (``（定期）``, ``※`` for an assumed date, ``★`` for no slack):
    #: kept whole when a long title is cut to fit, so that a mark is never the part cut off
    marks: str
    dates: str
    first: dt.date
    last: dt.date
    #: spans (first, last) of days a moved date left: drawn as dashed outlines
    ghosts: tuple[tuple[dt.date, dt.date], ...]
    critical: bool
    tooltip: str


def _event_title(event: Event, lang: Lang) -> str:
    return (event.title_en if lang == "en" else event.title_ja) or event.id


def _event_row(item: ScheduledEvent, tl: Timeline, lang: Lang) -> _Row:
    event = item.event
    words = _words(lang, tl.calendar.revision.kind)
    notes: list[str] = []
    ghosts: list[tuple[dt.date, dt.date]] = []
    if event.is_window:
        opening, due = item.opening, item.due
        first, last = sorted((opening.date, due.date))
        # A one-day window (the first business day's checks) is one day, as `format_span`
        # writes it in the timeline's table: not "7/2（月）〜7/2（月）".
        dates = (
            _day(first, lang)
            if first == last
            else text("text.span", lang, start=_day(opening.date, lang), end=_day(due.date, lang))
        )
        if opening.moved:
            notes.append(_moved(opening, lang, opening=True, window=True))
            ghosts.append((opening.original, opening.date - _ONE_DAY))
        if due.moved:
            notes.append(_moved(due, lang, opening=False, window=True))
            ghosts.append((due.date + _ONE_DAY, due.original))
    else:
        first = last = item.due.date
        dates = _day(first, lang)
        if item.due.moved:
            notes.append(_moved(item.due, lang, opening=False, window=False))
            ghosts.append((item.due.original, item.due.original))
    if item.shifted is not None:
        notes.append(text("timeline.shifted", lang, shift=item.shifted))
    title = _event_title(event, lang)
    marks = ("※" if item.assumed_from is not None else "") + ("★" if item.critical else "")
    conflicts = [c for c in tl.conflicts if c.event == event.id]
    label = dates
    if notes:
        notes_text = text("text.sep-semicolon", lang).join(notes)
        label += text("timeline.chart-notes", lang, notes=notes_text)
    if conflicts:
        label += words.conflict
    tooltip = [title, dates, *notes]
    if event.section:
        tooltip.append(event.section)
    assumption = event.assumption_in(lang)
    if assumption:
        tooltip.append(f"※ {assumption}")
    elif item.assumed_from is not None:
        source = _event_title(item.assumed_from, lang)
        tooltip.append(text("timeline.assumed-from", lang, event=source))
    tooltip += [c.describe(lang)[0] for c in conflicts]
    return _Row(
        kind=event.type,
        key=event.id,
        title=title,
        marks=f" {marks}" if marks else "",
        dates=label,
        first=first,
        last=last,
        ghosts=tuple(ghosts),
        critical=item.critical,
        tooltip="\n".join(tooltip),
    )


def _rows(tl: Timeline, lang: Lang) -> list[_Row]:
    """Return the rows in date order: events as the timeline sorts them, recurring among them."""
    keyed: list[tuple[tuple[dt.date, int, int], _Row]] = [
        ((item.acted_on[0], 0, i), _event_row(item, tl, lang)) for i, item in enumerate(tl.events)
    ]
    words = _words(lang, tl.calendar.revision.kind)
    for i, (rule, day) in enumerate(tl.recurring):
        title = (rule.title_en if lang == "en" else rule.title_ja) or rule.id
        # (Said in words, 定期的な対応: its RRULE is the calendar's notation, not a reader's.)
        tooltip = [title, _day(day, lang), text("timeline.recurring", lang), rule.section]
        assumption = rule.assumption_en if lang == "en" and rule.assumption_en else rule.assumption
        if assumption:
            tooltip.append(f"※ {assumption}")
        row = _Row(
            kind="recurring",
            key=f"{rule.id}.{day:%Y%m%d}",
            title=title,
            marks=words.recurring + (" ※" if rule.assumption else ""),
            dates=_day(day, lang),
            first=day,
            last=day,
            ghosts=(),
            critical=False,
            tooltip="\n".join(t for t in tooltip if t),
        )
        keyed.append(((day, 1, i), row))
    return [row for _, row in sorted(keyed, key=lambda pair: pair[0])]


# --- drawing --------------------------------------------------------------------------------


@attrs.frozen
class _Frame:
    """Where the chart lies: its first and last day and its left edge."""

    first_day: dt.date
    last_day: dt.date
    left: int

    def x(self, d: dt.date) -> int:
        """Return the x of the start of day `d`."""
        return self.left + (d - self.first_day).days * PX_PER_DAY

    @property
    def right(self) -> int:
        return self.x(self.last_day + _ONE_DAY)

    def days(self) -> Iterable[dt.date]:
        day = self.first_day
        while day <= self.last_day:
            yield day
            day += _ONE_DAY


def _diamond(cx: float, cy: float, r: float, attributes: Mapping[str, str | float]) -> str:
    points = (
        f"{_n(cx)},{_n(cy - r)} {_n(cx + r)},{_n(cy)} {_n(cx)},{_n(cy + r)} {_n(cx - r)},{_n(cy)}"
    )
    return _tag("polygon", {"points": points, **attributes})


def _shape(row: _Row, frame: _Frame, mid: float) -> tuple[list[str], float, float]:
    """Return the row's shapes and the left and right x they cover."""
    out: list[str] = []
    left, right = float(frame.x(row.first)), float(frame.x(row.last + _ONE_DAY))
    for first, last in row.ghosts:
        if last < first:
            continue
        gx, gr = frame.x(first), frame.x(last + _ONE_DAY)
        left, right = min(left, gx), max(right, gr)
        if row.kind == "window":
            out.append(
                _tag(
                    "rect",
                    {
                        "class": "moved",
                        "x": gx,
                        "y": mid - 6,
                        "width": gr - gx,
                        "height": 12,
                        "fill": "none",
                        "stroke": _MUTED,
                        "stroke-dasharray": "2 1",
                    },
                )
            )
        else:
            out.append(
                _diamond(
                    gx + PX_PER_DAY / 2,
                    mid,
                    5,
                    {
                        "class": "moved",
                        "fill": "#ffffff",
                        "stroke": _MUTED,
                        "stroke-dasharray": "2 1",
                    },
                )
            )
    critical: dict[str, str | float] = (
        {"stroke": _CRITICAL_STROKE, "stroke-width": 1.5} if row.critical else {}
    )
    if row.kind == "window":
        out.append(
            _tag(
                "rect",
                {
                    "class": "bar",
                    "x": frame.x(row.first),
                    "y": mid - 6,
                    "width": frame.x(row.last + _ONE_DAY) - frame.x(row.first),
                    "height": 12,
                    "rx": 2,
                    "fill": _WINDOW_CRITICAL if row.critical else _WINDOW,
                },
            )
        )
    else:
        fill = {"deadline": _DEADLINE, "milestone": _MILESTONE}.get(row.kind, _RECURRING)
        cx = frame.x(row.first) + PX_PER_DAY / 2
        out.append(_diamond(cx, mid, 6, {"class": row.kind, "fill": fill, **critical}))
        left, right = min(left, cx - 6), max(right, cx + 6)
    return out, left, right


def _legend_symbol(kind: str, x: float, mid: float) -> tuple[str, float]:
    """Return the legend's symbol for `kind` at `x`, and its width."""
    if kind == "window":
        return _tag(
            "rect", {"x": x, "y": mid - 5, "width": 20, "height": 10, "rx": 2, "fill": _WINDOW}
        ), 20
    if kind == "critical":
        # Windows with no slack are orange; deadlines and milestones with none, outlined red.
        bar = _tag(
            "rect",
            {"x": x, "y": mid - 5, "width": 20, "height": 10, "rx": 2, "fill": _WINDOW_CRITICAL},
        )
        ring: dict[str, str | float] = {
            "fill": _DEADLINE,
            "stroke": _CRITICAL_STROKE,
            "stroke-width": 1.5,
        }
        return bar + _diamond(x + 30, mid, 6, ring), 36
    if kind in ("deadline", "milestone", "recurring"):
        fill = {"deadline": _DEADLINE, "milestone": _MILESTONE}.get(kind, _RECURRING)
        return _diamond(x + 6, mid, 6, {"fill": fill}), 12
    if kind in ("weekend", "holiday"):
        fill = _WEEKEND if kind == "weekend" else _HOLIDAY
        return _tag(
            "rect", {"x": x, "y": mid - 7, "width": PX_PER_DAY * 2, "height": 14, "fill": fill}
        ), PX_PER_DAY * 2
    if kind in ("effective", "as-of"):
        colour, width = (_EFFECTIVE, 2.0) if kind == "effective" else (_AS_OF, 1.5)
        attributes: dict[str, str | float] = {
            "x1": x + 4,
            "y1": mid - 7,
            "x2": x + 4,
            "y2": mid + 7,
            "stroke": colour,
            "stroke-width": width,
        }
        if kind == "as-of":
            attributes["stroke-dasharray"] = "4 3"
        return _tag("line", attributes), 8
    if kind == "moved":
        return _diamond(
            x + 5, mid, 5, {"fill": "#ffffff", "stroke": _MUTED, "stroke-dasharray": "2 1"}
        ), 10
    return "", -6


_SYMBOL_WIDTHS = {"window": 20, "critical": 36, "weekend": 10, "holiday": 10, "moved": 10}


def _legend(words: _Words, top: float, width: float) -> tuple[list[str], float]:
    """Return the legend, wrapped to `width`, and the y below it."""
    out: list[str] = []
    x, mid = float(_MARGIN), top + 8
    for kind, label in words.legend:
        symbol_width = _SYMBOL_WIDTHS.get(kind, 12)
        item_width = symbol_width + 6 + _width(label, _SMALL) + 18
        if x > _MARGIN and x + item_width > width - _MARGIN:
            x, mid = float(_MARGIN), mid + 20
        symbol, used = _legend_symbol(kind, x, mid)
        if symbol:
            out.append(symbol)
        out.append(
            _tag(
                "text",
                {"x": x + used + 6, "y": mid + 4, "font-size": _SMALL, "fill": _TEXT},
                _text(label),
            )
        )
        x += used + 6 + _width(label, _SMALL) + 18
    return out, mid + 14


def _span(tl: Timeline, rows: Sequence[_Row]) -> tuple[dt.date, dt.date]:
    """Return the first and last day to show: every drawn date, padded by `PAD_DAYS`, but
    not past the years the holiday data covers (their closed days are drawn; the drawn
    dates all lie inside them, as a timeline's do)."""
    days = [tl.effective]
    for row in rows:
        days += [row.first, row.last]
        for first, last in row.ghosts:
            days += [first, last]
    first = max(min(days) - PAD_DAYS * _ONE_DAY, dt.date(FIRST_YEAR, 1, 1))
    return first, min(max(days) + PAD_DAYS * _ONE_DAY, dt.date(LAST_YEAR, 12, 31))


def timeline_svg(
    subject: Timeline | WhatIf, *, as_of: dt.date | None = None, lang: Lang = "ja"
) -> str:
    """Return the timeline as a self-contained SVG Gantt chart (an XML document).

    `as_of` draws the "today" line when it falls on the chart (None: no line). Labels are
    Japanese (wareki, ``6/29（金）``) or English with ``lang="en"``.
    """
    language = check_lang(lang)
    if as_of is not None:
        require_date(as_of, "as_of")
    tl = shown_timeline(subject)
    words = _words(language, tl.calendar.revision.kind)
    rows = _rows(tl, language)
    first_day, last_day = _span(tl, rows)

    titles = [row.title + row.marks for row in rows]
    label_width = min(max([_LABEL_MIN, *(_width(t, _FONT) for t in titles)]), _LABEL_MAX)
    frame = _Frame(first_day, last_day, int(_MARGIN + label_width + 12))
    bottom = _CHART_TOP + len(rows) * _ROW
    width = float(frame.right + _MARGIN)

    revision = tl.calendar.revision
    name = revision.title_en if language == "en" else revision.title_ja
    heading = text("timeline.title", language, title=name, heading=words.heading)
    facts = [f"{words.effective} {long_day(tl.effective, language)}"]
    in_range = as_of is not None and first_day <= as_of <= last_day
    if as_of is not None:
        facts.append(
            f"{words.as_of} {long_day(as_of, language)}" + ("" if in_range else words.outside)
        )
    if tl.shifts:
        facts.append(f"{words.shifts}: " + ", ".join(str(s) for s in tl.shifts))
    subtitle = text("timeline.chart-sep-facts", language).join(facts)

    body: list[str] = []
    # Zebra rows first, closed days over them, then gridlines, lines and shapes on top.
    stripes = [
        _tag(
            "rect",
            {
                "x": _MARGIN,
                "y": _CHART_TOP + i * _ROW,
                "width": frame.right - _MARGIN,
                "height": _ROW,
                "fill": _ZEBRA,
            },
        )
        for i in range(0, len(rows), 2)
    ]
    body.append(_tag("g", {"class": "stripes"}, "".join(stripes)))

    closed: list[str] = []
    for day in frame.days():
        closure = tl.closed.closure(day)
        if closure is None:
            continue
        weekend = day.weekday() >= 5
        attributes: dict[str, str | float] = {
            "class": "closed weekend" if weekend else "closed holiday",
            "x": frame.x(day),
            "y": _CHART_TOP,
            "width": PX_PER_DAY,
            "height": bottom - _CHART_TOP,
            "fill": _WEEKEND if weekend else _HOLIDAY,
            "fill-opacity": 0.7,
        }
        # A weekend is plain from its place; a holiday or closure gets its reason on hover.
        reason = closure.reason(language)
        tooltip = None if weekend else _tag("title", {}, _text(f"{_day(day, language)} {reason}"))
        closed.append(_tag("rect", attributes, tooltip))
    body.append(_tag("g", {"class": "closed-days"}, "".join(closed)))

    grid: list[str] = []
    month = dt.date(first_day.year, first_day.month, 1)
    labelled = False
    while month <= last_day:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        start = max(month, first_day)
        end = min(following - _ONE_DAY, last_day)
        if month > first_day:
            x = frame.x(month)
            grid.append(
                _tag(
                    "line",
                    {
                        "class": "month",
                        "x1": x,
                        "y1": _MONTH_Y - 12,
                        "x2": x,
                        "y2": bottom,
                        "stroke": _GRID,
                        "stroke-width": 1,
                    },
                )
            )
        label = format_month(month, language, with_year=not labelled or month.month == 1)
        room = frame.x(end + _ONE_DAY) - frame.x(start) - 6
        if _width(label, _SMALL) <= room:
            labelled = True
            grid.append(
                _tag(
                    "text",
                    {"x": frame.x(start) + 3, "y": _MONTH_Y, "font-size": _SMALL, "fill": _MUTED},
                    _text(label),
                )
            )
        month = following
    body.append(_tag("g", {"class": "months"}, "".join(grid)))

    shapes: list[str] = []
    for i, row in enumerate(rows):
        top = _CHART_TOP + i * _ROW
        mid = top + _ROW / 2
        drawn, left, right = _shape(row, frame, mid)
        title = _tag(
            "text",
            {"class": "title", "x": _MARGIN + 4, "y": mid + 4, "fill": _TEXT},
            _text(_fit(row.title, _FONT, label_width - _width(row.marks, _FONT)) + row.marks),
        )
        label_w = _width(row.dates, _SMALL)
        if right + 6 + label_w <= frame.right or left - 6 - label_w < frame.left:
            dates_at: dict[str, str | float] = {"x": right + 6}
            width = max(width, right + 6 + label_w + _MARGIN)
        else:
            dates_at = {"x": left - 6, "text-anchor": "end"}
        dates = _tag(
            "text",
            {"class": "dates", **dates_at, "y": mid + 4, "font-size": _SMALL, "fill": _MUTED},
            _text(row.dates),
        )
        content = _tag("title", {}, _text(row.tooltip)) + title + "".join(drawn) + dates
        shapes.append(_tag("g", {"class": f"row {row.kind}", "data-key": row.key}, content))

    lines: list[str] = []
    eff_x = frame.x(tl.effective)
    lines.append(
        _tag(
            "line",
            {
                "class": "effective",
                "x1": eff_x,
                "y1": _MARKER_Y + 4,
                "x2": eff_x,
                "y2": bottom,
                "stroke": _EFFECTIVE,
                "stroke-width": 2,
            },
        )
    )
    lines.append(
        _tag(
            "text",
            {
                "x": eff_x + 4,
                "y": _MARKER_Y,
                "font-size": _SMALL,
                "font-weight": "bold",
                "fill": _EFFECTIVE,
            },
            _text(f"{words.effective} {_day(tl.effective, language)}"),
        )
    )
    if as_of is not None and in_range:
        x = frame.x(as_of)
        lines.append(
            _tag(
                "line",
                {
                    "class": "as-of",
                    "x1": x,
                    "y1": _CHART_TOP,
                    "x2": x,
                    "y2": bottom + 6,
                    "stroke": _AS_OF,
                    "stroke-width": 1.5,
                    "stroke-dasharray": "4 3",
                },
            )
        )
        lines.append(
            _tag(
                "text",
                {"x": x + 4, "y": bottom + 16, "font-size": _SMALL, "fill": _AS_OF},
                _text(f"{words.as_of} {_day(as_of, language)}"),
            )
        )
    body.append(_tag("g", {"class": "rows"}, "".join(shapes)))
    body.append(_tag("g", {"class": "lines"}, "".join(lines)))

    legend, legend_bottom = _legend(words, bottom + 28, width)
    body.append(_tag("g", {"class": "legend"}, "".join(legend)))
    height = legend_bottom + _MARGIN

    header = [
        _tag("title", {}, _text(_plain(heading))),
        # The background first, so that everything else is drawn over it.
        _tag("rect", {"x": 0, "y": 0, "width": _n(width), "height": _n(height), "fill": "#ffffff"}),
        _tag(
            "text",
            {"x": _MARGIN, "y": _TITLE_Y, "font-size": 16, "font-weight": "bold", "fill": _TEXT},
            _text(_plain(heading)),
        ),
        _tag(
            "text",
            {"x": _MARGIN, "y": _SUBTITLE_Y, "font-size": _FONT, "fill": _MUTED},
            _text(_plain(subtitle)),
        ),
    ]
    root = _tag(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            # The chart scales to the window or page it is shown in; the view box keeps
            # its proportions.
            "width": "100%",
            "viewBox": f"0 0 {round(width)} {round(height)}",
            "font-family": FONT_FAMILY,
            "font-size": _FONT,
            "xml:lang": language,
            "role": "img",
        },
        "\n" + "\n".join([*header, *body]) + "\n",
    )
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + root + "\n"
