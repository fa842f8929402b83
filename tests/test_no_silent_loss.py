"""No silent loss and one lookup convention: every rejected row stays reachable, an unknown
format or language is an error, a what-if lists only what moved, and lookups by code or id
fail one documented way (`cutover.NotFound`) or give None (``get``)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from test_diff import BASE

import cutover
from cutover.render.checklists import stale_checklists

ROOT = Path(__file__).resolve().parent.parent
TOTTORI = ROOT / "examples" / "tottori"
AS_OF = dt.date(2018, 6, 25)


@pytest.fixture(scope="module")
def timeline() -> cutover.Timeline:
    """Return the timeline of the shipped calendar."""
    return cutover.build_timeline(cutover.load_calendar("2018-07"))


def _bad_rows(tmp_path: Path, n: int) -> Path:
    path = tmp_path / "queries.csv"
    rows = "".join(f"Q{i},310000,312011,2,2018-13-01,pending\n" for i in range(n))
    path.write_text("query_id,querier,provider,item,requested,status\n" + rows, encoding="utf-8")
    return path


def test_every_rejected_row_is_reachable(tmp_path: Path, timeline: cutover.Timeline) -> None:
    """With 1,500 rejected rows, `rejected` yields all 1,500, each time, while the report
    is open; once it is closed, reading them raises instead of giving 1,000."""
    rule = timeline.cutoff_dates()
    assert rule is not None
    report = cutover.triage_file(_bad_rows(tmp_path, 1500), rule, AS_OF)
    with report:
        assert report.counts.rejected == 1500
        lines = [p.line for p in report.rejected]
        assert lines == list(range(2, 1502))
        assert len(list(report.rejected)) == 1500
        half_read = report.rejected
        assert len([next(half_read) for _ in range(1001)]) == 1001
    with pytest.raises(RuntimeError, match="500 of the 1500 rejected rows were deleted"):
        report.rejected  # noqa: B018
    with pytest.raises(RuntimeError, match="read them before closing"):
        next(half_read)


def test_a_few_rejected_rows_outlive_the_report(tmp_path: Path, timeline: cutover.Timeline) -> None:
    """Rows kept in memory (up to a thousand) are still there after close: nothing was lost."""
    rule = timeline.cutoff_dates()
    assert rule is not None
    with cutover.triage_file(_bad_rows(tmp_path, 3), rule, AS_OF) as report:
        pass
    assert len(list(report.rejected)) == report.counts.rejected == 3


def test_unknown_triage_format_is_an_error(timeline: cutover.Timeline) -> None:
    """write_triage(fmt="xml") is refused before anything is written (it wrote Markdown)."""
    rule = timeline.cutoff_dates()
    assert rule is not None
    out = io.StringIO()
    with pytest.raises(cutover.CutoverError, match="「xml」") as caught:
        cutover.write_triage([], rule, AS_OF, out, fmt="xml", calendar="2018-07")  # type: ignore[arg-type]
    assert "unknown triage format 'xml' — use one of csv, json or md" in caught.value.text("en")
    assert out.getvalue() == ""


@pytest.fixture(scope="module")
def the_plan(timeline: cutover.Timeline) -> cutover.Plan:
    """Return the example's plan."""
    registry = cutover.load_registry(
        TOTTORI / "agencies.csv", TOTTORI / "readiness.csv", [TOTTORI / "evidence.csv"]
    )
    return cutover.plan(timeline, registry, AS_OF)


@pytest.mark.parametrize("fmt", ["pdf", "MD", ""])
def test_unknown_checklist_format_is_an_error(
    the_plan: cutover.Plan, tmp_path: Path, fmt: str
) -> None:
    """write_checklists(fmt="pdf") is refused before anything is written: it wrote the
    Markdown pages as ``<code>.pdf``, and took the folder's PDFs of those names for pages of
    an earlier run, to remove (a printout kept beside the pages went)."""
    kept = tmp_path / "312011.pdf"
    kept.write_bytes(b"%PDF-1.4 a printout")
    with pytest.raises(cutover.CutoverError) as caught:
        cutover.write_checklists(the_plan, tmp_path, fmt=fmt)  # type: ignore[arg-type]
    assert f"unknown checklist format {fmt!r} — use one of md or html" in caught.value.text("en")
    assert f"チェックリストの出力形式「{fmt}」には対応していません" in str(caught.value)
    assert sorted(tmp_path.iterdir()) == [kept]
    assert kept.read_bytes() == b"%PDF-1.4 a printout"
    with pytest.raises(cutover.CutoverError):
        stale_checklists(the_plan, tmp_path, fmt)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["EN", "fr", ""])
