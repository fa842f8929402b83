"""Tests for `cutover.render.checklist`: checklists, the index, templates and the sandbox."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.tasklists import tasklists_plugin
from test_planner import pending

from cutover.calendar.load import load_calendar
from cutover.errors import CutoverError
from cutover.i18n.catalogue import Lang
from cutover.inputs.model import Agency, Evidence, Readiness, Registry
from cutover.jp.vocabulary import Kind, Side, Status
from cutover.planning.chase import chase_list
from cutover.planning.hearings import hearings
from cutover.planning.model import Plan
from cutover.planning.planner import plan
from cutover.planning.summary import summarize
from cutover.render.checklist import render_checklist
from cutover.render.checklists import stale_checklists, write_checklists
from cutover.render.index import render_index
from cutover.schedule.timeline import Timeline, build_timeline


@contextlib.contextmanager
def _refused(pattern: str) -> Iterator[pytest.ExceptionInfo[CutoverError]]:
    """Expect a `CutoverError` whose English text matches `pattern` (as pytest.raises' match)."""
    with pytest.raises(CutoverError) as info:
        yield info
    assert re.search(pattern, info.value.text("en")), info.value.text("en")


AS_OF = dt.date(2018, 6, 20)
HOSTILE = "悪い|名前\n<script>alert(1)</script>[x](http://evil)"

#: CommonMark with GFM tables: what a renderer reads (no task-list plugin, so that any
#: html_inline token is one the output injected).
MARKDOWN = MarkdownIt("commonmark").enable("table")
#: The same, with GFM task lists, to count checked and unchecked boxes.
TASKS = MarkdownIt("commonmark").use(tasklists_plugin)


@functools.cache
def timeline() -> Timeline:
    """Return the timeline of the shipped July 2018 calendar (built once per session)."""
    return build_timeline(load_calendar("2018-07"))


def sample_plan(
    name: str = "千代田区", detail: str = "接続検証環境で実施", as_of: dt.date = AS_OF
) -> Plan:
    """Return a plan of three agencies; the first has tasks in every status as of 2018-06-20."""
    agencies = (
        Agency("131016", name, Kind.MUNICIPALITY, True, frozenset({2, 21}), frozenset({52}), 2),
        Agency("130001", "東京都", Kind.PREFECTURE, False, frozenset({8}), frozenset(), 3),
        Agency("138509", "例示広域連合", Kind.ASSOCIATION, False, frozenset(), frozenset(), 4),
    )
    readiness = (
        Readiness("131016", "local-tax", Side.PROVISION, Status.DONE, None, 2),
        Readiness("131016", "health", Side.QUERY, Status.NOT_APPLICABLE, None, 3),
        Readiness("131016", "nhi", Side.PROVISION, Status.NOT_STARTED, None, 4),
    )
    evidence = (
        Evidence("131016", "register:2", dt.date(2018, 6, 1), "", 2),
        Evidence("131016", "inter-agency-test", dt.date(2018, 6, 8), detail, 3),
    )
    # 千代田区 waits on 東京都 and 東京都 on it (pending queries): its §6 tasks apply.
    queries = pending(as_of, ("131016", "130001"), ("130001", "131016"))
    return plan(timeline(), Registry(agencies, readiness, evidence), as_of, queries=queries)


def inline_tokens(markdown: str) -> list[Token]:
    """Return the inline children of every block of `markdown`."""
    return [c for t in MARKDOWN.parse(markdown) if t.type == "inline" for c in t.children or []]


def injected(markdown: str) -> list[Token]:
    """Return the HTML tokens of `markdown`, and its links to anything but a checklist file."""
    found = [t for t in MARKDOWN.parse(markdown) if t.type == "html_block"]
    for child in inline_tokens(markdown):
        href = str(child.attrs.get("href", ""))
        checklist_link = re.fullmatch(r"[0-9]{6}\.md", href) is not None
        if child.type == "html_inline" or (child.type == "link_open" and not checklist_link):
            found.append(child)
    return found


def table_rows(markdown: str) -> list[list[str]]:
    """Return the cells of every table row of `markdown`, header rows included."""
    rows: list[list[str]] = []
    row: list[str] = []
    in_row = False
    for token in MARKDOWN.parse(markdown):
        if token.type == "tr_open":
            row, in_row = [], True
        elif token.type == "inline" and in_row:
            row.append(token.content)
        elif token.type == "tr_close":
            rows.append(row)
            in_row = False
    return rows


def write_template(directory: Path, name: str, text: str) -> Path:
    """Return the path of a user template written into `directory`."""
    directory.mkdir(exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


# --- what a checklist says -------------------------------------------------------------------


def test_checklist_who_and_which_revision() -> None:
    """The checklist names the agency, its code and kind, the revision and the dates."""
    text = render_checklist(sample_plan().agency("131016"), sample_plan())
    assert text.startswith("# 千代田区 チェックリスト（平成30年7月 データ標準レイアウト改版）\n")
    assert "- 団体: 千代田区（団体コード 131016、市区町村）" in text
    assert "- 適用開始日: 平成30年7月1日（日）" in text
    assert "- 基準日: 平成30年6月20日（水）" in text


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_checklist_flags_name_their_task_by_its_title(lang: Lang) -> None:
    """Each flag of a checklist names its task by its title, then its id: the moved deadlines
    of three tasks read alike, and were told apart only by ids such as
    ``answer-before-cutoff:2``."""
    the_plan = sample_plan()
    agency_plan = the_plan.agency("131016")
    text = render_checklist(agency_plan, the_plan, lang=lang)
    label = {"ja": "作業", "en": "Task"}[lang]
    named = [line.strip() for line in text.splitlines() if line.strip().startswith(f"- {label}: ")]
    tasks = {t.id: t for t in agency_plan.tasks}
    flagged = [f.task for f in agency_plan.flags if f.task in tasks]
    assert len(named) >= len(flagged) >= 3
    for task in flagged:
        title = tasks[task].title_ja if lang == "ja" else tasks[task].title_en
        said = f"{title}（`{task}`）" if lang == "ja" else f"{title} (`{task}`)"
        assert f"- {label}: {said}" in named


def test_checklist_task_list() -> None:
    """Tasks are a GFM task list: checked with the date when done, unchecked otherwise."""
    the_plan = sample_plan()
    agency_plan = the_plan.agency("131016")
    text = render_checklist(agency_plan, the_plan)
    items = [t for t in TASKS.parse(text) if t.type == "list_item_open"]
    boxes = [t for t in items if t.attrs.get("class") == "task-list-item"]
    assert len(boxes) == len(agency_plan.applicable)
    checked = [c for c in inline_tokens_with(TASKS, text) if 'checked="checked"' in c.content]
    assert len(checked) == agency_plan.done
    assert "- [x] **特定個人情報2番（地方税関係情報）の副本を登録する**（§5） `register:2`" in text
    assert "  - 完了日: 平成30年6月1日（金）（根拠: evidence.csv）" in text
    assert (
        "- [ ] **情報照会に係るシステム改修を完了する（地方税務）**（§3） `modify-query:local-tax`"
        in (text)
    )


def inline_tokens_with(parser: MarkdownIt, markdown: str) -> list[Token]:
    """Return the inline children of `markdown` as `parser` reads it."""
    return [c for t in parser.parse(markdown) if t.type == "inline" for c in t.children or []]


def test_checklist_every_status() -> None:
    """Every status appears: done, overdue, due soon, upcoming, and not applicable apart."""
    the_plan = sample_plan()
    text = render_checklist(the_plan.agency("131016"), the_plan)
    for label in ("状況: 完了", "状況: 期限超過", "状況: 期限間近", "状況: 予定"):
        assert label in text
    not_applicable = text.split("## 対象外の作業\n", 1)[1].split("\n## ", 1)[0]
    assert "`modify-query:health`" in not_applicable
    assert "状況: 対象外" not in text
    english = render_checklist(the_plan.agency("131016"), the_plan, lang="en")
    for label in ("Status: done", "Status: overdue", "Status: due soon", "Status: upcoming"):
        assert label in english
    assert "## Tasks that do not apply" in english


def test_checklist_what_to_do() -> None:
    """Each task says what to do, the notes (past data, delegation), the proof and remedies."""
    the_plan = sample_plan()
    text = render_checklist(the_plan.agency("131016"), the_plan)
    assert "  - 注記: 過去分を含め、新版のレイアウトで登録する（遡及適用）。" in text
    assert (
        "  - 注記: 今回のマスター変更で情報提供に係る委任受任が新たに発生したため、登録が必要。"
        in text
    )
    assert "  - 遅れる場合: 中間サーバー接続端末を利用して照会する。" in text
    assert "  - 記録するもの: 改修完了日" in text


def test_checklist_remedy_once_too_late() -> None:
    """From 7/1 the checklist no longer tells a provider to answer by 6/30 (§6: impossible
    then), but what becomes of the request; on 6/29 it still says answer by 6/30."""
    late = sample_plan(as_of=dt.date(2018, 7, 2))
    text = render_checklist(late.agency("131016"), late)
    assert "  - 遅れる場合: 6月30日までに情報提供する（一時入力を含む）。" not in text
    assert (
        "  - 期限を過ぎたため: 7月1日以降は、6月30日以前に受けた提供の求めに情報提供（一時入力を"
        "含む）を行うことはできない。" in text
    )
    english = render_checklist(late.agency("131016"), late, lang="en")
    assert "Answer by 30 June (temporary input included)." not in english
    on_time = sample_plan(as_of=dt.date(2018, 6, 29))
    text = render_checklist(on_time.agency("131016"), on_time)
    assert "  - 遅れる場合: 6月30日までに情報提供する（一時入力を含む）。" in text


# The coordinator's files, named where the page tells someone to do something with them;
# "evidence.csv line 4" / "evidence.csv 4行目" only cites where a fact came from.
_COORDINATOR_FILE = re.compile(r"(?:evidence|readiness)\.csv(?! (?:line \d|\d+行目))")


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("as_of", [dt.date(2018, 6, 20), dt.date(2018, 7, 9)])
def test_checklist_never_sends_a_municipality_to_the_coordinators_files(
    lang: str, as_of: dt.date
) -> None:
    """A checklist goes to a municipality, which has its survey workbook, not the
    prefecture's readiness.csv or evidence.csv: what to do once done or too late (the
    calendar's remedies, the flags') says to write it in the workbook and send it back."""
    from cutover.inputs.registry import load_registry

    example = Path(__file__).resolve().parent.parent / "examples" / "tottori"
    registry = load_registry(
        example / "agencies.csv", example / "readiness.csv", [example / "evidence.csv"]
    )
    the_plan = plan(timeline(), registry, as_of)
    told = [
        line
        for agency_plan in the_plan.agencies
        for line in render_checklist(agency_plan, the_plan, lang=lang).splitlines()  # type: ignore[arg-type]
        if _COORDINATOR_FILE.search(line)
    ]
    assert told == []
    for template in load_calendar("2018-07").tasks:
        for remedy in (*template.remedies_too_late_ja, *template.remedies_too_late_en):
            assert not _COORDINATOR_FILE.search(remedy), template.id


def test_checklist_window_runs_to_its_declared_end() -> None:
    """The registration window is shown to Saturday 6/30 (§5: 6月末まで; a registration that
    day counts), marked a closed day, beside its due date, the last business day, 6/29."""
    the_plan = sample_plan()
    text = render_checklist(the_plan.agency("131016"), the_plan)
    assert "  - 期間: 平成30年5月21日（月）〜平成30年6月30日（土）（閉庁日）\n" in text
    assert "  - 期限: 平成30年6月29日（金）（6/30（土）は閉庁日のため前倒し）" in text
    english = render_checklist(the_plan.agency("131016"), the_plan, lang="en")
    assert "  - Window: 2018-05-21 (Mon) – 2018-06-30 (Sat) (closed)\n" in english


def test_checklist_says_when_a_task_is_due_today() -> None:
    """On Friday 6/29, a task due that day reads 期限間近（本日が期限）; the day before, not."""
    on_the_day = sample_plan(as_of=dt.date(2018, 6, 29))
    text = render_checklist(on_the_day.agency("131016"), on_the_day)
    assert "  - 状況: 期限間近（本日が期限）\n  - 期限: 平成30年6月29日（金）" in text
    english = render_checklist(on_the_day.agency("131016"), on_the_day, lang="en")
    assert "(due today)" in english
    before = sample_plan(as_of=dt.date(2018, 6, 28))
    assert "本日が期限" not in render_checklist(before.agency("131016"), before)


def test_checklist_key_dates() -> None:
    """Key dates are in wareki with weekday; moved dates say why; assumed dates are marked;
    a day the source gives only as part of a month (下旬) says so."""
    the_plan = sample_plan()
    text = render_checklist(the_plan.agency("131016"), the_plan)
    rows = table_rows(text)
    assert rows[0] == ["日付", "内容", "出典", "備考"]
    registration = next(r for r in rows if r[1].startswith("副本登録期間"))
    assert registration[0] == "平成30年5月21日（月）〜平成30年6月29日（金）"
    # §5 gives 「5月下旬から6月末まで」: the plan's first day is shown with the source's words.
    assert registration[3] == (
        "6/30（土）は閉庁日のため前倒し／開始は平成30年5月下旬と記載（初日で計算）"
    )
    modifications = next(r for r in rows if r[1].startswith("情報提供・情報照会に係るシステム改修"))
    assert modifications[0] == "平成30年6月29日（金） ※"
    assert "※仮定" in modifications[3]
    requery = next(r for r in rows if r[1].startswith("取りやめた照会"))
    assert "7/1（日）は閉庁日のため7/2（月）から" in requery[3]
    assert "※ は資料に日付がなく" in text
    # The revision stays on Sunday 7/1 (a milestone is not moved): its date says so, as the
    # timeline's table does; a date moved off a closed day lands on a business day.
    revision = next(r for r in rows if r[1].startswith("改版（"))
    assert revision[0] == "平成30年7月1日（日）（閉庁日: 日曜日）"
    assert [r[0] for r in rows[1:] if "閉庁日:" in r[0]] == [revision[0]]


def test_checklist_key_dates_english() -> None:
    """In English, key dates are ISO with the English weekday."""
    the_plan = sample_plan()
    rows = table_rows(render_checklist(the_plan.agency("131016"), the_plan, lang="en"))
    registration = next(r for r in rows if r[1].startswith("Window for the registration of copies"))
    assert registration[0] == "2018-05-21 (Mon) – 2018-06-29 (Fri)"
    assert "Sat 30 Jun 2018 is a closed day" in registration[3]
    revision = next(r for r in rows if r[1].startswith("the revision takes effect"))
    assert revision[0] == "2018-07-01 (Sun) (closed: Sunday)"


def test_checklist_flags() -> None:
    """Flags are listed with severity, code, message and remedy."""
    the_plan = sample_plan()
    text = render_checklist(the_plan.agency("131016"), the_plan)
    assert "- **エラー** `provision-not-ready`（§3）: 国保システムの情報提供に係る改修" in text
    # (Reported not started: the remedies of work that will be late, §3.)
    assert "  - 対応: 報告された予定では改版までに間に合わない。改修時期を前倒しし、" in text


def test_checklist_cutoff_rule() -> None:
    """The §6 cutoff rule is spelled out with business dates, as provider and as querier."""
    the_plan = sample_plan()
    text = render_checklist(the_plan.agency("131016"), the_plan)
    section = text.split("## 提供の締切前後の照会（§6）\n", 1)[1]
    assert (
        "平成30年6月30日（土）までに受けた提供の求め（2番・21番）には、平成30年6月29日（金）"
        in section
    )
    assert (
        "取りやめ、平成30年7月1日（日）以降に再照会する（開庁日では平成30年7月2日（月）から）"
        in section
    )
    # An agency that provides neither item gets the querier's part only.
    association = render_checklist(the_plan.agency("138509"), the_plan)
    assert "情報提供者として" not in association
    assert "情報照会者として" in association


def test_checklist_accepts_queries_none() -> None:
    """The reserved `queries` argument is accepted and changes nothing when None."""
    the_plan = sample_plan()
    agency_plan = the_plan.agency("130001")
    assert render_checklist(agency_plan, the_plan) == render_checklist(agency_plan, the_plan)


# --- escaping --------------------------------------------------------------------------------


def test_hostile_name_in_checklist() -> None:
    """A name with |, a newline, <script> and a link injects no HTML and no link."""
    the_plan = sample_plan(HOSTILE)
    text = render_checklist(the_plan.agency("131016"), the_plan)
    assert not injected(text)
    heading = next(t for t in MARKDOWN.parse(text) if t.type == "inline")
    assert "<script>" in heading.content.replace("\\", "")
    assert "\n" not in heading.content


def test_hostile_evidence_detail() -> None:
    """An evidence detail with markup is shown as text."""
    the_plan = sample_plan(detail=HOSTILE)
    text = render_checklist(the_plan.agency("131016"), the_plan)
    assert not injected(text)
    assert "（根拠: 悪い\\|名前 \\<script\\>alert(1)\\</script\\>\\[x\\](http://evil)）" in text


def test_hostile_name_in_index() -> None:
    """In the index, a hostile name keeps the agency table's shape and links only its checklist."""
    the_plan = sample_plan(HOSTILE)
    text = render_index(the_plan, summarize(the_plan))
    assert not injected(text)
    head, _, agencies = text.partition("\n## 団体一覧\n")
    agency_table = [r for r in table_rows(agencies) if r and r[0] in ("団体コード", "131016")]
    assert [len(r) for r in agency_table] == [7, 7]
    # (The agencies to chase name it too, each row its six cells.)
    chase = table_rows(head.partition("\n## 督促先\n")[2])
    assert any(r[0] == "131016" for r in chase)
    assert {len(r) for r in chase} == {6}
    links = [c for c in inline_tokens(text) if c.type == "link_open"]
    assert [c.attrs["href"] for c in links] == ["130001.md", "131016.md", "138509.md"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.text(
        alphabet=st.sampled_from(list("|\\`*_[]()<>!&#~-=:.\n\r 名前\u2028")), min_size=1
    ).filter(lambda s: s.strip() != "")
)
def test_any_name_keeps_tables(name: str) -> None:
    """Whatever an agency is called, the index table keeps 7 cells and nothing is injected."""
    the_plan = sample_plan(name)
    text = render_index(the_plan, summarize(the_plan))
    assert not injected(text)
    head, _, agencies = text.partition("\n## 団体一覧\n")
    agency_rows = [r for r in table_rows(agencies) if len(r) and r[0] in ("131016", "130001")]
    assert [len(r) for r in agency_rows] == [7, 7]
    assert {len(r) for r in table_rows(head.partition("\n## 督促先\n")[2])} == {6}


# --- the index -------------------------------------------------------------------------------


def test_index_contents() -> None:
    """The index has the revision, the survey table, flag counts, the agencies to chase (the
    summary's list), agencies and a gantt block whose assumed dates are marked ※."""
    the_plan = sample_plan()
    text = render_index(the_plan, summarize(the_plan))
    assert text.startswith("# 平成30年7月 データ標準レイアウト改版 進捗一覧\n")
    assert "- 基準日: 平成30年6月20日（水）" in text
    rows = table_rows(text)
    assert rows[0][2] == "地方税務 システム関係"
    assert ["", "市区町村", "0", "0", "0", "0", "0", "0", "1", "0"] in rows
    assert ["提供側の改修が改版までに完了しない", "`provision-not-ready`", "エラー", "1"] in rows
    assert "※調査対象（1都道府県、1市区町村、1一部事務組合・広域連合）" in text
    chase = table_rows(text.partition("\n## 督促先\n")[2].partition("\n## ")[0])
    listed = chase_list(the_plan, hearings(the_plan))
    assert chase[1:]
    assert [(r[0], r[3]) for r in chase[1:]] == [
        (c.agency.code, c.reason.label("ja")) for c in listed
    ]
    row = next(r for r in rows if r[0] == "131016" and len(r) == 7)
    assert row[1] == "[千代田区](131016.md)"
    # answer-before-cutoff:21 does not apply (no request for item 21 in the queries file);
    # the request of 東京都 to answer by the cutoff is the fifth warning; the test of 6/8,
    # before the national health insurance provision side was modified, the sixth (§2).
    assert row[2:] == ["市区町村", "3/26", "2", "1", "6"]
    gantt = re.search(r"```mermaid\ngantt\n.*?\n```\n", text, re.DOTALL)
    assert gantt is not None
    # A date the source does not give is marked in the chart as in every table, and said so.
    assert "    取りやめた照会（2番・21番）の再照会 ※ :e_requery, 2018-07-02, 5d\n" in gantt.group()
    assert "    全機関訓練（異常時対応訓練・情報共有サイト閲覧） :milestone," in gantt.group()
    assert text.endswith(
        "```\n\n※ は資料に日付がなく、カレンダーが仮定した日付（仮定の内容は"
        " `cutover timeline` の「備考」に）。\n"
    )


def test_index_english() -> None:
    """The English index has English headings and table labels."""
    the_plan = sample_plan()
    text = render_index(the_plan, summarize(the_plan), lang="en")
    assert "## Agencies" in text
    assert ["Code", "Name", "Kind", "Done / applicable", "Overdue", "Errors", "Warnings"] in (
        table_rows(text)
    )


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_on_saturday_6_30_the_overdue_warning_says_the_written_end_is_ahead(lang: Lang) -> None:
    """The `task-overdue` warning of 東京都's registration of item 8 (due Friday 6/29, its
    written end Saturday 6/30) says on 6/30 what the task's row says: the last business
    day has passed, and the written end has not."""
    ahead = {
        "ja": "平成30年6月30日（土）（閉庁日）の前の最終の開庁日。"
        "平成30年6月30日（土）が終わるまではまだ行える",
        "en": "the last business day before 2018-06-30 (Sat) (a closed day): it can still be done",
    }

    def warnings(as_of: dt.date) -> dict[str, str]:
        tokyo = sample_plan(as_of=as_of).agency("130001")
        return {f.code.value: f.message(lang) for f in tokyo.flags if f.task == "register:8"}

    assert ahead[lang] in warnings(dt.date(2018, 6, 30))["task-overdue"]
    # From 7/1 the window is over (a hearing candidate, §5): nothing says it is ahead.
    after = warnings(dt.date(2018, 7, 1))
    assert after
    assert not any(ahead[lang] in message for message in after.values())


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_on_saturday_6_30_a_window_still_open_is_not_called_overdue(lang: Lang) -> None:
    """As of Saturday 6/30, 東京都's registration of item 8 (window to 6/30, due Friday 6/29)
    is shown open until the day ends, as the hearings list and the timeline show it: it
    was 期限超過 on the checklist. From 7/1 it is overdue."""
    said = {
        "ja": "最終の開庁日は過ぎた（平成30年6月30日（土）まで）",
        "en": "open until 2018-06-30",
    }
    overdue = {"ja": "状況: 期限超過", "en": "Status: overdue"}

    def register_8(as_of: dt.date) -> str:
        the_plan = sample_plan(as_of=as_of)
        tokyo = next(a for a in the_plan.agencies if a.agency.code == "130001")
        page = render_checklist(tokyo, the_plan, lang=lang)
        return page.split("`register:8`", 1)[1].split("\n- [", 1)[0]

    assert said[lang] in register_8(dt.date(2018, 6, 30))
    assert overdue[lang] not in register_8(dt.date(2018, 6, 30))
    assert overdue[lang] in register_8(dt.date(2018, 7, 1))
    assert said[lang] not in register_8(dt.date(2018, 6, 29))


@pytest.mark.parametrize("as_of", [dt.date(2018, 6, 29), dt.date(2018, 6, 30), dt.date(2018, 7, 1)])
def test_the_header_counts_overdue_the_tasks_whose_rows_say_so(
    tmp_path: Path, as_of: dt.date
) -> None:
    """The overdue count at the top of a checklist (Markdown and HTML) and in the index is the
    number of task rows that say 期限超過: on Saturday 6/30 a window due Friday 6/29, open
    until the day ends, was counted overdue in the header while its row said it was open."""
    the_plan = sample_plan(as_of=as_of)
    write_checklists(the_plan, tmp_path / "md")
    write_checklists(the_plan, tmp_path / "html", fmt="html")
    index = (tmp_path / "md" / "index.md").read_text(encoding="utf-8")
    rows = {row[0]: row for row in table_rows(index)}
    for agency_plan in the_plan.agencies:
        code = agency_plan.agency.code
        page = (tmp_path / "md" / f"{code}.md").read_text(encoding="utf-8")
        html = (tmp_path / "html" / f"{code}.html").read_text(encoding="utf-8")
        header = re.search(r"- 進捗: 完了 \d+ / \d+（期限超過 (\d+)、", page)
        assert header is not None
        shown = page.count("  - 状況: 期限超過\n")
        assert int(header.group(1)) == shown
        assert f"期限超過 {shown}、" in html
        assert rows[code][4] == str(shown)
    # 東京都's registration of item 8 (window to Saturday 6/30) is counted from 7/1 only.
    tokyo = (tmp_path / "md" / "130001.md").read_text(encoding="utf-8")
    register_8 = tokyo.split("`register:8`", 1)[1].split("\n- [", 1)[0]
    assert ("状況: 期限超過" in register_8) is (as_of == dt.date(2018, 7, 1))


# --- writing ---------------------------------------------------------------------------------


def test_write_checklists(tmp_path: Path) -> None:
    """One file per agency, named by code, and index.md last; no temporary file is left."""
    out = tmp_path / "out"
    paths = write_checklists(sample_plan(), out)
    assert [p.name for p in paths] == ["130001.md", "131016.md", "138509.md", "index.md"]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)
    assert (out / "131016.md").read_text(encoding="utf-8").startswith("# 千代田区")


def test_the_index_links_each_page_by_the_name_it_was_written_to(tmp_path: Path) -> None:
    """With the agencies' names in the file names, index.md links each agency to its page as
    written (131016_千代田区.md): it linked 131016.md, a page not there."""
    for names in (False, True):
        out = tmp_path / f"names-{names}"
        paths = write_checklists(sample_plan(), out, names=names)
        index = (out / "index.md").read_text(encoding="utf-8")
        targets = re.findall(r"\]\(([^)]+\.md)\)", index)
        assert sorted(targets) == sorted(p.name for p in paths[:-1])
        assert all((out / target).is_file() for target in targets)


def test_write_checklists_gives_back_the_pages_it_removed(tmp_path: Path) -> None:
    """The pages an earlier run wrote and this one does not (named with the agency's name
    then, by code alone now; an agency gone; a page in the other format) come back in
    `removed`, each with the page now holding its agency's checklist, or None."""
    out = tmp_path / "out"
    write_checklists(sample_plan(), out, names=True)
    (out / "999991.md").write_text("an agency gone\n", encoding="utf-8")
    (out / "999991.html").write_text("another format\n", encoding="utf-8")
    first = sorted(p.name for p in out.iterdir() if "_" in p.name)
    (out / "mine").mkdir()  # (a folder of the user's, never a page to remove)
    preview = stale_checklists(sample_plan(), out)
    gone = [out / "999991.html", out / "999991.md"]
    assert stale_checklists(sample_plan(), out, names=True) == gone
    paths = write_checklists(sample_plan(), out)
    assert [p.name for p in paths.removed] == sorted([*first, "999991.html", "999991.md"])
    # The preview named exactly the pages the run then removed, by the same rule.
    assert preview == paths.removed
    assert stale_checklists(sample_plan(), out) == []
    assert {p.name: getattr(paths.now_at(p), "name", None) for p in paths.removed} == {
        **{name: name[:6] + ".md" for name in first},
        "999991.html": None,
        "999991.md": None,
    }


def test_a_folder_holds_one_run_s_pages_whatever_their_format(tmp_path: Path) -> None:
    """Pages written as HTML into a folder of an earlier run's Markdown take their place: the
    Markdown goes (made from other inputs, it said other things beside the HTML: 完了 15 / 18
    in 310000.md, 15 / 21 in its HTML), the user's own files stay. The same plan's pages
    written just before in the other format stay when asked (`cutover demo`)."""
    out = tmp_path / "out"
    earlier = write_checklists(sample_plan(), out)
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    pages = write_checklists(sample_plan(), out, fmt="html")
    assert sorted(p.name for p in pages.removed) == sorted(p.name for p in earlier)
    assert sorted(p.name for p in out.iterdir()) == sorted([*(p.name for p in pages), "notes.txt"])
    both = write_checklists(sample_plan(), out, keep_other_format=True)
    assert both.removed == []
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*(p.name for p in pages), *(p.name for p in both), "notes.txt"]
    )


