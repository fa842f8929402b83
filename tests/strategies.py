"""Hypothesis strategies shared by the test modules; add new ones here, one section per topic."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

__all__ = ["BEFORE_SHOWA", "EARLIEST_DAY", "FIRST_DAY", "LAST_DAY", "date_like_text", "dates"]

# --- dates --------------------------------------------------------------------------------

#: The first day of 平成 and the last day the `holidays` library covers: the span every
#: date helper must handle (wareki round trips, business days).
FIRST_DAY = date(1989, 1, 8)
LAST_DAY = date(2099, 12, 31)
#: The earliest day the readers accept (``0001-01-01``, or a workbook's date serial -693,593)
#: and the last day before 昭和, the first era: the days written in the Western year only.
EARLIEST_DAY = date(1, 1, 1)
BEFORE_SHOWA = date(1926, 12, 24)


def dates(min_value: date = FIRST_DAY, max_value: date = LAST_DAY) -> st.SearchStrategy[date]:
    """Return a strategy for dates from `min_value` to `max_value` (平成 onwards by default)."""
    return st.dates(min_value=min_value, max_value=max_value)


# Characters dates are written with, so that random text often gets deep into the parsers.
_DATE_ALPHABET = "0123456789０１２３元年月日度平成令和昭和HhRrSs.-/．／（）() 金土Frisat上中下旬末"


def date_like_text() -> st.SearchStrategy[str]:
    """Return a strategy for arbitrary text, often made of the characters dates are written with."""
    return st.one_of(st.text(), st.text(alphabet=_DATE_ALPHABET, max_size=20))


# --- registry: local government codes and agencies.csv rows -------------------------------
# Imported here rather than at the top: each section of this file is appended by the
# developer of its topic, and keeps its own imports next to the strategies that use them.
import attrs  # noqa: E402 - see the comment above.

from cutover.inputs.model import Agency  # noqa: E402 - see the comment above.
from cutover.jp.codes import check_digit, official_entry  # noqa: E402 - see the comment above.
from cutover.jp.vocabulary import Kind  # noqa: E402 - see the comment above.

__all__ += ["agency_rows", "local_government_codes", "without_line"]

_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_KIND_SPELLINGS = {
    Kind.PREFECTURE: ["prefecture", "都道府県", "Prefecture"],
    Kind.MUNICIPALITY: ["municipality", "市区町村", "市町村"],
    Kind.ASSOCIATION: ["association", "一部事務組合等", "広域連合"],
}
_YES_SPELLINGS = ["yes", "YES", "true", "1", "はい", "○", "有", "ｙｅｓ", "１"]
_NO_SPELLINGS = ["", "no", "false", "0", "いいえ", "×", "無", "ｎｏ"]
_SEPARATORS = [" ", ",", "、", "・", ", ", "　", "，"]
# Names with the characters that make CSV writing hard: commas, quotes, line breaks.
_NAME_ALPHABET = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"
) | st.sampled_from([",", '"', "\n", "市", "町", "村", "区"])


def local_government_codes(kind: Kind | None = None) -> st.SearchStrategy[str]:
    """Return a strategy for valid 6-digit codes; prefecture codes (NN000C) for that kind."""
    prefectures = st.integers(min_value=1, max_value=47)
    if kind is Kind.PREFECTURE:
        bodies = prefectures.map(lambda p: f"{p:02d}000")
    elif kind is None:
        bodies = st.builds(
            lambda p, m: f"{p:02d}{m:03d}", prefectures, st.integers(min_value=0, max_value=999)
        )
    else:
        bodies = st.builds(
            lambda p, m: f"{p:02d}{m:03d}", prefectures, st.integers(min_value=1, max_value=999)
        )
    return bodies.map(lambda five: f"{five}{check_digit(five)}")


def _item_cell(items: frozenset[int], separator: str, suffix: str) -> str:
    return separator.join(f"{n}{suffix}" for n in sorted(items))


def _row_codes(kind: Kind) -> st.SearchStrategy[str]:
    """Return a strategy for the codes of agencies of `kind`."""
    codes = local_government_codes(kind)
    if kind is Kind.ASSOCIATION:
        # An association's code must not be a municipality's on the official list.
        codes = codes.filter(lambda c: official_entry(c) is None)
    return codes


# What `agency_rows` draws from, made once (a strategy made anew for each row cost more than
# its draws): by kind, its codes and its spellings.
_ROW_CODES = {kind: _row_codes(kind) for kind in Kind}
_ROW_KIND_SPELLINGS = {kind: st.sampled_from(spelt) for kind, spelt in _KIND_SPELLINGS.items()}
_ROW_NAME = st.text(_NAME_ALPHABET, min_size=1, max_size=12).filter(lambda s: s == s.strip())
_ROW_ITEMS = st.frozensets(st.integers(min_value=1, max_value=999), max_size=5)
_ROW_YES = st.sampled_from(_YES_SPELLINGS)
_ROW_NO = st.sampled_from(_NO_SPELLINGS)
_ROW_SEPARATOR = st.sampled_from(_SEPARATORS)
_ROW_SUFFIX = st.sampled_from(["", "番"])


@st.composite
def agency_rows(draw: st.DrawFn) -> tuple[list[str], Agency]:
    """Return a strategy for one agencies.csv row, written in any accepted spelling, and the
    agency it must load as (with line 0)."""
    kind = draw(st.sampled_from(list(Kind)))
    code = draw(_ROW_CODES[kind])
    name = draw(_ROW_NAME)
    test_requested = draw(st.booleans())
    provides, delegations = draw(_ROW_ITEMS), draw(_ROW_ITEMS)
    cells = [
        code.translate(_FULL_WIDTH) if draw(st.booleans()) else code,
        name,
        draw(_ROW_KIND_SPELLINGS[kind]),
        draw(_ROW_YES if test_requested else _ROW_NO),
        *(_item_cell(v, draw(_ROW_SEPARATOR), draw(_ROW_SUFFIX)) for v in (provides, delegations)),
    ]
    return cells, Agency(code, name, kind, test_requested, provides, delegations, line=0)


def without_line(agency: Agency) -> Agency:
    """Return the agency with line 0, to compare it with one `agency_rows` made."""
    return attrs.evolve(agency, line=0)


# --- timeline: random calendars whose events form a DAG (or a cycle) -----------------------
import datetime as dt  # noqa: E402 - see the comment above the registry section.
import functools  # noqa: E402 - see the comment above the registry section.
from typing import Literal  # noqa: E402 - see the comment above the registry section.

import networkx as nx  # noqa: E402 - see the comment above the registry section.

from cutover.calendar.model import (  # noqa: E402 - see the comment above.
    EFFECTIVE,
    Dependency,
    Event,
    EventType,
    Lag,
    Revision,
    RevisionCalendar,
)
from cutover.jp.vocabulary import Actor  # noqa: E402 - see the comment above.
from cutover.jp.wareki import DateRange  # noqa: E402 - see the comment above.

__all__ += ["cyclic_calendars", "dependency_edges", "event_dags", "lags"]

_EVENT_TYPES: list[EventType] = ["milestone", "deadline", "window"]
_ANCHORS: list[Literal["start", "end"]] = ["start", "end"]


def lags(min_days: int = -5, max_days: int = 10) -> st.SearchStrategy[Lag]:
    """Return a strategy for lags in business days or calendar days, either sign."""
    return st.builds(
        Lag, st.integers(min_value=min_days, max_value=max_days), st.sampled_from(["bd", "d"])
    )


# The strategies `event_dags` draws from, made once: a strategy made anew for each event
# (its arguments checked, looked up in hypothesis's cache) cost more than its draws.
_LAGS = lags()
_DURATIONS = lags(1, 20)
_ANCHOR = st.sampled_from(_ANCHORS)
_EVENT_TYPE = st.sampled_from(_EVENT_TYPES)
_ACTOR = st.sampled_from(list(Actor))
_WINDOW_DAYS = st.integers(0, 40)


@functools.cache
def _some_of(count: int, most: int) -> st.SearchStrategy[list[int]]:
    """Return a strategy for up to `most` distinct positions among `count` (made once each)."""
    return st.lists(st.integers(0, count - 1), max_size=most, unique=True)


def _day(d: dt.date) -> DateRange:
    return DateRange(d, d, d.isoformat(), "day")


def _effective_event(day: dt.date) -> Event:
    """Return the event the loader makes from ``[revision].effective``."""
    return Event(
        id=EFFECTIVE,
        type="milestone",
        title_ja="改版",
        title_en="the revision takes effect",
        actor=Actor.NWS_OPERATOR,
        start=_day(day),
        end=None,
        duration=None,
        after=(),
        before=(),
        section="§1",
        adjust=False,
        key="revision.effective",
    )


def _calendar(effective: dt.date, events: list[Event]) -> RevisionCalendar:
    revision = Revision("random", "無作為", "random", effective, "hypothesis", "§1", ())
    return RevisionCalendar(
        revision=revision,
        items=(),
        events=tuple(events),
        cutoff=None,
        tasks=(),
        recurring=(),
        closures=(),
    )


@st.composite
def event_dags(draw: st.DrawFn, min_events: int = 1, max_events: int = 10) -> RevisionCalendar:
    """Return a strategy for calendars built in code whose dependencies form a DAG.

    Events get random types, declared or derived dates, `after` and `before` dependencies
    with random lags in both units and anchors, and windows an end or a duration; the
    `EFFECTIVE` event sits anywhere in the order. Declared dates may well break a
    dependency: that is a conflict, which is part of what is tested.
    """
    n = draw(st.integers(min_value=min_events, max_value=max_events))
    effective = draw(st.dates(dt.date(2018, 3, 1), dt.date(2021, 10, 31)))
    at = draw(st.integers(min_value=0, max_value=n))
    order = [f"ev-{i}" for i in range(n)]
    order.insert(at, EFFECTIVE)
    events: list[Event] = []
    near = st.dates(effective - dt.timedelta(days=150), effective + dt.timedelta(days=60))
    for position, event_id in enumerate(order):
        if event_id == EFFECTIVE:
            continue
        # Dependencies only point along `order`, so the graph cannot have a cycle.
        earlier, later = order[:position], order[position + 1 :]
        after_ids = [earlier[i] for i in draw(_some_of(len(earlier), 3))] if earlier else []
        before_ids = [later[i] for i in draw(_some_of(len(later), 2))] if later else []
        after = tuple(Dependency(o, draw(_LAGS), draw(_ANCHOR), "after") for o in after_ids)
        before = tuple(Dependency(o, draw(_LAGS), draw(_ANCHOR), "before") for o in before_ids)
        kind = draw(_EVENT_TYPE)
        declared = not after or draw(st.booleans())
        start = draw(near) if declared else None
        end: DateRange | None = None
        duration: Lag | None = None
        if kind == "window":
            if draw(st.booleans()):
                duration = draw(_DURATIONS)
            elif start is not None:
                end = _day(start + dt.timedelta(days=draw(_WINDOW_DAYS)))
            else:
                end = _day(draw(near))
        events.append(
            Event(
                id=event_id,
                type=kind,
                title_ja=f"行事{position}",
                title_en=f"event {position}",
                actor=draw(_ACTOR),
                start=None if start is None else _day(start),
                end=end,
                duration=duration,
                after=after,
                before=before,
                section="§1",
                adjust=draw(st.booleans()) if kind != "milestone" else False,
                key=f"events[{position}]",
            )
        )
    shuffled = draw(st.permutations(events))
    # The loader puts the effective date first; the rest come in any order.
    return _calendar(effective, [_effective_event(effective), *shuffled])


def dependency_edges(calendar: RevisionCalendar) -> set[tuple[str, str]]:
    """Return the edges (first, second) that the calendar's dependencies make."""
    edges: set[tuple[str, str]] = set()
    for event in calendar.events:
        edges.update((dep.event, event.id) for dep in event.after)
        edges.update((event.id, dep.event) for dep in event.before)
    return edges