def test_unknown_language_is_an_error(the_plan: cutover.Plan, lang: str) -> None:
    """A language cutover does not speak is the same clear error from a model's method as
    from a renderer (it was Japanese from one, a KeyError from another)."""
    agency = next(a for a in the_plan.agencies if a.flags)
    flag, task = agency.flags[0], agency.tasks[0]
    calls: list[Callable[[], object]] = [
        lambda: flag.message(lang),  # type: ignore[arg-type]
        lambda: flag.remedies(lang),  # type: ignore[arg-type]
        lambda: task.remedies(lang),  # type: ignore[arg-type]
        lambda: task.assumption_in(lang),
        lambda: cutover.plan_json(the_plan, lang=lang),  # type: ignore[arg-type]
        lambda: cutover.hearings_json(cutover.hearings(the_plan), lang=lang),  # type: ignore[arg-type]
        lambda: cutover.timeline_json(the_plan.timeline, lang=lang),  # type: ignore[arg-type]
    ]
    for call in calls:
        with pytest.raises(cutover.CutoverError) as caught:
            call()
        assert caught.value.text("en") == f"unknown language {lang!r} — use 'ja' or 'en'"


def test_what_if_lists_only_changed_dates() -> None:
    """`WhatIf.moved` lists the events whose due date changed; a window whose opening alone
    moved is in `moved_openings`, not in `moved` with two equal dates."""
    window = """
[[events]]
id = "answers"
type = "window"
title_ja = "回答期間"
title_en = "Answers"
actor = "provider"
after = [{ event = "survey", lag = "1bd" }]
end = "2018-06-29"
section = "§6"

[[events]]
id = "provision-cutoff\""""
    text = BASE.replace('[[events]]\nid = "provision-cutoff"', window.strip(), 1)
    found = cutover.what_if(cutover.parse_calendar(text), [cutover.parse_shift("survey=+3bd")])
    assert all(old != new for _, old, new in found.moved)
    assert [event for event, _, _ in found.moved] == ["survey"]
    assert ("answers", dt.date(2018, 2, 20), dt.date(2018, 2, 23)) in found.moved_openings
    data = cutover.timeline_json(found)
    assert [m["event"] for m in data["what_if"]["moved"]] == ["survey"]
    assert "answers" in [m["event"] for m in data["what_if"]["moved_openings"]]


def test_lookups_raise_not_found_or_give_none(
    the_plan: cutover.Plan, timeline: cutover.Timeline
) -> None:
    """Registry, timeline and calendar lookups: ``[]`` (and the old ``by_code`` and
    ``event``) raise `cutover.NotFound`, a `KeyError` and a `CutoverError` naming the
    nearest; ``get`` gives None; found ones are the same object either way."""
    registry = cutover.load_registry(TOTTORI / "agencies.csv")
    calendar = timeline.calendar
    misses: list[Callable[[], object]] = [
        lambda: registry["312012"],
        lambda: registry.by_code("312012"),
        lambda: timeline["provision-cutof"],
        lambda: calendar.event("provision-cutof"),
    ]
    for miss in misses:
        with pytest.raises(cutover.NotFound) as caught:
            miss()
        assert isinstance(caught.value, KeyError)
        assert isinstance(caught.value, cutover.CutoverError)
    with pytest.raises(KeyError, match="provision-cutoff"):
        timeline["provision-cutof"]
    assert registry.get("312012") is None
    assert timeline.get("provision-cutof") is None
    assert calendar.get_event("provision-cutof") is None
    assert registry["312011"] is registry.get("312011") is registry.by_code("312011")
    assert "312011" in registry
    assert "312012" not in registry
    assert timeline["provision-cutoff"] is timeline.get("provision-cutoff")
    assert calendar.event("effective") is calendar.get_event("effective")
    assert calendar.item(99) is None


@pytest.mark.parametrize("code", ["abc", "", "1234", "x1"])
def test_a_lookup_by_any_text_is_not_found(the_plan: cutover.Plan, code: str) -> None:
    """A code too short to be one (``registry["abc"]``, from a form or a command line)
    raises `NotFound` saying what to do, as any unknown code does (it raised IndexError
    from looking for the codes one typo away)."""
    registry = cutover.load_registry(TOTTORI / "agencies.csv")
    for lookup in (registry.__getitem__, registry.by_code, the_plan.agency):
        with pytest.raises(cutover.NotFound) as caught:
            lookup(code)
        assert caught.value.text("en") == (
            f"no agency with code {code!r} in the registry"
            " — add the agency to the agencies file, or correct the code"
        )
    assert registry.get(code) is None
    assert the_plan.get(code) is None


