"""The fixed vocabulary of the domain: agency kinds, business systems, sides, statuses, actors.

Each term has a stable English id (used in files, JSON and code) and the Japanese names a
coordinator writes; `parse_*` accept either and raise `CutoverError` with the valid choices.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Mapping
from typing import TypeVar

import attrs

from cutover.errors import CutoverError, did_you_mean

__all__ = [
    "ACTORS",
    "SYSTEMS",
    "Actor",
    "BusinessSystem",
    "Kind",
    "Side",
    "Status",
    "normalize_text",
    "parse_actor",
    "parse_kind",
    "parse_side",
    "parse_status",
    "parse_system",
    "system_by_id",
]


def normalize_text(text: str) -> str:
    """Return `text` with full-width forms folded (NFKC), trimmed, and lower-cased."""
    return unicodedata.normalize("NFKC", text).strip().lower()


class Kind(enum.StrEnum):
    """The three kinds of agency counted in the source's §3 survey."""

    PREFECTURE = "prefecture"
    MUNICIPALITY = "municipality"
    ASSOCIATION = "association"

    @property
    def ja(self) -> str:
        """Return the Japanese name used in the §3 survey table."""
        return _KIND_JA[self]


_KIND_JA = {
    Kind.PREFECTURE: "都道府県",
    Kind.MUNICIPALITY: "市区町村",
    Kind.ASSOCIATION: "一部事務組合等",
}


class Side(enum.StrEnum):
    """The two sides of information linkage a system is modified for (§3)."""

    PROVISION = "provision"
    QUERY = "query"

    @property
    def ja(self) -> str:
        """Return the Japanese name (提供 / 照会)."""
        return "情報提供" if self is Side.PROVISION else "情報照会"


class Status(enum.StrEnum):
    """Readiness of one system on one side, as an agency reports it."""

    DONE = "done"
    PLANNED = "planned"
    NOT_STARTED = "not-started"
    NOT_APPLICABLE = "n/a"

    @property
    def ja(self) -> str:
        """Return the Japanese name (完了 / 予定 / 未着手 / 対象外)."""
        return _STATUS_JA[self]


_STATUS_JA = {
    Status.DONE: "完了",
    Status.PLANNED: "予定",
    Status.NOT_STARTED: "未着手",
    Status.NOT_APPLICABLE: "対象外",
}


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
        return _ACTOR_JA[self]


_ACTOR_JA = {
    Actor.MINISTRY: "総務省",
    Actor.NWS_OPERATOR: "情報提供NWS運営主体",
    Actor.J_LIS: "J-LIS（自治体中間サーバー運営主体）",
    Actor.PROVIDER: "情報提供者",
    Actor.QUERIER: "情報照会者",
    Actor.EVERY_AGENCY: "全機関",
    Actor.PREFECTURE: "都道府県",
}
ACTORS: tuple[Actor, ...] = tuple(Actor)


@attrs.frozen
class BusinessSystem:
    """A business system (業務システム) whose linkage is modified, as in the §3 survey table."""

    id: str
    ja: str
    en: str


#: The eight business systems, in the column order of the source's §3 survey table.
SYSTEMS: tuple[BusinessSystem, ...] = (
    BusinessSystem("local-tax", "地方税務", "local tax"),
    BusinessSystem("public-assistance", "生活保護", "public assistance"),
    BusinessSystem("health", "健康管理", "health management"),
    BusinessSystem("child-welfare", "児童福祉", "child welfare"),
    BusinessSystem("disability-welfare", "障害福祉", "disability welfare"),
    BusinessSystem("long-term-care", "介護保険", "long-term care insurance"),
    BusinessSystem("nhi", "国保", "national health insurance"),
    BusinessSystem("public-housing", "公営住宅", "public housing"),
)
_SYSTEM_BY_ID = {s.id: s for s in SYSTEMS}


def system_by_id(system_id: str) -> BusinessSystem:
    """Return the business system with this id (ids come from `parse_system`)."""
    return _SYSTEM_BY_ID[system_id]


_T = TypeVar("_T")


def _lookup(
    text: str, table: Mapping[str, _T], what: str, near: Mapping[str, _T] | None = None
) -> _T:
    found = table.get(text)
    if found is not None:
        return found  # already a key as written (done, local-tax): one row in most files
    key = normalize_text(text)
    if key in table:
        return table[key]
    if near and key in near:
        # A word that seems to mean one of the values: said, never taken for it.
        meant = near[key]
        spellings = [s for s, v in table.items() if v == meant and s != str(meant)]
        also = f" or {spellings[0]}" if spellings else ""
        dated = " with the date in the planned column" if str(meant) == "planned" else ""
        raise CutoverError(
            f"unknown {what} {text!r}",
            fix=f"it seems to mean {str(meant)!r}: if so, write {meant}{also}{dated}",
        )
    canonical = sorted({str(v) for v in table.values()})
    # Japanese status words that look alike mean opposite things (未完了 and 完了, 対応済 and
    # 未対応): a status is suggested by meaning (`near`), never by spelling.
    spelled = near is None or key.isascii()
    fix = did_you_mean(key, [k for k in table if k.isascii()] if near else list(table))
    fix = fix if spelled else ""
    if fix.startswith("did you mean"):
        # Suggest the canonical id of the closest spelling, English or Japanese.
        close = fix.removeprefix("did you mean ").rstrip("?")
        fix = f"did you mean {str(table[close.strip(chr(39))])!r}?"
    else:
        names: dict[str, list[str]] = {}
        for spelling, value in table.items():
            if spelling != str(value):
                names.setdefault(str(value), []).append(spelling)
        fix = "valid choices: " + ", ".join(
            f"{c} ({names[c][0]})" if c in names else c for c in canonical
        )
    raise CutoverError(f"unknown {what} {text!r}", fix=fix)


_KINDS: dict[str, Kind] = {k.value: k for k in Kind} | {
    "都道府県": Kind.PREFECTURE,
    "県": Kind.PREFECTURE,
    "市区町村": Kind.MUNICIPALITY,
    "市町村": Kind.MUNICIPALITY,
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
)


def parse_kind(text: str) -> Kind:
    """Return the agency kind named by `text` (English id or Japanese name)."""
    return _lookup(text, _KINDS, "agency kind")


def parse_side(text: str) -> Side:
    """Return the side named by `text` (provision/query or 提供/照会)."""
    return _lookup(text, _SIDES, "side")


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
    return _lookup(text, _STATUSES, "status", _STATUS_NEAR)


def parse_actor(text: str) -> Actor:
    """Return the actor named by `text`."""
    return _lookup(text, _ACTORS, "actor")


def parse_system(text: str) -> str:
    """Return the business-system id named by `text` (id, or Japanese name as in §3)."""
    return _lookup(text, _SYSTEMS, "business system")
