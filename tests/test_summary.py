"""Tests for `cutover.planning.summary`: the §3 survey counts, their JSON and Markdown table."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from cutover.calendar.load import load_calendar
from cutover.errors import CutoverError
from cutover.inputs.model import Agency, Readiness, Registry
from cutover.jp.codes import check_digit, official_codes
from cutover.jp.vocabulary import SYSTEMS, Kind, Side, Status
from cutover.planning.flags import FlagCode, Severity
from cutover.planning.model import Plan
from cutover.planning.planner import is_not_ready, plan
from cutover.planning.summary import KindCounts, summarize
from cutover.render.summary import summary_json, summary_markdown
from cutover.schedule.timeline import Timeline, build_timeline


@contextlib.contextmanager
def _refused(pattern: str) -> Iterator[pytest.ExceptionInfo[CutoverError]]:
    """Expect a `CutoverError` whose English text matches `pattern` (as pytest.raises' match)."""
    with pytest.raises(CutoverError) as info:
        yield info
    assert re.search(pattern, info.value.text("en")), info.value.text("en")


AS_OF = dt.date(2018, 6, 20)
EFFECTIVE = dt.date(2018, 7, 1)
SYSTEM_IDS = [s.id for s in SYSTEMS]

#: The source's §3 table, query side: not-ready agencies per system (columns in §3 order),
#: as (total, prefectures, municipalities, associations). The provision side is all zero
#: (「全地方公共団体において対応完了予定」).
SOURCE_QUERY_TABLE = {
    "local-tax": (2, 1, 1, 0),
    "public-assistance": (0, 0, 0, 0),
    "health": (0, 0, 0, 0),
    "child-welfare": (1, 0, 1, 0),
    "disability-welfare": (1, 0, 1, 0),
    "long-term-care": (1, 0, 1, 0),
    "nhi": (1, 0, 1, 0),
    "public-housing": (1, 1, 0, 0),
}


@functools.cache
def timeline() -> Timeline:
    """Return the timeline of the shipped July 2018 calendar (built once per session)."""
    return build_timeline(load_calendar("2018-07"))


def association_code(number: int) -> str:
    """Return a valid association code (NN8XXC) in prefecture 01–47, for the n-th association."""
    five = f"{number % 47 + 1:02d}8{number:02d}"
    return five + str(check_digit(five))


def national_agencies() -> tuple[Agency, ...]:
    """Return the official list's 47 prefectures and 1,741 municipalities, and 38 associations."""
    agencies = [
        Agency(e.code, e.name, e.kind, False, frozenset({2}), frozenset(), i + 2)
        for i, e in enumerate(official_codes())
    ]
    agencies += [
        Agency(
            association_code(n), f"組合{n}", Kind.ASSOCIATION, False, frozenset(), frozenset(), 0
        )
        for n in range(38)
    ]
    return tuple(agencies)


def survey_registry() -> Registry:
    """Return the national registry whose query-side readiness reproduces the source's §3 table.

    Every agency reports every system on both sides; the late ones are late in each of the
    ways the rule counts (not started, planned on the effective date, planned after it), and
    a few agencies are ready just in time or not concerned, which must not count.
    """
    agencies = national_agencies()
    prefectures = [a for a in agencies if a.kind is Kind.PREFECTURE]
    municipalities = [a for a in agencies if a.kind is Kind.MUNICIPALITY]
    late: dict[tuple[str, str], tuple[Status, dt.date | None]] = {
        (prefectures[0].code, "local-tax"): (Status.NOT_STARTED, None),
        (municipalities[0].code, "local-tax"): (Status.PLANNED, EFFECTIVE),
        (municipalities[1].code, "child-welfare"): (Status.PLANNED, dt.date(2018, 9, 30)),
        (municipalities[2].code, "disability-welfare"): (Status.NOT_STARTED, None),
        (municipalities[3].code, "long-term-care"): (Status.PLANNED, dt.date(2018, 7, 2)),
        (municipalities[4].code, "nhi"): (Status.NOT_STARTED, None),
        (prefectures[12].code, "public-housing"): (Status.PLANNED, dt.date(2019, 3, 31)),
    }
    in_time: dict[tuple[str, str], tuple[Status, dt.date | None]] = {
        (municipalities[5].code, "local-tax"): (Status.PLANNED, dt.date(2018, 6, 30)),
        (municipalities[6].code, "health"): (Status.NOT_APPLICABLE, None),
    }
    rows: list[Readiness] = []
    for agency in agencies:
        for side in Side:
            for system in SYSTEM_IDS:
                status, planned = Status.DONE, None
                if side is Side.QUERY:
                    status, planned = late.get(
                        (agency.code, system), in_time.get((agency.code, system), (status, None))
                    )
                rows.append(Readiness(agency.code, system, side, status, planned, 0))
    return Registry(agencies, tuple(rows))


@pytest.fixture(scope="module")
def survey_plan() -> Plan:
    """Return the plan of the national survey registry."""
    return plan(timeline(), survey_registry(), AS_OF)


def small_plan(*, readiness: bool = True) -> Plan:
    """Return the plan of a few Tokyo agencies and one association, with or without readiness."""
    agencies = (
        Agency("130001", "東京都", Kind.PREFECTURE, True, frozenset({2, 8, 21}), frozenset(), 2),
        Agency("131016", "千代田区", Kind.MUNICIPALITY, False, frozenset({2, 21}), frozenset(), 3),
        Agency("138509", "例示広域連合", Kind.ASSOCIATION, False, frozenset(), frozenset(), 4),
        Agency("271004", "大阪市", Kind.MUNICIPALITY, False, frozenset({2}), frozenset(), 5),
    )
    rows = (
        Readiness("131016", "nhi", Side.PROVISION, Status.NOT_STARTED, None, 2),
        Readiness("131016", "local-tax", Side.QUERY, Status.PLANNED, dt.date(2018, 7, 1), 3),
        Readiness("271004", "local-tax", Side.QUERY, Status.NOT_STARTED, None, 4),
    )
    return plan(timeline(), Registry(agencies, rows if readiness else ()), AS_OF)


def table_cells(markdown: str, index: int = 0) -> list[list[str]]:
    """Return the cells of the `index`-th table of `markdown`, as a GFM parser reads them."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    tables: list[list[list[str]]] = []
    row: list[str] = []
    in_row = False
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            row, in_row = [], True
        elif token.type == "inline" and in_row:
            row.append(token.content)
        elif token.type == "tr_close":
            tables[-1].append(row)
            in_row = False
    return tables[index]


def inline_children(markdown: str) -> list[Token]:
    """Return every inline token of `markdown` as a CommonMark/GFM parser reads it."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    return [child for t in tokens if t.type == "inline" for child in t.children or []]


# --- the rule --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "planned", "expected"),
    [
        (Status.NOT_STARTED, None, True),
        (Status.PLANNED, EFFECTIVE, True),
        (Status.PLANNED, dt.date(2018, 8, 1), True),
        (Status.PLANNED, dt.date(2018, 6, 30), False),
        (Status.DONE, None, False),
        (Status.NOT_APPLICABLE, None, False),
    ],
)
def test_not_ready_rule(status: Status, planned: dt.date | None, expected: bool) -> None:
    """Not started, or planned on or after the effective date, is not ready; nothing else is."""
    report = Readiness("131016", "local-tax", Side.QUERY, status, planned, 2)
    assert is_not_ready(report, EFFECTIVE) is expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [(dt.date(2018, 6, 29), False), (dt.date(2018, 6, 30), False), (EFFECTIVE, True),
     (dt.date(2018, 7, 2), True)],
)  # fmt: skip
def test_planned_and_never_done_is_not_ready_once_the_revision_is_in_force(
    as_of: dt.date, expected: bool
) -> None:
    """A modification planned for 6/28 and never reported done counts as ready before 7/1
    (it may still finish: the overdue task says so), and as not ready from 7/1, when the
    revision is in force: a coordinator's §3 table of 7/2 must not show it done."""
    june_28 = dt.date(2018, 6, 28)
    report = Readiness("131016", "health", Side.PROVISION, Status.PLANNED, june_28, 2)
    assert is_not_ready(report, EFFECTIVE, as_of) is expected
    done = Readiness("131016", "health", Side.PROVISION, Status.DONE, june_28, 2)
    assert not is_not_ready(done, EFFECTIVE, as_of)