def test_a_plan_s_lookup_follows_the_convention(the_plan: cutover.Plan) -> None:
    """`Plan.agency(code)` raises `NotFound` (a `KeyError` and a `CutoverError`, naming the
    nearest code, as ``registry[code]``; it raised a bare KeyError), and `Plan.get(code)`
    gives None."""
    registry = cutover.load_registry(TOTTORI / "agencies.csv")
    with pytest.raises(cutover.NotFound) as caught:
        the_plan.agency("312021")
    with pytest.raises(cutover.NotFound) as told:
        registry["312021"]
    assert isinstance(caught.value, KeyError)
    assert "did you mean '312029'?" in caught.value.text("en")  # 米子市, its check digit wrong
    assert caught.value.text("en") == told.value.text("en")
    assert str(caught.value) == str(told.value)
    assert the_plan.get("312021") is None
    assert the_plan.get("312029") is the_plan.agency("312029")
    assert the_plan.agency("312029").agency.name == "米子市"


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(
            lambda _: cutover.TaskStatus.OVERDUE.label("fr"),  # type: ignore[arg-type]
            id="TaskStatus.label",
        ),
        pytest.param(
            lambda _: cutover.Severity.ERROR.label("fr"),  # type: ignore[arg-type]
            id="Severity.label",
        ),
        pytest.param(
            lambda _: cutover.FlagCode.TASK_OVERDUE.label("fr"),  # type: ignore[arg-type]
            id="FlagCode.label",
        ),
        pytest.param(
            lambda plan: cutover.validate(
                plan.calendar, as_of=AS_OF, agencies=TOTTORI / "agencies.csv"
            ).uncounted_evidence("fr"),
            id="ValidationReport.uncounted_evidence",
        ),
    ],
)
def test_an_unknown_language_is_an_error_in_a_label(
    the_plan: cutover.Plan, call: Callable[[cutover.Plan], object]
) -> None:
    """A status's, a severity's and a flag's label in a language cutover does not speak is
    the one error, as every other text's (it was a bare KeyError: no message in the fr
    catalogue); so is a validation's list of uncounted evidence when it has none to give."""
    with pytest.raises(cutover.CutoverError) as caught:
        call(the_plan)
    assert caught.value.problems[0].code == "text.unknown-language"
    assert caught.value.text("en") == "unknown language 'fr' — use 'ja' or 'en'"


@pytest.mark.parametrize(
    ("code", "meant"),
    [("312012", "312011"), ("31201", "312011"), ("3120111", "312011"), ("312039", "312037")],
)
def test_a_lookup_with_a_wrong_check_digit_names_its_agency(code: str, meant: str) -> None:
    """A lookup's code is not checked first: one whose check digit alone is wrong (or
    missing, or followed by more) names the agency of its five digits, not a neighbour
    difflib ranks level with it (``registry["312012"]`` said "did you mean '312029'?",
    米子市, for 鳥取市's 312011)."""
    registry = cutover.load_registry(TOTTORI / "agencies.csv")
    with pytest.raises(cutover.NotFound) as caught:
        registry[code]
    assert f"did you mean {meant!r}?" in caught.value.text("en")
    assert f"「{meant}」のことですか？" in str(caught.value)


def test_an_unknown_language_is_an_error_in_the_lowest_layers() -> None:
    """Below the models too, a language cutover does not speak ("EN") is the one error
    (`text.unknown-language`), not Japanese in its place nor a bare KeyError: why a day is
    closed, a business system's name, the name of a kind of agency, a side, a readiness
    status or an actor (those four were a KeyError), a problem's text."""
    import datetime as dt

    from cutover import CutoverError, Problem
    from cutover.jp.closed_days import JAPAN
    from cutover.jp.vocabulary import SYSTEMS, Actor, Kind, Side, Status

    closure = JAPAN.closure(dt.date(2018, 6, 30))
    assert closure is not None
    assert closure.reason("en") == "Saturday"
    problem = Problem(file="a.csv", line=2, code="common.line", params={"line": 2})
    calls: list[Callable[[], object]] = [
        lambda: closure.reason("EN"),  # type: ignore[arg-type]
        lambda: SYSTEMS[0].label("EN"),  # type: ignore[arg-type]
        lambda: Kind.MUNICIPALITY.label("EN"),  # type: ignore[arg-type]
        lambda: Side.QUERY.label("EN"),  # type: ignore[arg-type]
        lambda: Status.NOT_STARTED.label("EN"),  # type: ignore[arg-type]
        lambda: Actor.PROVIDER.label("EN"),  # type: ignore[arg-type]
        lambda: problem.text("EN"),  # type: ignore[arg-type]
    ]
    for call in calls:
        with pytest.raises(CutoverError) as caught:
            call()
        assert caught.value.problems[0].code == "text.unknown-language"
