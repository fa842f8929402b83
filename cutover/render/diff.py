"""A calendar diff (`cutover.calendar.diff.CalendarDiff`) as Markdown (the notice) and JSON
(for tool

The Markdown comes from ``cutover/templates/diff.md.j2`` through frozen view-models of
finished strings: dates in wareki with weekday (ja) or ISO with weekday (en), declared
fuzzy dates as the source writes them (平成30年5月下旬), every calendar string escaped
with `escape_inline`. One section per part of the calendar that changed, in
`cutover.calendar.diff.SECTIONS` order; "no changes" when the calendars are the same. A notice
is in one language: fields of the other language (``title_en`` in a Japanese notice) are
left out, and an entry where only they changed says so.

The JSON keeps values raw: dates as ISO strings, declared dates as ``{"start", "end"}``,
lists as lists, absent values as null.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs

from cutover.calendar.diff import SECTIONS, CalendarDiff, EntryChange, FieldChange, Section, Value
from cutover.calendar.model import RevisionCalendar
from cutover.i18n.text import Lang, check_lang, format_day, format_span
from cutover.jp.vocabulary import Actor
from cutover.jp.wareki import DateRange, format_range
from cutover.render.inline import code_span
from cutover.render.markdown import escape_inline
from cutover.render.templating import TemplateDir, load_template, render_template
from cutover.render.views import view_model

__all__ = ["DIFF_TEMPLATE", "DiffPage", "diff_json", "diff_markdown", "diff_page"]

#: The template name a ``--templates`` directory may override.
DIFF_TEMPLATE = "diff.md.j2"

_SECTION_NAMES: dict[Section, tuple[str, str]] = {
    "revision": ("改版", "Revision"),
    "items": ("特定個人情報", "Items"),
    "events": ("行事", "Events"),
    "cutoff": ("提供の締切", "Provision cutoff"),
    "tasks": ("作業", "Tasks"),
    "recurring": ("定期的な対応", "Recurring obligations"),
    "closures": ("閉庁日（カレンダーで追加したもの）", "Closures (declared by the calendar)"),
}

_KIND_NAMES = {
    "added": ("追加", "added"),
    "removed": ("削除", "removed"),
    "changed": ("変更", "changed"),
}

# Field names as readers know them; "section.field" overrides "field".
_FIELD_NAMES: dict[str, tuple[str, str]] = {
    "id": ("改版ID", "revision id"),
    "title_ja": ("名称", "Japanese title"),
    "title_en": ("名称（英語）", "title"),
    "effective": ("適用開始日", "takes effect"),
    "source": ("出典", "source"),
    "section": ("出典の節", "source section"),
    "systems": ("業務システム", "business systems"),
    "assumption": ("仮定", "assumption"),
    "assumption_en": ("仮定（英語）", "assumption"),
    "name_ja": ("名称", "Japanese name"),
    "name_en": ("名称（英語）", "name"),
    "short_ja": ("略称", "Japanese short name"),
    "short_en": ("略称（英語）", "short name"),
    "registration_required": ("副本登録が必要", "registration required"),
    "retroactive": ("遡及適用", "retroactive"),
    "type": ("種別", "type"),
    "actor": ("主体", "actor"),
    "date": ("日付（記載）", "date (as written)"),
    "events.start": ("開始（記載）", "start (as written)"),
    "events.end": ("終了（記載）", "end (as written)"),
    "duration": ("期間の長さ", "duration"),
    "after": ("開始の前提（after）", "starts after"),
    "before": ("終了の期限（before）", "ends before"),
    "note_ja": ("備考", "Japanese note"),
    "note_en": ("備考（英語）", "note"),
    "adjust": ("閉庁日を避ける", "moves off closed days"),
    "opens": ("開始（計算した日付）", "opens (worked out)"),
    "events.due": ("期限・日付（計算した日付）", "due (worked out)"),
    "cutoff.items": ("対象の特定個人情報", "items"),
    "last_provision": ("最終提供日の行事", "last-provision event"),
    "requery_from": ("再照会開始の行事", "re-query-from event"),
    "last_provision_date": ("提供の求めに提供できる最終日", "last day a request is answered"),
    "answer_by": ("回答期限（最終の開庁日）", "answer by (last business day)"),
    "reissue_from": ("再照会の開始（開庁日）", "re-issue from (business day)"),
    "detail_ja": ("内容", "Japanese detail"),
    "detail_en": ("内容（英語）", "detail"),
    "when.kinds": ("対象の種別", "applies to kinds"),
    "when.test_requested": ("条件: 機関間試験の実施希望", "when: test requested"),
    "when.provides": ("条件: 提供する特定個人情報", "when: provides items"),
    "when.new_delegation": ("条件: 新たな委任受任", "when: new delegation"),
    "per": ("単位", "per"),
    "side": ("提供・照会", "side"),
    "tasks.items": ("特定個人情報の範囲", "item set"),
    "tasks.due": ("期限の行事", "due event"),
    "window": ("期間の行事", "window event"),
    "due_date": ("期限（計算した日付）", "due date (worked out)"),
    "window_opens": ("期間の開始（計算した日付）", "window opens (worked out)"),
    "evidence_ja": ("記録するもの", "Japanese evidence"),
    "evidence_en": ("記録するもの（英語）", "evidence"),
    "remedies_ja": ("遅れる場合", "Japanese remedies"),
    "remedies_en": ("遅れる場合（英語）", "remedies"),
    "remedies_too_late_ja": ("期限を過ぎてしまった場合", "Japanese remedies once too late"),
    "remedies_too_late_en": ("期限を過ぎてしまった場合（英語）", "remedies once too late"),
    "queries": ("照会ファイルとの対応", "queries role"),
    "retroactive_ja": ("遡及適用の注記", "Japanese retroactive note"),
    "retroactive_en": ("遡及適用の注記（英語）", "retroactive note"),
    "delegation_ja": ("委任受任の注記", "Japanese delegation note"),
    "delegation_en": ("委任受任の注記（英語）", "delegation note"),
    "hearing": ("ヒアリングの対象", "hearing"),
    "rrule": ("繰り返し（RRULE）", "RRULE"),
    "dtstart": ("起点", "starts"),
    "closures.start": ("開始", "start"),
    "closures.end": ("終了", "end"),
    "reason_ja": ("理由", "Japanese reason"),
    "reason_en": ("理由（英語）", "reason"),
}


_ACTOR_IDS = frozenset(a.value for a in Actor)


def _field_name(section: Section, field: str, lang: Lang) -> str:
    ja, en = _FIELD_NAMES.get(f"{section}.{field}") or _FIELD_NAMES.get(field) or (field, field)
    return ja if lang == "ja" else en


# --- Markdown ------------------------------------------------------------------------------


@view_model
@attrs.frozen
class DiffEntry:
    """One thing added, removed or changed, as finished strings."""

    #: 追加 / 削除 / 変更, or added / removed / changed
    kind: str
    #: the kind id: ``added``, ``removed``, ``changed``
    kind_id: str
    #: the id as a code span
    id: str
    title: str
    #: one line per field: ``name: old → new`` (or the one value of an added/removed entry)
    lines: tuple[str, ...]


@view_model
@attrs.frozen
class DiffSection:
    """The entries of one part of the calendar."""

    heading: str
    entries: tuple[DiffEntry, ...]


@view_model
@attrs.frozen
class DiffPage:
    """Everything diff.md.j2 prints, as finished strings."""

    title: str
    facts: tuple[tuple[str, str], ...]
    sections: tuple[DiffSection, ...]
    #: said instead of the sections when the calendars are the same
    no_changes: str


_EVENT_TYPES_JA = {"milestone": "節目", "deadline": "期限", "window": "期間"}


def _value(value: Value, lang: Lang, field: str = "") -> str:
    """Return a field's value as a reader sees it, Markdown-safe."""
    if lang == "ja" and isinstance(value, str):
        # Ids a Japanese reader knows by their Japanese names.
        if field == "actor" and value in _ACTOR_IDS:
            return Actor(value).ja
        if field == "type" and value in _EVENT_TYPES_JA:
            return _EVENT_TYPES_JA[value]
    if value is None:
        return "—"
    if isinstance(value, bool):
        return ("はい" if value else "いいえ") if lang == "ja" else ("yes" if value else "no")
    if isinstance(value, DateRange):
        if value.precision == "day":
            return format_span(value.start, value.end, lang)
        # A fuzzy date as the source writes it: 平成30年5月下旬 / late May 2018.
        return escape_inline(format_range(value, lang=lang))
    if isinstance(value, dt.date):
        return format_day(value, lang)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, tuple):
        joined = ("、" if lang == "ja" else ", ").join(escape_inline(v) for v in value)
        return joined or "—"
    return escape_inline(value) or "—"


