"""Tests for `cutover.jp.codes`: check digits, code validation and the official code list."""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Iterator
from typing import Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import local_government_codes

from cutover.errors import CutoverError
from cutover.jp.codes import (
    OfficialEntry,
    check_digit,
    has_valid_check_digit,
    is_prefecture_code,
    municipalities_of,
    official_codes,
    official_entry,
    prefecture,
    prefectures,
    validate_code,
    ward_city,
)
from cutover.jp.vocabulary import (
    SYSTEMS,
    Actor,
    Kind,
    Side,
    Status,
    normalize_text,
    parse_actor,
    parse_kind,
    parse_status,
    parse_system,
    status_in_note,
    system_by_id,
)


@contextlib.contextmanager
def _refused(pattern: str) -> Iterator[pytest.ExceptionInfo[CutoverError]]:
    """Expect a `CutoverError` whose English text matches `pattern` (as pytest.raises' match)."""
    with pytest.raises(CutoverError) as info:
        yield info
    assert re.search(pattern, info.value.text("en")), info.value.text("en")


def _error(text: str) -> str:
    with pytest.raises(CutoverError) as caught:
        validate_code(text)
    return caught.value.text("en")


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("130001", "東京都"),
        ("131016", "千代田区"),
        ("011002", "札幌市"),
        ("472018", "那覇市"),
        ("012131", "苫小牧市"),  # remainder 0: the check digit is 1, not 0 or 11
        ("282219", "丹波篠山市"),
    ],
)
def test_check_digit_of_real_codes(code: str, name: str) -> None:
    """The check digit of real codes is computed right, and they are on the official list."""
    assert check_digit(code[:5]) == int(code[5])
    assert validate_code(code) == code
    entry = official_entry(code)
    assert entry is not None
    assert entry.name == name


def test_check_digit_refuses_other_lengths() -> None:
    """A check digit is only computed from exactly five digits."""
    with _refused("give exactly 5 digits"):
        check_digit("1300")


@given(local_government_codes())
def test_any_five_digits_with_their_check_digit_validate(code: str) -> None:
    """Any prefecture number 01–47, three digits and the computed check digit is a valid code."""
    assert validate_code(code) == code


@given(local_government_codes(), st.integers(min_value=1, max_value=9))
def test_any_other_last_digit_is_refused(code: str, shift: int) -> None:
    """Changing the check digit of a valid code always makes it invalid, naming the right one."""
    wrong = code[:5] + str((int(code[5]) + shift) % 10)
    message = _error(wrong)
    assert "wrong check digit" in message
    assert repr(code) in message


@given(local_government_codes(), st.integers(min_value=1, max_value=9))
def test_a_code_says_whether_its_check_digit_holds(code: str, shift: int) -> None:
    """`has_valid_check_digit` agrees with `validate_code` on six digits, and says no for any
    other text (a code typed full-width, short, or with a letter), never raising."""
    assert has_valid_check_digit(code)
    assert not has_valid_check_digit(code[:5] + str((int(code[5]) + shift) % 10))
    for other in (
        code.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
        code[:5],
        "",
        "13101x",
    ):
        assert not has_valid_check_digit(other)


def test_full_width_digits_are_folded() -> None:
    """Full-width digits (typed with a Japanese IME) give the same code."""
    assert validate_code("１３１０１６") == "131016"
    assert validate_code(" 131016 ") == "131016"


def test_five_digits_name_both_readings() -> None:
    """A 5-digit value both of whose readings are on the official list names both."""
    message = _error("12203")
    assert "a leading zero lost in Excel: did you mean '012203' (北海道 士別市)?" in message
    assert "the check digit is missing: '122033' (千葉県 市川市)" in message
    with pytest.raises(CutoverError) as caught:
        validate_code("12203")
    assert str(caught.value) == (
        "コード「12203」は5桁です — Excel で先頭の0が消えたのであれば「012203」（北海道 士別市）、"
        "検査数字が抜けているのであれば「122033」（千葉県 市川市）です。6桁すべてを書き、"
        "列の書式を文字列にしてください"
    )


