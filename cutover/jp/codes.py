"""全国地方公共団体コード (local government codes, JIS X 0402): check digits and the official list.

A code has six digits: two for the prefecture (01–47), three for the municipality (000 for
the prefecture itself), and a check digit. The check-digit rule lives here and nowhere else.
The official list of prefectures and municipalities ships as package data
(`cutover/data/local_government_codes.csv`; its source and date are in `cutover/data/README.md`).
"""

from __future__ import annotations

import bisect
import csv
import functools
import importlib.resources
import io
import re
import unicodedata
from collections.abc import Callable, Mapping

import attrs

from cutover.errors import CutoverError, require_code, require_prefecture, suggest
from cutover.i18n.catalogue import Msg
from cutover.jp.vocabulary import Kind

__all__ = [
    "OfficialEntry",
    "check_digit",
    "described_code",
    "folded_name",
    "has_valid_check_digit",
    "in_prefecture",
    "is_prefecture_code",
    "municipalities_of",
    "names_entry",
    "official_codes",
    "official_entry",
    "prefecture",
    "prefectures",
    "validate_code",
    "ward_city",
]

_DIGITS = re.compile(r"[0-9]+")
_SIGNED = re.compile(r"[-+][0-9]+")
# Excel turns a code typed into a number cell into "130001.0" or "1.30001E+5" when saved.
_EXCEL_NUMBER = re.compile(r"[0-9]+\.0+|[0-9](\.[0-9]+)?e\+?[0-9]+", re.IGNORECASE)
# A leading apostrophe: Excel's mark for "text", kept as a character by other programs (and
# by a cell that shows it); ＇ is folded to ' before this is looked at.
_APOSTROPHES = frozenset("'‘’`")
#: What a code looks like, for a fix.
_SHAPE = Msg("jp.code-shape")

# Romanised prefecture names, in code order (01 Hokkaido … 47 Okinawa).
_ROMAJI = (
    "hokkaido", "aomori", "iwate", "miyagi", "akita", "yamagata", "fukushima",
    "ibaraki", "tochigi", "gunma", "saitama", "chiba", "tokyo", "kanagawa",
    "niigata", "toyama", "ishikawa", "fukui", "yamanashi", "nagano", "gifu",
    "shizuoka", "aichi", "mie", "shiga", "kyoto", "osaka", "hyogo", "nara",
    "wakayama", "tottori", "shimane", "okayama", "hiroshima", "yamaguchi",
    "tokushima", "kagawa", "ehime", "kochi", "fukuoka", "saga", "nagasaki",
    "kumamoto", "oita", "miyazaki", "kagoshima", "okinawa",
)  # fmt: skip


def check_digit(five: str) -> int:
    """Return the check digit of the first five digits of a code (weights 6,5,4,3,2).

    check = (11 − Σ digit×weight mod 11) mod 10, as in JIS X 0402.
    """
    digits = (five if five.isascii() else unicodedata.normalize("NFKC", five)).strip()
    if len(digits) != 5 or not _DIGITS.fullmatch(digits):
        raise CutoverError.of("jp.check-digit-input", five=five)
    return _check_digit_of(digits)


def _check_digit_of(digits: str) -> int:
    """Return the check digit of five ASCII digits (already validated)."""
    # Written out, not zipped with the weights: this runs for every code of every file.
    total = (
        6 * int(digits[0])
        + 5 * int(digits[1])
        + 4 * int(digits[2])
        + 3 * int(digits[3])
        + 2 * int(digits[4])
    )
    return (11 - total % 11) % 10


def _with_check_digit(five: str) -> str:
    return f"{five}{_check_digit_of(five)}"


def has_valid_check_digit(code: str) -> bool:
    """Return whether `code` is six ASCII digits whose last is the check digit of the rest
    (JIS X 0402); False for any other text (a number is a `TypeError`: 312011 lost a
    code's leading zero, if it had one)."""
    return (
        len(require_code(code, "code")) == 6
        and _DIGITS.fullmatch(code) is not None
        and _check_digit_of(code[:5]) == int(code[5])
    )


def _prefecture_number_ok(digits: str) -> bool:
    return 1 <= int(digits[:2]) <= 47


def described_code(code: str) -> Msg:
    """Return `code` quoted, followed by its official name when it is on the list."""
    entry = official_entry(code)
    if entry is None:
        return Msg("jp.quoted-code", {"code": code})
    return Msg("jp.described-code", {"code": code, "name": entry.full_name})


