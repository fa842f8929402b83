"""The columns of each kind of input file, with the header spellings accepted for each,
and the option that takes each kind: a file given to another kind's option (readiness.csv as
``--agencies``) is known by its header, and the message names the option it belongs to.

Every reader of a file matches its header here (`header_key`, `column_aliases`), and can
know every kind (`other_kind`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from cutover.jp.vocabulary import normalize_text

__all__ = [
    "AGENCY_COLUMNS",
    "EVIDENCE_COLUMNS",
    "EVIDENCE_REQUIRED",
    "INPUT_KINDS",
    "QUERY_COLUMNS",
    "READINESS_COLUMNS",
    "READINESS_REQUIRED",
    "REGISTRATION_LOG_COLUMNS",
    "TEST_LOG_COLUMNS",
    "InputKind",
    "column_aliases",
    "header_key",
    "other_kind",
]


#: Header spellings accepted for each column of agencies.csv (the canonical name always is).
AGENCY_COLUMNS: Mapping[str, Sequence[str]] = {
    "code": ["団体コード", "コード", "全国地方公共団体コード", "地方公共団体コード"],
    "name": ["団体名", "名称", "機関名"],
    "kind": ["種別", "区分", "団体区分"],
    "test_requested": ["機関間試験希望", "試験希望", "機関間試験", "test"],
    "provides": ["提供する特定個人情報", "提供", "提供項目", "提供する特定個人情報番号"],
    "new_delegations": ["新たな委任", "委任受任", "新たな委任受任", "delegations"],
}


#: Header spellings accepted for each column of readiness.csv.
READINESS_COLUMNS: Mapping[str, Sequence[str]] = {
    "code": AGENCY_COLUMNS["code"],
    "system": ["業務システム", "システム", "業務", "business_system"],
    "side": ["提供照会", "提供・照会", "提供/照会", "提供／照会", "区分", "側"],
    "status": ["状況", "対応状況", "状態", "進捗"],
    "planned": ["完了予定日", "予定日", "完了予定", "planned_date"],
}


#: Header spellings accepted for each column of evidence.csv.
EVIDENCE_COLUMNS: Mapping[str, Sequence[str]] = {
    "code": AGENCY_COLUMNS["code"],
    "task": ["作業", "タスク", "対応事項", "task_id"],
    "date": ["日付", "実施日", "完了日"],
    "detail": ["詳細", "内容", "備考", "details", "note"],
}


_CODE_ALIASES = (*AGENCY_COLUMNS["code"], "機関コード", "agency_code", "agency")

#: Header spellings accepted for each column of a duplicate-registration log (副本登録ログ).
REGISTRATION_LOG_COLUMNS: Mapping[str, Sequence[str]] = {
    "code": _CODE_ALIASES,
    "item": (
        "特定個人情報番号",
        "特定個人情報",
        "特定個人情報の番号",
        "項目番号",
        "item_number",
        "item_no",
    ),
    "registered": (
        "登録日",
        "登録日時",
        "登録年月日",
        "registration_date",
        "registered_at",
        "registered_on",
        "date",
        "datetime",
    ),
    "records": ("件数", "登録件数", "レコード件数", "record_count", "count", "record_counts"),
}
#: Header spellings accepted for each column of an inter-agency test log (機関間試験ログ).
TEST_LOG_COLUMNS: Mapping[str, Sequence[str]] = {
    "code": _CODE_ALIASES,
    "tested": (
        "実施日",
        "実施日時",
        "試験日",
        "試験日時",
        "試験実施日",
        "tested_at",
        "tested_on",
        "test_date",
        "date",
        "datetime",
    ),
    "result": ("結果", "試験結果", "判定", "outcome", "status"),
}


#: Canonical columns of a queries file, with the header spellings accepted for each.
QUERY_COLUMNS: Mapping[str, Sequence[str]] = {
    "query_id": ("照会番号", "照会ID", "query id", "id"),
    "querier": ("情報照会者", "照会者", "照会機関", "照会機関コード"),
    "provider": ("情報提供者", "提供者", "提供機関", "提供機関コード"),
    "item": ("特定個人情報", "特定個人情報番号", "項目", "item_no"),
    "requested": (
        "照会日時",
        "提供の求め日時",
        "受付日時",
        "受付日",
        "照会日",
        "提供の求めを受けた日時",
        "提供の求めを受けた日",
        "requested_at",
        "received",
    ),
    "status": ("状態", "ステータス", "状況"),
}


#: The columns every readiness.csv must have (`planned` is needed only by a planned row).
READINESS_REQUIRED: tuple[str, ...] = ("code", "system", "side", "status")
#: The columns every evidence.csv must have (`detail` is optional).
EVIDENCE_REQUIRED: tuple[str, ...] = ("code", "task", "date")


@attrs.frozen
class InputKind:
    """A kind of input file: the option that takes it, what messages call it (a catalogue
    code), its columns and those it must have."""

    option: str
    label: str
    columns: Mapping[str, Sequence[str]]
    required: tuple[str, ...]


#: Every kind of input file `plan` and `triage` read, in the order `--help` gives them.
INPUT_KINDS: tuple[InputKind, ...] = (
    InputKind("--agencies", "inputs.file-agencies", AGENCY_COLUMNS, tuple(AGENCY_COLUMNS)),
    InputKind("--readiness", "inputs.file-readiness", READINESS_COLUMNS, READINESS_REQUIRED),
    InputKind("--evidence", "inputs.file-evidence", EVIDENCE_COLUMNS, EVIDENCE_REQUIRED),
    InputKind("--queries", "inputs.file-queries", QUERY_COLUMNS, tuple(QUERY_COLUMNS)),
    InputKind(
        "--registration-log",
        "inputs.file-registration-log",
        REGISTRATION_LOG_COLUMNS,
        tuple(REGISTRATION_LOG_COLUMNS),
    ),
    InputKind("--test-log", "inputs.file-test-log", TEST_LOG_COLUMNS, tuple(TEST_LOG_COLUMNS)),
)


def column_aliases(columns: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Return the canonical column of `columns` named by each accepted header spelling, as
    `header_key` folds it."""
    aliases: dict[str, str] = {}
    for canonical, spellings in columns.items():
        for spelling in (canonical, *spellings):
            aliases[header_key(spelling)] = canonical
    return aliases


def header_key(text: str) -> str:
    """Return the form in which a header cell is matched: folded, spaces and hyphens as ``_``."""
    return normalize_text(text).replace(" ", "_").replace("-", "_")


def other_kind(header: Sequence[str], columns: Mapping[str, Sequence[str]]) -> InputKind | None:
    """Return the kind of input file (not the one of `columns`, being read) whose every
    required column `header` names, and of those the one it names most columns of; else
    None."""
    keys = {header_key(cell) for cell in header if cell.strip()}
    found: tuple[int, InputKind] | None = None
    for kind in INPUT_KINDS:
        if kind.columns == columns:
            continue
        aliases = column_aliases(kind.columns)
        named = {aliases[key] for key in keys if key in aliases}
        if set(kind.required) <= named and (found is None or len(named) > found[0]):
            found = (len(named), kind)
    return found[1] if found is not None else None