@st.composite
def cyclic_calendars(draw: st.DrawFn) -> RevisionCalendar:
    """Return a strategy for a random DAG calendar with one dependency added that makes a cycle."""
    calendar = draw(event_dags(min_events=2, max_events=8))
    graph = nx.DiGraph(sorted(dependency_edges(calendar)))
    graph.add_nodes_from(e.id for e in calendar.events)
    reaching = sorted((u, v) for u in graph for v in nx.descendants(graph, u))
    close_a_path = draw(st.booleans())
    if reaching and close_a_path:
        first, second = draw(st.sampled_from(reaching))
    else:
        # No path to close (or choose not to): add one both ways, a cycle of two.
        ids = sorted(e.id for e in calendar.events)
        first, second = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
        calendar = _with_edge(calendar, first, second, draw(st.booleans()))
    # The back edge second → first closes the path first → … → second.
    return _with_edge(calendar, second, first, draw(st.booleans()))


def _with_edge(
    calendar: RevisionCalendar, source: str, target: str, as_after: bool
) -> RevisionCalendar:
    """Return the calendar with an edge source → target, as `target.after` or `source.before`."""
    # The effective date is made by the loader with no dependencies of its own: keep it so.
    before = target == EFFECTIVE or (source != EFFECTIVE and not as_after)
    events = []
    for e in calendar.events:
        if before and e.id == source:
            e = attrs.evolve(
                e, before=(*e.before, Dependency(target, Lag(0, "d"), "start", "before"))
            )
        elif not before and e.id == target:
            e = attrs.evolve(e, after=(*e.after, Dependency(source, Lag(0, "d"), "end", "after")))
        events.append(e)
    return attrs.evolve(calendar, events=tuple(events))