def validate_code(text: str, *, meant: Callable[[str], bool] | None = None) -> str:
    """Return the 6-digit code written in `text`, or raise `CutoverError` saying how to fix it.

    Full-width digits are folded. A 5-digit value is reported with both of its readings:
    a leading zero lost by Excel, or a missing check digit. Any five digits have a check
    digit, so the second reading is named only for a code that may be meant where the value
    is: `meant` says which (by default, a code on the official list; an association's code,
    or one of the agencies file's, is not on it).
    """
    require_code(text, "text")
    code = (text if text.isascii() else unicodedata.normalize("NFKC", text)).strip()
    if not code:
        raise CutoverError.of("jp.code-blank", shape=_SHAPE)
    if not _DIGITS.fullmatch(code):
        if code[0] in _APOSTROPHES and _DIGITS.fullmatch(code[1:].strip()):
            raise _apostrophe_error(text.strip(), code[0], code[1:].strip())
        if _EXCEL_NUMBER.fullmatch(code):
            raise CutoverError.of("jp.code-excel-number", value=text)
        raise CutoverError.of("jp.code-not-digits", value=text, shape=_SHAPE)
    if len(code) == 5:
        raise _five_digit_error(code, meant or _on_official_list)
    if len(code) != 6:
        raise CutoverError.of("jp.code-length", value=code, length=len(code), shape=_SHAPE)
    if not _prefecture_number_ok(code):
        raise CutoverError.of("jp.code-prefecture-number", value=code, prefix=code[:2])
    if not has_valid_check_digit(code):
        right = _with_check_digit(code[:5])
        raise CutoverError.of(
            "jp.code-check-digit",
            value=code,
            digit=code[5],
            right=right[5],
            meant=described_code(right),
        )
    return code


def _apostrophe_error(written: str, apostrophe: str, digits: str) -> CutoverError:
    """Return the error for a code written with a leading `apostrophe` before `digits`."""
    delete = Msg("jp.delete-apostrophe", {"apostrophe": apostrophe})
    try:
        code = validate_code(digits)
    except CutoverError:
        return CutoverError.of(
            "jp.code-apostrophe", value=written, apostrophe=apostrophe, delete=delete
        )
    return CutoverError.of(
        "jp.code-apostrophe-meant",
        value=written,
        apostrophe=apostrophe,
        delete=delete,
        meant=described_code(code),
    )


def _on_official_list(code: str) -> bool:
    return official_entry(code) is not None


def _five_digit_error(five: str, meant: Callable[[str], bool]) -> CutoverError:
    """Return the error for a 5-digit value, naming each reading that could be a code.

    A 5-digit value is a code without its leading zero (Excel drops the zero of
    prefectures 01–09, 北海道 … 栃木県, in a number cell), right when its check digit is; or a
    code without its check digit (any five digits have one), named when `meant` says that
    code may be meant, or when the zero-restored reading is no better: right in its check
    digit, but no code on the official list (31801: 031801 names no agency, 318019 may be an
    association's). With both readings wrong, the zero-restored code with its check digit
    fixed is named only when it is on the official list: never a code of the prefecture the
    first two digits would make (18034 is not a 福井県 code).
    """
    zero_padded = "0" + five
    padded = five[0] != "0" and has_valid_check_digit(zero_padded)
    completed_code = _with_check_digit(five)
    completed = _prefecture_number_ok(five) and (
        meant(completed_code) or (padded and official_entry(zero_padded) is None)
    )
    if padded and completed:
        code = "jp.code-five-digits-either"
    elif padded:
        code = "jp.code-five-digits-zero-lost"
    elif completed:
        code = "jp.code-five-digits-no-check-digit"
    else:
        fixed = _with_check_digit(zero_padded[:5])
        if five[0] != "0" and official_entry(fixed) is not None:
            return CutoverError.of(
                "jp.code-five-digits-zero-lost-check-digit",
                value=five,
                padded=zero_padded,
                meant=described_code(fixed),
            )
        return CutoverError.of("jp.code-five-digits", value=five, shape=_SHAPE)
    return CutoverError.of(
        code,
        value=five,
        padded=described_code(zero_padded),
        completed=described_code(completed_code) if completed else "",
    )


def in_prefecture(code: str, prefecture_code: str | None) -> bool:
    """Return whether the agency with `code` belongs to the prefecture whose code is
    `prefecture_code` (``31`` or ``310000``): its code starts with the prefecture's two
    digits, an association's too. Every agency belongs to None (no prefecture chosen)."""
    return prefecture_code is None or code[:2] == prefecture_code[:2]


