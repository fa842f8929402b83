"""The summary as JSON and Markdown: the §3 survey table, flag counts, readiness tables."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

import attrs

from cutover.errors import require_instance
from cutover.i18n.catalogue import Lang, text
from cutover.i18n.text import check_lang, format_day
from cutover.jp.vocabulary import Kind
from cutover.planning.chase import Chase
from cutover.planning.flags import Severity
from cutover.planning.summary import KindCounts, SideCounts, Summary
from cutover.render.csvout import CsvOut
from cutover.render.inline import code_span
from cutover.render.markdown import escape_inline
from cutover.render.plan import fact_revision
from cutover.render.schemas import SCHEMA_VERSION, calendar_object, queries_json
from cutover.render.templating import TemplateDir, load_template, render_template
from cutover.render.views import labels_of, view_model

if TYPE_CHECKING:
    from cutover.calendar.model import RevisionKind
    from cutover.render.whatif import WhatIfView

__all__ = [
    "ChaseRow",
    "ChaseView",
    "FlagRow",
    "SummaryPage",
    "SurveyTable",
    "chase_view",
    "count_facts",
    "flag_rows",
    "readiness_tables",
    "summary_facts",
    "summary_json",
    "summary_markdown",
    "survey_table",
    "write_summary_csv",
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


def summary_json(
    summary: Summary, *, lang: Lang = "ja", chase: Sequence[Chase] | None = None
) -> dict[str, Any]:
    """Return the summary as the JSON object of DESIGN.md §3 (``summary``), plus a few keys.

    Added keys: ``effective``, ``prefecture`` (``{"code", "name"}`` or null),
    ``readiness_given``, ``unknown`` (shaped like ``not_ready``: agencies that reported
    nothing), ``severities`` (flag counts by severity) and ``hearings`` (``{"candidates",
    "at_risk"}``: agencies, as `cutover hearings` lists them). ``flags`` lists every code.
    ``what_if`` is null, or, for a summary of a plan made with shifts, their moves grouped
    by task template (`cutover.render.whatif.what_if_summary_json`). ``chase`` is null, or
    the agencies to chase (`cutover.planning.chase.chase_list`, given as `chase`): each
    entry's agency, ``reason`` code and its ``reason_text``, ``task`` id, ``due`` date and
    ``due_assumed`` (the calendar assumes it: ※), ``missing`` and ``detail`` in `lang`,
    ``side`` and ``systems`` (the ids of the modifications a readiness reason is about: null
    for a hearing task).
    ``calendar`` is the object every JSON output carries, its ``title`` in `lang`
    (`cutover.render.schemas.calendar_object`); the schema is ``json_schema("summary")``.
    """
    require_instance(summary, Summary, "summary", "common.not-a-summary")
    language = check_lang(lang)
    prefecture = (
        {"code": summary.prefecture_code, "name": summary.prefecture_name}
        if summary.prefecture_code is not None
        else None
    )
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "calendar": calendar_object(
            id=summary.calendar,
            title_ja=summary.title_ja,
            title_en=summary.title_en,
            effective=summary.effective,
            source=summary.source,
            shifts=summary.shifts,
            lang=language,
        ),
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
        "queries": queries_json(summary.queries),
        "what_if": None,
        "chase": None if chase is None else [_chase_json(c, language) for c in chase],
    }
    if summary.what_if is not None:
        from cutover.render.whatif import what_if_summary_json

        data["what_if"] = what_if_summary_json(summary.what_if)
    return data


def _chase_json(chase: Chase, lang: Lang) -> dict[str, Any]:
    return {
        "code": chase.agency.code,
        "name": chase.agency.name,
        "kind": chase.agency.kind.value,
        "reason": chase.reason.value,
        "reason_text": chase.reason_text(lang),
        "reasons": [r.value for r in chase.reasons],
        "task": chase.task.id if chase.task is not None else None,
        "due": chase.due.isoformat() if chase.due is not None else None,
        "due_assumed": chase.due_assumed,
        "missing": chase.missing(lang),
        "detail": chase.detail(lang),
        "side": chase.side.value if chase.side is not None else None,
        "systems": list(chase.systems) or None,
    }


# --- CSV -----------------------------------------------------------------------------------


def write_summary_csv(summary: Summary, stream: TextIO) -> None:
    """Write the §3 survey table as CSV: ``table,side,kind`` then one column per business
    system (its id), in §3 order; a row per table (``not-ready``, then ``unknown``: agencies
    that reported nothing), side, and kind (``total``, then each kind id). Counts only:
    ids and numbers, the same in every language."""
    columns = summary.not_ready[0].systems if summary.not_ready else ()
    out = CsvOut(stream)
    out.row(("table", "side", "kind", *(c.system.id for c in columns)))
    for table, counts in (("not-ready", summary.not_ready), ("unknown", summary.unknown)):
        for side in counts:
            out.row((table, side.side.value, "total", *(c.counts.total for c in side.systems)))
            for kind in Kind:
                out.row(
                    (table, side.side.value, kind.value, *(c.counts.of(kind) for c in side.systems))
                )


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


def _surveyed_note(agencies: KindCounts, lang: Lang) -> str:
    """Return the note under the table: how many agencies of each kind were counted."""
    return text(
        "summary.surveyed",
        lang,
        prefectures=agencies.prefecture,
        municipalities=agencies.municipality,
        associations=agencies.association,
    )


def survey_table(summary: Summary, *, lang: Lang = "ja", unknown: bool = False) -> SurveyTable:
    """Return the §3 survey table of agencies not ready (or, with `unknown`, not reported)."""
    counts = summary.unknown if unknown else summary.not_ready
    columns = counts[0].systems if counts else ()
    names = tuple(text("summary.system", lang, system=c.system.label(lang)) for c in columns)
    count_label = text("summary.count-unknown" if unknown else "summary.count-not-ready", lang)
    rows: list[tuple[str, ...]] = []
    for side in counts:
        label = text(f"summary.side-{side.side.value}", lang)
        rows.append((label, count_label, *(f"{c.counts.total:,}" for c in side.systems)))
        for kind in Kind:
            kinds = text(f"summary.kinds-{kind.value}", lang)
            rows.append(("", kinds, *(f"{c.counts.of(kind):,}" for c in side.systems)))
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

    label: str
    code: str
    severity: str
    count: str


def flag_rows(summary: Summary, lang: Lang) -> tuple[FlagRow, ...]:
    """Return the flag codes that occur, worst first, as finished table cells."""
    found = sorted(
        (f for f in summary.flags if f.count), key=lambda f: (-f.severity.rank, f.code.value)
    )
    return tuple(
        FlagRow(f.code.label(lang), code_span(f.code.value), f.severity.label(lang), f"{f.count:,}")
        for f in found
    )


@view_model
@attrs.frozen
class ChaseRow:
    """One row of the agencies to chase, as finished Markdown cells."""

    code: str
    name: str
    kind: str
    why: str
    missing: str
    due: str


@view_model
@attrs.frozen
class ChaseView:
    """The agencies to chase as a page shows them: the table's rows, and whether a due date
    is one the calendar assumes (marked ※, said so under the table)."""

    rows: tuple[ChaseRow, ...]
    assumed: bool


def chase_view(chase: Sequence[Chase], lang: Lang) -> ChaseView:
    """Return the agencies to chase as finished table cells (the workbook's 督促先 sheet,
    without its details: each agency's checklist has them); a due date the calendar assumes
    is marked ※ (a coordinator does not chase a date the ministry never gave)."""
    rows = tuple(
        ChaseRow(
            c.agency.code,
            escape_inline(c.agency.name),
            c.agency.kind.label(lang),
            c.reason_text(lang),
            escape_inline(c.missing(lang)),
            _chase_due(c, lang),
        )
        for c in chase
    )
    return ChaseView(rows, any(c.due_assumed for c in chase))


def _chase_due(chase: Chase, lang: Lang) -> str:
    if chase.due is None:
        return ""
    due = format_day(chase.due, lang)
    return f"{due} ※" if chase.due_assumed else due


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
    chase: str
    chase_note: str
    chase_headers: tuple[str, ...]
    no_chase: str
    chase_assumed: str


@functools.cache
def _summary_labels(lang: Lang, kind: RevisionKind = "layout-revision") -> _SummaryLabels:
    """Return the fixed words of the summary page in `lang` (read once per language and
    kind of revision: a master delivery's readiness is not "before the layout revision")."""
    headers = tuple(
        text(f"summary.flag-header-{h}", lang) for h in ("label", "code", "severity", "count")
    )
    chase = tuple(
        text(f"summary.chase-header-{h}", lang)
        for h in ("code", "name", "kind", "why", "missing", "due")
    )
    given: dict[str, object] = {"flag_headers": headers, "chase_headers": chase}
    if kind != "layout-revision":
        given["not_ready"] = text(f"summary.not-ready-{kind}", lang)
    return labels_of(_SummaryLabels, "summary", lang, **given)


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
    #: the agencies to chase; None when not asked for
    chase: ChaseView | None = None


def summary_facts(summary: Summary, lang: Lang) -> tuple[tuple[str, str], ...]:
    """Return the revision, dates and scope of a summary as (label, value) lines."""
    title = escape_inline(summary.title_en if lang == "en" else summary.title_ja)
    if summary.prefecture_code is not None:
        name = escape_inline(summary.prefecture_name or "")
        scope = text("summary.scope-prefecture", lang, name=name, code=summary.prefecture_code)
    else:
        scope = text("summary.scope-registry", lang)
    return (
        fact_revision(title, summary.calendar, lang, summary.kind),
        (text("render.fact-effective", lang), format_day(summary.takes_effect, lang)),
        (text("render.fact-as-of", lang), format_day(summary.as_of, lang)),
        (
            text("summary.fact-scope", lang),
            text("summary.scope", lang, scope=scope, count=summary.agencies.total),
        ),
        *count_facts(summary, lang),
    )


def count_facts(summary: Summary, lang: Lang) -> tuple[tuple[str, str], ...]:
    """Return the summary's counts as (label, value) lines: the hearing lists, and the
    queries when a queries file was given (numbers only: the same text in every format)."""
    facts: tuple[tuple[str, str], ...] = (
        (
            text("summary.fact-hearings", lang),
            text(
                "summary.hearings",
                lang,
                candidates=summary.hearing_candidates,
                at_risk=summary.hearing_at_risk,
            )
            if summary.hearings_apply
            else text("summary.hearings-not-applied", lang),
        ),
    )
    q = summary.queries
    if q is not None:
        facts += (
            (
                text("summary.fact-queries", lang),
                # (Open requests with no party in scope are said where there are any: the
                # counts shown then add up to the rows with something to do.)
                text(
                    "summary.queries-elsewhere" if q.elsewhere else "summary.queries",
                    lang,
                    provide=q.provide_by_cutoff,
                    reissue=q.withdraw_and_reissue,
                    outside=q.outside_rule,
                    elsewhere=q.elsewhere,
                    total=q.total,
                    rejected=q.rejected,
                ),
            ),
        )
    return facts


def readiness_tables(summary: Summary, lang: Lang) -> tuple[SurveyTable | None, SurveyTable | None]:
    """Return the not-ready table and the unknown-readiness table (None when not wanted)."""
    if not summary.readiness_given:
        return None, None
    any_unknown = any(side.total for side in summary.unknown)
    return (
        survey_table(summary, lang=lang),
        survey_table(summary, lang=lang, unknown=True) if any_unknown else None,
    )


def summary_markdown(
    summary: Summary,
    *,
    lang: str = "ja",
    templates: TemplateDir = None,
    chase: Sequence[Chase] | None = None,
) -> str:
    """Return the summary as Markdown: the §3 survey table, the surveyed counts, the flags,
    and the agencies to chase when `chase` is given (`cutover.planning.chase.chase_list`).

    A summary of a plan made with shifts starts with what they changed.
    """
    from cutover.render.whatif import what_if_view

    language = check_lang(lang)
    not_ready, unknown = readiness_tables(summary, language)
    title = summary.title_en if language == "en" else summary.title_ja
    page = SummaryPage(
        labels=_summary_labels(language, summary.kind),
        title=text("summary.title", language, title=escape_inline(title)),
        facts=summary_facts(summary, language),
        not_ready=not_ready,
        unknown=unknown,
        flags=flag_rows(summary, language),
        what_if=(what_if_view(summary.what_if, language) if summary.what_if is not None else None),
        chase=chase_view(chase, language) if chase is not None else None,
    )
    return render_template(load_template("summary.md.j2", templates), page=page)
