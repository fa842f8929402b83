"""The JSON outputs' contract: every JSON the command line and the library write validates
against the schema shipped for it, and they share one vocabulary (docs/json.md)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import json
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from strategies import leaked, official_check_digit

import cutover
from cutover.cli.main import main
from cutover.errors import printable
from cutover.jp.personal_number import is_personal_number
from cutover.render.schemas import OUTPUTS, SCHEMA_VERSION, JsonOutput, json_schema

ROOT = Path(__file__).resolve().parent.parent
TOTTORI = ROOT / "examples" / "tottori"
AS_OF = dt.date(2018, 6, 25)
SHIFT = "duplicate-registration=+3bd"


def _script() -> ModuleType:
    """Return scripts/json_schemas.py as a module (it writes the schema files)."""
    spec = importlib.util.spec_from_file_location(
        "json_schemas", ROOT / "scripts" / "json_schemas.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("json_schemas", module)
    spec.loader.exec_module(module)
    return module


def validator(output: JsonOutput) -> Draft202012Validator:
    """Return a validator of one output's schema, formats checked."""
    return Draft202012Validator(
        json_schema(output), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def assert_valid(output: JsonOutput, data: object) -> None:
    """Assert that `data` validates against the schema of `output`, listing every error."""
    errors = [f"{e.json_path}: {e.message[:300]}" for e in validator(output).iter_errors(data)]
    assert errors == []


# --- the schemas themselves ----------------------------------------------------------------


def _formats(schema: object) -> set[str]:
    """Return every ``format`` a schema's parts name."""
    if isinstance(schema, dict):
        found = {schema["format"]} if isinstance(schema.get("format"), str) else set()
        return found.union(*map(_formats, schema.values()))
    if isinstance(schema, list):
        return set().union(*map(_formats, schema))
    return set()


def test_every_format_the_schemas_name_is_checked() -> None:
    """Every format a shipped schema names (date, date-time) is one the validator checks: a
    format it does not know (date-time without rfc3339-validator) passes any text unseen."""
    named = set().union(*(_formats(json_schema(output)) for output in OUTPUTS))
    assert {"date", "date-time"} <= named
    assert named <= set(Draft202012Validator.FORMAT_CHECKER.checkers)
    checked = validator("triage")
    moment = {"type": "string", "format": "date-time"}
    assert not Draft202012Validator(moment, format_checker=checked.format_checker).is_valid(
        "2018-06-31T10:00:00+09:00"
    )


@pytest.mark.parametrize("output", OUTPUTS)
def test_schema_is_a_valid_2020_12_schema(output: JsonOutput) -> None:
    """Each shipped schema is itself valid JSON Schema 2020-12, and states its version."""
    schema = json_schema(output)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["schema_version"] == {"type": "string", "const": SCHEMA_VERSION}
    assert schema["required"][0] == "schema_version"


@pytest.mark.parametrize("output", OUTPUTS)
def test_schema_files_are_regenerated(output: JsonOutput) -> None:
    """The committed schema files are what scripts/json_schemas.py makes (codes included):
    run it after changing an output."""
    committed = (ROOT / "cutover" / "schemas" / f"{output}.schema.json").read_text(encoding="utf-8")
    assert committed == _script().schema_text(output)


def test_one_calendar_object_in_every_schema() -> None:
    """Every schema defines the same calendar object and the same shift."""
    defs = [
        (json_schema(o)["$defs"]["calendar"], json_schema(o)["$defs"]["shift"]) for o in OUTPUTS
    ]
    assert all(d == defs[0] for d in defs)


def test_unknown_schema_is_refused() -> None:
    """Asking for a schema that does not exist names the ones that do."""
    with pytest.raises(ValueError, match="plan, summary"):
        json_schema("xml")  # type: ignore[arg-type]


def test_unknown_schema_s_message_masks_a_personal_number() -> None:
    """The name asked for is shown as every message shows a value: a personal number in
    it (a tool passing a field it read) is masked, never echoed."""
    number = next(f"12345678901{d}" for d in "0123456789" if is_personal_number(f"12345678901{d}"))
    with pytest.raises(ValueError, match=r"^no JSON output ") as caught:
        json_schema(number)  # type: ignore[arg-type]
    message = str(caught.value)
    assert number not in message
    assert message.startswith("no JSON output '")
    assert message.endswith("': the outputs are plan, summary, triage, timeline, hearings and diff")


def test_schemas_ship_in_the_package() -> None:
    """The schemas live inside the package folder (hatch puts every file of it in the wheel)
    and nothing in pyproject.toml leaves them out."""
    folder = Path(cutover.__file__).parent / "schemas"
    assert sorted(p.name for p in folder.glob("*.schema.json")) == sorted(
        f"{o}.schema.json" for o in OUTPUTS
    )
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'packages = ["cutover"]' in pyproject
    assert "exclude" not in pyproject.split("[tool.hatch.build.targets.wheel]")[1].split("\n[")[0]


@pytest.mark.parametrize(
    ("output", "data"),
    [
        ("plan", {"schema_version": SCHEMA_VERSION}),
        ("triage", {"schema_version": "0.9"}),
    ],
)
def test_schemas_catch_a_missing_key(output: JsonOutput, data: dict[str, Any]) -> None:
    """A document missing its keys, or of another version, does not validate."""
    assert list(validator(output).iter_errors(data))


# --- every JSON the command line writes ----------------------------------------------------


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a copy of the example, with a queries file that has rejected rows and a
    query id on two rows."""
    folder = tmp_path_factory.mktemp("tottori")
    for name in ("agencies.csv", "readiness.csv", "evidence.csv", "queries.csv"):
        shutil.copy(TOTTORI / name, folder / name)
    queries = (TOTTORI / "queries.csv").read_text(encoding="utf-8")
    extra = (
        "Q-DUP,318035,312011,2,2018-06-20T10:00:00,pending\n"
        "Q-DUP,318035,312011,21,2018-06-21T10:00:00,pending\n"
        "Q-BAD,318035,312011,2,2018-13-01,pending\n"
        "Q-BAD2,318035,312011,2,2018-06-20,??\n"
    )
    (folder / "messy.csv").write_text(queries + extra, encoding="utf-8")
    return folder


def _registry(folder: Path) -> list[str]:
    return [
        "--agencies",
        str(folder / "agencies.csv"),
        "--readiness",
        str(folder / "readiness.csv"),
        "--evidence",
        str(folder / "evidence.csv"),
        "--as-of",
        AS_OF.isoformat(),
    ]


CASES: list[tuple[JsonOutput, list[str], int]] = [
    ("plan", ["plan", "2018-07", "@registry"], 0),
    ("plan", ["plan", "2018-07", "@registry", "--shift", SHIFT], 0),
    ("plan", ["plan", "2018-07", "@registry", "--queries", "@queries"], 0),
    ("plan", ["plan", "2018-07", "@registry", "--lang", "en", "--shift", "effective=+1d"], 0),
    ("summary", ["summary", "2018-07", "@registry"], 0),
    ("summary", ["summary", "2018-07", "@registry", "--queries", "@queries", "--lang", "en"], 0),
    ("summary", ["summary", "2018-07", "@registry", "--prefecture", "31", "--shift", SHIFT], 0),
    (
        "summary",
        ["summary", "2018-07", "@registry", "--prefecture", "鳥取県", "--queries", "@messy"],
        1,
    ),
    ("triage", ["triage", "2018-07", "--queries", "@queries", "--as-of", "2018-06-25"], 0),
    ("triage", ["triage", "2018-07", "--queries", "@messy", "--as-of", "2018-06-25"], 1),
    (
        "triage",
        ["triage", "2018-07", "--queries", "@messy", "--as-of", "2018-07-03", "--lang", "en"],
        1,
    ),
    (
        "triage",
        ["triage", "2018-07", "--queries", "@queries", "--as-of", "2018-06-25", "--shift", SHIFT],
        0,
    ),
    ("timeline", ["timeline", "2018-07"], 0),
    ("timeline", ["timeline", "2018-07", "--shift", SHIFT, "--lang", "en"], 0),
    ("hearings", ["hearings", "2018-07", "@registry"], 0),
    ("hearings", ["hearings", "2018-07", "@registry", "--lang", "en", "--shift", SHIFT], 0),
    ("diff", ["diff", "2018-07", "@changed"], 0),
    ("diff", ["diff", "2018-07", "2018-07", "--lang", "en"], 0),
]


def _changed_calendar(folder: Path) -> Path:
    """Return a calendar that changes the cutoff's items, drops a revised item and an
    event's assumption: item numbers and absent values in the diff."""
    text = (ROOT / "calendars" / "2018-07.toml").read_text(encoding="utf-8")
    text = text.replace("items = [2, 21]", "items = [2]", 1)
    path = folder / "changed.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run_json(folder: Path, args: list[str], status: int, name: str) -> Any:
    """Run the command line with `args` (``@registry``, ``@queries``, … expanded) writing
    JSON to a file; return the document."""
    expanded: list[str] = []
    for arg in args:
        if arg == "@registry":
            expanded += _registry(folder)
        elif arg in ("@queries", "@messy"):
            expanded.append(str(folder / f"{arg[1:]}.csv"))
        elif arg == "@changed":
            expanded.append(str(_changed_calendar(folder)))
        else:
            expanded.append(arg)
    out = folder / f"{name}.json"
    assert main([*expanded, "--format", "json", "-o", str(out)]) == status
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("output", "args", "status"),
    CASES,
    ids=[" ".join(a for a in args if not a.startswith("@")) for _, args, _ in CASES],
)
def test_cli_json_validates(inputs: Path, output: JsonOutput, args: list[str], status: int) -> None:
    """Every JSON the command line writes validates against its shipped schema, and has
    its version and a what_if where one belongs (null without --shift)."""
    data = run_json(inputs, args, status, output)
    assert_valid(output, data)
    assert data["schema_version"] == SCHEMA_VERSION
    if output in ("plan", "summary", "timeline"):
        assert (data["what_if"] is None) == ("--shift" not in args)