# --- the source's §3 table -------------------------------------------------------------------


def test_reproduces_source_query_table(survey_plan: Plan) -> None:
    """A registry built like the §3 survey gives the source's query-side counts, cell by cell."""
    summary = summarize(survey_plan)
    query = summary.not_ready_of(Side.QUERY)
    for system, (total, pref, muni, assoc) in SOURCE_QUERY_TABLE.items():
        counts = query.of(system)
        assert (counts.total, counts.prefecture, counts.municipality, counts.association) == (
            total,
            pref,
            muni,
            assoc,
        ), system
    assert summary.not_ready_of(Side.PROVISION).total == 0
    assert summary.agencies == KindCounts(47, 1741, 38)


def test_a_lookup_by_code_text_is_the_lookup_by_member(survey_plan: Plan) -> None:
    """The enums are equal to their codes, so a caller may pass ``"query"`` (read from JSON
    or a setting): it gets the counts ``Side.QUERY`` gets, not an empty side or a zero;
    a code that is none is a ValueError, not a zero."""
    summary = summarize(survey_plan)
    assert summary.not_ready_of("query") == summary.not_ready_of(Side.QUERY)
    assert summary.not_ready_of("query").total > 0
    assert summary.unknown_of("provision") == summary.unknown_of(Side.PROVISION)
    for flag in FlagCode:
        assert summary.flag_count(flag.value) == summary.flag_count(flag)
    assert any(summary.flag_count(flag.value) for flag in FlagCode)
    for severity in Severity:
        assert summary.severity_count(severity.value) == summary.severity_count(severity)
    for wrong in (
        lambda: summary.not_ready_of("queries"),
        lambda: summary.flag_count("query-late"),
        lambda: summary.severity_count("fatal"),
    ):
        with pytest.raises(ValueError, match="is not a valid"):
            wrong()