def _line(section: Section, change: FieldChange, kind: str, lang: Lang) -> str:
    """Return one field of an entry: ``name: old → new``, or the value added or removed."""
    name = _field_name(section, change.field, lang)
    old, new = _value(change.old, lang, change.field), _value(change.new, lang, change.field)
    if kind == "added":
        return f"{name}: {new}"
    if kind == "removed":
        return f"{name}: {old}"
    return f"{name}: {old} → {new}"


def _entry(entry: EntryChange, lang: Lang) -> DiffEntry:
    ja, en = _KIND_NAMES[entry.kind]
    title = entry.title_ja if lang == "ja" else entry.title_en
    # The notice is in one language: the other language's texts are left to the JSON.
    other = "_en" if lang == "ja" else "_ja"
    shown = [c for c in entry.fields if not c.field.endswith(other)]
    names = {c.field for c in shown}
    if "assumption_en" in names:
        # An English notice gives the English twin of the assumption, when it has one.
        shown = [c for c in shown if c.field != "assumption"]
    lines = tuple(_line(entry.section, c, entry.kind, lang) for c in shown)
    if entry.fields and not shown:
        lines = (_OTHER_LANGUAGE_ONLY[lang],)
    return DiffEntry(
        kind=ja if lang == "ja" else en,
        kind_id=entry.kind,
        id=code_span(entry.id),
        title=escape_inline(title or entry.id),
        lines=lines,
    )