# --- planner: random registries with readiness and evidence --------------------------------
from cutover.inputs.model import Evidence, Readiness, Registry  # noqa: E402 - see the comment above.
from cutover.jp.vocabulary import SYSTEMS, Side, Status  # noqa: E402 - see the comment above.

__all__ += ["PLAN_ITEMS", "registries"]

#: Items a random registry provides or is delegated: the 2018 revised items and one that is not.
PLAN_ITEMS = (2, 8, 9, 21, 52)
# Task ids of the 2018-07 calendar, some the agency may not have, and a typo.
_EVIDENCE_TASKS = (
    "inter-agency-test",
    "register:2",
    "register:8",
    "register:9",
    "register:21",
    "register:52",
    "answer-before-cutoff:2",
    "answer-before-cutoff:21",
    "modify-provision:local-tax",
    "modify-query:nhi",
    "follow-up-pending-queries",
    "withdraw-and-reissue",
    "self-inspection",
    "all-agency-drill",
    "regster:21",
)
_PLAN_DAYS = st.dates(dt.date(2018, 4, 1), dt.date(2018, 8, 31))
# What `registries` draws from, made once.
_CODES_OF = {kind: local_government_codes(kind) for kind in Kind}
_KINDS_AND_CODES = st.sampled_from(list(Kind)).flatmap(
    lambda kind: st.tuples(st.just(kind), _CODES_OF[kind])
)
_PLAN_ITEM_SETS = st.frozensets(st.sampled_from(PLAN_ITEMS))
_SYSTEM_SIDES = st.lists(
    st.tuples(st.sampled_from([s.id for s in SYSTEMS]), st.sampled_from(list(Side))),
    unique=True,
    max_size=6,
)
_STATUS = st.sampled_from(list(Status))
_TASKS = st.lists(st.sampled_from(_EVIDENCE_TASKS), max_size=6)


