"""The fixed vocabulary of the domain: agency kinds, business systems, sides, statuses, actors.

Each term has a stable English id (used in files, JSON and code) and the Japanese names a
coordinator writes; `parse_*` accept either and raise `CutoverError` with the valid choices.
A term's name as people read it (``label``, ``ja``) is the catalogue's (``jp.kind-…``,
``jp.system-…``), and so is each name the parsers accept beside the id.
"""

from __future__ import annotations

import enum
import functools
import unicodedata
from collections.abc import Mapping
from typing import TypeVar

import attrs

from cutover.errors import CutoverError, check_lang, suggest
from cutover.i18n.catalogue import Alternatives, Lang, Msg, text
from cutover.jp.personal_number import INVISIBLE

__all__ = [
    "ACTORS",
    "SYSTEMS",
    "Actor",
    "BusinessSystem",
    "Kind",
    "Side",
    "Status",
    "is_note",
    "is_total_label",
    "normalize_text",
    "parse_actor",
    "parse_kind",
    "parse_side",
    "parse_status",
    "parse_system",
    "status_in_note",
    "system_by_id",
]


def normalize_text(text: str) -> str:
    """Return `text` with full-width forms folded (NFKC), the invisible characters a paste
    brings along dropped (a zero-width space or a BOM before 完了: the clerk sees 完了),
    trimmed, and lower-cased."""
    return unicodedata.normalize("NFKC", text).translate(INVISIBLE).strip().lower()


# What the total row under a spreadsheet's table says in its first cell (a two-character
# label spaced out to the column's width, 合　計, too): no agency, system or task is
# written so.
_TOTAL_LABELS = frozenset(
    {"合計", "計", "総計", "小計", "累計", "総数"}
    | {"total", "totals", "subtotal", "grandtotal", "sum"}
)
# ...and a label with the count after it: 合計（23団体）, 合計: 368.
_TOTAL_PREFIXES = ("合計", "総計", "小計")


#: What a note under or between a table's rows starts with (folded as `normalize_text`
#: folds: ＊ is *, （注 is (注): a reference mark, 注, 備考, メモ, note.
_NOTE_MARKS = ("※", "*", "注", "(注", "備考", "メモ", "note", "memo")


def is_note(text: str) -> bool:
    """Return True when `text` is written as a note is: ※ 注: 一部事務組合は別途, （注）…"""
    return normalize_text(text).startswith(_NOTE_MARKS)


def is_total_label(text: str) -> bool:
    """Return True when `text` is what a table's total row is labelled with: 合計, 計, 小計,
    Total (spaced or full-width too), or 合計 with a count after it."""
    key = "".join(normalize_text(text).split())
    return key in _TOTAL_LABELS or key.startswith(_TOTAL_PREFIXES)


@functools.cache
def _label(code: str, lang: Lang) -> str:
    """Return the catalogue's name of a term (read once: tables show it on every row)."""
    return text(code, check_lang(lang))


def _term_code(prefix: str, member: enum.Enum) -> str:
    """Return the catalogue code of an enum member's name: ``jp.status-not-applicable``."""
    return f"jp.{prefix}-{member.name.lower().replace('_', '-')}"


class Kind(enum.StrEnum):
    """The three kinds of agency counted in the source's §3 survey."""

    PREFECTURE = "prefecture"
    MUNICIPALITY = "municipality"
    ASSOCIATION = "association"

    @property
    def ja(self) -> str:
        """Return the Japanese name used in the §3 survey table."""
        return self.label("ja")

    def label(self, lang: Lang) -> str:
        """Return the kind as a reader of `lang` sees it: 都道府県 / prefecture."""
        return _label(_term_code("kind", self), lang)


class Side(enum.StrEnum):
    """The two sides of information linkage a system is modified for (§3)."""

    PROVISION = "provision"
    QUERY = "query"

    @property
    def ja(self) -> str:
        """Return the Japanese name (情報提供 / 情報照会)."""
        return self.label("ja")

    def label(self, lang: Lang) -> str:
        """Return the side as a reader of `lang` sees it: 情報提供 / provision."""
        return _label(_term_code("side", self), lang)


class Status(enum.StrEnum):
    """Readiness of one system on one side, as an agency reports it."""

    DONE = "done"
    PLANNED = "planned"
    NOT_STARTED = "not-started"
    NOT_APPLICABLE = "n/a"

    @property
    def ja(self) -> str:
        """Return the Japanese name (完了 / 予定 / 未着手 / 対象外)."""
        return self.label("ja")

    def label(self, lang: Lang) -> str:
        """Return the status as a reader of `lang` sees it: 完了 / done."""
        return _label(_term_code("status", self), lang)

    @property
    def has_day(self) -> bool:
        """Return True for a status whose report gives a day (予定: the day planned; 完了:
        the day done), False for 未着手 and 対象外, which give none: a date written beside
        them is warned of when the file is read, and not read (`Readiness.day`)."""
        return self is Status.DONE or self is Status.PLANNED


