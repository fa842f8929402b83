"""The summary as JSON and Markdown: the §3 survey table, flag counts, readiness tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from cutover.i18n.text import Lang, check_lang, format_day, severity_label
from cutover.jp.vocabulary import Kind, Side
from cutover.plan.flags import Severity
from cutover.plan.summary import KindCounts, SideCounts, Summary
from cutover.render.inline import code_span
from cutover.render.markdown import escape_inline
from cutover.render.templating import TemplateDir, load_template, render_template
from cutover.render.views import view_model

if TYPE_CHECKING:
    from cutover.render.whatif import WhatIfView

__all__ = [
    "FlagRow",
    "SummaryPage",
    "SurveyTable",
    "flag_rows",
    "readiness_tables",
    "summary_facts",
    "summary_json",
    "summary_markdown",
    "survey_table",
]


# --- JSON ----------------------------------------------------------------------------------


def _kinds_json(counts: KindCounts, *, total: bool) -> dict[str, int]:
    """Return counts by kind id, with their total when asked."""
    found = {kind.value: counts.of(kind) for kind in Kind}
    if total:
        found["total"] = counts.total
    return found


def _sides_json(counts: tuple[SideCounts, ...]) -> dict[str, Any]:
    """Return counts as JSON: by side, then system id, then kind."""
    return {
        side.side.value: {
            column.system.id: _kinds_json(column.counts, total=True) for column in side.systems
        }
        for side in counts
    }


def summary_json(summary: Summary) -> dict[str, Any]:
    """Return the summary as the JSON object of DESIGN.md §3 (``summary``), plus a few keys.

    Added keys: ``effective``, ``prefecture`` (``{"code", "name"}`` or null),
    ``readiness_given``, ``unknown`` (shaped like ``not_ready``: agencies that reported
    nothing), ``severities`` (flag counts by severity) and ``hearings`` (``{"candidates",
    "at_risk"}``: agencies, as `cutover hearings` lists them). ``flags`` lists every code.
    A summary of a plan made with shifts has a ``what_if`` key, its moves grouped by task
    template (`cutover.render.whatif.what_if_summary_json`).
    """
    prefecture = (
        {"code": summary.prefecture_code, "name": summary.prefecture_name}
        if summary.prefecture_code is not None
        else None
    )
    data: dict[str, Any] = {
        "calendar": summary.calendar,
        "as_of": summary.as_of.isoformat(),
        "effective": summary.effective.isoformat(),
        "prefecture": prefecture,
        "agencies": _kinds_json(summary.agencies, total=False),
        "readiness_given": summary.readiness_given,
        "not_ready": _sides_json(summary.not_ready),
        "unknown": _sides_json(summary.unknown),
        "flags": {f.code.value: f.count for f in sorted(summary.flags, key=lambda f: f.code)},
        "severities": {s.value: summary.severity_count(s) for s in Severity},
        "hearings": {
            "candidates": summary.hearing_candidates,
            "at_risk": summary.hearing_at_risk,
        },
        "queries": (
            {
                "total": summary.queries.total,
                "provide-by-cutoff": summary.queries.provide_by_cutoff,
                "withdraw-and-reissue": summary.queries.withdraw_and_reissue,
                "rejected": summary.queries.rejected,
            }
            if summary.queries is not None
            else None
        ),
    }
    if summary.what_if is not None:
        from cutover.render.whatif import what_if_summary_json

        data["what_if"] = what_if_summary_json(summary.what_if)
    return data


# --- Markdown ------------------------------------------------------------------------------


@view_model
@attrs.frozen
class SurveyTable:
    """The §3 survey table as finished Markdown cells: headers, rows and the note under it."""

    headers: tuple[str, ...]
    #: the delimiter row, between the outer pipes
    rule: str
    rows: tuple[tuple[str, ...], ...]
    note: str


@attrs.frozen
class _TableWords:
    """The words of the §3 table in one language."""

    side: dict[Side, str]
    count: str
    kinds: dict[Kind, str]
    system: str


_TABLE_WORDS: dict[Lang, _TableWords] = {
    "ja": _TableWords(
        side={Side.PROVISION: "情報提供に係る対応状況", Side.QUERY: "情報照会に係る対応状況"},
        count="未対応団体数",
        kinds={k: k.ja for k in Kind},
        system="{} システム関係",
    ),
    "en": _TableWords(
        side={Side.PROVISION: "Provision side", Side.QUERY: "Query side"},
        count="agencies not ready",
        kinds={
            Kind.PREFECTURE: "prefectures",
            Kind.MUNICIPALITY: "municipalities",
            Kind.ASSOCIATION: "associations",
        },
        system="{} systems",
    ),
}

_UNKNOWN_COUNT = {"ja": "報告なし団体数", "en": "agencies that reported nothing"}


def _surveyed_note(agencies: KindCounts, lang: Lang) -> str:
    """Return the note under the table: how many agencies of each kind were counted."""
    if lang == "ja":
        return (
            f"※調査対象（{agencies.prefecture}都道府県、{agencies.municipality}市区町村、"
            f"{agencies.association}一部事務組合・広域連合）"
        )
    return (
        f"※ Surveyed: prefectures {agencies.prefecture}, municipalities "
        f"{agencies.municipality}, associations (一部事務組合・広域連合) {agencies.association}"
    )


def survey_table(summary: Summary, *, lang: Lang = "ja", unknown: bool = False) -> SurveyTable:
    """Return the §3 survey table of agencies not ready (or, with `unknown`, not reported)."""
    words = _TABLE_WORDS[lang]
    counts = summary.unknown if unknown else summary.not_ready
    columns = counts[0].systems if counts else ()
    names = tuple(
        words.system.format(c.system.ja if lang == "ja" else c.system.en) for c in columns
    )
    count_label = _UNKNOWN_COUNT[lang] if unknown else words.count
    rows: list[tuple[str, ...]] = []
    for side in counts:
        rows.append(
            (words.side[side.side], count_label, *(str(c.counts.total) for c in side.systems))
        )
        for kind in Kind:
            rows.append(("", words.kinds[kind], *(str(c.counts.of(kind)) for c in side.systems)))
    return SurveyTable(
        headers=("", "", *names),
        rule="---|---|" + "---:|" * len(names),
        rows=tuple(rows),
        note=_surveyed_note(summary.agencies, lang),
    )


@view_model
@attrs.frozen
class FlagRow:
    """One row of the flag-count table."""

    code: str
    severity: str
    count: str


def flag_rows(summary: Summary, lang: Lang) -> tuple[FlagRow, ...]:
    """Return the flag codes that occur, worst first, as finished table cells."""
    found = sorted(
        (f for f in summary.flags if f.count), key=lambda f: (-f.severity.rank, f.code.value)
    )
    return tuple(
        FlagRow(code_span(f.code.value), severity_label(f.severity, lang), str(f.count))
        for f in found
    )


@view_model
@attrs.frozen
class _SummaryLabels:
    """The fixed words of the summary page, in one language."""

    not_ready: str
    unknown: str
    no_readiness: str
    flags: str
    flag_headers: tuple[str, ...]
    no_flags: str


_SUMMARY_LABELS: dict[Lang, _SummaryLabels] = {
    "ja": _SummaryLabels(
        not_ready="データ標準レイアウト改版までの対応状況（未対応団体数）",
        unknown="改修状況の報告がない団体数",
        no_readiness=(
            "改修状況（readiness.csv）が与えられていないため、未対応団体数は集計していない。"
        ),
        flags="指摘の件数",
        flag_headers=("コード", "重大度", "件数"),
        no_flags="指摘はない。",
    ),
    "en": _SummaryLabels(
        not_ready="Readiness before the revision (agencies not ready)",
        unknown="Agencies that reported no readiness",
        no_readiness="No readiness report (readiness.csv) was given: nothing is counted as late.",
        flags="Flags",
        flag_headers=("Code", "Severity", "Count"),
        no_flags="No flags.",
    ),
}


@view_model
@attrs.frozen
class SummaryPage:
    """Everything summary.md.j2 prints, as finished strings."""

    labels: _SummaryLabels
    title: str
    facts: tuple[tuple[str, str], ...]
    #: None when no readiness.csv was given
    not_ready: SurveyTable | None
    #: None when every agency reported on every system
    unknown: SurveyTable | None
    flags: tuple[FlagRow, ...]
    #: with --shift: what the shifts changed, tasks grouped by template
    what_if: WhatIfView | None = None


def summary_facts(summary: Summary, lang: Lang) -> tuple[tuple[str, str], ...]:
    """Return the revision, dates and scope of a summary as (label, value) lines."""
    title = escape_inline(summary.title_ja if lang == "ja" else summary.title_en)
    calendar = code_span(summary.calendar)
    if summary.prefecture_code is not None:
        name = escape_inline(summary.prefecture_name or "")
        code = summary.prefecture_code
        scope = f"{name}（{code}）" if lang == "ja" else f"{name} ({code})"
    else:
        scope = "登録簿の全団体" if lang == "ja" else "every agency of the registry"
    q = summary.queries
    if lang == "ja":
        facts: tuple[tuple[str, str], ...] = (
            ("改版", f"{title}（{calendar}）"),
            ("適用開始日", format_day(summary.effective, lang)),
            ("基準日", format_day(summary.as_of, lang)),
            ("対象", f"{scope}、{summary.agencies.total}団体"),
            (
                "ヒアリング対象となり得る団体（§4・§5）",
                f"期間内に実施を確認できない {summary.hearing_candidates}団体、"
                f"期限前で未完了 {summary.hearing_at_risk}団体"
                "（`cutover hearings` の2つの一覧。両方に載る団体もある）",
            ),
        )
        if q is not None:
            facts += (
                (
                    "提供の締切前後の照会（§6）",
                    f"締切までに提供 {q.provide_by_cutoff}件、取りやめ・再照会 "
                    f"{q.withdraw_and_reissue}件"
                    f"（照会ファイル {q.total}行、読めない行 {q.rejected}）",
                ),
            )
        return facts
    facts_en: tuple[tuple[str, str], ...] = (
        ("Revision", f"{title} ({calendar})"),
        ("Takes effect", format_day(summary.effective, lang)),
        ("As of", format_day(summary.as_of, lang)),
        ("Scope", f"{scope}, {summary.agencies.total} agencies"),
        (
            "Agencies the ministry may hear from (§4, §5)",
            f"{summary.hearing_candidates} with a window over and the task not done in it; "
            f"{summary.hearing_at_risk} with a window still open and the task not done "
            "(the two lists of `cutover hearings`; an agency can be on both)",
        ),
    )
    if q is not None:
        facts_en += (
            (
                "Queries around the cutoff (§6)",
                f"{q.provide_by_cutoff} to answer by the cutoff, {q.withdraw_and_reissue} to "
                f"withdraw and re-issue (queries file: {q.total} rows, {q.rejected} rejected)",
            ),
        )
    return facts_en


def readiness_tables(summary: Summary, lang: Lang) -> tuple[SurveyTable | None, SurveyTable | None]:
    """Return the not-ready table and the unknown-readiness table (None when not wanted)."""
    if not summary.readiness_given:
        return None, None
    any_unknown = any(side.total for side in summary.unknown)
    return (
        survey_table(summary, lang=lang),
        survey_table(summary, lang=lang, unknown=True) if any_unknown else None,
    )


def summary_markdown(summary: Summary, *, lang: str = "ja", templates: TemplateDir = None) -> str:
    """Return the summary as Markdown: the §3 survey table, the surveyed counts, the flags.

    A summary of a plan made with shifts starts with what they changed.
    """
    from cutover.render.whatif import what_if_view

    language = check_lang(lang)
    not_ready, unknown = readiness_tables(summary, language)
    title = summary.title_ja if language == "ja" else summary.title_en
    suffix = " 改修状況の集計" if language == "ja" else ": summary"
    page = SummaryPage(
        labels=_SUMMARY_LABELS[language],
        title=escape_inline(title) + suffix,
        facts=summary_facts(summary, language),
        not_ready=not_ready,
        unknown=unknown,
        flags=flag_rows(summary, language),
        what_if=(what_if_view(summary.what_if, language) if summary.what_if is not None else None),
    )
    return render_template(load_template("summary.md.j2", templates), page=page)