def test_five_digits_name_no_code_off_the_official_list() -> None:
    """Issue 18 point 9: the missing-check-digit reading is named only when that code is on
    the official list (any five digits have a check digit): 11002 is 札幌市, not '110027'."""
    message = _error("11002")
    assert "did you mean '011002' (北海道 札幌市)?" in message
    assert "110027" not in message


def test_five_digits_name_the_check_digit_reading_where_the_code_may_be_meant() -> None:
    """An association's code is not on the official list: where the reader says a code may
    be meant (an association's row, the agencies file's codes), 13850 names '138509'; by
    default it does not (any five digits have a check digit)."""
    assert "138509" not in _error("13850")
    with pytest.raises(CutoverError) as caught:
        validate_code("13850", meant=lambda code: code == "138509")
    assert "検査数字が抜けているのであれば、「138509」です" in str(caught.value)
    with pytest.raises(CutoverError) as caught:
        validate_code("13850", meant=lambda code: code == "999999")
    assert "138509" not in str(caught.value)
    assert validate_code("138509", meant=lambda code: False) == "138509"


def test_five_digits_whose_zero_reading_names_no_agency_name_the_check_digit_too() -> None:
    """31801: the zero-restored 031801 passes its check digit but is on no list, so it is no
    better a reading than 318019 (an association's code, never on the official list): both
    are named, wherever the value is (a queries file knows no registry)."""
    message = _error("31801")
    assert "'031801'" in message
    assert "the check digit is missing: '318019'" in message


def test_five_digits_with_lost_zero_and_wrong_check_digit() -> None:
    """Issue 18 point 9: with both readings wrong, the zero-restored code with its check
    digit fixed is the advice when it is on the official list (12029 → 012025 函館市), and
    no other prefecture's code is offered (18034 is not 福井県's 180343)."""
    message = _error("12029")
    assert "gives '012029', whose check digit is wrong: did you mean '012025' (北海道 函館市)?" in (
        message
    )
    assert "the check digit is missing" not in message
    with pytest.raises(CutoverError) as caught:
        validate_code("12029")
    assert "「012025」（北海道 函館市）のことですか？" in str(caught.value)
    lost = _error("18034")
    assert "180343" not in lost
    assert "福井" not in lost
    assert "did you mean" not in lost


@given(st.sampled_from([e.code for e in official_codes() if e.code[0] == "0"]), st.integers(1, 9))
def test_five_digits_advice_is_always_on_the_official_list(code: str, shift: int) -> None:
    """Issue 18 point 9: whatever a 5-digit value with a lost zero and a wrong check digit
    is told, every code the advice names is on the official list, in its prefecture."""
    five = code[1:5] + str((int(code[5]) + shift) % 10)
    message = _error(five)
    for named in re.findall(r"'([0-9]{6})' \(", message):
        assert official_entry(named) is not None


def test_five_digits_without_zero_reading_name_only_the_check_digit() -> None:
    """When the zero-padded reading has a wrong check digit, only the missing-digit one is named."""
    message = _error("13101")
    assert "leading zero" not in message
    assert "the check digit is missing: '131016' (東京都 千代田区)" in message


@given(local_government_codes(), st.sampled_from(["'", "＇", "’", "‘"]))
def test_a_leading_apostrophe_names_the_code_it_hides(code: str, apostrophe: str) -> None:
    """A code behind an apostrophe (a cell's text mark kept as a character) is refused,
    naming the code without it: the value is never taken silently for a code."""
    message = _error(apostrophe + code)
    assert "starts with an apostrophe" in message
    assert f"did you mean {code!r}" in message
    assert "format the code column as text (文字列)" in message


def test_a_leading_apostrophe_before_a_bad_code() -> None:
    """An apostrophe before digits that are no code says to delete it and write 6 digits."""
    message = _error("'11002")
    assert "starts with an apostrophe (')" in message
    assert "did you mean" not in message
    assert "then write the 6 digits of the code" in message