class Actor(enum.StrEnum):
    """Who acts on a calendar event."""

    MINISTRY = "ministry"
    NWS_OPERATOR = "nws-operator"
    J_LIS = "j-lis"
    PROVIDER = "provider"
    QUERIER = "querier"
    EVERY_AGENCY = "every-agency"
    PREFECTURE = "prefecture"

    @property
    def ja(self) -> str:
        """Return the Japanese name of the actor."""
        return self.label("ja")

    def label(self, lang: Lang) -> str:
        """Return the actor as a reader of `lang` sees it: 総務省 / ministry."""
        return _label(_term_code("actor", self), lang)


ACTORS: tuple[Actor, ...] = tuple(Actor)


@attrs.frozen
class BusinessSystem:
    """A business system (業務システム) whose linkage is modified, as in the §3 survey table."""

    id: str
    ja: str
    en: str

    def label(self, lang: Lang) -> str:
        """Return the system's name in `lang`: 地方税務 / local tax."""
        return self.en if check_lang(lang) == "en" else self.ja


def _system(system_id: str) -> BusinessSystem:
    """Return the business system with this id, named by the catalogue (``jp.system-…``)."""
    code = f"jp.system-{system_id}"
    return BusinessSystem(system_id, _label(code, "ja"), _label(code, "en"))


#: The eight business systems, in the column order of the source's §3 survey table.
SYSTEMS: tuple[BusinessSystem, ...] = tuple(
    _system(system_id)
    for system_id in (
        "local-tax",
        "public-assistance",
        "health",
        "child-welfare",
        "disability-welfare",
        "long-term-care",
        "nhi",
        "public-housing",
    )
)
_SYSTEM_BY_ID = {s.id: s for s in SYSTEMS}


def system_by_id(system_id: str) -> BusinessSystem:
    """Return the business system with this id (ids come from `parse_system`)."""
    return _SYSTEM_BY_ID[system_id]


_T = TypeVar("_T")


def _lookup(
    written: str, table: Mapping[str, _T], code: str, near: Mapping[str, _T] | None = None
) -> _T:
    """Return the value `written` names in `table`, or raise the error `code` (``jp.unknown-…``)
    with a suggestion: the meaning of a word `near` one of the values, the closest spelling,
    or every valid choice."""
    found = table.get(written)
    if found is not None:
        return found  # already a key as written (done, local-tax): one row in most files
    key = normalize_text(written)
    if key in table:
        return table[key]
    if near and key in near:
        # A word that seems to mean one of the values: said, never taken for it.
        meant = near[key]
        spellings = [s for s, v in table.items() if v == meant and s != str(meant)]
        seems = "jp.seems-to-mean-planned" if str(meant) == "planned" else "jp.seems-to-mean"
        hint = Msg(seems, {"meant": str(meant), "spelling": spellings[0] if spellings else ""})
        raise CutoverError.of(code, value=written, suggestion=hint)
    # Japanese status words that look alike mean opposite things (未完了 and 完了, 対応済 and
    # 未対応): a status is suggested by meaning (`near`), never by spelling.
    if near is None or key.isascii():
        close = suggest(key, [k for k in table if k.isascii()] if near else list(table))
        if close.code == "common.did-you-mean":
            # Suggest the canonical id of the closest spelling, English or Japanese.
            canonical = str(table[str(close.params["choice"])])
            hint = Msg("common.did-you-mean", {"choice": canonical})
            raise CutoverError.of(code, value=written, suggestion=hint)
    raise CutoverError.of(code, value=written, suggestion=_choices(table))


def _choices(table: Mapping[str, _T]) -> Msg:
    """Return every value of `table`, each with its first other spelling (done (完了))."""
    names: dict[str, str] = {}
    for spelling, value in table.items():
        if spelling != str(value):
            names.setdefault(str(value), spelling)
    canonical = sorted({str(v) for v in table.values()})
    return Msg(
        "jp.valid-choices",
        {
            "choices": Alternatives(
                tuple(f"{c} ({names[c]})" if c in names else c for c in canonical)
            ),
            "choices_ja": Alternatives(
                tuple(f"{c}（{names[c]}）" if c in names else c for c in canonical)
            ),
        },
    )