def test_the_chase_list_says_which_due_dates_are_assumed(inputs: Path, tmp_path: Path) -> None:
    """Each entry to chase says as data whether its due date is the calendar's assumption
    (※仮定, the source gives none), as the plan's task says it with its ``assumption``: a
    tool no longer reads it out of the Japanese ``detail``. An entry with no task (a report
    not sent) has no due date to assume."""
    readiness = (inputs / "readiness.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "readiness.csv").write_text(
        "\n".join(r for r in readiness if not r.startswith("312011,")) + "\n", encoding="utf-8"
    )
    for name in ("agencies.csv", "evidence.csv"):
        shutil.copy(inputs / name, tmp_path / name)
    given = ["2018-07", "@registry", "--as-of", "2018-07-02"]
    summary = run_json(tmp_path, ["summary", *given], 0, "summary")
    assert_valid("summary", summary)
    plan = run_json(tmp_path, ["plan", *given], 0, "plan")
    tasks = {(a["code"], t["id"]): t for a in plan["agencies"] for t in a["tasks"]}
    chase = summary["chase"]
    for entry in chase:
        if entry["task"] is None:
            assert (entry["due"], entry["due_assumed"]) == (None, False)
            continue
        task = tasks[entry["code"], entry["task"]]
        assert entry["due"] == task["due"]
        assert entry["due_assumed"] is (task["assumption"] is not None)
        assert entry["due_assumed"] is ("※期限は仮定" in entry["detail"])
    seen = {(e["reason"], e["due_assumed"]) for e in chase}
    # (The modifications' 6/29 is assumed, §3 gives no day; registration's 6/30 is given.)
    assert {("no-reply", False), ("not-ready", True), ("hearing", False)} <= seen