_OTHER_LANGUAGE_ONLY: dict[Lang, str] = {
    "ja": "英語の表記のみの変更",
    "en": "only the Japanese text changed",
}


def _calendar_fact(calendar: RevisionCalendar, lang: Lang) -> str:
    revision = calendar.revision
    title = escape_inline(revision.title_ja if lang == "ja" else revision.title_en)
    text = f"{code_span(calendar.id)} {title}"
    name = Path(calendar.source_file).name if calendar.source_file else ""
    if name:
        text += f"（{escape_inline(name)}）" if lang == "ja" else f" ({escape_inline(name)})"
    return text


def _counts(diff: CalendarDiff) -> dict[str, int]:
    counts = dict.fromkeys(_KIND_NAMES, 0)
    for entry in diff.entries:
        counts[entry.kind] += 1
    return counts


def diff_page(diff: CalendarDiff, *, lang: str = "ja") -> DiffPage:
    """Return the view-model of the diff's Markdown page (what diff.md.j2 receives)."""
    language = check_lang(lang)
    counts = _counts(diff)
    if language == "ja":
        title = f"カレンダーの変更点: {code_span(diff.old.id)} → {code_span(diff.new.id)}"
        facts = (
            ("変更前", _calendar_fact(diff.old, language)),
            ("変更後", _calendar_fact(diff.new, language)),
            (
                "変更の数",
                f"追加 {counts['added']}、削除 {counts['removed']}、変更 {counts['changed']}",
            ),
        )
        no_changes = "変更はない（2つのカレンダーの内容は同じ）。"
    else:
        title = f"Calendar changes: {code_span(diff.old.id)} → {code_span(diff.new.id)}"
        facts = (
            ("Before", _calendar_fact(diff.old, language)),
            ("After", _calendar_fact(diff.new, language)),
            (
                "Changes",
                f"{counts['added']} added, {counts['removed']} removed, "
                f"{counts['changed']} changed",
            ),
        )
        no_changes = "No changes: the two calendars say the same."
    sections = tuple(
        DiffSection(
            heading=_SECTION_NAMES[section][0 if language == "ja" else 1],
            entries=tuple(_entry(e, language) for e in diff.of(section)),
        )
        for section in SECTIONS
        if diff.of(section)
    )
    return DiffPage(
        title=title,
        facts=facts,
        sections=sections,
        no_changes="" if diff else no_changes,
    )


def diff_markdown(diff: CalendarDiff, *, lang: str = "ja", templates: TemplateDir = None) -> str:
    """Return the diff as Markdown, for the notice a coordinator sends to municipalities."""
    page = diff_page(diff, lang=lang)
    return render_template(load_template(DIFF_TEMPLATE, templates), page=page)


# --- JSON ----------------------------------------------------------------------------------


def _json_value(value: Value) -> Any:
    """Return a field's value as JSON: ISO dates, declared dates as start and end, lists."""
    if isinstance(value, DateRange):
        return {"start": value.start.isoformat(), "end": value.end.isoformat()}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _calendar_json(calendar: RevisionCalendar) -> dict[str, Any]:
    revision = calendar.revision
    return {
        "id": calendar.id,
        "title_ja": revision.title_ja,
        "title_en": revision.title_en,
        "effective": revision.effective.isoformat(),
        "file": Path(calendar.source_file).name if calendar.source_file else None,
    }


def diff_json(diff: CalendarDiff) -> dict[str, Any]:
    """Return the diff as JSON: both calendars, counts by kind, and every change in order.

    ``{"old", "new", "identical", "counts": {"added", "removed", "changed"}, "changes":
    [{"section", "kind", "id", "title_ja", "title_en", "fields": [{"field", "old",
    "new"}]}]}``.
    """
    return {
        "old": _calendar_json(diff.old),
        "new": _calendar_json(diff.new),
        "identical": not diff,
        "counts": _counts(diff),
        "changes": [
            {
                "section": e.section,
                "kind": e.kind,
                "id": e.id,
                "title_ja": e.title_ja,
                "title_en": e.title_en,
                "fields": [
                    {"field": c.field, "old": _json_value(c.old), "new": _json_value(c.new)}
                    for c in e.fields
                ],
            }
            for e in diff.entries
        ],
    }
