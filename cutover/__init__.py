"""Plan the cutover to a revised data standard layout in Japan's My Number information linkage.

The names below are the stable API (docs/api.md); everything else may change. They load on
first use, so that ``import cutover`` and ``cutover --help`` stay fast: networkx, jinja2 and
the holiday tables are imported only by the parts that need them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cutover.calendar.diff import CalendarDiff, EntryChange, FieldChange, diff_calendars
    from cutover.calendar.load import load_calendar, parse_calendar, shipped_calendars
    from cutover.calendar.model import (
        CutoffSpec,
        DeclaredClosure,
        Dependency,
        Event,
        Lag,
        Recurring,
        RevisedItem,
        Revision,
        RevisionCalendar,
        TaskTemplate,
        TaskWhen,
        suggest_task,
    )
    from cutover.errors import CutoverError, InputWarning, NotFound, Problem
    from cutover.i18n.catalogue import Lang, Msg
    from cutover.i18n.text import Phrase
    from cutover.inputs.csvfile import InputText
    from cutover.inputs.logs import LogEvidence, load_registration_log, load_test_log
    from cutover.inputs.model import Agency, Attempt, AttemptReason, Evidence, Readiness, Registry
    from cutover.inputs.registry import (
        load_agencies,
        load_evidence,
        load_readiness,
        load_registry,
        registry_template,
    )
    from cutover.jp.closed_days import JAPAN, Adjustment, ClosedDays, Closure
    from cutover.jp.codes import OfficialEntry, validate_code
    from cutover.jp.vocabulary import Actor, BusinessSystem, Kind, Side, Status
    from cutover.jp.wareki import DateRange, format_english, format_wareki, parse_date, parse_fuzzy
    from cutover.planning.chase import Chase, ChaseReason, chase_list
    from cutover.planning.evidence import uncounted_evidence
    from cutover.planning.flags import Flag, FlagCode, Severity
    from cutover.planning.hearings import (
        HearingAgency,
        HearingGroup,
        HearingReason,
        Hearings,
        MissingTask,
        hearing_candidates,
        hearings,
    )
    from cutover.planning.model import (
        AgencyPlan,
        AgencyQueries,
        AssumedLink,
        Plan,
        QueryFindings,
        QueryTotals,
        Task,
        TaskStatus,
    )
    from cutover.planning.planner import plan
    from cutover.planning.progress import ProgressRow, ProgressTable, progress_by_week
    from cutover.planning.queries import cutoff_rule, load_queries
    from cutover.planning.summary import (
        FlagCount,
        KindCounts,
        SideCounts,
        Summary,
        SystemCounts,
        summarize,
    )
    from cutover.planning.validate import FileCount, ValidationReport, validate
    from cutover.planning.whatif import (
        PlanChanges,
        TaskMove,
        TemplateMove,
        WrittenDates,
        compare_plans,
    )
    from cutover.render.checklist import render_checklist
    from cutover.render.checklists import WrittenChecklists, write_checklists
    from cutover.render.diff import diff_json
    from cutover.render.hearings import hearings_json
    from cutover.render.ics import plan_ics, timeline_ics
    from cutover.render.index import render_index
    from cutover.render.plan import plan_json
    from cutover.render.schemas import SCHEMA_VERSION, JsonOutput, json_schema
    from cutover.render.summary import summary_json
    from cutover.render.svg import timeline_svg
    from cutover.render.timeline import timeline_json, timeline_markdown
    from cutover.render.triage import reason_text, write_triage
    from cutover.schedule.model import Conflict, ScheduledEvent
    from cutover.schedule.shift import Shift, parse_shift
    from cutover.schedule.timeline import Timeline, build_timeline
    from cutover.schedule.whatif import WhatIf, what_if
    from cutover.triage import (
        Action,
        CutoffRule,
        Duplicate,
        Query,
        QueryStatus,
        Reason,
        ReasonCode,
        TriageCounts,
        TriageReport,
        TriageResult,
        triage_file,
        triage_rows,
    )

__all__ = [
    "JAPAN",
    "SCHEMA_VERSION",
    "Action",
    "Actor",
    "Adjustment",
    "Agency",
    "AgencyPlan",
    "AgencyQueries",
    "AssumedLink",
    "Attempt",
    "AttemptReason",
    "BusinessSystem",
    "CalendarDiff",
    "Chase",
    "ChaseReason",
    "ClosedDays",
    "Closure",
    "Conflict",
    "CutoffRule",
    "CutoffSpec",
    "CutoverError",
    "DateRange",
    "DeclaredClosure",
    "Dependency",
    "Duplicate",
    "EntryChange",
    "Event",
    "Evidence",
    "FieldChange",
    "FileCount",
    "Flag",
    "FlagCode",
    "FlagCount",
    "HearingAgency",
    "HearingGroup",
    "HearingReason",
    "Hearings",
    "InputText",
    "InputWarning",
    "JsonOutput",
    "Kind",
    "KindCounts",
    "Lag",
    "Lang",
    "LogEvidence",
    "MissingTask",
    "Msg",
    "NotFound",
    "OfficialEntry",
    "Phrase",
    "Plan",
    "PlanChanges",
    "Problem",
    "ProgressRow",
    "ProgressTable",
    "Query",
    "QueryFindings",
    "QueryStatus",
    "QueryTotals",
    "Readiness",
    "Reason",
    "ReasonCode",
    "Recurring",
    "Registry",
    "RevisedItem",
    "Revision",
    "RevisionCalendar",
    "ScheduledEvent",
    "Severity",
    "Shift",
    "Side",
    "SideCounts",
    "Status",
    "Summary",
    "SystemCounts",
    "Task",
    "TaskMove",
    "TaskStatus",
    "TaskTemplate",
    "TaskWhen",
    "TemplateMove",
    "Timeline",
    "TriageCounts",
    "TriageReport",
    "TriageResult",
    "ValidationReport",
    "WhatIf",
    "WrittenChecklists",
    "WrittenDates",
    "build_timeline",
    "chase_list",
    "compare_plans",
    "cutoff_rule",
    "diff_calendars",
    "diff_json",
    "format_english",
    "format_wareki",
    "hearing_candidates",
    "hearings",
    "hearings_json",
    "json_schema",
    "load_agencies",
    "load_calendar",
    "load_evidence",
    "load_queries",
    "load_readiness",
    "load_registration_log",
    "load_registry",
    "load_test_log",
    "parse_calendar",
    "parse_date",
    "parse_fuzzy",
    "parse_shift",
    "plan",
    "plan_ics",
    "plan_json",
    "progress_by_week",
    "reason_text",
    "registry_template",
    "render_checklist",
    "render_index",
    "shipped_calendars",
    "suggest_task",
    "summarize",
    "summary_json",
    "timeline_ics",
    "timeline_json",
    "timeline_markdown",
    "timeline_svg",
    "triage_file",
    "triage_rows",
    "uncounted_evidence",
    "validate",
    "validate_code",
    "what_if",
    "write_checklists",
    "write_triage",
]

_MODULE_OF = {
    "Action": "cutover.triage",
    "Actor": "cutover.jp.vocabulary",
    "Adjustment": "cutover.jp.closed_days",
    "Agency": "cutover.inputs.registry",
    "AgencyPlan": "cutover.planning.model",
    "AgencyQueries": "cutover.planning.model",
    "AssumedLink": "cutover.planning.model",
    "Attempt": "cutover.inputs.model",
    "AttemptReason": "cutover.inputs.model",
    "BusinessSystem": "cutover.jp.vocabulary",
    "CalendarDiff": "cutover.calendar.diff",
    "Chase": "cutover.planning.chase",
    "ChaseReason": "cutover.planning.chase",
    "ClosedDays": "cutover.jp.closed_days",
    "Closure": "cutover.jp.closed_days",
    "Conflict": "cutover.schedule.model",
    "CutoffRule": "cutover.triage",
    "CutoffSpec": "cutover.calendar.model",
    "CutoverError": "cutover.errors",
    "DateRange": "cutover.jp.wareki",
    "DeclaredClosure": "cutover.calendar.model",
    "Dependency": "cutover.calendar.model",
    "Duplicate": "cutover.triage",
    "EntryChange": "cutover.calendar.diff",
    "Event": "cutover.calendar.model",
    "Evidence": "cutover.inputs.registry",
    "FieldChange": "cutover.calendar.diff",
    "FileCount": "cutover.planning.validate",
    "Flag": "cutover.planning.flags",
    "FlagCode": "cutover.planning.flags",
    "FlagCount": "cutover.planning.summary",
    "HearingAgency": "cutover.planning.hearings",
    "HearingGroup": "cutover.planning.hearings",
    "HearingReason": "cutover.planning.hearings",
    "Hearings": "cutover.planning.hearings",
    "InputText": "cutover.inputs.csvfile",
    "InputWarning": "cutover.errors",
    "JsonOutput": "cutover.render.schemas",
    "JAPAN": "cutover.jp.closed_days",
    "Kind": "cutover.jp.vocabulary",
    "KindCounts": "cutover.planning.summary",
    "Lag": "cutover.calendar.model",
    "Lang": "cutover.i18n.catalogue",
    "LogEvidence": "cutover.inputs.logs",
    "MissingTask": "cutover.planning.hearings",
    "Msg": "cutover.i18n.catalogue",
    "NotFound": "cutover.errors",
    "OfficialEntry": "cutover.jp.codes",
    "Phrase": "cutover.i18n.text",
    "Plan": "cutover.planning.model",
    "PlanChanges": "cutover.planning.whatif",
    "Problem": "cutover.errors",
    "ProgressRow": "cutover.planning.progress",
    "ProgressTable": "cutover.planning.progress",
    "Query": "cutover.triage",
    "QueryFindings": "cutover.planning.model",
    "QueryStatus": "cutover.triage",
    "QueryTotals": "cutover.planning.model",
    "Readiness": "cutover.inputs.registry",
    "Reason": "cutover.triage",
    "ReasonCode": "cutover.triage",
    "Recurring": "cutover.calendar.model",
    "Registry": "cutover.inputs.registry",
    "RevisedItem": "cutover.calendar.model",
    "Revision": "cutover.calendar.model",
    "RevisionCalendar": "cutover.calendar.model",
    "SCHEMA_VERSION": "cutover.render.schemas",
    "ScheduledEvent": "cutover.schedule.model",
    "Severity": "cutover.planning.flags",
    "Shift": "cutover.schedule.shift",
    "Side": "cutover.jp.vocabulary",
    "SideCounts": "cutover.planning.summary",
    "Status": "cutover.jp.vocabulary",
    "Summary": "cutover.planning.summary",
    "SystemCounts": "cutover.planning.summary",
    "Task": "cutover.planning.model",
    "TaskMove": "cutover.planning.whatif",
    "TaskStatus": "cutover.planning.model",
    "TaskTemplate": "cutover.calendar.model",
    "TaskWhen": "cutover.calendar.model",
    "TemplateMove": "cutover.planning.whatif",
    "Timeline": "cutover.schedule.timeline",
    "TriageCounts": "cutover.triage",
    "TriageReport": "cutover.triage",
    "TriageResult": "cutover.triage",
    "ValidationReport": "cutover.planning.validate",
    "WhatIf": "cutover.schedule.whatif",
    "WrittenChecklists": "cutover.render.checklists",
    "WrittenDates": "cutover.planning.whatif",
    "build_timeline": "cutover.schedule.timeline",
    "chase_list": "cutover.planning.chase",
    "compare_plans": "cutover.planning.whatif",
    "cutoff_rule": "cutover.planning.queries",
    "diff_calendars": "cutover.calendar.diff",
    "diff_json": "cutover.render.diff",
    "format_english": "cutover.jp.wareki",
    "format_wareki": "cutover.jp.wareki",
    "hearing_candidates": "cutover.planning.hearings",
    "hearings": "cutover.planning.hearings",
    "hearings_json": "cutover.render.hearings",
    "json_schema": "cutover.render.schemas",
    "load_agencies": "cutover.inputs.registry",
    "load_calendar": "cutover.calendar.load",
    "load_evidence": "cutover.inputs.registry",
    "load_queries": "cutover.planning.queries",
    "load_readiness": "cutover.inputs.registry",
    "load_registration_log": "cutover.inputs.logs",
    "load_registry": "cutover.inputs.registry",
    "load_test_log": "cutover.inputs.logs",
    "parse_calendar": "cutover.calendar.load",
    "parse_date": "cutover.jp.wareki",
    "parse_fuzzy": "cutover.jp.wareki",
    "parse_shift": "cutover.schedule.shift",
    "plan": "cutover.planning.planner",
    "plan_ics": "cutover.render.ics",
    "plan_json": "cutover.render.plan",
    "progress_by_week": "cutover.planning.progress",
    "reason_text": "cutover.render.triage",
    "registry_template": "cutover.inputs.registry",
    "render_checklist": "cutover.render.checklist",
    "render_index": "cutover.render.index",
    "shipped_calendars": "cutover.calendar.load",
    "suggest_task": "cutover.calendar.model",
    "summarize": "cutover.planning.summary",
    "summary_json": "cutover.render.summary",
    "timeline_ics": "cutover.render.ics",
    "timeline_json": "cutover.render.timeline",
    "timeline_markdown": "cutover.render.timeline",
    "timeline_svg": "cutover.render.svg",
    "triage_file": "cutover.triage",
    "triage_rows": "cutover.triage",
    "uncounted_evidence": "cutover.planning.evidence",
    "validate": "cutover.planning.validate",
    "validate_code": "cutover.jp.codes",
    "what_if": "cutover.schedule.whatif",
    "write_checklists": "cutover.render.checklists",
    "write_triage": "cutover.render.triage",
}


if not TYPE_CHECKING:
    # Defined for the interpreter only: a type checker sees the names imported above and
    # nothing else, so that a misspelled name (``cutover.load_calender``) is an error there
    # too, not a name of type Any.

    def __getattr__(name: str) -> Any:
        """Return a public name, importing its module on first use (PEP 562)."""
        if name == "__version__":
            return _version()
        module = _MODULE_OF.get(name)
        if module is None:
            msg = f"module 'cutover' has no attribute {name!r}"
            raise AttributeError(msg)
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value


def _version() -> str:
    """Return the installed distribution's version (``0+unknown`` from a bare checkout)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("cutover")
    except PackageNotFoundError:
        found = "0+unknown"
    globals()["__version__"] = found
    return found


if TYPE_CHECKING:
    __version__: str


def __dir__() -> list[str]:
    """Return the public names."""
    return sorted(__all__)