def test_flags_and_chase_entries_name_their_side_and_systems(inputs: Path, tmp_path: Path) -> None:
    """A tool tells which systems an agency has not reported, and which modification a
    readiness flag is about, from ``side`` and ``systems`` (ids, as in readiness.csv), not
    from the Japanese message: here 鳥取市's local-tax query side, its row dropped. The chase
    entries carry their flag's; a flag or a hearing entry about no modification has null."""
    readiness = (inputs / "readiness.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "readiness.csv").write_text(
        "\n".join(r for r in readiness if not r.startswith("312011,local-tax,query,")) + "\n",
        encoding="utf-8",
    )
    shutil.copy(inputs / "agencies.csv", tmp_path / "agencies.csv")
    # (No evidence: 鳥取市's modification evidenced done would be no report to chase.)
    (tmp_path / "evidence.csv").write_text("code,task,date,detail\n", encoding="utf-8")
    plan = run_json(tmp_path, ["plan", "2018-07", "@registry"], 0, "plan")
    assert_valid("plan", plan)
    flags = {a["code"]: a["flags"] for a in plan["agencies"]}
    unknown = [f for f in flags["312011"] if f["code"] == "readiness-unknown"]
    assert [(f["side"], f["systems"], f["task"]) for f in unknown] == [
        ("query", ["local-tax"], None)
    ]
    about = {"provision-not-ready", "provision-not-ready-assumed", "query-not-ready"}
    about |= {"readiness-unknown", "readiness-plan-passed"}
    seen = set()
    for flag in (f for found in flags.values() for f in found):
        if flag["code"] in about:
            seen.add(flag["code"])
            assert flag["side"] in ("provision", "query")
            assert flag["systems"]
            if flag["task"] is not None:  # (the modification's task: modify-query:nhi)
                assert flag["task"] == f"modify-{flag['side']}:{flag['systems'][0]}"
                assert len(flag["systems"]) == 1
        elif flag["code"] != "evidence-before-modification":
            assert (flag["side"], flag["systems"]) == (None, None)
    assert {"readiness-unknown", "query-not-ready"} <= seen
    summary = run_json(tmp_path, ["summary", "2018-07", "@registry", "--lang", "en"], 0, "summary")
    assert_valid("summary", summary)
    chase = summary["chase"]
    no_reply = [e for e in chase if e["reason"] == "no-reply"]
    assert [(e["code"], e["side"], e["systems"]) for e in no_reply] == [
        ("312011", "query", ["local-tax"])
    ]
    for entry in chase:
        if entry["reason"] in ("hearing", "at-risk"):
            assert (entry["side"], entry["systems"]) == (None, None)
        elif entry["task"] is not None:
            flag = next(f for f in flags[entry["code"]] if f["task"] == entry["task"])
            assert (entry["side"], entry["systems"]) == (flag["side"], flag["systems"])