def test_markdown_table_is_the_source_table(survey_plan: Plan) -> None:
    """The Markdown table has the §3 shape and the source's numbers in every cell."""
    text = summary_markdown(summarize(survey_plan))
    rows = table_cells(text)
    assert rows[0][2:] == [f"{s.ja} システム関係" for s in SYSTEMS]
    assert rows[1] == ["情報提供に係る対応状況", "未対応団体数", *["0"] * 8]
    for row, kind in zip(rows[2:5], ("都道府県", "市区町村", "一部事務組合等"), strict=True):
        assert row == ["", kind, *["0"] * 8]
    # The source table, transcribed column by column (地方税務 … 公営住宅).
    assert rows[5][:2] == ["情報照会に係る対応状況", "未対応団体数"]
    assert rows[5][2:] == ["2", "0", "0", "1", "1", "1", "1", "1"]
    assert rows[6] == ["", "都道府県", *["1", "0", "0", "0", "0", "0", "0", "1"]]
    assert rows[7] == ["", "市区町村", *["1", "0", "0", "1", "1", "1", "1", "0"]]
    assert rows[8] == ["", "一部事務組合等", *["0", "0", "0", "0", "0", "0", "0", "0"]]
    assert len(rows) == 9
    assert "※調査対象（47都道府県、1741市区町村、38一部事務組合・広域連合）" in text


def test_json_is_the_source_table(survey_plan: Plan) -> None:
    """The JSON carries the same counts, by side, system and kind, with totals."""
    data = summary_json(summarize(survey_plan))
    assert data["agencies"] == {"prefecture": 47, "municipality": 1741, "association": 38}
    for system, (total, pref, muni, assoc) in SOURCE_QUERY_TABLE.items():
        assert data["not_ready"]["query"][system] == {
            "prefecture": pref,
            "municipality": muni,
            "association": assoc,
            "total": total,
        }
        assert data["not_ready"]["provision"][system]["total"] == 0
    assert data["flags"]["query-not-ready"] == 7
    assert data["flags"]["provision-not-ready"] == 0


# --- JSON contract ---------------------------------------------------------------------------


def test_json_contract_keys() -> None:
    """The summary JSON has the keys of DESIGN.md §3, in a JSON-serialisable form."""
    data = summary_json(summarize(small_plan()))
    assert {"calendar", "as_of", "agencies", "not_ready", "flags"} <= set(data)
    assert data["calendar"]["id"] == "2018-07"
    assert data["as_of"] == "2018-06-20"
    assert set(data["not_ready"]) == {"provision", "query"}
    assert list(data["not_ready"]["query"]) == SYSTEM_IDS
    assert set(data["not_ready"]["query"]["nhi"]) == {
        "prefecture",
        "municipality",
        "association",
        "total",
    }
    assert set(data["flags"]) == {c.value for c in FlagCode}
    assert json.loads(json.dumps(data)) == data


def test_unknown_readiness_counted() -> None:
    """Systems an agency says nothing about are counted as unknown, by side and kind."""
    summary = summarize(small_plan())
    # 東京都 and the association report nothing; 千代田区 reports local-tax query only.
    unknown_query = summary.unknown_of(Side.QUERY)
    assert unknown_query.of("local-tax") == KindCounts(1, 0, 1)
    assert unknown_query.of("health") == KindCounts(1, 2, 1)
    assert summary.readiness_given


