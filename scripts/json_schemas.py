"""Regenerate the JSON Schemas of the JSON outputs (``cutover/schemas/*.schema.json``).

The schemas are the contract other tools read (docs/json.md); they are committed, and
tests/test_json_contract.py checks that they are what this script makes. Codes (flags,
statuses, reasons, …) are listed from the package's own enumerations, so that a new code
shows here as a diff to review. Run it after changing a JSON output, then review the diff:

    python scripts/json_schemas.py
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, get_args

from cutover.calendar.diff import SECTIONS, ChangeKind
from cutover.calendar.model import EventType
from cutover.inputs.model import AttemptReason
from cutover.jp.closed_days import ClosureCode
from cutover.jp.vocabulary import SYSTEMS, Actor, Kind, Side
from cutover.planning.chase import ChaseReason
from cutover.planning.flags import FlagCode, Severity
from cutover.planning.hearings import HearingReason
from cutover.planning.model import TaskStatus
from cutover.render.schemas import OUTPUTS, SCHEMA_VERSION
from cutover.schedule.model import CONFLICT_CODES
from cutover.triage import Action, QueryStatus, ReasonCode

SCHEMAS = Path(__file__).resolve().parent.parent / "cutover" / "schemas"
_ID = "https://cutover.invalid/schemas/{name}.schema.json"

Schema = dict[str, Any]

# --- building blocks -----------------------------------------------------------------------

STRING: Schema = {"type": "string"}
BOOL: Schema = {"type": "boolean"}
COUNT: Schema = {"type": "integer", "minimum": 0}
ITEM: Schema = {"type": "integer", "minimum": 1}
DATE: Schema = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
MOMENT: Schema = {
    "type": "string",
    "format": "date-time",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+09:00$",
}
CODE: Schema = {"type": "string", "pattern": r"^\d{6}$"}
SHIFT: Schema = {"type": "string", "pattern": r"^.+=[+-]?\d+(bd|d)$"}


def null(schema: Schema) -> Schema:
    """Return `schema` or null."""
    if set(schema) == {"type"} and isinstance(schema["type"], str):
        return {"type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def enum(values: Iterable[object]) -> Schema:
    """Return a string restricted to `values` (enum members give their values)."""
    return {"type": "string", "enum": [str(v) for v in values]}


def array(items: Schema) -> Schema:
    """Return an array of `items`."""
    return {"type": "array", "items": items}


def obj(properties: Mapping[str, Schema], *, optional: Iterable[str] = ()) -> Schema:
    """Return a closed object: these keys, all required but `optional`, no others."""
    skip = set(optional)
    return {
        "type": "object",
        "properties": dict(properties),
        "required": [k for k in properties if k not in skip],
        "additionalProperties": False,
    }


def ref(name: str) -> Schema:
    """Return a reference to a definition of the same schema."""
    return {"$ref": f"#/$defs/{name}"}


def counts(keys: Iterable[str]) -> Schema:
    """Return a closed object of counts."""
    return obj(dict.fromkeys(keys, COUNT))


KINDS = [k.value for k in Kind]
#: The counts of a queries file for the agencies of a plan or a summary (`queries_json`).
#: (Since 1.4: `elsewhere`, the open requests of which no agency is a party; and the
#: plan's `queries`.)
QUERY_TOTALS = counts(
    [
        "total",
        "provide-by-cutoff",
        "withdraw-and-reissue",
        "outside-rule",
        "rejected",
        "none",
        "elsewhere",
    ]
)
SYSTEM_IDS = [s.id for s in SYSTEMS]
#: The business systems a flag (or a chase entry) is about: one or more, each once.
SYSTEMS_ABOUT: Schema = {**array(enum(SYSTEM_IDS)), "minItems": 1, "uniqueItems": True}

#: The object every output carries as ``calendar`` (open here: an output may add a key,
#: and closes it with ``unevaluatedProperties``).
CALENDAR: Schema = {
    "type": "object",
    "description": "The calendar the output is made from; the same object in every output.",
    "properties": {
        "id": STRING,
        "title": null(STRING),
        "title_ja": null(STRING),
        "title_en": null(STRING),
        "effective": DATE,
        "source": null(STRING),
        "shifts": array(ref("shift")),
    },
    "required": ["id", "title", "title_ja", "title_en", "effective", "source", "shifts"],
}

CONFLICT = obj(
    {
        "code": enum(CONFLICT_CODES),
        "event": STRING,
        "other": null(STRING),
        "message": STRING,
        "fix": STRING,
        "message_ja": STRING,
        "fix_ja": STRING,
        "key": null(STRING),
    }
)

CUTOFF_DATES = {
    "items": array(ITEM),
    "last_provision": DATE,
    "answer_by": DATE,
    "effective": DATE,
    "reissue_from": DATE,
    "section": STRING,
}


def document(name: str, title: str, properties: Mapping[str, Schema], defs: Schema) -> Schema:
    """Return the schema of one output: a closed object starting with ``schema_version``."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": _ID.format(name=name),
        "title": title,
        "description": (
            f"Schema version {SCHEMA_VERSION} of the JSON of `{name}` (docs/json.md): the "
            "minor version grows when keys are added, the major version when one is removed "
            "or changes its meaning."
        ),
        **obj(
            {
                "schema_version": {"type": "string", "const": SCHEMA_VERSION},
                **properties,
            }
        ),
        "$defs": {"calendar": CALENDAR, "shift": SHIFT, **defs},
    }