def is_prefecture_code(code: str) -> bool:
    """Return True when `code` is a prefecture's code: NN000C, NN in 01–47, valid check digit."""
    return (
        len(code) == 6
        and _DIGITS.fullmatch(code) is not None
        and code[2:5] == "000"
        and _prefecture_number_ok(code)
        and has_valid_check_digit(code)
    )


@attrs.frozen
class OfficialEntry:
    """A prefecture or municipality on the official 全国地方公共団体コード list."""

    code: str
    prefecture_code: str  # the 6-digit code of its prefecture (its own, for a prefecture)
    prefecture_name: str
    name: str
    name_kana: str
    kind: Kind

    @property
    def full_name(self) -> str:
        """Return the name after its prefecture's (北海道 札幌市), or a prefecture's own name."""
        if self.kind is Kind.PREFECTURE:
            return self.name
        return f"{self.prefecture_name} {self.name}"


@functools.cache
def official_codes() -> tuple[OfficialEntry, ...]:
    """Return every prefecture and municipality on the shipped official list, sorted by code."""
    resource = importlib.resources.files("cutover").joinpath("data/local_government_codes.csv")
    rows = list(csv.DictReader(io.StringIO(resource.read_text(encoding="utf-8"), newline="")))
    names = {r["code"]: r["name"] for r in rows if r["kind"] == Kind.PREFECTURE}
    entries = (
        OfficialEntry(
            code=r["code"],
            prefecture_code=r["prefecture_code"],
            prefecture_name=names[r["prefecture_code"]],
            name=r["name"],
            name_kana=r["name_kana"],
            kind=Kind(r["kind"]),
        )
        for r in rows
    )
    return tuple(sorted(entries, key=lambda e: e.code))


@functools.cache
def _by_code() -> Mapping[str, OfficialEntry]:
    return {e.code: e for e in official_codes()}


def official_entry(code: str) -> OfficialEntry | None:
    """Return the official entry with this 6-digit code, or None when it is not on the list."""
    return _by_code().get(code)


@functools.cache
def prefectures() -> tuple[OfficialEntry, ...]:
    """Return the 47 prefectures, sorted by code."""
    return tuple(e for e in official_codes() if e.kind is Kind.PREFECTURE)


@functools.cache
def _prefecture_names() -> Mapping[str, OfficialEntry]:
    """Return each prefecture by every name it may be asked for: 東京都, 東京, tokyo."""
    table: dict[str, OfficialEntry] = {}
    for entry, romaji in zip(prefectures(), _ROMAJI, strict=True):
        table[entry.name] = entry
        table[entry.name[:-1]] = entry  # without 都/道/府/県: 東京, 大阪, 北海
        table[romaji] = entry
        # Its reading, as typed before it is converted (とっとり, トットリケン), with and
        # without the suffix's (ケン, フ, ト, ドウ).
        table[entry.name_kana] = entry
        table[entry.name_kana.removesuffix(_SUFFIX_KANA[entry.name[-1]])] = entry
    table["hokkaidou"] = table["hokkaido"]
    return table


#: The reading of a prefecture's suffix, as its name's reading ends with it.
_SUFFIX_KANA = {"都": "ト", "道": "ドウ", "府": "フ", "県": "ケン"}


def _katakana(text: str) -> str:
    """Return `text` with its hiragana as katakana (とっとり: トットリ)."""
    return "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in text)