def test_wrong_check_digit_names_the_right_one() -> None:
    """A wrong check digit is reported with the right one and the code it would make."""
    message = _error("131017")
    assert "wrong check digit 7 (it should be 6)" in message
    assert "did you mean '131016' (東京都 千代田区)?" in message
    with pytest.raises(CutoverError) as caught:
        validate_code("131017")
    assert str(caught.value) == (
        "コード「131017」の検査数字 7 が誤っています（正しくは 6） — 「131016」（東京都 千代田区）"
        "のことですか？ そうでなければ、先頭5桁を総務省のコード表と照らし合わせてください"
    )


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "the code is blank"),
        ("13-101", "is not all digits"),
        ("131016.0", "saved by Excel as a number"),
        ("1.31016E+5", "saved by Excel as a number"),
        ("1234", "has 4 digits"),
        ("1310160", "has 7 digits"),
        ("000001", "starts with 00, which is not a prefecture number"),
        ("480001", "starts with 48"),
    ],
)
def test_malformed_codes_are_refused(text: str, fragment: str) -> None:
    """Blank, non-digit, Excel-number, wrong-length and out-of-range codes say what is wrong."""
    assert fragment in _error(text)


def test_is_prefecture_code() -> None:
    """Only NN000C with NN in 01–47 and a valid check digit is a prefecture's code."""
    assert is_prefecture_code("130001")
    assert is_prefecture_code("010006")
    assert not is_prefecture_code("131016")
    assert not is_prefecture_code("130002")
    assert not is_prefecture_code("000001")
    assert not is_prefecture_code("13000")


def test_official_list_counts() -> None:
    """The official list has 47 prefectures and 1,741 municipalities, as the source says."""
    kinds = Counter(e.kind for e in official_codes())
    assert kinds == {Kind.PREFECTURE: 47, Kind.MUNICIPALITY: 1741}
    assert len(prefectures()) == 47


def test_official_list_has_no_wards_of_designated_cities() -> None:
    """Wards of 政令市 (札幌市中央区 011011) are not agencies and are not on the list."""
    assert official_entry("011011") is None
    assert official_entry("011002") is not None
    special_wards = [e for e in municipalities_of("13") if e.name.endswith("区")]
    assert len(special_wards) == 23


def test_official_list_is_consistent() -> None:
    """Every entry is sorted, has a valid code, and points to its own prefecture."""
    entries = official_codes()
    assert [e.code for e in entries] == sorted(e.code for e in entries)
    assert len({e.code for e in entries}) == len(entries)
    for entry in entries:
        assert validate_code(entry.code) == entry.code
        assert is_prefecture_code(entry.code) == (entry.kind is Kind.PREFECTURE)
        assert entry.prefecture_code[:2] == entry.code[:2]
        assert entry.name_kana
    assert official_codes() is entries  # loaded once


@pytest.mark.parametrize(
    "query",
    ["13", "１３", "130001", "東京都", "東京", "Tokyo", "tokyo-to", "Tōkyō", " 東京都 "],
)
def test_prefecture_by_number_or_name(query: str) -> None:
    """A prefecture is found by number, code, Japanese name with or without 都, or romaji."""
    assert prefecture(query).code == "130001"


@pytest.mark.parametrize(
    ("query", "code"),
    [("とっとり", "310000"), ("トットリケン", "310000"), ("ﾄｯﾄﾘ", "310000"),
     ("ほっかいどう", "010006"), ("とうきょう", "130001"), ("きょうと", "260002"),
     ("きょうとふ", "260002"), ("おおさか", "270008")],
)  # fmt: skip
def test_a_prefecture_by_its_reading(query: str, code: str) -> None:
    """A prefecture's name typed and left unconverted (とっとり, in hiragana or katakana, with
    or without けん/ふ/と/どう) is that prefecture: it was 「都道府県「とっとり」が見つかりません」
    with the 47 names to choose from."""
    assert prefecture(query).code == code