def closed_calendar(**extra: Schema) -> Schema:
    """Return the ``calendar`` object with an output's own keys, and no others."""
    schema: Schema = {"$ref": "#/$defs/calendar", "unevaluatedProperties": False}
    if extra:
        schema["properties"] = extra
        schema["required"] = list(extra)
    return schema


# --- the outputs ---------------------------------------------------------------------------


def plan_schema() -> Schema:
    """Return the schema of ``cutover plan --format json`` (`cutover.plan_json`)."""
    task = obj(
        {
            "id": STRING,
            "title": STRING,
            "due": DATE,
            "start": null(DATE),
            "end": null(DATE),
            "status": enum(TaskStatus),
            "done_on": null(DATE),
            "title_ja": STRING,
            "title_en": STRING,
            "detail": STRING,
            "notes": array(STRING),
            "system": null(enum(SYSTEM_IDS)),
            "item": null(ITEM),
            "section": STRING,
            "due_moved_from": null(DATE),
            "due_moved_reason": null(STRING),
            "due_moved_code": null(enum(get_args(ClosureCode))),
            "start_moved_from": null(DATE),
            "assumption": null(STRING),
            "status_source": null(STRING),
            "hearing": BOOL,
            "too_late": BOOL,
        }
    )
    flag = obj(
        {
            "code": enum(FlagCode),
            "severity": enum(Severity),
            "message": STRING,
            "remedy": null(STRING),
            "task": null(STRING),
            "remedies": array(STRING),
            "section": null(STRING),
            # (Since 1.4: the modifications the flag is about, as ids.)
            "side": null(enum(Side)),
            "systems": null(SYSTEMS_ABOUT),
            # (Since 1.4: the items the flag is about.)
            "items": null({**array(ITEM), "minItems": 1, "uniqueItems": True}),
            # (Since 1.4: how many queries it counts, in all and of each item.)
            "count": null({"type": "integer", "minimum": 1}),
            "counts": null(
                {
                    **array(obj({"item": ITEM, "count": {"type": "integer", "minimum": 1}})),
                    "minItems": 1,
                }
            ),
            # (Since 1.4: the evidence rows and log lines it is about, as the hearings'
            # attempts are written; reason and rows null for an evidence row.)
            "evidence": null(
                {**array(evidence_row(reason=null(enum(AttemptReason)))), "minItems": 1}
            ),
        }
    )
    agency = obj(
        {
            "code": CODE,
            "name": STRING,
            "kind": enum(KINDS),
            "test_requested": BOOL,
            "provides": array(ITEM),
            "new_delegations": array(ITEM),
            "done": COUNT,
            "applicable": COUNT,
            "tasks": array(ref("task")),
            "flags": array(ref("flag")),
        }
    )
    moved = obj(
        {
            "task": STRING,
            "code": CODE,
            "old_due": DATE,
            "new_due": DATE,
            "old_start": null(DATE),
            "new_start": null(DATE),
            "old_status": enum(TaskStatus),
            "new_status": enum(TaskStatus),
        }
    )
    what_if = obj(
        {
            "shifts": array(ref("shift")),
            "moved": array(moved),
            "new_conflicts": array(ref("conflict")),
            "resolved_conflicts": array(ref("conflict")),
        }
    )
    return document(
        "plan",
        "cutover plan",
        {
            "calendar": closed_calendar(),
            "as_of": DATE,
            "readiness_given": BOOL,
            "agencies": array(ref("agency")),
            "queries": null(QUERY_TOTALS),
            "what_if": null(what_if),
        },
        {"agency": agency, "task": task, "flag": flag, "conflict": CONFLICT},
    )


