"""Triage of outstanding queries around the provision cutoff (source §6).

The cutoff rule gives every query an `Action`, a due date and a `Reason`; `triage` applies it
to rows one by one, `triage_file` to a queries CSV a block of rows at a time, and
`TriageReport` counts, keeps rejected rows and finds duplicated query ids. The modules:
`model` (the classes), `parse` (reading values and rows), `rule` (the rule, once), `stream`
(rows and files) and `report`.
"""

from cutover.triage.model import (
    FAR_REQUEST_DAYS,
    JST,
    Action,
    CutoffRule,
    Duplicate,
    Query,
    QueryStatus,
    Reason,
    ReasonCode,
    TriageCounts,
    TriageResult,
)
from cutover.triage.parse import QUERY_COLUMNS, parse_item, parse_query_status, parse_requested
from cutover.triage.report import TriageReport
from cutover.triage.stream import triage, triage_file

#: `triage` under the name the package exports it by (`cutover.triage_rows`): `cutover.triage`
#: is this subpackage, which a function of the same name would be shadowed by.
triage_rows = triage

__all__ = [
    "FAR_REQUEST_DAYS",
    "JST",
    "QUERY_COLUMNS",
    "Action",
    "CutoffRule",
    "Duplicate",
    "Query",
    "QueryStatus",
    "Reason",
    "ReasonCode",
    "TriageCounts",
    "TriageReport",
    "TriageResult",
    "parse_item",
    "parse_query_status",
    "parse_requested",
    "triage",
    "triage_file",
    "triage_rows",
]