# The kind as a registry often says it, by the last character of the name (北海道: 道,
# 岩美町: 町): every prefecture's and every municipality's, or none (a 道 refused where a
# 県 is read). 区 alone is not one: a designated city's ward has a code and is no agency.
_KINDS: dict[str, Kind] = {k.value: k for k in Kind} | {
    "都道府県": Kind.PREFECTURE,
    **dict.fromkeys(("都", "道", "府", "県"), Kind.PREFECTURE),
    "市区町村": Kind.MUNICIPALITY,
    "市町村": Kind.MUNICIPALITY,
    **dict.fromkeys(("市", "町", "村", "特別区"), Kind.MUNICIPALITY),
    "一部事務組合等": Kind.ASSOCIATION,
    "一部事務組合": Kind.ASSOCIATION,
    "広域連合": Kind.ASSOCIATION,
    "一部事務組合・広域連合": Kind.ASSOCIATION,
}
_SIDES: dict[str, Side] = {s.value: s for s in Side} | {
    "提供": Side.PROVISION,
    "情報提供": Side.PROVISION,
    "照会": Side.QUERY,
    "情報照会": Side.QUERY,
    # (as a survey column headed 側 is filled in)
    "提供側": Side.PROVISION,
    "情報提供側": Side.PROVISION,
    "照会側": Side.QUERY,
    "情報照会側": Side.QUERY,
}
_STATUSES: dict[str, Status] = {s.value: s for s in Status} | {
    "完了": Status.DONE,
    "対応完了": Status.DONE,
    "予定": Status.PLANNED,
    "未着手": Status.NOT_STARTED,
    "未対応": Status.NOT_STARTED,
    "not started": Status.NOT_STARTED,
    "対象外": Status.NOT_APPLICABLE,
    "na": Status.NOT_APPLICABLE,
}
_ACTORS: dict[str, Actor] = {a.value: a for a in Actor} | {normalize_text(a.ja): a for a in Actor}
_SYSTEMS: dict[str, str] = (
    {s.id: s.id for s in SYSTEMS}
    | {normalize_text(s.ja): s.id for s in SYSTEMS}
    | {normalize_text(s.ja + "システム関係"): s.id for s in SYSTEMS}
    | {normalize_text(s.ja + "システム"): s.id for s in SYSTEMS}
    | {"国民健康保険": "nhi", "国民健康保険システム": "nhi", "地方税": "local-tax"}
    # 障がい: how many municipalities write 障害 in their own documents (the same system)
    | {"障がい福祉": "disability-welfare", "障がい福祉システム": "disability-welfare"}
    | {"障がい福祉システム関係": "disability-welfare"}
)


def parse_kind(text: str) -> Kind:
    """Return the agency kind named by `text` (English id or Japanese name)."""
    return _lookup(text, _KINDS, "jp.unknown-kind")


def parse_side(text: str) -> Side:
    """Return the side named by `text` (provision/query or 提供/照会)."""
    return _lookup(text, _SIDES, "jp.unknown-side")


#: Words a readiness report may use that seem to mean a status: named in the message, never
#: read as it (a system counted done that is not is a wrong §3 table).
_STATUS_NEAR: dict[str, Status] = {
    **dict.fromkeys(
        (
            *("済", "済み", "対応済", "対応済み", "完了済", "完了済み", "改修済", "改修済み"),
            *("実施済", "実施済み", "改修完了", "実施完了"),
        ),
        Status.DONE,
    ),
    # Under way: done on a planned date (written in the planned column).
    **dict.fromkeys(
        (
            *("改修予定", "対応予定", "実施予定", "完了予定"),
            *("着手済", "着手済み", "改修中", "対応中", "実施中", "作業中"),
        ),
        Status.PLANNED,
    ),
    **dict.fromkeys(("未", "未実施", "未改修", "着手前"), Status.NOT_STARTED),
    **dict.fromkeys(("該当なし", "対象なし", "改修不要", "対応不要"), Status.NOT_APPLICABLE),
}


def parse_status(text: str) -> Status:
    """Return the readiness status named by `text` (English id or Japanese name)."""
    return _lookup(text, _STATUSES, "jp.unknown-status", _STATUS_NEAR)


#: The longest note that may be a status written in the wrong cell (「6/15 完了予定」,
#: 「改修済み（5月）」): a longer one is a message, whatever words it holds.
_NOTE_LENGTH = 20


def status_in_note(text: str) -> bool:
    """Return True when a short note names a status, or a word that seems to mean one
    (完了, 済, 改修予定, 未着手), whole or as a word in it (「6月完了予定」, 「未完了」);
    False when it names none, or is too long to be a status (a message written in 備考).

    (A survey's clerk may type the status in 備考 and leave 状況 blank: merge reads no 備考,
    and says so at the cell when the note is one of these. Which status is not said: 未完了
    holds 完了.)"""
    key = normalize_text(text)
    if not key or len(key) > _NOTE_LENGTH:
        return False
    words = {**_STATUS_NEAR, **_STATUSES}
    # (A one-character word only whole (未), but for 済, which ends a word: 「5/20済」.)
    return key in words or any(
        not word.isascii() and (len(word) > 1 or word == "済") and word in key for word in words
    )


def parse_actor(text: str) -> Actor:
    """Return the actor named by `text`."""
    return _lookup(text, _ACTORS, "jp.unknown-actor")


def parse_system(text: str) -> str:
    """Return the business-system id named by `text` (id, or Japanese name as in §3)."""
    return _lookup(text, _SYSTEMS, "jp.unknown-system")
