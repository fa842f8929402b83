"""The public API of `cutover`: what other tools may import."""

from __future__ import annotations

import subprocess
import sys

import pytest

import cutover

EXPECTED = {
    "Action", "Adjustment", "Agency", "AgencyPlan", "ClosedDays", "Conflict", "CutoffRule",
    "CutoverError", "DateRange", "Evidence", "Flag", "FlagCode", "JAPAN", "Plan", "Problem",
    "Query", "QueryStatus", "Readiness", "Registry", "RevisionCalendar", "Severity", "Shift",
    "Summary", "Task", "TaskStatus", "Timeline", "TriageReport", "TriageResult", "WhatIf",
    "build_timeline", "format_english", "format_wareki", "load_agencies", "load_calendar",
    "load_evidence", "load_readiness", "load_registry", "parse_calendar", "parse_date",
    "parse_fuzzy", "parse_shift", "plan", "plan_ics", "plan_json", "registry_template",
    "render_checklist", "render_index", "shipped_calendars", "summarize", "summary_json",
    "timeline_ics", "timeline_json", "timeline_svg", "timeline_markdown", "triage_file",
    "validate_code", "what_if", "write_checklists", "write_triage",
    "Hearings", "hearing_candidates", "LogEvidence", "load_registration_log", "load_test_log",
    "CalendarDiff", "diff_calendars", "PlanChanges", "compare_plans", "progress_by_week",
}  # fmt: skip


def test_all_is_pinned() -> None:
    """The public names are exactly the documented ones: removing one breaks other tools."""
    assert set(cutover.__all__) == EXPECTED


def test_all_is_sorted_and_unique() -> None:
    """__all__ is sorted (upper-case constants first, as ruff sorts it) and has no repeats."""
    assert len(cutover.__all__) == len(set(cutover.__all__))
    assert list(cutover.__all__) == sorted(cutover.__all__, key=lambda n: (not n.isupper(), n))


def test_every_public_name_resolves() -> None:
    """Every name in __all__ can be imported from the package."""
    for name in cutover.__all__:
        assert getattr(cutover, name) is not None, name


def test_unknown_name_is_an_attribute_error() -> None:
    """A misspelt name fails like any missing attribute."""
    with pytest.raises(AttributeError, match="load_calender"):
        cutover.load_calender  # noqa: B018


def test_import_is_lean() -> None:
    """Importing cutover loads neither networkx, jinja2 nor the holiday tables."""
    code = "import sys, cutover; print(sorted({'networkx','jinja2','holidays'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