def test_counts_and_flags() -> None:
    """Late agencies and flags are counted; planned on the effective date is late."""
    summary = summarize(small_plan())
    assert summary.not_ready_of(Side.PROVISION).of("nhi") == KindCounts(0, 1, 0)
    assert summary.not_ready_of(Side.QUERY).of("local-tax") == KindCounts(0, 2, 0)
    assert summary.flag_count(FlagCode.PROVISION_NOT_READY) == 1
    assert summary.flag_count(FlagCode.QUERY_NOT_READY) == 2
    assert summary.severity_count(Severity.ERROR) == summary.flags_at_or_above("error")
    assert summary.flags_at_or_above(Severity.WARNING) > summary.flags_at_or_above("error")


# --- one prefecture --------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["13", "東京都", "130001", "Tokyo"])
def test_prefecture_filter(query: str) -> None:
    """A prefecture, by number, name or code, keeps its agencies, associations included."""
    summary = summarize(small_plan(), prefecture=query)
    assert summary.agencies == KindCounts(1, 1, 1)
    assert summary.prefecture_code == "130001"
    assert summary.prefecture_name == "東京都"
    assert summary.not_ready_of(Side.QUERY).of("local-tax") == KindCounts(0, 1, 0)
    assert summary_json(summary)["prefecture"] == {"code": "130001", "name": "東京都"}


def test_prefecture_without_agencies() -> None:
    """A prefecture with no agency in the registry is an error that names it, and the
    argument to leave out as the program gave it (`prefecture`, not the command's option)."""
    with _refused("no agency of 鳥取県") as caught:
        summarize(small_plan(), prefecture="31")
    assert str(caught.value) == (
        "登録簿に鳥取県（310000）の団体がありません — 登録簿（agencies.csv）の都道府県を"
        "指定するか、prefecture を外してください"
    )


def test_unknown_prefecture() -> None:
    """An unknown prefecture name is an error with a suggestion."""
    with _refused("unknown prefecture"):
        summarize(small_plan(), prefecture="東京府")


# --- Markdown --------------------------------------------------------------------------------


def test_markdown_english() -> None:
    """The English summary has English headers, row labels and the surveyed counts."""
    text = summary_markdown(summarize(small_plan()), lang="en")
    rows = table_cells(text)
    assert rows[0][2] == "local tax systems"
    assert rows[1][:2] == ["Provision side", "agencies not ready"]
    assert rows[2][1] == "prefectures"
    assert "※ Surveyed: prefectures 1, municipalities 2, associations" in text


def test_markdown_without_readiness() -> None:
    """Without readiness.csv the summary says so instead of printing a table of zeros."""
    text = summary_markdown(summarize(small_plan(readiness=False)))
    assert "readiness.csv" in text
    assert "未対応団体数 |" not in text


def test_markdown_flag_table() -> None:
    """Flag counts are listed worst first, each with its name and its severity."""
    text = summary_markdown(summarize(small_plan()))
    cells = table_cells(text, index=2)
    assert cells[0] == ["指摘", "コード", "重大度", "指摘の数（団体・作業ごとに1件）"]
    assert cells[1] == [
        "提供側の改修が改版までに完了しない",
        "`provision-not-ready`",
        "エラー",
        "1",
    ]
    severities = [row[2] for row in cells[1:]]
    order = {"エラー": 0, "警告": 1, "情報": 2}
    assert severities == sorted(severities, key=order.__getitem__)


def test_markdown_lists_the_agencies_to_chase_when_given() -> None:
    """With the agencies to chase (`chase_list`), the page ends with them, as the workbook's
    督促先 sheet lists them; with none to chase it says so; without the list (a program's
    call as before) it has no such section."""
    from cutover.planning.chase import chase_list
    from cutover.planning.hearings import hearings

    the_plan = small_plan()
    summary = summarize(the_plan)
    chase = chase_list(the_plan, hearings(the_plan))
    text = summary_markdown(summary, chase=chase)
    rows = table_cells(text, index=3)
    assert rows[0] == ["団体コード", "団体名", "種別", "督促の理由", "不足しているもの", "期限"]
    listed = [(c.agency.code, c.reason.label("ja")) for c in chase]
    assert [(r[0], r[3]) for r in rows[1:]] == listed
    assert ("131016", "改修が間に合わない") in {(r[0], r[3]) for r in rows}
    assert ("138509", "回答なし") in {(r[0], r[3]) for r in rows}
    english = summary_markdown(summary, lang="en", chase=chase)
    assert "## Agencies to chase" in english
    assert table_cells(english, index=3)[0][3] == "Why"
    assert summary_markdown(summary, chase=()).endswith("## 督促先\n\n督促先はない。\n")
    assert "督促先" not in summary_markdown(summary)