@pytest.mark.parametrize(
    ("query", "code"),
    [("1", "010006"), ("01", "010006"), ("北海道", "010006"), ("京都", "260002"),
     ("Kyoto", "260002"), ("大阪", "270008"), ("Osaka Prefecture", "270008"), ("47", "470007")],
)  # fmt: skip
def test_prefecture_names_that_end_like_suffixes(query: str, code: str) -> None:
    """京都 and Kyoto keep their 都/to; 北海道 works with and without 道; N means 0N."""
    assert prefecture(query).code == code


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("48", "there is no prefecture number 48"),
        ("0", "there is no prefecture number 0"),
        ("-1", "there is no prefecture number -1"),  # (not a list of 47 names in romaji)
        ("－１", "there is no prefecture number -1"),
        ("東京県", "did you mean '東京都'?"),
        ("Tokio", "did you mean 'tokyo'?"),
        ("131016", "'131016' (東京都 千代田区) is not a prefecture's code"),
    ],
)
def test_unknown_prefecture(query: str, fragment: str) -> None:
    """An unknown prefecture is an error that suggests the closest one."""
    with pytest.raises(CutoverError) as caught:
        prefecture(query)
    assert fragment in caught.value.text("en")


@pytest.mark.parametrize(
    ("query", "ja", "en"),
    [
        ("", "都道府県が空です", "the prefecture is blank"),
        ("\u3000 ", "都道府県が空です", "the prefecture is blank"),
        ("31.0", "都道府県「31.0」が見つかりません", "unknown prefecture '31.0'"),
        ("31,32", "都道府県「31,32」が見つかりません", "unknown prefecture '31,32'"),
    ],
)
def test_prefecture_without_a_letter_is_told_how_to_write_one(query: str, ja: str, en: str) -> None:
    """A blank prefecture (a batch file's variable left unset) or one with no letter (two
    numbers) is told how to write one, by number or name, not given the 47 names in romaji."""
    with pytest.raises(CutoverError) as caught:
        prefecture(query)
    said = {lang: caught.value.text(lang) for lang in ("ja", "en")}
    assert said["ja"].startswith(ja)
    assert "番号（01〜47、鳥取県なら 31）か名前（鳥取県、鳥取、tottori）" in said["ja"]
    assert said["en"].startswith(en)
    assert "by its number (01 to 47: 31 for 鳥取県) or its name" in said["en"]
    assert "hokkaido" not in said["ja"] + said["en"]


@pytest.mark.parametrize("query", ["みやこ", "xyz"])
def test_every_prefecture_offered_is_in_code_order(query: str) -> None:
    """A name near none of them lists all 47 as every list of them is read: 北海道 first,
    沖縄県 last, in their codes' order (not in the order of their characters' numbers)."""
    with pytest.raises(CutoverError) as caught:
        prefecture(query)
    said = caught.value.text("ja")
    names = [entry.name for entry in prefectures()]
    if query.isascii():
        said, names = caught.value.text("en"), ["hokkaido", "aomori", "okinawa"]
    positions = [said.index(name) for name in names]
    assert positions == sorted(positions)


def test_municipalities_of_tokyo() -> None:
    """Tokyo has 62 municipalities (23 special wards, 26 cities, 5 towns, 8 villages)."""
    tokyo = municipalities_of("130001")
    assert len(tokyo) == 62
    assert tokyo[0] == OfficialEntry(
        code="131016",
        prefecture_code="130001",
        prefecture_name="東京都",
        name="千代田区",
        name_kana="チヨダク",
        kind=Kind.MUNICIPALITY,
    )
    assert municipalities_of("東京都") == tokyo
    assert sum(len(municipalities_of(p.code)) for p in prefectures()) == 1741


def test_vocabulary_words_in_both_languages() -> None:
    """The domain's words are the catalogue's, in each language."""
    assert (Kind.ASSOCIATION.ja, Kind.ASSOCIATION.label("en")) == ("一部事務組合等", "association")
    assert (Side.QUERY.ja, Status.NOT_APPLICABLE.label("en")) == ("情報照会", "n/a")
    assert (Actor.J_LIS.ja, system_by_id("nhi").en) == (
        "J-LIS（自治体中間サーバー運営主体）",
        "national health insurance",
    )
    assert parse_actor("情報提供NWS運営主体") is Actor.NWS_OPERATOR
    assert parse_system("国保システム") == "nhi"