def summary_schema() -> Schema:
    """Return the schema of ``cutover summary --format json`` (`cutover.summary_json`)."""
    kinds_total = counts([*KINDS, "total"])
    side = {
        "type": "object",
        "propertyNames": enum(SYSTEM_IDS),
        "additionalProperties": kinds_total,
    }
    sides = obj({"provision": side, "query": side})
    moved = obj(
        {
            "task": STRING,
            "template": STRING,
            "old_due": DATE,
            "new_due": DATE,
            "old_start": null(DATE),
            "new_start": null(DATE),
            "agencies": COUNT,
            "tasks": COUNT,
        }
    )
    conflict = obj({"code": enum(CONFLICT_CODES), "event": STRING, "other": null(STRING)})
    what_if = obj(
        {
            "shifts": array(ref("shift")),
            "moved": array(moved),
            "new_conflicts": array(conflict),
            "resolved_conflicts": array(conflict),
        }
    )
    chase = obj(
        {
            "code": CODE,
            "name": STRING,
            "kind": enum(KINDS),
            "reason": enum(ChaseReason),
            "reason_text": STRING,
            # (Since 1.4: every reason the entry stands for, `reason` first: a done date
            # after the as-of date that also makes the modification late says both.)
            "reasons": array(enum(ChaseReason)),
            "task": null(STRING),
            "due": null(DATE),
            # (Since 1.4: the due date is the calendar's assumption, ※, not the source's.)
            "due_assumed": BOOL,
            "missing": STRING,
            "detail": null(STRING),
            # (Since 1.4: the modifications a readiness reason is about, as ids.)
            "side": null(enum(Side)),
            "systems": null(SYSTEMS_ABOUT),
        }
    )
    return document(
        "summary",
        "cutover summary",
        {
            "calendar": closed_calendar(),
            "as_of": DATE,
            "effective": DATE,
            "prefecture": null(obj({"code": CODE, "name": STRING})),
            "agencies": counts(KINDS),
            "readiness_given": BOOL,
            "not_ready": ref("sides"),
            "unknown": ref("sides"),
            # Keyed by code (every code, 0 included): codes are listed in docs/flags.md.
            "flags": {
                "type": "object",
                "propertyNames": enum(FlagCode),
                "additionalProperties": COUNT,
                "required": [c.value for c in FlagCode],
            },
            "severities": counts(s.value for s in Severity),
            "hearings": counts(["candidates", "at_risk"]),
            "queries": null(QUERY_TOTALS),
            "what_if": null(what_if),
            # The agencies to chase (`cutover.planning.chase`); null from a program that
            # gives none to `summary_json`.
            "chase": null(array(chase)),
        },
        {"sides": sides},
    )


def triage_schema() -> Schema:
    """Return the schema of ``cutover triage --format json`` (`cutover.write_triage`)."""
    cutoff = obj({**CUTOFF_DATES, "what_if": array(ref("shift"))})
    query = obj(
        {
            "query_id": STRING,
            "querier": CODE,
            "provider": CODE,
            "item": ITEM,
            "requested": MOMENT,
            "status": enum(QueryStatus),
            "action": enum(a for a in Action if a is not Action.NONE),
            "due": DATE,
            "reason": STRING,
            "reason_code": enum(ReasonCode),
            "line": ITEM,
            "file": null(STRING),
            "note": null(STRING),
        }
    )
    return document(
        "triage",
        "cutover triage",
        {
            "calendar": closed_calendar(cutoff=cutoff),
            "as_of": DATE,
            "counts": counts(
                ["total", "provide-by-cutoff", "withdraw-and-reissue", "none", "rejected"]
            ),
            "queries": array(query),
            "rejected": array(
                obj(
                    {
                        "line": null(ITEM),
                        "file": null(STRING),
                        "code": null(STRING),
                        "message": STRING,
                    }
                )
            ),
            "duplicates": array(
                obj({"query_id": STRING, "lines": array(ITEM), "files": null(array(STRING))})
            ),
            "outside_rule": COUNT,
        },
        {},
    )