def test_write_deterministic(tmp_path: Path) -> None:
    """Writing the same plan twice gives byte-identical files."""
    first = write_checklists(sample_plan(), tmp_path / "a", lang="en")
    second = write_checklists(sample_plan(), tmp_path / "b", lang="en")
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes()


def test_file_names_come_from_codes(tmp_path: Path) -> None:
    """A code that is not a valid agency code never becomes a file name."""
    agencies = (Agency("../../x", "x", Kind.MUNICIPALITY, False, frozenset(), frozenset(), 2),)
    bad = plan(timeline(), Registry(agencies), AS_OF)
    with _refused("cannot name a checklist file") as caught:
        write_checklists(bad, tmp_path / "out")
    assert "チェックリストのファイル名にできません" in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_template_error_writes_nothing(tmp_path: Path) -> None:
    """When a template fails, no checklist is written."""
    templates = tmp_path / "templates"
    write_template(templates, "index.md.j2", "{{ page.missing }}\n")
    with pytest.raises(CutoverError):
        write_checklists(sample_plan(), tmp_path / "out", templates=templates)
    assert not (tmp_path / "out").exists()


# --- templates and the sandbox ---------------------------------------------------------------


def test_user_template_overrides(tmp_path: Path) -> None:
    """A template of the same name in the templates directory replaces the shipped one."""
    templates = tmp_path / "templates"
    write_template(templates, "checklist.md.j2", "custom: {{ page.title }}\n")
    paths = write_checklists(sample_plan(), tmp_path / "out", templates=templates)
    assert paths[0].read_text(encoding="utf-8").startswith("custom: 東京都 チェックリスト")
    # The index is not overridden: the shipped one is used.
    assert paths[-1].read_text(encoding="utf-8").startswith("# 平成30年7月")