def test_a_status_word_is_said_in_both_languages() -> None:
    """A word that seems to mean a status is named, never taken, in the reader's language."""
    with pytest.raises(CutoverError) as caught:
        parse_status("改修中")
    assert caught.value.text("en") == (
        "unknown status '改修中' — it seems to mean 'planned': if so, write planned or 予定 "
        "with the date in the planned column"
    )
    assert str(caught.value) == (
        "「改修中」は改修状況の区分ではありません — 「planned」（予定）のことと思われます。"
        "そうであれば planned または 予定 と書き、日付を planned の列に書いてください"
    )


def test_an_unknown_kind_lists_the_choices_in_both_languages() -> None:
    """A kind far from any lists every choice, with its Japanese name."""
    with pytest.raises(CutoverError) as caught:
        parse_kind("組合")
    assert caught.value.text("en") == (
        "unknown agency kind '組合' — valid choices: association (一部事務組合等), "
        "municipality (市区町村) or prefecture (都道府県)"
    )
    assert str(caught.value) == (
        "「組合」は機関の種類ではありません — 次のいずれかを書いてください: "
        "association（一部事務組合等）、municipality（市区町村）、prefecture（都道府県）"
    )


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_word_has_its_label(lang: Literal["ja", "en"]) -> None:
    """Every kind, side, status, actor and system has its name in the catalogue, in both
    languages (their codes are made from the enum's names)."""
    for term in (*Kind, *Side, *Status, *Actor):
        assert term.label(lang)
    assert all(system_by_id(s.id).label(lang) for s in SYSTEMS)


def test_ward_city_names_the_designated_city_of_a_ward_and_nothing_on_the_list() -> None:
    """Each of the 20 政令市 is the city of the code numbered after its own (its first
    ward); no code on the list (東京都's 特別区 among them) is a ward's."""
    cities = [
        e
        for e in official_codes()
        if e.kind is Kind.MUNICIPALITY
        and e.code[2] == "1"
        and e.code[4] == "0"
        and e.name.endswith("市")
    ]
    assert len(cities) == 20
    for city in cities:
        five = f"{int(city.code[:5]) + 1:05d}"
        assert ward_city(five + str(check_digit(five))) == city
    assert all(ward_city(e.code) is None for e in official_codes())


#: Statuses as a clerk types them in 備考 (the readers' spellings, and words that seem to mean one).
_NOTE_STATUSES = (
    "完了",
    "予定",
    "未着手",
    "対象外",
    "済",
    "対応済み",
    "改修中",
    "完了予定",
    "該当なし",
)


@given(
    word=st.sampled_from(_NOTE_STATUSES),
    before=st.text(alphabet="0123456789/月日 （）", max_size=6),
    after=st.text(alphabet="0123456789/月日 （）", max_size=6),
)
def test_a_short_note_holding_a_status_reads_as_one(word: str, before: str, after: str) -> None:
    """A status word in a short note, alone or with a date around it (「6/20完了予定」,
    「済（5/20）」), reads as a status typed in the wrong cell."""
    assert status_in_note(before + word + after)


@given(st.text(min_size=21).filter(lambda t: len(normalize_text(t)) > 21))
def test_a_long_note_is_a_message_not_a_status(note: str) -> None:
    """A note longer than a status and its date is a message, whatever words it holds."""
    assert not status_in_note(note + "完了")


@pytest.mark.parametrize("note", ["", "担当: 山田", "未定", "7月中旬", "TEL 0857-00-0000", "未来"])
def test_a_note_naming_no_status_does_not_read_as_one(note: str) -> None:
    """A note naming no status (a person, a phone number, 未定), or 未 in another word,
    reads as none."""
    assert not status_in_note(note)