@st.composite
def registries(draw: st.DrawFn, max_agencies: int = 5) -> Registry:
    """Return a strategy for registries of the 2018-07 calendar's world.

    Agencies of random kinds and distinct codes, with random test requests, provided items
    and new delegations drawn from `PLAN_ITEMS`; readiness rows for random systems and sides
    (none at all, sometimes); evidence rows for random task ids, dated around the revision.
    """
    drawn = draw(
        st.lists(_KINDS_AND_CODES, min_size=1, max_size=max_agencies, unique_by=lambda kc: kc[1])
    )
    agencies: list[Agency] = []
    for line, (kind, code) in enumerate(drawn, start=2):
        provides, delegations = draw(_PLAN_ITEM_SETS), draw(_PLAN_ITEM_SETS)
        agencies.append(
            Agency(code, f"団体{line}", kind, draw(st.booleans()), provides, delegations, line)
        )
    readiness: list[Readiness] = []
    evidence: list[Evidence] = []
    for agency in agencies:
        for system, side in draw(_SYSTEM_SIDES):
            status = draw(_STATUS)
            # (A done row may give its day, one after the as-of date too: `as_known`.)
            dated = status is Status.PLANNED or (status is Status.DONE and draw(st.booleans()))
            planned = draw(_PLAN_DAYS) if dated else None
            readiness.append(
                Readiness(agency.code, system, side, status, planned, len(readiness) + 2)
            )
        for task in draw(_TASKS):
            day = draw(_PLAN_DAYS)
            evidence.append(Evidence(agency.code, task, day, "", len(evidence) + 2))
    return Registry(tuple(agencies), tuple(readiness), tuple(evidence))