def timeline_schema() -> Schema:
    """Return the schema of ``cutover timeline --format json`` (`cutover.timeline_json`)."""
    # A closed day a date stays on (not moved off it): why, as a code and in each language.
    closed_day = null(obj({"code": enum(get_args(ClosureCode)), "ja": STRING, "en": STRING}))
    event = obj(
        {
            "id": STRING,
            "type": enum(get_args(EventType)),
            "title_ja": STRING,
            "title_en": STRING,
            "actor": enum(Actor),
            "section": STRING,
            "assumption": null(STRING),
            "assumption_en": null(STRING),
            "assumed_from": null(STRING),
            "start": null(DATE),
            "end": null(DATE),
            "due": DATE,
            "opening": DATE,
            "moved": BOOL,
            "closed_reason": null(obj({"ja": STRING, "en": STRING})),
            "closed_code": null(enum(get_args(ClosureCode))),
            "opening_closed": closed_day,
            "due_closed": closed_day,
            "derived": BOOL,
            "shifted": null(ref("shift")),
            "latest_start": null(DATE),
            "latest_end": null(DATE),
            "slack_days": {"type": ["integer", "null"]},
            "critical": BOOL,
        }
    )
    recurring = obj(
        {
            "id": STRING,
            "title_ja": STRING,
            "title_en": STRING,
            "date": DATE,
            "date_closed": closed_day,
            "actor": enum(Actor),
            "section": STRING,
            "assumption": null(STRING),
            "assumption_en": null(STRING),
        }
    )
    move = obj({"event": STRING, "before": DATE, "after": DATE})
    what_if = obj(
        {
            "moved": array(move),
            "moved_openings": array(move),
            "new_conflicts": array(ref("conflict")),
            "resolved_conflicts": array(ref("conflict")),
        }
    )
    return document(
        "timeline",
        "cutover timeline",
        {
            "calendar": closed_calendar(),
            "events": array(ref("event")),
            "conflicts": array(ref("conflict")),
            "critical_path": array(STRING),
            "cutoff": null(obj(CUTOFF_DATES)),
            "recurring": array(recurring),
            "shifts": array(ref("shift")),
            "what_if": null(what_if),
        },
        {"event": event, "conflict": CONFLICT},
    )


def evidence_row(*, reason: Schema) -> Schema:
    """Return the schema of an evidence row or log line as the outputs write it
    (`cutover.render.schemas.evidence_json`), with the `reason` a log line gives."""
    return obj(
        {
            "date": DATE,
            "reason": reason,
            "file": null(STRING),
            "line": null(ITEM),
            "rows": {"type": ["integer", "null"]},
        }
    )


def hearings_schema() -> Schema:
    """Return the schema of ``cutover hearings --format json`` (`cutover.hearings_json`)."""
    attempt = evidence_row(reason=enum(AttemptReason))
    missing = obj(
        {
            "task": STRING,
            "title": STRING,
            "due": DATE,
            # (Since 1.4: the due date is the calendar's assumption, ※, not the source's.)
            "due_assumed": BOOL,
            "reason": enum(HearingReason),
            "reason_text": STRING,
            "status": enum(TaskStatus),
            "start": null(DATE),
            "done_on": null(DATE),
            "item": null(ITEM),
            "past_data": BOOL,
            "new_delegation": BOOL,
            "section": STRING,
            "notes": array(STRING),
            "attempts": array(attempt),
        }
    )
    agency = obj({"code": CODE, "name": STRING, "kind": enum(KINDS), "missing": array(missing)})
    group = obj({"code": CODE, "name": STRING, "agencies": array(agency)})
    return document(
        "hearings",
        "cutover hearings",
        {
            "calendar": closed_calendar(),
            "as_of": DATE,
            "counts": counts(["candidates", "at_risk"]),
            "prefectures": array(ref("group")),
            "at_risk": array(ref("group")),
        },
        {"group": group},
    )


def diff_schema() -> Schema:
    """Return the schema of ``cutover diff --format json`` (`cutover.render.diff.diff_json`)."""
    declared = obj({"start": DATE, "end": DATE})
    value = {
        "anyOf": [
            {"type": ["string", "integer", "boolean", "null"]},
            declared,
            array({"type": ["string", "integer"]}),
        ]
    }
    field = obj({"field": STRING, "old": value, "new": value})
    change = obj(
        {
            "section": enum(SECTIONS),
            "kind": enum(get_args(ChangeKind)),
            "id": {"type": ["string", "integer"]},
            "title_ja": null(STRING),
            "title_en": null(STRING),
            "fields": array(field),
        }
    )
    return document(
        "diff",
        "cutover diff",
        {
            "old": closed_calendar(file=null(STRING)),
            "new": closed_calendar(file=null(STRING)),
            "identical": BOOL,
            "counts": counts(["added", "removed", "changed"]),
            "changes": array(change),
        },
        {},
    )


BUILDERS = {
    "plan": plan_schema,
    "summary": summary_schema,
    "triage": triage_schema,
    "timeline": timeline_schema,
    "hearings": hearings_schema,
    "diff": diff_schema,
}
assert tuple(BUILDERS) == OUTPUTS


def schema_text(output: str) -> str:
    """Return the text of one output's schema file, as committed."""
    return json.dumps(BUILDERS[output](), ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    """Write every schema file; return the exit code."""
    SCHEMAS.mkdir(exist_ok=True)
    for output in OUTPUTS:
        path = SCHEMAS / f"{output}.schema.json"
        path.write_text(schema_text(output), encoding="utf-8", newline="\n")
        print(path.relative_to(SCHEMAS.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