@pytest.mark.parametrize(
    "source",
    [
        "line one\n{{ ''.__class__.__mro__ }}\n",
        "line one\n{{ page.__class__.__init__.__globals__ }}\n",
        "line one\n{{ page.labels.__class__ }}\n",
    ],
)
def test_sandbox_refuses_attribute_access(tmp_path: Path, source: str) -> None:
    """A template reaching for dunder attributes is refused, naming the file and line."""
    path = write_template(tmp_path / "t", "checklist.md.j2", source)
    the_plan = sample_plan()
    with pytest.raises(CutoverError) as caught:
        render_checklist(the_plan.agency("130001"), the_plan, templates=path.parent)
    problem = caught.value.problems[0]
    assert re.search(
        r"the template asks for \.__\w+__, which templates may not use \(the sandbox refuses it\)",
        problem.text("en"),
    )
    assert re.search(r"「\.__\w+__」は、安全のためテンプレートからは使えません", problem.text("ja"))
    assert "unsafe" not in problem.text("ja")
    assert problem.file == str(path)
    assert problem.line == 2


def test_strict_undefined(tmp_path: Path) -> None:
    """An undefined name in a template is an error naming the file and line, not empty text."""
    path = write_template(
        tmp_path / "t", "checklist.md.j2", "# {{ page.title }}\n\n{{ page.nope }}\n"
    )
    the_plan = sample_plan()
    with _refused("the template asks for 'nope', which that value does not have") as caught:
        render_checklist(the_plan.agency("130001"), the_plan, templates=path.parent)
    assert (caught.value.problems[0].file, caught.value.problems[0].line) == (str(path), 3)
    assert str(caught.value).startswith(
        f"{path}:3: テンプレートが求める「nope」は、その値にはありません"
    )


