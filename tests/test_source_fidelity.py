"""What cutover restates from the source keeps the source's words: its strength (予定,
想定) and its numbers. Each test reads the source (``tests/data/reference/``) for the words
it checks, and the shipped calendar or the message catalogue for what cutover says."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

from cutover.calendar.load import load_calendar
from cutover.i18n.catalogue import Lang, text
from cutover.jp.vocabulary import SYSTEMS

SOURCE = Path(__file__).resolve().parent / "data" / "reference" / "000_8f7c83e8c8de8f89.txt"


def _source_sentence(phrase: str) -> str:
    """Return the one sentence (up to 。 or the line's end) of the source holding `phrase`."""
    text = SOURCE.read_text(encoding="utf-8")
    found = [
        sentence
        for line in text.splitlines()
        for sentence in re.split(r"(?<=。)", line)
        if phrase in sentence
    ]
    assert len(found) == 1, (phrase, found)
    return found[0]


def _section(number: int) -> str:
    """Return the text of the source's section `number` (§N: its slide in the 目次), from its
    heading to the next section's."""
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    contents = [(int(m[1]), m[2]) for line in lines if (m := re.fullmatch(r"(\d+)\. (.+)", line))]
    starts = []
    at = max(i for i, line in enumerate(lines) if re.fullmatch(r"\d+\. .+", line)) + 1
    for _, title in contents:
        # The headings differ from the 目次 in spaces and a word (§16: 教育研修[実施]計画).
        while difflib.SequenceMatcher(None, _bare(lines[at]), _bare(title)).ratio() < 0.85:
            at += 1
        starts.append(at)
        at += 1
    index = [n for n, _ in contents].index(number)
    end = starts[index + 1] if index + 1 < len(starts) else len(lines)
    return "\n".join(lines[starts[index] : end])


def _bare(words: str) -> str:
    """Return `words` without white space."""
    return re.sub(r"\s", "", words)


def _cited(detail: str, phrase: str) -> list[str]:
    """Return the sections (§N) of the first citation of `detail`'s sentence holding `phrase`
    that holds the phrase or comes after it."""
    (sentence,) = [s for s in re.split(r"(?<=[。.])\s*", detail) if phrase in s]
    at = sentence.index(phrase)
    citations = [c for c in re.finditer(r"[（(]§[^）)]*[）)]", sentence) if c.end() > at]
    assert citations, (phrase, sentence)
    return re.findall(r"§\d+", citations[0][0])


#: Events of the shipped calendars and the words of the source that announce them.
_DATED_BY = {
    ("2018-07", "master-delivery"): "マスター配信等を実施する",
    ("2018-07", "academy-lecture"): "市町村アカデミーにおいて",
    ("2018-07", "e-learning-courses"): "コースを提供",
    ("2018-11", "inter-agency-test"): "マスター変更時においても機関間試験を",
}


@pytest.mark.parametrize(("calendar_id", "event_id"), sorted(_DATED_BY))
def test_a_planned_event_is_called_planned(calendar_id: str, event_id: str) -> None:
    """What the source calls 予定 (planned: §2's July master delivery, §16's August lecture
    and seven courses, §4's tests at later master changes) is titled 予定 / planned, not as
    a thing settled."""
    assert "予定" in _source_sentence(_DATED_BY[calendar_id, event_id])
    event = load_calendar(calendar_id).event(event_id)
    assert "予定" in event.title_ja
    assert "planned" in event.title_en.lower()


def test_the_request_for_non_disclosure_keeps_its_route_as_envisaged() -> None:
    """§12 says who asks for the non-disclosure setting only as the ministry's expectation
    (「…へ行うことを想定」): a message that restates the route says 想定 / expected, never
    as a rule of the connection regulations."""
    from test_i18n import codes, templates

    assert "想定" in _source_sentence("不開示設定の依頼は、情報提供者から連絡を受けた")
    restating = [code for code in codes() if "不開示設定の依頼は" in templates(code)["ja"][0]]
    assert restating
    for code in restating:
        found = templates(code)
        assert "想定" in found["ja"][0], code
        assert "expected" in found["en"][0], code


def test_the_records_note_says_section_10s_duty_to_the_other_two_parties() -> None:
    """The note beside every query in error cited §10–§12 but said only §11–§12: §10's
    duty — an agency that adds to a provision record asks the other two parties to add to
    theirs, without omission, and reports once all three have (「改めて徹底願いたい」) —
    was in no output."""
    assert "関係する二者へ漏れなく追記依頼を行う必要がある" in _source_sentence(
        "自機関で保持する記録への追記"
    )
    assert "速やかに情報提供NWS運営主体へ報告" in _source_sentence("三者間で追記が完了した場合")
    ja, en = text("triage-report.records-note", "ja"), text("triage-report.records-note", "en")
    assert "関係する二者へ漏れなく追記を依頼し" in ja
    assert "速やかに情報提供NWS運営主体へ報告する" in ja
    assert "asks the other two, without omission" in en
    assert "reports it to the NWS operator without delay" in en


def _surveyed_late_queriers() -> dict[str, int]:
    """Return §3's survey table, read from the source: the number of agencies whose
    query-side modification will not be done before the revision, by system id (non-zero
    counts only)."""
    from cutover.jp.vocabulary import SYSTEMS

    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    header = next(line for line in lines if "地方税務 システム関係" in line).split("\t")
    row = next(line for line in lines if line.startswith("情報照会に係る")).split("\t")
    assert row[1] == "未対応団体数", row
    by_column = dict(zip(header[2:], row[2:], strict=True))
    found = {}
    for system in SYSTEMS:
        count = int(by_column[f"{system.label('ja')} システム関係"])
        if count:
            found[system.id] = count
    return found


def _counts_named(note: str, lang: Lang) -> dict[str, int]:
    """Return the counts a survey note gives in its last parentheses, by system id."""
    from cutover.jp.vocabulary import SYSTEMS

    by_label = {system.label(lang): system.id for system in SYSTEMS}
    inside = re.findall(r"[（(]([^（()）]*)[）)]", note)[-1]
    found = {}
    for part in re.split(r"、|; ", inside):
        match = re.fullmatch(r"(?P<names>.+?) ?(各)?(?P<n>\d+)( each)?", part)
        assert match, (note, part)
        for name in re.split(r"・|, | and ", match["names"]):
            found[by_label[name]] = int(match["n"])
    return found


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_survey_result_gives_the_source_counts_in_both_languages(lang: Lang) -> None:
    """The survey's note (§3) gives, in Japanese and in English alike, the number of agencies
    whose query side will be late, system by system, as the source's table does: the English
    note said only that some would be."""
    event = load_calendar("2018-07").event("modification-survey")
    note = event.note_ja if lang == "ja" else event.note_en
    assert _counts_named(note, lang) == _surveyed_late_queriers()


#: Each cause of a wrong registration §7 lists (case 1), by a word of its own, and how the
#: English detail names it.
_WRONG_REGISTRATION_CAUSES = {
    "被保険者証記号番号": "insurance card",
    "チェックディジット": "check digit",
    "版番号": "version number",
    "再交付日": "re-issue date",
    "未申告者": "non-filers",
}


def test_registering_checks_every_past_cause_of_a_wrong_registration() -> None:
    """The registration task says to check, before registering, the causes of past wrong
    registrations (§7, case 1): all of those the source lists, in both languages — the
    misread 「再交付日」 of a disability certificate was left out."""
    case = next(
        line
        for line in SOURCE.read_text(encoding="utf-8").splitlines()
        if line.startswith("1 副本登録誤り")
    )
    causes = re.findall(r"・([^・①②\t]+)", case)
    assert len(causes) == len(_WRONG_REGISTRATION_CAUSES)
    for cause in causes:
        assert sum(word in cause for word in _WRONG_REGISTRATION_CAUSES) == 1, cause
    (template,) = [t for t in load_calendar("2018-07").tasks if t.id == "register"]
    for word, english in _WRONG_REGISTRATION_CAUSES.items():
        assert word in template.detail_ja, word
        assert english in template.detail_en, english


def test_retesting_after_the_window_is_told_as_the_source_tells_it() -> None:
    """§4 says later tests are planned and their details announced with the change requests
    (お知らせする); the advice after a missed window said to ask J-LIS for a chance to test
    again, which the source offers nowhere."""
    said = _source_sentence("実施時期等の詳細については")
    assert "変更申請等の際にお知らせする" in said
    ja, en = text("plan.test-again-after-window", "ja"), text("plan.test-again-after-window", "en")
    assert "予定" in ja
    assert "変更申請等の際に知らされる" in ja
    assert "相談" not in ja
    assert "planned" in en
    assert "announced with the change requests" in en
    assert "ask" not in en


def test_the_provision_side_remedy_says_what_section_3_says() -> None:
    """§3: 「現在の予定どおり、データ標準レイアウト改版までに必ず対応する必要がある」. The English
    remedy added "there is no alternative", which the source does not say."""
    said = _source_sentence("現在の予定どおり、データ標準レイアウト改版までに必ず対応する")
    assert "必ず対応する" in said
    task = next(t for t in load_calendar("2018-07").tasks if t.id == "modify-provision")
    (ja,), (en,) = task.remedies_ja, task.remedies_en
    assert "現在の予定どおり" in ja
    assert "必ず対応する" in ja
    assert "As currently planned" in en
    assert "must be done by the data standard layout revision" in en
    assert "alternative" not in en


def test_the_order_note_says_what_section_2_says() -> None:
    """§2 only lists the work (「システム改修、機関間試験、副本登録等の作業を実施する必要
    がある」) and sets no order as a rule: the note on a test or registration names that order
    and the risk, as the evidence-before-modification warning does (おそれがある). It said, as
    a rule, to finish the modification first, and, as a fact, that an earlier test or
    registration is not in the new layout."""
    said = _source_sentence("副本登録等の作業を実施する必要がある")
    listed = re.findall("システム改修|機関間試験|副本登録", said)
    assert listed == ["システム改修", "機関間試験", "副本登録"]
    assert "順" not in said
    assert "前に" not in said
    ja, en = text("plan.note-after", "ja", titles="X"), text("plan.note-after", "en", titles="X")
    warning = text(
        "plan.evidence-before-modification",
        "ja",
        title="",
        date="",
        where="",
        before="",
        when="",
        link="",
    )
    assert "、".join(listed) in ja
    for words in (ja, warning):
        assert "おそれがある" in words
    assert "完了してから行う" not in ja
    assert "にならない" not in ja
    assert "system modification, inter-agency test and registration of copies" in en
    assert "may not be in the new layout" in en
    assert "do this once" not in en
    assert "is not in the new layout" not in en


def test_the_item_system_links_the_source_does_not_make_are_marked_assumed() -> None:
    """The source names no system per item: §5 defines items 2, 8, 21 and 52 by their laws, and
    §3's survey columns are eight business systems, none of them a pension one. 2 (地方税) and 8
    (障害者…自立支援給付) name their systems' fields; 21's loans (母子及び父子並びに寡婦福祉法) and
    52's pension benefits (国民年金法) name none of §3's columns. The shipped calendar links them
    (21 → 児童福祉, 52 → 国保) and must say the links are its assumption, in both languages; the
    July revision's other items, and November's calendar (no revised items), assume none."""
    survey, items = _section(3), _section(5)
    columns = re.findall(r"(\S+) システム関係", survey)
    # (The systems cutover knows, in its own order, are §3's columns.)
    assert columns == [system.ja for system in SYSTEMS]
    assert "年金" not in survey
    assert "システム" not in items.split("<※1>")[1]
    assert "国民年金法" in items
    assert "寡婦福祉法による資金の貸付け" in items
    july = load_calendar("2018-07")
    assumed = {i.number: i for i in july.items if i.systems_assumption is not None}
    assert sorted(assumed) == [21, 52]
    assert (assumed[21].systems, assumed[52].systems) == (("child-welfare",), ("nhi",))
    for item in assumed.values():
        assert "資料は特定個人情報ごとのシステムを示さ" in (item.systems_assumption_in("ja") or "")
        assert "The source names no system per item" in (item.systems_assumption_in("en") or "")
    assert "年金の列はない" in (assumed[52].systems_assumption or "")
    assert not [i for i in load_calendar("2018-11").items if i.systems_assumption]


def test_the_change_request_cites_the_sections_that_say_it() -> None:
    """November's change request credited the delegation to §13, whose change request
    (対応事項5) names other causes (法令等の改正、機関の統廃合等) and no delegation. §5 says a
    new delegation may arise with the master change; §7's incident 2 is where a delegation is
    part of the change request (教育委員会に一部事務の委任); §13 keeps its own causes."""
    assert "委任受任が新たに発生した場合" in _section(5)
    assert "教育委員会に一部事務の委任" in _section(7)
    assert "接続申請（変更申請）" in _section(7)
    assert "委任" not in _section(13)
    assert "機関の統廃合等" in _section(13)
    task = next(t for t in load_calendar("2018-11").tasks if t.id == "change-request")
    ja, en = task.detail_ja, task.detail_en
    assert _cited(ja, "委任受任が新たに発生") == ["§5"]
    assert _cited(ja, "接続申請（変更申請）") == ["§7"]
    assert _cited(ja, "教育委員会") == ["§7"]
    assert _cited(ja, "機関の統廃合等") == ["§13"]
    assert _cited(en, "new delegation of provision arises") == ["§5"]
    assert _cited(en, "part of the change request") == ["§7"]
    assert _cited(en, "board of education") == ["§7"]
    assert _cited(en, "merger of agencies") == ["§13"]
    assert "§5" in task.section


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_section_8_is_cited_for_its_response_not_for_the_log(lang: Lang) -> None:
    """§8 gives the response to a wrong registration (自主規制, a phone call, 様式03-13, the
    correction) and says nothing of registration logs: the hearings note cited §8 for
    "the registration log shows an anomaly" (a zero-record registration, cutover's reading of
    the log §5 says J-LIS extracts), as if §8 said it."""
    assert "ログ" not in _section(8)
    assert "ログを抽出" in _section(5)
    for step in ("自主規制", "電話で一報", "様式：03-13", "修正する"):
        assert step in _section(8), step
    note = text("plan.hearing-note-wrong-registration", lang)
    log, response = ("登録ログ", "様式03-13") if lang == "ja" else ("registration log", "03-13")
    sentences = re.split(r"(?<=[。.])\s*", note)
    assert all("§8" not in s for s in sentences if log in s)
    assert any("§8" in s for s in sentences if response in s)


def test_novembers_test_is_told_as_planned() -> None:
    """§4 says tests at later master changes are planned (実施可能とする予定) and their dates
    announced with the change requests; November's test task told, as settled, to run the
    test inside a window whose dates the source does not give."""
    said = _source_sentence("マスター変更時においても機関間試験を")
    assert "予定" in said
    assert "変更申請等の際にお知らせする" in _source_sentence("実施時期等の詳細については")
    task = next(t for t in load_calendar("2018-11").tasks if t.id == "inter-agency-test")
    # (The title too: it names the task in every checklist, summary and survey workbook.)
    assert "予定" in task.title_ja
    assert "planned" in task.title_en
    assert "予定" in task.detail_ja
    assert "変更申請等の際に知らされる" in task.detail_ja
    assert _cited(task.detail_ja, "予定") == ["§4"]
    assert "planned" in task.detail_en
    assert "announced with the change requests" in task.detail_en
    assert _cited(task.detail_en, "planned") == ["§4"]


def test_the_order_warnings_remedy_asks_whether_not_demands_a_redo() -> None:
    """The remedy beside the §2 warning (a test or registration before the modification may
    not be in the new layout: おそれ) told the agency to check it had been redone after the
    modification and to redo it if not, as if §2 made the order a rule; it now asks whether
    the earlier one was in the new layout, and redoes it only if it was not."""
    said = _source_sentence("副本登録等の作業を実施する必要がある")
    assert "順" not in said
    ja, en = text("plan.redo-after-modification", "ja"), text("plan.redo-after-modification", "en")
    assert "新版のレイアウトによるものか確かめる" in ja
    assert "よらないものであれば" in ja
    assert "やり直したか確かめる" not in ja
    assert (
        "whether the test or registration done before the modification was in the new layout" in en
    )
    assert "if it was not" in en
    assert "was done again" not in en


def test_the_contact_updates_reason_cites_the_section_that_says_it() -> None:
    """The contact update's assumption gives as its reason that calls from queriers and others
    come to the contact point: §15 says so (連絡窓口は、情報照会者等からの連絡があった場合、必要
    に応じて…取り次ぐ), §13, the only section it named, does not."""
    assert "情報照会者等からの連絡があった場合" in _section(15)
    assert "情報照会者等からの連絡" not in _section(13)
    recurring = next(
        r for r in load_calendar("2018-07").recurring if r.id == "contact-registration"
    )
    ja, en = recurring.assumption or "", recurring.assumption_en or ""
    assert _cited(ja, "情報照会者等からの連絡") == ["§15"]
    assert "必要に応じて" in ja
    assert _cited(en, "Calls from queriers") == ["§15"]
    assert "as needed" in en


def test_recurring_work_is_called_what_section_13_calls_it() -> None:
    """§13 calls its periodic work 定期的な対応 (定期的又は随時の対応: the contact update is made
    only when the contact changes); the checklist said so, but the Japanese timeline and its
    chart's legend called the same entries 定期的な義務, obligations."""
    assert "定期的な対応" in _section(13).splitlines()[0]
    assert "定期的又は随時の対応" in _section(13)
    for code in ("timeline.recurring", "timeline.chart-legend-recurring", "checklist.recurring"):
        assert text(code, "ja") == "定期的な対応", code
    # Nor does any other text (a calendar author's errors, the English headings).
    from test_i18n import codes, templates

    for code in codes():
        found = templates(code)
        assert "定期的な義務" not in "".join(found["ja"]), code
        assert "recurring obligation" not in "".join(found["en"]).lower(), code


def test_english_says_recurring_work_where_japanese_says_teikiteki_na_taiou() -> None:
    """A calendar author's errors about a recurring rule say 定期的な対応 in Japanese; the
    English said "an obligation" there, the word §13 does not use."""
    from test_i18n import codes, templates

    checked = 0
    for code in codes():
        found = templates(code)
        if "定期的な対応" not in "".join(found["ja"]):
            continue
        checked += 1
        assert "obligation" not in "".join(found["en"]).lower(), code
    assert checked >= 4
