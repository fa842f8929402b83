"""Plan the cutover to a revised data standard layout in Japan's My Number information linkage.

The names below are the stable API (docs/api.md); everything else may change. They load on
first use, so that ``import cutover`` and ``cutover --help`` stay fast: networkx, jinja2 and
the holiday tables are imported only by the parts that need them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cutover.businessdays import JAPAN, Adjustment, ClosedDays
    from cutover.calendar import RevisionCalendar, load_calendar, parse_calendar, shipped_calendars
    from cutover.codes import validate_code
    from cutover.diff import CalendarDiff, diff_calendars
    from cutover.errors import CutoverError, Problem
    from cutover.flags import Flag, FlagCode, Severity
    from cutover.hearings import Hearings, hearing_candidates
    from cutover.logs import LogEvidence, load_registration_log, load_test_log
    from cutover.planner import AgencyPlan, Plan, Task, TaskStatus, plan
    from cutover.progress import progress_by_week
    from cutover.registry import (
        Agency,
        Evidence,
        Readiness,
        Registry,
        load_agencies,
        load_evidence,
        load_readiness,
        load_registry,
        registry_template,
    )
    from cutover.render.checklist import render_checklist, render_index, write_checklists
    from cutover.render.ics import plan_ics, timeline_ics
    from cutover.render.plan import plan_json
    from cutover.render.svg import timeline_svg
    from cutover.render.timeline import timeline_json, timeline_markdown
    from cutover.render.triage import write_triage
    from cutover.summary import Summary, summarize, summary_json
    from cutover.timeline import (
        Conflict,
        Shift,
        Timeline,
        WhatIf,
        build_timeline,
        parse_shift,
        what_if,
    )
    from cutover.triage import (
        Action,
        CutoffRule,
        Query,
        QueryStatus,
        TriageReport,
        TriageResult,
        triage_file,
    )
    from cutover.wareki import DateRange, format_english, format_wareki, parse_date, parse_fuzzy
    from cutover.whatif import PlanChanges, compare_plans

__all__ = [
    "JAPAN",
    "Action",
    "Adjustment",
    "Agency",
    "AgencyPlan",
    "CalendarDiff",
    "ClosedDays",
    "Conflict",
    "CutoffRule",
    "CutoverError",
    "DateRange",
    "Evidence",
    "Flag",
    "FlagCode",
    "Hearings",
    "LogEvidence",
    "Plan",
    "PlanChanges",
    "Problem",
    "Query",
    "QueryStatus",
    "Readiness",
    "Registry",
    "RevisionCalendar",
    "Severity",
    "Shift",
    "Summary",
    "Task",
    "TaskStatus",
    "Timeline",
    "TriageReport",
    "TriageResult",
    "WhatIf",
    "build_timeline",
    "compare_plans",
    "diff_calendars",
    "format_english",
    "format_wareki",
    "hearing_candidates",
    "load_agencies",
    "load_calendar",
    "load_evidence",
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
    "registry_template",
    "render_checklist",
    "render_index",
    "shipped_calendars",
    "summarize",
    "summary_json",
    "timeline_ics",
    "timeline_json",
    "timeline_markdown",
    "timeline_svg",
    "triage_file",
    "validate_code",
    "what_if",
    "write_checklists",
    "write_triage",
]

_MODULE_OF = {
    "Action": "cutover.triage",
    "Adjustment": "cutover.businessdays",
    "Agency": "cutover.registry",
    "AgencyPlan": "cutover.planner",
    "CalendarDiff": "cutover.diff",
    "ClosedDays": "cutover.businessdays",
    "Conflict": "cutover.timeline",
    "CutoffRule": "cutover.triage",
    "CutoverError": "cutover.errors",
    "DateRange": "cutover.wareki",
    "Evidence": "cutover.registry",
    "Flag": "cutover.flags",
    "FlagCode": "cutover.flags",
    "Hearings": "cutover.hearings",
    "JAPAN": "cutover.businessdays",
    "LogEvidence": "cutover.logs",
    "Plan": "cutover.planner",
    "PlanChanges": "cutover.whatif",
    "Problem": "cutover.errors",
    "Query": "cutover.triage",
    "QueryStatus": "cutover.triage",
    "Readiness": "cutover.registry",
    "Registry": "cutover.registry",
    "RevisionCalendar": "cutover.calendar",
    "Severity": "cutover.flags",
    "Shift": "cutover.timeline",
    "Summary": "cutover.summary",
    "Task": "cutover.planner",
    "TaskStatus": "cutover.planner",
    "Timeline": "cutover.timeline",
    "TriageReport": "cutover.triage",
    "TriageResult": "cutover.triage",
    "WhatIf": "cutover.timeline",
    "build_timeline": "cutover.timeline",
    "compare_plans": "cutover.whatif",
    "diff_calendars": "cutover.diff",
    "format_english": "cutover.wareki",
    "format_wareki": "cutover.wareki",
    "hearing_candidates": "cutover.hearings",
    "load_agencies": "cutover.registry",
    "load_calendar": "cutover.calendar",
    "load_evidence": "cutover.registry",
    "load_readiness": "cutover.registry",
    "load_registration_log": "cutover.logs",
    "load_registry": "cutover.registry",
    "load_test_log": "cutover.logs",
    "parse_calendar": "cutover.calendar",
    "parse_date": "cutover.wareki",
    "parse_fuzzy": "cutover.wareki",
    "parse_shift": "cutover.timeline",
    "plan": "cutover.planner",
    "plan_ics": "cutover.render.ics",
    "plan_json": "cutover.render.plan",
    "progress_by_week": "cutover.progress",
    "registry_template": "cutover.registry",
    "render_checklist": "cutover.render.checklist",
    "render_index": "cutover.render.checklist",
    "shipped_calendars": "cutover.calendar",
    "summarize": "cutover.summary",
    "summary_json": "cutover.summary",
    "timeline_ics": "cutover.render.ics",
    "timeline_json": "cutover.render.timeline",
    "timeline_markdown": "cutover.render.timeline",
    "timeline_svg": "cutover.render.svg",
    "triage_file": "cutover.triage",
    "validate_code": "cutover.codes",
    "what_if": "cutover.timeline",
    "write_checklists": "cutover.render.checklist",
    "write_triage": "cutover.render.triage",
}


def __getattr__(name: str) -> Any:
    """Return a public name, importing its module on first use (PEP 562)."""
    module = _MODULE_OF.get(name)
    if module is None:
        msg = f"module 'cutover' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """Return the public names."""
    return sorted(__all__)