def test_an_undefined_name_is_said_in_japanese(tmp_path: Path) -> None:
    """A name the template neither gets nor sets is named, in Japanese, without jinja2's
    English ("'agnecy' is undefined")."""
    path = write_template(tmp_path / "t", "checklist.md.j2", "# {{ page.title }}\n{{ agnecy }}\n")
    the_plan = sample_plan()
    with pytest.raises(CutoverError) as caught:
        render_checklist(the_plan.agency("130001"), the_plan, templates=path.parent)
    assert str(caught.value).startswith(
        f"{path}:2: テンプレートの「agnecy」は、テンプレートに渡される値にも"
    )
    assert "is undefined" not in str(caught.value)


def test_template_syntax_error(tmp_path: Path) -> None:
    """A syntax error in a template names the file and line."""
    path = write_template(tmp_path / "t", "index.md.j2", "ok\n{% for x in %}\n")
    the_plan = sample_plan()
    with _refused("syntax") as caught:
        render_index(the_plan, summarize(the_plan), templates=path.parent)
    assert (caught.value.problems[0].file, caught.value.problems[0].line) == (str(path), 2)


def test_template_runtime_error(tmp_path: Path) -> None:
    """An exception raised while rendering becomes an error naming the template."""
    path = write_template(tmp_path / "t", "checklist.md.j2", "{{ 1 // 0 }}\n")
    the_plan = sample_plan()
    with _refused("division by zero") as caught:
        render_checklist(the_plan.agency("130001"), the_plan, templates=path.parent)
    assert caught.value.problems[0].file == str(path)
    assert "0 で割り算をしています" in str(caught.value)