def test_the_agencies_to_chase_of_one_prefecture_however_named() -> None:
    """`chase_list(…, prefecture=…)` keeps one prefecture's agencies, named as `summarize`
    takes it (31, "31", "130001", "東京都"): a name was compared as a code's first two
    characters and found no one; a number was an error from inside."""
    from cutover.planning.chase import chase_list
    from cutover.planning.hearings import hearings

    the_plan = small_plan()
    found = hearings(the_plan)
    every = chase_list(the_plan, found)
    tokyo = [c for c in every if c.agency.code[:2] == "13"]
    assert tokyo
    assert len(tokyo) < len(every)  # (大阪市 is to chase too)
    for named in (13, "13", "130001", "東京都"):
        assert list(chase_list(the_plan, found, prefecture=named)) == tokyo
    with pytest.raises(TypeError, match="prefecture"):
        chase_list(the_plan, found, prefecture=13.0)  # type: ignore[arg-type]


def test_markdown_no_markup_from_names() -> None:
    """The summary prints no HTML and no link, whatever the agencies are called."""
    children = inline_children(summary_markdown(summarize(small_plan()), lang="en"))
    assert not [c for c in children if c.type in ("html_inline", "link_open")]


def test_markdown_unknown_language() -> None:
    """An unknown language is an error listing the valid ones."""
    with _refused("'ja' or 'en'") as caught:
        summary_markdown(summarize(small_plan()), lang="fr")
    assert str(caught.value) == (
        "言語「fr」には対応していません — ja（日本語）か en（英語）を指定してください"
    )


def test_example_counts_never_done_provision_from_the_revision(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The example's 障害福祉 provision modification is planned for before 7/1 and never
    reported done: the 6/29 table leaves it out, the 7/2 table counts it, with an error flag."""
    from cutover.cli.main import main

    example = Path(__file__).resolve().parent.parent / "examples" / "tottori"
    files = [f"--{n}={example / f'{n}.csv'}" for n in ("agencies", "readiness", "evidence")]
    counts = {}
    for as_of in ("2018-06-29", "2018-07-02"):
        out = tmp_path / f"{as_of}.json"
        assert main(["summary", "2018-07", *files, "--as-of", as_of, "--format", "json",
                     "-o", str(out)]) == 0  # fmt: skip
        data = json.loads(out.read_text(encoding="utf-8"))
        counts[as_of] = (
            data["not_ready"]["provision"]["disability-welfare"]["total"],
            data["flags"].get("provision-not-ready", 0),
        )
    assert counts == {"2018-06-29": (0, 0), "2018-07-02": (1, 1)}


def test_national_counts_are_grouped_by_thousands(survey_plan: Plan) -> None:
    """A national summary counts 1,826 agencies and thousands of flags: every count on the
    page is grouped by thousands (1,826団体), as its queries line already was (it wrote
    1826団体 and a flag count of 3652 beside 照会 2,000,000 件)."""
    summary = summarize(survey_plan)
    text = summary_markdown(summary)
    assert f"{summary.agencies.total:,}団体" in text
    # (The note under the table keeps the source's own words: 1741市区町村.)
    assert "1741市区町村" in text
    counts = [row[-1] for row in table_cells(text, 1) if row[-1].replace(",", "").isdigit()]
    big = [c for c in counts if int(c.replace(",", "")) >= 1000]
    assert big
    assert all(c == f"{int(c.replace(',', '')):,}" for c in big)
    english = summary_markdown(summary, lang="en")
    assert f"{summary.agencies.total:,} agencies" in english


@pytest.mark.parametrize(
    ("code", "params", "ja", "en"),
    [
        ("hearings.candidates", {"count": 1826}, "1,826団体", "1,826 agencies"),
        ("hearings.at-risk", {"count": 1826}, "1,826団体", "1,826 agencies"),
        ("hearings.prefecture", {"name": "n", "code": "c", "count": 1741}, "1,741団体", "1,741"),
        ("checklist.query-count", {"heading": "h", "n": 12000}, "12,000件", "(12,000)"),
    ],
)
def test_the_other_pages_group_their_counts_too(
    code: str, params: dict[str, object], ja: str, en: str
) -> None:
    """The hearings lists of a national run and a city's queries in its checklist count in
    the thousands: grouped, as the summary's counts are."""
    from cutover.i18n.catalogue import text

    assert ja in text(code, "ja", **params)
    assert en in text(code, "en", **params)