def test_flags_name_their_items(inputs: Path) -> None:
    """A flag about items lists their numbers (``items``): the new delegations, and the
    items of the requests a queries flag counts; a flag about no item has null."""
    plan = run_json(inputs, ["plan", "2018-07", "@registry", "--queries", "@queries"], 0, "plan")
    assert_valid("plan", plan)
    flags = [(a, f) for a in plan["agencies"] for f in a["flags"]]
    items = {(a["code"], f["code"]): f["items"] for a, f in flags if f["items"] is not None}
    assert items["318027", "new-delegation"] == [38]
    assert items["312011", "queries-to-answer"] == [2, 21]
    about = {"new-delegation", "queries-to-answer", "queries-outside-rule"}
    assert {code for _, code in items} == about
    assert all(f["items"] is None for _, f in flags if f["code"] not in about)


def test_flags_name_their_evidence_rows_and_query_counts(inputs: Path, tmp_path: Path) -> None:
    """A flag about evidence rows or log lines lists them (``evidence``: date, file, line, as
    the hearings' ``attempts``), every log line that did not count and not only the three its
    message names; a flag counting queries says how many, in all and of each item (``count``,
    ``counts``). A personal number in a file's name is masked there, as in the message."""
    (tmp_path / "agencies.csv").write_text(
        "code,name,kind,test_requested,provides,new_delegations\n"
        "312011,鳥取市,municipality,yes,2 8 21 52,\n"
        "312029,米子市,municipality,yes,2 8 52,\n",
        encoding="utf-8",
    )
    (tmp_path / "evidence.csv").write_text(
        "code,task,date,detail\n"
        "312011,regster:21,2018-05-28,mistyped\n"
        "312011,register:52,2018-05-01,before the window\n"
        "312011,register:8,2018-06-28,after the as-of date\n",
        encoding="utf-8",
    )
    number = "12345678901" + str(official_check_digit("12345678901"))
    registration = tmp_path / f"reg-{number}.csv"
    registration.write_text(
        "code,item,registered,records\n"
        + "".join(f"312011,2,2018-06-0{day},0\n" for day in (4, 5, 6, 7)),
        encoding="utf-8",
    )
    (tmp_path / "test.csv").write_text(
        "code,tested,result\n312029,2018-06-01,異常\n", encoding="utf-8"
    )
    args = ["plan", "2018-07", "--agencies", str(tmp_path / "agencies.csv")]
    args += ["--evidence", str(tmp_path / "evidence.csv"), "--queries", "@queries"]
    args += ["--registration-log", str(registration), "--test-log", str(tmp_path / "test.csv")]
    plan = run_json(inputs, [*args, "--as-of", AS_OF.isoformat()], 0, "evidence-plan")
    assert_valid("plan", plan)
    assert not leaked(json.dumps(plan, ensure_ascii=False))
    flags = {(a["code"], f["code"]): f for a in plan["agencies"] for f in a["flags"]}
    evidence = str(tmp_path / "evidence.csv")

    def row(date: str, line: int, file: str = evidence) -> dict[str, Any]:
        return {"date": date, "reason": None, "file": file, "line": line, "rows": None}

    assert flags["312011", "evidence-unknown-task"]["evidence"] == [row("2018-05-28", 2)]
    assert flags["312011", "evidence-before-window"]["evidence"] == [row("2018-05-01", 3)]
    assert flags["312011", "evidence-after-as-of"]["evidence"] == [row("2018-06-28", 4)]
    masked = printable(str(registration))
    assert number not in masked
    zero = [
        {"date": f"2018-06-0{day}", "reason": "zero-records", "file": masked, "line": line}
        | {"rows": 1}
        for line, day in enumerate((4, 5, 6, 7), start=2)
    ]
    assert flags["312011", "evidence-not-counted"]["evidence"] == zero
    failed = {"date": "2018-06-01", "reason": "failed-test", "file": str(tmp_path / "test.csv")}
    assert flags["312029", "test-failed"]["evidence"] == [failed | {"line": 2, "rows": 1}]
    to_answer = flags["312011", "queries-to-answer"]
    assert (to_answer["count"], to_answer["counts"]) == (
        3,
        [{"item": 2, "count": 2}, {"item": 21, "count": 1}],
    )
    counted = {code for (_, code), f in flags.items() if f["count"] is not None}
    assert counted == {"queries-to-answer", "queries-outside-rule"}
    for f in flags.values():
        assert (f["counts"] is None) is (f["count"] is None)
        if f["counts"] is not None:
            assert [c["item"] for c in f["counts"]] == f["items"]
            assert sum(c["count"] for c in f["counts"]) == f["count"]
    about = {"evidence-unknown-task", "evidence-before-window", "evidence-after-as-of"}
    about |= {"evidence-not-counted", "test-failed"}
    assert {code for (_, code), f in flags.items() if f["evidence"] is not None} == about