def test_templates_directory_missing(tmp_path: Path) -> None:
    """A templates directory that does not exist is an error naming it."""
    the_plan = sample_plan()
    with _refused("not a directory"):
        render_checklist(the_plan.agency("130001"), the_plan, templates=tmp_path / "nope")


def test_render_twice_identical() -> None:
    """Rendering the same checklist twice gives the same text."""
    the_plan = sample_plan()
    agency_plan = the_plan.agency("131016")
    assert render_checklist(agency_plan, the_plan, lang="en") == render_checklist(
        agency_plan, the_plan, lang="en"
    )


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_assumed_dates_legend_only_where_a_date_is_assumed(lang: Lang) -> None:
    """The index's chart marks a date the calendar assumes with ※, and says what ※ means
    below it (and in the Mermaid text) only when one is marked: a calendar whose every date
    comes from the source has no ※ and no legend."""
    from cutover.calendar.load import calendar_path, parse_calendar
    from cutover.render.timeline import timeline_mermaid

    written = calendar_path("2018-11").read_text(encoding="utf-8")
    given = parse_calendar(written)
    sourced = parse_calendar(
        "".join(line for line in written.splitlines(keepends=True) if not line.startswith("assum"))
    )
    chiyoda = Agency("131016", "千代田区", Kind.MUNICIPALITY, True, frozenset({2}), frozenset(), 2)
    legend = "※ は資料に日付がなく" if lang == "ja" else "※ marks a date the source does not give"
    for calendar, assumed in ((given, True), (sourced, False)):
        tl = build_timeline(calendar)
        the_plan = plan(tl, Registry((chiyoda,)), dt.date(2018, 10, 1))
        index = render_index(the_plan, summarize(the_plan), lang=lang)
        mermaid = timeline_mermaid(tl, lang=lang)
        assert ("※" in index, legend in index) == (assumed, assumed)
        assert (" ※ :" in mermaid, "    %% ※" in mermaid) == (assumed, assumed)
        assert index.rstrip().endswith("```") is not assumed