# --- personal numbers (個人番号) --------------------------------------------------------------
import re  # noqa: E402 - see the comment above.
import unicodedata  # noqa: E402 - see the comment above.

__all__ += ["FORMS", "leaked", "official_check_digit", "personal_numbers", "written"]


def official_check_digit(first11: str) -> int:
    """Return the check digit as the cabinet order states it: Σ Pn × Qn over the digits
    counted from the right (Pn the n-th digit from the right, Qn = n + 1 for n ≤ 6, else
    n − 5); 0 when the remainder is 0 or 1, else 11 − remainder (written independently of
    the package, as the oracle of these tests)."""
    total = 0
    for n in range(1, 12):
        p = int(first11[11 - n])
        q = n + 1 if n <= 6 else n - 5
        total += p * q
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


_GROUPS = re.compile(
    r"(?=([0-9]{4})[\s\-‐‑‒–—―−ーｰ/._・]+([0-9]{4})[\s\-‐‑‒–—―−ーｰ/._・]+([0-9]{4}))"
)


#: What shows nothing between digits: zero-width space, joiners, word joiner, BOM, soft hyphen.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def leaked(text: str) -> list[str]:
    """Return every personal number written in `text` (the oracle's own reading): 12
    consecutive digits that pass the check, or three groups of four that do, separated by
    a run of spaces, line breaks, dashes, slashes, dots, underscores or middle dots; digits
    of any width, read without the characters that show nothing."""
    folded = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    candidates = [
        run[i : i + 12] for run in re.findall(r"[0-9]{12,}", folded) for i in range(len(run) - 11)
    ]
    candidates.extend("".join(groups) for groups in _GROUPS.findall(folded))
    return [c for c in candidates if official_check_digit(c[:11]) == int(c[11])]


@st.composite
def personal_numbers(draw: st.DrawFn) -> str:
    """Draw a valid personal number: 11 digits and their check digit."""
    first = draw(st.text(alphabet="0123456789", min_size=11, max_size=11))
    return first + str(official_check_digit(first))


_FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


def written(number: str, form: str) -> str:
    """Return `number` written in one of the forms people and exports use."""
    groups = (number[:4], number[4:8], number[8:])
    return {
        "plain": number,
        "embedded": f"Q{number}-01",
        "longer-run": f"7{number}",
        "hyphenated": "-".join(groups),
        "spaced": " ".join(groups),
        "full-width": number.translate(_FULL_WIDTH),
        "full-width-hyphenated": "-".join(groups).translate(_FULL_WIDTH),
        "long-vowel-mark": "ー".join(groups),
        "ideographic-space": "\u3000".join(groups),
        # (A cell's Alt+Enter, in Excel or a CSV's quoted cell.)
        "line-breaks": "\n".join(groups),
        "crlf-indented": "\r\n ".join(groups),
        "double-spaced": "  ".join(groups),
        "slashed": "/".join(groups),
        "middle-dot": "・".join(groups),
        "dotted": ".".join(groups),
        "underscored": "_".join(groups),
        # (Pasted with invisible characters between its digits: it reads 621498320257.)
        "zero-width-spaced": "\u200b".join(groups),
        "bom-split": f"{groups[0]}{groups[1]}\ufeff{groups[2]}",
    }[form]


FORMS = (
    "plain",
    "embedded",
    "longer-run",
    "hyphenated",
    "spaced",
    "full-width",
    "full-width-hyphenated",
    "long-vowel-mark",
    "ideographic-space",
    "line-breaks",
    "crlf-indented",
    "double-spaced",
    "slashed",
    "middle-dot",
    "dotted",
    "underscored",
    "zero-width-spaced",
    "bom-split",
)