# --- one vocabulary ------------------------------------------------------------------------


def _calendar_objects(folder: Path, *extra: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for command, more in [
        ("plan", ["@registry"]),
        ("summary", ["@registry"]),
        ("hearings", ["@registry"]),
        ("triage", ["--queries", "@queries", "--as-of", "2018-06-25"]),
        ("timeline", []),
    ]:
        data = run_json(folder, [command, "2018-07", *more, *extra], 0, f"calendar-{command}")
        yield command, data["calendar"]


@pytest.mark.parametrize("extra", [(), ("--shift", SHIFT, "--lang", "en")])
def test_one_calendar_object(inputs: Path, extra: tuple[str, ...]) -> None:
    """Every output carries the same calendar object for the same calendar, shifts and
    language (triage adds its cutoff rule to it)."""
    found = dict(_calendar_objects(inputs, *extra))
    found["triage"].pop("cutoff")
    first = found["plan"]
    assert all(c == first for c in found.values()), found
    assert first["shifts"] == ([SHIFT] if extra else [])
    assert first["title"] == (first["title_en"] if extra else first["title_ja"])
    diff = run_json(inputs, ["diff", "2018-07", "2018-07", *extra[2:]], 0, "calendar-diff")
    assert {k: v for k, v in diff["old"].items() if k not in ("file", "shifts")} == {
        k: v for k, v in first.items() if k != "shifts"
    }


def test_shifts_are_written_one_way(inputs: Path) -> None:
    """A shift is the text --shift takes, wherever it appears."""
    timeline = run_json(inputs, ["timeline", "2018-07", "--shift", SHIFT], 0, "tl-shift")
    assert timeline["shifts"] == timeline["calendar"]["shifts"] == [SHIFT]
    shifted = [e["shifted"] for e in timeline["events"] if e["shifted"] is not None]
    assert shifted == [SHIFT]
    plan = run_json(inputs, ["plan", "2018-07", "@registry", "--shift", SHIFT], 0, "pl-shift")
    assert plan["what_if"]["shifts"] == plan["calendar"]["shifts"] == [SHIFT]


def test_triage_rows_carry_their_line(inputs: Path) -> None:
    """Every triage row has its line: two rows with one query id can be told apart, and
    the lines are the duplicates' lines."""
    data = run_json(
        inputs, ["triage", "2018-07", "--queries", "@messy", "--as-of", "2018-06-25"], 1, "lines"
    )
    assert all(isinstance(q["line"], int) for q in data["queries"])
    twice = [q["line"] for q in data["queries"] if q["query_id"] == "Q-DUP"]
    assert len(twice) == 2
    assert twice[0] != twice[1]
    assert {"query_id": "Q-DUP", "lines": twice, "files": None} in data["duplicates"]
    assert [r["line"] for r in data["rejected"]] == [twice[1] + 1, twice[1] + 2]


def test_summary_query_counts_add_up(inputs: Path) -> None:
    """The summary's query counts add up to its total, and equal triage's counts of the
    same file (outside-rule is among none) when every open request has a party in the
    registry, as in the example (elsewhere is 0); for one prefecture they still add up."""
    triage = run_json(
        inputs, ["triage", "2018-07", "--queries", "@messy", "--as-of", "2018-06-25"], 1, "t"
    )
    whole = run_json(inputs, ["summary", "2018-07", "@registry", "--queries", "@messy"], 1, "s")
    queries = whole["queries"]
    parts = ("provide-by-cutoff", "withdraw-and-reissue", "none", "rejected")
    assert sum(queries[k] for k in parts) == queries["total"]
    assert queries["elsewhere"] == 0
    assert {k: queries[k] for k in (*parts, "total")} == triage["counts"]
    assert queries["outside-rule"] == triage["outside_rule"] <= queries["none"]
    scoped = run_json(
        inputs,
        ["summary", "2018-07", "@registry", "--queries", "@messy", "--prefecture", "31"],
        1,
        "s13",
    )["queries"]
    assert sum(scoped[k] for k in parts) == scoped["total"] == queries["total"]


def test_codes_beside_localized_texts(inputs: Path) -> None:
    """A moved due date gives its reason in the run's language and a code the same in both;
    a flag's remedy is the first of its remedies (docs/json.md)."""
    by_lang = {
        lang: run_json(inputs, ["plan", "2018-07", "@registry", "--lang", lang], 0, f"p-{lang}")
        for lang in ("ja", "en")
    }
    tasks = {
        lang: [t for a in data["agencies"] for t in a["tasks"]] for lang, data in by_lang.items()
    }
    moved = [
        (ja, en) for ja, en in zip(tasks["ja"], tasks["en"], strict=True) if ja["due_moved_from"]
    ]
    assert moved
    for ja, en in moved:
        assert ja["due_moved_reason"] != en["due_moved_reason"]
        assert ja["due_moved_code"] == en["due_moved_code"] == "saturday"
    assert all(t["due_moved_code"] is None for t in tasks["ja"] if t["due_moved_from"] is None)
    flags = [f for a in by_lang["ja"]["agencies"] for f in a["flags"]]
    assert any(len(f["remedies"]) > 1 for f in flags)
    for flag in flags:
        assert flag["remedy"] == (flag["remedies"][0] if flag["remedies"] else None)


def test_diff_items_are_integers_and_absent_is_null(inputs: Path) -> None:
    """The diff writes item numbers as integers and an absent value as null, never ""."""
    data = run_json(inputs, ["diff", "2018-07", "@changed"], 0, "diff")
    cutoff = next(c for c in data["changes"] if c["section"] == "cutoff")
    assert cutoff["fields"][0] == {"field": "items", "old": [2, 21], "new": [2]}
    old = cutover.load_calendar("2018-07")
    text = (ROOT / "calendars" / "2018-07.toml").read_text(encoding="utf-8")
    start = text.index("[[items]]", text.index("[[items]]") + 1)
    end = text.index("[[", start + 2)
    removed = cutover.parse_calendar(text[:start] + text[end:])
    from cutover.render.diff import diff_json

    found = diff_json(cutover.diff_calendars(old, removed))
    assert_valid("diff", found)
    item = next(c for c in found["changes"] if c["section"] == "items")
    assert item["kind"] == "removed"
    assert isinstance(item["id"], int)
    values = [f[side] for c in found["changes"] for f in c["fields"] for side in ("old", "new")]
    assert "" not in values


# --- every JSON the library writes ---------------------------------------------------------


@pytest.fixture(scope="module")
def library_plan() -> cutover.Plan:
    """Return the example's plan, made through the library."""
    timeline = cutover.build_timeline(cutover.load_calendar("2018-07"))
    registry = cutover.load_registry(
        TOTTORI / "agencies.csv", TOTTORI / "readiness.csv", [TOTTORI / "evidence.csv"]
    )
    return cutover.plan(timeline, registry, AS_OF)


def test_library_json_validates(library_plan: cutover.Plan) -> None:
    """plan_json, summary_json, timeline_json (of a timeline and of a what-if), the
    hearings and write_triage over rows all validate, in both languages."""
    calendar = library_plan.calendar
    for lang in ("ja", "en"):
        assert_valid("plan", cutover.plan_json(library_plan, lang=lang))
        summary = cutover.summarize(library_plan, prefecture="31")
        assert_valid("summary", cutover.summary_json(summary, lang=lang))
        chase = cutover.chase_list(library_plan, cutover.hearings(library_plan), prefecture="31")
        assert chase
        assert_valid("summary", cutover.summary_json(summary, lang=lang, chase=chase))
        assert_valid("timeline", cutover.timeline_json(library_plan.timeline, lang=lang))
        shifted = cutover.what_if(calendar, [cutover.parse_shift("duplicate-registration=+2bd")])
        assert_valid("timeline", cutover.timeline_json(shifted, lang=lang))
        assert_valid("hearings", cutover.hearings_json(cutover.hearings(library_plan), lang=lang))
    rule = library_plan.timeline.cutoff_dates()
    assert rule is not None
    rows = [
        {"query_id": "A", "querier": "318035", "provider": "312011", "item": "2",
         "requested": "2018-06-20", "status": "pending"},
        {"query_id": "A", "querier": "318035", "provider": "312011", "item": "21",
         "requested": "2018-06-21", "status": "pending"},
        {"query_id": "B", "querier": "318035", "provider": "312011", "item": "2",
         "requested": "yesterday", "status": "pending"},
    ]  # fmt: skip
    for calendar_ref in ("2018-07", calendar, library_plan.timeline):
        out = io.StringIO()
        with cutover.write_triage(rows, rule, AS_OF, out, fmt="json", calendar=calendar_ref):
            pass
        data = json.loads(out.getvalue())
        assert_valid("triage", data)
        assert data["calendar"]["id"] == "2018-07"
        assert data["counts"]["rejected"] == 1


# --- docs/json.md and the schemas ----------------------------------------------------------


def schema_keys(schema: dict[str, Any], node: object = None) -> set[str]:
    """Return every object key the schema defines (keys of maps keyed by code excluded)."""
    node = schema if node is None else node
    found: set[str] = set()
    if isinstance(node, dict):
        if "$ref" in node:
            found |= schema_keys(schema, schema["$defs"][node["$ref"].rsplit("/", 1)[1]])
        properties = node.get("properties", {})
        found |= set(properties)
        for child in (
            *properties.values(),
            node.get("items"),
            node.get("additionalProperties"),
            *node.get("anyOf", ()),
        ):
            if isinstance(child, dict):
                found |= schema_keys(schema, child)
    return found


def doc_keys(output: JsonOutput) -> set[str]:
    """Return every key docs/json.md shows in the shapes of one output's section."""
    doc = (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
    heading = f"\n## `cutover {output} "
    assert heading in doc, f"docs/json.md has no section for {output}"
    section = doc.split(heading, 1)[1].split("\n## ", 1)[0]
    shapes = re.findall(r"```text\n(.*?)```", section, flags=re.DOTALL)
    return set(re.findall(r'"([a-z][a-z0-9_-]*)"', "".join(shapes)))


@pytest.mark.parametrize("output", OUTPUTS)
def test_docs_show_every_key_of_the_schema(output: JsonOutput) -> None:
    """Every key a schema defines is in the shape docs/json.md shows for its output, and
    every key shown there is in the schema: the page and the contract cannot drift."""
    schema, shown = schema_keys(json_schema(output)), doc_keys(output)
    assert sorted(schema - shown) == [], "in the schema, not on the page"
    assert sorted(shown - schema) == [], "on the page, not in the schema"


def test_docs_write_the_version_the_outputs_carry() -> None:
    """Every version docs/json.md writes (the current one, each output's shape) is
    `SCHEMA_VERSION`, the one constant every output and schema carries: a bump moves the
    page with it."""
    doc = (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
    shapes = re.findall(r'"schema_version": "(\d[^"]*)"', doc)
    current = re.findall(r'\(now `"([^"]*)"`', doc)
    assert shapes
    assert current
    assert set(shapes) | set(current) == {SCHEMA_VERSION}