def test_a_task_without_a_detail_or_evidence_shows_no_empty_line(tmp_path: Path) -> None:
    """A calendar's task may give no detail or no evidence to record (the 2018-11 calendar's
    registration gave neither): the checklist printed 「内容: 」 and 「記録するもの: 」 with
    nothing after them, in Markdown and HTML alike. A field with nothing to say is left out."""
    import cutover
    from cutover.calendar.load import parse_calendar

    example = Path(__file__).resolve().parent.parent / "examples" / "tottori"
    text = (example.parent.parent / "calendars" / "2018-11.toml").read_text(encoding="utf-8")
    bare = re.sub(r"^(detail|evidence)_(ja|en) = .*\n", "", text, flags=re.M)
    calendar = parse_calendar(bare, file="2018-11.toml")
    registry = cutover.load_registry(example / "agencies.csv")
    made = cutover.plan(cutover.build_timeline(calendar), registry, dt.date(2018, 9, 3))
    agency = made.agency("318027")
    for lang in ("ja", "en"):
        page = cutover.render_checklist(agency, made, lang=lang)
        empty = [line for line in page.splitlines() if re.fullmatch(r"\s*- [^:：]+: *", line)]
        assert empty == [], empty
    cutover.write_checklists(made, tmp_path, fmt="html")
    html = (tmp_path / "318027.html").read_text(encoding="utf-8")
    assert re.search(r"<dd>\s*</dd>", html) is None