def _fold_romaji(text: str) -> str:
    """Return romanised text lower-cased, macrons dropped, suffix removed (Tōkyō-to → tokyo)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    # A separator is required: "kyoto" must not lose its "to".
    return re.sub(r"[\s_-]+(prefecture|pref\.?|ken|fu|to|do)$", "", plain.lower().strip())


def prefecture(query: str | int) -> OfficialEntry:
    """Return the prefecture named by `query`: 13, 1, 130001, 東京都, 東京, とうきょう or Tokyo
    (a number as an int or as text)."""
    text = unicodedata.normalize("NFKC", require_prefecture(query, "query")).strip()
    how = Msg("jp.prefecture-how")
    if not text:
        # (A batch file's variable left unset: the 47 names in romaji would answer nothing.)
        raise CutoverError.of("jp.blank-prefecture", how=how)
    if _SIGNED.fullmatch(text) and text.startswith(("-", "+")):
        # (A signed number is no prefecture's, as 0 and 48 are not: said as theirs are.)
        raise CutoverError.of("jp.no-prefecture-number", number=text)
    if _DIGITS.fullmatch(text):
        if len(text) <= 2:
            number = int(text)
            if not 1 <= number <= 47:
                raise CutoverError.of("jp.no-prefecture-number", number=text)
            return prefectures()[number - 1]
        code = validate_code(text)
        entry = official_entry(code)
        if entry is None or entry.kind is not Kind.PREFECTURE:
            raise CutoverError.of(
                "jp.not-prefecture-code",
                described=described_code(code),
                prefecture=prefectures()[int(code[:2]) - 1].code,
                prefix=code[:2],
            )
        return entry
    table = _prefecture_names()
    if text in table:
        return table[text]
    if _katakana(text) in table:
        return table[_katakana(text)]
    folded = _fold_romaji(text)
    if folded.isascii():
        if folded in table:
            return table[folded]
        raise CutoverError.of(
            "jp.unknown-prefecture",
            query=query,
            # No letter (31.0, 31,32): no name was meant, and the names are no answer.
            suggestion=(
                suggest(folded, _ROMAJI, in_order=True) if any(c.isalpha() for c in folded) else how
            ),
        )
    raise CutoverError.of(
        "jp.unknown-prefecture",
        query=query,
        suggestion=suggest(text, [e.name for e in prefectures()], in_order=True),
    )


def municipalities_of(prefecture_code: str | int) -> tuple[OfficialEntry, ...]:
    """Return the municipalities of a prefecture, sorted by code (wards of 政令市 not included).

    `prefecture_code` is the prefecture's 6-digit code; anything `prefecture` accepts works too.
    """
    pref = prefecture(require_prefecture(prefecture_code, "prefecture_code"))
    return tuple(
        e
        for e in official_codes()
        if e.kind is Kind.MUNICIPALITY and e.prefecture_code == pref.code
    )


def ward_city(code: str) -> OfficialEntry | None:
    """Return the 政令市 whose ward (行政区) the 6-digit `code` is numbered as, or None.

    Wards are not on the list (they are no agencies), but they are numbered after their
    city: 政令市 and their wards, and only they, take the numbers 100–199 of a prefecture
    (大阪市 27100, its wards 27102–27128; 堺市 27140, its wards 27141–27147), the city's
    ending in 0. A code off the list in that range is a ward of the listed city closest
    below it; 東京都's 特別区 (13101–13123), on the list, are municipalities and none of
    them a 政令市.
    """
    if official_entry(code) is not None or code[2:3] != "1":
        return None
    numbered = _numbered_100s().get(code[:3], ())
    at = bisect.bisect_left(numbered, code[:5], key=lambda e: e.code[:5])
    if at == 0:
        return None
    city = numbered[at - 1]
    return city if city.code[4] == "0" and city.name.endswith("市") else None


@functools.cache
def _numbered_100s() -> Mapping[str, tuple[OfficialEntry, ...]]:
    """Return the listed municipalities numbered 100–199 in their prefecture, by the first
    three digits of their code, in code order (`ward_city` looks below a code among them)."""
    found: dict[str, list[OfficialEntry]] = {}
    for e in official_codes():
        if e.kind is Kind.MUNICIPALITY and e.code[2] == "1":
            found.setdefault(e.code[:3], []).append(e)
    return {prefix: tuple(entries) for prefix, entries in found.items()}


#: Forms of one name that people write for each other: ヶ and ケ (金ケ崎町 is written
#: 金ヶ崎町, 外ヶ浜町 外ケ浜町), and the kanji of the list's names whose other form is the
#: one in common use (鯵ヶ沢町) or the town's own (檮原町; the list has 梼原町).
_NAME_VARIANTS = str.maketrans("ヶヵ鯵檮桧竜", "ケカ鰺梼檜龍")


def folded_name(written: str) -> str:
    """Return a name as names are compared: NFKC, without spaces, one form of each of the
    variants people write for each other (ヶ and ケ, 檮 and 梼…)."""
    return "".join(unicodedata.normalize("NFKC", written).split()).translate(_NAME_VARIANTS)


def names_entry(entry: OfficialEntry, written: str) -> bool:
    """Return whether `written` is `entry`'s name (士別市), or its name after its
    prefecture's (北海道 士別市), as `folded_name` compares them."""
    folded = folded_name(written)
    return folded in (folded_name(entry.name), folded_name(entry.prefecture_name + entry.name))
