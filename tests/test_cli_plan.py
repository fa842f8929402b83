"""Tests for the `plan`, `checklists` and `summary` commands of the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from cutover.cli.main import main
from cutover.i18n.catalogue import Lang
from cutover.i18n.catalogue import text as catalogue_text

AGENCIES = (
    "code,name,kind,test_requested,provides,new_delegations\n"
    "130001,東京都,prefecture,yes,2 8 21,\n"
    '131016,千代田区,municipality,no,"2,21",52\n'
    "138509,例示広域連合,association,no,,\n"
)
READINESS = (
    "code,system,side,status,planned\n"
    "131016,nhi,provision,not-started,\n"
    "131016,地方税務,照会,予定,2018-07-15\n"
)
EVIDENCE = "code,task,date,detail\n130001,register:2,H30.6.20,\n"


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    """Return the paths of a small agencies.csv, readiness.csv and evidence.csv."""
    files = {"agencies": AGENCIES, "readiness": READINESS, "evidence": EVIDENCE}
    paths = {}
    for name, text in files.items():
        path = tmp_path / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        paths[name] = path
    return paths


def registry_args(inputs: dict[str, Path], *, readiness: bool = True) -> list[str]:
    """Return the registry arguments for the input files, as of 2018-06-20."""
    args = ["--agencies", str(inputs["agencies"]), "--as-of", "2018-06-20"]
    if readiness:
        args += ["--readiness", str(inputs["readiness"]), "--evidence", str(inputs["evidence"])]
    return args


# --- plan ------------------------------------------------------------------------------------


def test_plan_json(inputs: dict[str, Path], tmp_path: Path) -> None:
    """`plan` writes the plan JSON to -o and exits 0."""
    out = tmp_path / "plan.json"
    assert main(["plan", "2018-07", *registry_args(inputs), "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [a["code"] for a in data["agencies"]] == ["130001", "131016", "138509"]
    assert data["as_of"] == "2018-06-20"
    register = next(t for t in data["agencies"][0]["tasks"] if t["id"] == "register:2")
    assert register["status"] == "done"


def test_plan_csv_stdout(inputs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    """`plan --format csv` writes one row per task to stdout."""
    assert main(["plan", "2018-07", *registry_args(inputs), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][:4] == ["code", "name", "kind", "task"]
    assert {r[0] for r in rows[1:]} == {"130001", "131016", "138509"}


def test_plan_markdown_english(inputs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    """`plan --format md --lang en` writes the English Markdown plan."""
    assert main(["plan", "2018-07", *registry_args(inputs), "--format", "md", "--lang", "en"]) == 0
    assert capsys.readouterr().out.startswith("# July 2018 data standard layout revision: plan")


def test_plan_shift(inputs: dict[str, Path], tmp_path: Path) -> None:
    """`--shift` moves the timeline the plan is made from."""
    out = tmp_path / "plan.json"
    args = ["plan", "2018-07", *registry_args(inputs), "-o", str(out)]
    assert main([*args, "--shift", "inter-agency-test=+2bd"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    test = next(t for t in data["agencies"][0]["tasks"] if t["id"] == "inter-agency-test")
    assert (test["start"], test["end"]) == ("2018-05-09", "2018-06-26")
    assert data["calendar"]["shifts"] == ["inter-agency-test=+2bd"]


@pytest.mark.parametrize("level", ["error", "warning"])
def test_fail_on_exits_3_after_writing(inputs: dict[str, Path], tmp_path: Path, level: str) -> None:
    """`--fail-on` exits 3 when such flags exist, and the output is written all the same."""
    out = tmp_path / "plan.json"
    args = ["plan", "2018-07", *registry_args(inputs), "-o", str(out), "--fail-on", level]
    assert main(args) == 3
    assert json.loads(out.read_text(encoding="utf-8"))["agencies"]


def test_fail_on_not_met(inputs: dict[str, Path], tmp_path: Path) -> None:
    """`--fail-on warning` exits 0 when there are only info flags."""
    out = tmp_path / "plan.json"
    args = ["plan", "2018-07", "--agencies", str(inputs["agencies"]), "--as-of", "2018-04-02"]
    assert main([*args, "-o", str(out), "--fail-on", "warning"]) == 0
    assert main([*args, "-o", str(out), "--fail-on", "error"]) == 0


def test_missing_agencies_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing agencies file exits 1 with one `cutover: …` line naming it, no traceback."""
    missing = tmp_path / "nope.csv"
    assert main(["plan", "2018-07", "--agencies", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"cutover: {missing}")
    assert "Traceback" not in err


def test_bad_registry_reports_every_file(
    inputs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Problems in several input files are all reported, one line each, exit 1."""
    inputs["readiness"].write_text(
        "code,system,side,status,planned\n131016,nhi,provision,bogus,\n", encoding="utf-8"
    )
    inputs["evidence"].write_text("code,task,date,detail\n131016,register:2,never,\n", "utf-8")
    assert main(["plan", "2018-07", *registry_args(inputs)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2
    assert all(line.startswith("cutover: ") for line in lines)


def test_agencies_required(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --agencies, `plan` is a usage error (exit 2)."""
    with pytest.raises(SystemExit) as caught:
        main(["plan", "2018-07"])
    assert caught.value.code == 2
    assert "--agencies" in capsys.readouterr().err


def test_bad_as_of(inputs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    """An --as-of that is not a date is a usage error that says why."""
    with pytest.raises(SystemExit) as caught:
        main(["plan", "2018-07", "--agencies", str(inputs["agencies"]), "--as-of", "someday"])
    assert caught.value.code == 2
    assert "someday" in capsys.readouterr().err


# --- checklists ------------------------------------------------------------------------------


def test_checklists(
    inputs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`checklists` writes one file per agency and index.md, and says where they are."""
    out = tmp_path / "out"
    assert main(["checklists", "2018-07", *registry_args(inputs), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "130001.md",
        "131016.md",
        "138509.md",
        "index.md",
    ]
    printed = capsys.readouterr().out
    assert printed == (
        f"チェックリスト 3 件を {out} に書き出しました。まず {out / 'index.md'} を開いてください\n"
    )
    assert (
        main(["checklists", "2018-07", *registry_args(inputs), "--out", str(out), "--lang", "en"])
        == 0
    )
    assert (
        capsys.readouterr().out == f"wrote 3 checklists to {out}; start with {out / 'index.md'}\n"
    )


def test_checklists_english_fail_on(inputs: dict[str, Path], tmp_path: Path) -> None:
    """`checklists --lang en --fail-on error` writes English files, then exits 3."""
    out = tmp_path / "out"
    args = ["checklists", "2018-07", *registry_args(inputs), "--out", str(out), "--lang", "en"]
    assert main([*args, "--fail-on", "error"]) == 3
    assert (out / "131016.md").read_text(encoding="utf-8").startswith("# 千代田区: checklist")


def test_checklists_user_template_error(
    inputs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken user template exits 1 with one line naming the template file and line."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "checklist.md.j2").write_text("{{ page.title }}\n{{ page.oops }}\n", "utf-8")
    args = ["checklists", "2018-07", *registry_args(inputs), "--out", str(tmp_path / "out")]
    assert main([*args, "--templates", str(templates)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"cutover: {templates / 'checklist.md.j2'}:2: ")
    assert not (tmp_path / "out").exists()


def test_checklists_user_task_item_template(inputs: dict[str, Path], tmp_path: Path) -> None:
    """A user's checklist_task.md.j2 alone changes every task's item; the rest of the page
    stays the shipped one."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "checklist_task.md.j2").write_text(
        "- {{ task.id }} / {{ labels.due }} {{ task.due }}\n", "utf-8"
    )
    out = tmp_path / "out"
    args = ["checklists", "2018-07", *registry_args(inputs), "--out", str(out)]
    assert main([*args, "--templates", str(templates)]) == 0
    page = (out / "131016.md").read_text(encoding="utf-8")
    assert "- `modify-provision:local-tax` / 期限 平成30年6月29日（金）" in page
    assert "  - 状況: " not in page
    assert page.startswith("# 千代田区 チェックリスト")


def test_checklists_user_task_item_template_html(inputs: dict[str, Path], tmp_path: Path) -> None:
    """A user's checklist_task.html.j2 changes every task on the HTML pages, printed as the
    HTML it is (not escaped again), its strings as the HTML of their Markdown."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "checklist_task.html.j2").write_text(
        '<p class="mine">{{ task.id }} {{ labels.due }} {{ task.due }}</p>\n', "utf-8"
    )
    out = tmp_path / "out"
    args = ["checklists", "2018-07", *registry_args(inputs), "--out", str(out), "--format"]
    assert main([*args, "html", "--templates", str(templates)]) == 0
    page = (out / "131016.html").read_text(encoding="utf-8")
    assert '<p class="mine"><code>modify-provision:local-tax</code> 期限 ' in page
    assert '<section class="task' not in page


def test_checklists_user_task_item_template_error(
    inputs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken task item template gives one line naming that file and its line, not the page
    template that printed it."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "checklist_task.md.j2").write_text("- {{ task.id }}\n{{ task.oops }}\n", "utf-8")
    args = ["checklists", "2018-07", *registry_args(inputs), "--out", str(tmp_path / "out")]
    assert main([*args, "--templates", str(templates)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"cutover: {templates / 'checklist_task.md.j2'}:2: ")
    assert not (tmp_path / "out").exists()


def test_checklists_missing_templates_dir(
    inputs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A templates directory that does not exist exits 1 with one line."""
    args = ["checklists", "2018-07", *registry_args(inputs), "--out", str(tmp_path / "out")]
    assert main([*args, "--templates", str(tmp_path / "nope")]) == 1
    assert capsys.readouterr().err.count("\n") == 1


# --- summary ---------------------------------------------------------------------------------


def test_summary_markdown(inputs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    """`summary` prints the §3 survey table in Markdown by default."""
    assert main(["summary", "2018-07", *registry_args(inputs)]) == 0
    out = capsys.readouterr().out
    assert "| 情報照会に係る対応状況 | 未対応団体数 | 1 |" in out
    assert "※調査対象（1都道府県、1市区町村、1一部事務組合・広域連合）" in out


def test_summary_json_prefecture(inputs: dict[str, Path], tmp_path: Path) -> None:
    """`summary --format json --prefecture` writes the JSON summary of one prefecture."""
    out = tmp_path / "summary.json"
    args = ["summary", "2018-07", *registry_args(inputs), "--format", "json", "-o", str(out)]
    assert main([*args, "--prefecture", "東京都"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["prefecture"] == {"code": "130001", "name": "東京都"}
    assert data["not_ready"]["query"]["local-tax"]["municipality"] == 1
    assert data["not_ready"]["provision"]["nhi"]["total"] == 1


def test_summary_fail_on(inputs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    """`summary --fail-on error` exits 3 when an agency is not ready on the provision side."""
    assert main(["summary", "2018-07", *registry_args(inputs), "--fail-on", "error"]) == 3
    assert "未対応団体数" in capsys.readouterr().out


def test_summary_other_prefecture(
    inputs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """A prefecture with no agency in the registry exits 1 with one line."""
    assert main(["summary", "2018-07", *registry_args(inputs), "--prefecture", "31"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "鳥取県" in err


# --- validate ----------------------------------------------------------------------------------


def test_validate_warns_of_evidence_the_checklists_would_not_count(
    inputs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`validate` says what the checklists would say of evidence rows: a task id the agency
    lacks, a date before the window, a date after the as-of date; --fail-on warning exits 3."""
    second = tmp_path / "evidence-2.csv"
    second.write_text(
        "code,task,date,detail\n"
        "131016,regster:21,2018-06-01,\n"  # a typo
        "131016,register:21,2018-05-01,\n"  # before the window opens (5/21)
        "138509,self-inspection,令和元年5月20日,\n",  # 2019: an era slip
        encoding="utf-8",
    )
    args = [
        "validate",
        "2018-07",
        "--agencies",
        str(inputs["agencies"]),
        "--evidence",
        str(inputs["evidence"]),
        "--evidence",
        str(second),
        "--as-of",
        "2018-07-02",
        "--lang",
        "en",
    ]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert f"{second}: 3 evidence row(s)" in captured.out
    warnings = captured.err.splitlines()
    assert len(warnings) == 3, warnings
    assert warnings[0].startswith(
        "cutover: warning: 131016 千代田区: evidence-before-window: Evidence for register:21 "
        "dated 2018-05-01 (Tue) (evidence-2.csv line 3)"
    )
    unknown = "evidence-unknown-task: Evidence row (evidence-2.csv line 2) names task 'regster:21'"
    assert unknown in warnings[1]
    assert warnings[2].startswith("cutover: warning: 138509 例示広域連合: evidence-after-as-of:")
    slip = "dated 2019-05-20 (Mon) (evidence-2.csv line 4), after the as-of date 2018-07-02 (Mon)"
    assert slip in warnings[2]
    assert main([*args, "--fail-on", "warning"]) == 3
    capsys.readouterr()
    # Japanese by default, like the other commands' output.
    assert main(args[:-2]) == 0
    assert "（evidence-2.csv 4行目）は基準日 平成30年7月2日（月） より後" in capsys.readouterr().err
    # Clean files: no warning, exit 0 even with --fail-on warning.
    clean = [*args[:6], "--as-of", "2018-07-02", "--fail-on", "warning"]
    assert main(clean) == 0
    assert capsys.readouterr().err == ""


# --- CSV for Excel -----------------------------------------------------------------------------

EXAMPLE = Path(__file__).parent.parent / "examples" / "tottori"


@pytest.mark.parametrize(
    "command",
    [
        ["plan", "2018-07", "--agencies", str(EXAMPLE / "agencies.csv"), "--as-of", "2018-06-25"],
        ["triage", "2018-07", "--queries", str(EXAMPLE / "queries.csv"), "--as-of", "2018-06-25"],
        [
            "hearings",
            "2018-07",
            "--agencies",
            str(EXAMPLE / "agencies.csv"),
            "--evidence",
            str(EXAMPLE / "evidence.csv"),
            "--as-of",
            "2018-06-25",
        ],
    ],
    ids=["plan", "triage", "hearings"],
)
def test_csv_file_has_a_bom_for_excel(
    command: list[str], tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """A CSV written with -o starts with a UTF-8 BOM (Excel reads UTF-8 Japanese as Shift_JIS
    without one); on standard output it does not, unless --bom is given; --no-bom drops it."""
    out = tmp_path / "out.csv"
    assert main([*command, "--format", "csv", "-o", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\xef\xbb\xbf") == 1
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header[0] in ("code", "照会番号", "list")  # (triage's header is Japanese by default)
    capsysbinary.readouterr()
    assert main([*command, "--format", "csv"]) == 0
    plain = capsysbinary.readouterr().out
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert plain == data[3:]
    assert main([*command, "--format", "csv", "--bom"]) == 0
    assert capsysbinary.readouterr().out == data
    assert main([*command, "--format", "csv", "--no-bom", "-o", str(out)]) == 0
    assert out.read_bytes() == plain
    # Only CSV: JSON never starts with a BOM.
    assert main([*command, "--format", "json", "-o", str(out.with_suffix(".json"))]) == 0
    assert out.with_suffix(".json").read_bytes().startswith(b"{")


@pytest.mark.parametrize("calendar", ["2018-07", "2018-11"])  # (a revision, a master delivery)
@pytest.mark.parametrize(
    ("as_of", "shown"),
    [
        ("1800-01-01", "'1800-01-01' is outside"),
        ("2150-06-30", "'2150-06-30' is outside"),
        ("令和100年1月1日", "'令和100年1月1日' (2118-01-01) is outside"),
    ],
)
def test_as_of_outside_the_known_years(
    inputs: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    as_of: str,
    shown: str,
    calendar: str,
) -> None:
    """An as-of date whose closed days are unknown is refused as written, with the range:
    not later, naming a day the user never wrote (1800-01-02), and not passed in silence
    (2150, every task simply overdue); in words that fit any calendar's kind."""
    args = ["plan", calendar, "--agencies", str(inputs["agencies"]), "--as-of", as_of]
    with pytest.raises(SystemExit) as caught:
        main([*args, "--lang", "en"])
    assert caught.value.code == 2
    last = capsys.readouterr().err.splitlines()[-1]
    assert last == (
        f"cutover: argument --as-of: {shown} the years whose closed days are known "
        "(1949–2099) — give a date from 1949-01-01 to 2099-12-31, near the date the calendar "
        "takes effect"
    )
    with pytest.raises(SystemExit):
        main(args)
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith(f"cutover: 引数 --as-of: 「{as_of}」")
    assert "は閉庁日が分かる年（1949年〜2099年）の範囲外です" in last
    # (Words that fit a revision and a master delivery alike: no kind is named.)
    assert last.endswith("カレンダーの適用開始日に近い日付を指定してください")


def test_init_template_bom_only_in_a_file(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """`init` writes its template with a BOM to a file (for Excel), without one to standard
    output, and reads back as the prefecture's agencies."""
    out = tmp_path / "agencies.csv"
    assert main(["init", "--prefecture", "31", "-o", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfcode,name,kind,")
    capsysbinary.readouterr()
    assert main(["init", "--prefecture", "31", "-o", "-"]) == 0
    assert capsysbinary.readouterr().out == data[3:]
    assert len(data.decode("utf-8-sig").splitlines()) == 1 + 20  # 鳥取県 and its 19


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_init_note_fits_the_file_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: Lang
) -> None:
    """After writing the workbook, `init` does not tell the coordinator to write the workbook
    (or to format the CSV's code column) to keep the codes' zeros: it says the workbook keeps
    them. After the CSV, it still says so."""
    to_csv = catalogue_text("inputs.template-note-csv", lang)
    kept = catalogue_text("inputs.template-note-xlsx", lang)
    assert main(["init", "--prefecture", "31", "-o", str(tmp_path / "a.xlsx"), "--lang", lang]) == 0
    note = capsys.readouterr().err
    assert "-o agencies.xlsx" not in note
    assert kept in note
    assert main(["init", "--prefecture", "31", "-o", str(tmp_path / "a.csv"), "--lang", lang]) == 0
    note = capsys.readouterr().err
    assert to_csv in note
    assert kept not in note


def test_checklists_replace_the_folder_as_a_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second run replaces the folder as a whole: the checklist of an agency dropped from
    the registry is left out (the command says so, once per file), the coordinator's own
    files stay, and no file of the first run survives beside the new ones."""
    out = tmp_path / "cs"
    agencies = EXAMPLE / "agencies.csv"
    args = ["checklists", "2018-07", "--as-of", "2018-06-25", "--out", str(out), "--lang", "en"]
    assert main([*args, "--agencies", str(agencies)]) == 0
    assert capsys.readouterr().err == ""
    first = {p.name: p.stat().st_ino for p in out.iterdir()}
    fewer = tmp_path / "agencies.csv"
    lines = agencies.read_text(encoding="utf-8").splitlines(keepends=True)
    fewer.write_text("".join(line for line in lines if not line.startswith("318035,")), "utf-8")
    (out / "notes.md").write_text("the coordinator's own notes\n", encoding="utf-8")
    (out / "sent").mkdir()
    (out / "sent" / "2018-06-01.txt").write_text("sent to 19 municipalities\n", encoding="utf-8")
    assert main([*args, "--agencies", str(fewer)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert (
        f"{out / '318035.md'} is removed: an earlier run's checklist, and "
        "318035 is not in the agencies file"
    ) in captured.out.splitlines()
    assert not (out / "318035.md").exists()
    assert (out / "notes.md").read_text(encoding="utf-8") == "the coordinator's own notes\n"
    assert (out / "sent" / "2018-06-01.txt").is_file()
    second = {p.name: p.stat().st_ino for p in out.iterdir() if p.name.endswith(".md")}
    assert not any(first.get(name) == ino for name, ino in second.items() if name != "notes.md")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".cs.")] == []


def test_checklists_say_every_page_they_remove(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every page a run removes is said, once, by the rule that removes it: the pages of a
    run with --names, replaced by pages named by the code alone, each with the page that
    replaces it; an agency's page gone from the registry, with its code (not the file's
    stem)."""
    out = tmp_path / "cs"
    args = ["checklists", "2018-07", "--as-of", "2018-06-01", "--out", str(out), "--lang", "en"]
    args += ["--agencies", str(EXAMPLE / "agencies.csv")]
    assert main([*args, "--names"]) == 0
    named = sorted(p.name for p in out.iterdir() if "_" in p.name)
    assert len(named) == 23
    (out / "318999_gone.md").write_text("an agency no longer in the registry\n", "utf-8")
    capsys.readouterr()
    assert main(args) == 0
    said = capsys.readouterr().out.splitlines()[1:]
    assert sorted(said) == sorted(
        [
            f"{out / '318999_gone.md'} is removed: an earlier run's checklist, and "
            "318999 is not in the agencies file",
            *(
                f"{out / name} is removed: an earlier run's checklist; this run wrote the same "
                f"agency's checklist to {out / (name[:6] + '.md')}"
                for name in named
            ),
        ]
    )
    assert not [p for p in out.iterdir() if "_" in p.name]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_checklists_in_the_other_format_replace_the_earlier_run_s_pages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: Lang
) -> None:
    """HTML written into a folder of an earlier run's Markdown replaces it, said in one line
    (not 24): the folder held 310000.md of a run without --queries (完了 15 / 18) beside
    310000.html of a run with them (15 / 21), and a coordinator sending the folder sent both."""
    out = tmp_path / "cs"
    args = ["checklists", "2018-07", "--as-of", "2018-06-25", "--out", str(out), "--lang", lang]
    args += ["--agencies", str(EXAMPLE / "agencies.csv")]
    assert main(args) == 0
    capsys.readouterr()
    assert main([*args, "--queries", str(EXAMPLE / "queries.csv"), "--format", "html"]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[1:] == [
        catalogue_text("cli.removed-other-format", lang, count=24, format="Markdown", out=str(out))
    ]
    assert sorted({p.suffix for p in out.iterdir()}) == [".html"]
    # One page of the other format is one page, in English too.
    (out / "index.md").write_text("an earlier run's index\n", encoding="utf-8")
    assert main([*args, "--format", "html"]) == 0
    said = capsys.readouterr().out.splitlines()
    one = catalogue_text(
        "cli.removed-other-format-one", lang, count=1, format="Markdown", out=str(out)
    )
    assert said[1:] == [one]


@pytest.mark.parametrize(
    ("as_of", "warned"),
    [
        ("2017-01-01", "--as-of 2017-01-01 is 546 days before the revision takes effect"),
        ("2017-06-30", None),  # a year and a day before: a plan made early is normal
        ("2019-07-02", None),
        ("2019-07-03", "--as-of 2019-07-03 is 367 days after"),
    ],
)
def test_as_of_far_from_the_revision_is_warned_of(
    inputs: dict[str, Path], capsys: pytest.CaptureFixture[str], as_of: str, warned: str | None
) -> None:
    """An as-of date over a year from the revision still plans, but asks to check the year."""
    args = ["plan", "2018-07", "--agencies", str(inputs["agencies"]), "--as-of", as_of]
    assert main([*args, "--lang", "en"]) == 0
    err = capsys.readouterr().err
    if warned is None:
        assert err == ""
    else:
        assert err.startswith(f"cutover: warning: {warned}")
        assert main(args) == 0
        said = capsys.readouterr().err
        assert said.startswith(f"cutover: 警告: --as-of {as_of} は改版の適用開始日")


@pytest.mark.parametrize("command", ["plan", "checklists", "summary", "survey make"])
def test_as_of_far_from_a_master_delivery_names_its_date_so(
    inputs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """An as-of date far from a master delivery's date (2018-11) names it as the delivered
    master's, as the rest of such a calendar does: it was called 改版の適用開始日."""
    args = [*command.split(), "2018-11", "--as-of", "2021-01-04", "--agencies"]
    args.append(str(inputs["agencies"]))
    if command in ("checklists", "survey make"):
        args += ["--out", str(tmp_path / "out")]
    for lang, said in (
        ("ja", "--as-of 2021-01-04 はマスター配信の適用開始日（2018-11-01）の"),
        ("en", "--as-of 2021-01-04 is 795 days after the delivered master takes effect"),
    ):
        main(["--lang", lang, *args])
        err = capsys.readouterr().err
        assert said in err
        assert "改版" not in err
        assert "revision" not in err


def test_a_warning_is_written_once_though_its_file_is_read_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """validate reads the agencies and evidence files, then plans from them: a warning of
    theirs (a name off the official list, rows a quote left open swallowed) is one line."""
    agencies = tmp_path / "agencies.csv"
    agencies.write_text(
        "code,name,kind,test_requested,provides,new_delegations\n"
        "312011,鳥取県庁,municipality,yes,2,\n312029,米子市,municipality,no,,\n",
        encoding="utf-8",
    )
    evidence = tmp_path / "evidence.csv"
    evidence.write_text(
        'code,task,date,detail\n312011,self-inspection,2018-05-17,"提出\n'
        '312029,self-inspection,2018-05-23,確認"\n',
        encoding="utf-8",
    )
    args = ["validate", "2018-07", "--agencies", str(agencies), "--evidence", str(evidence)]
    assert main(args) == 0
    warned = [line for line in capsys.readouterr().err.splitlines() if "警告" in line]
    assert len(warned) == 2, warned
    assert warned[0].startswith(f"cutover: 警告: {agencies}:2: name: ")
    assert warned[1].startswith(f"cutover: 警告: {evidence}:2: detail: この値は 2〜3行目にまたがり")


def test_validate_warns_of_rows_not_counted_for_a_task_done_otherwise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A row that the checklists do not count, for a task done by another row, gets no
    flag there (the task is done), but validate still names it: a mistyped date is a
    mistyped date."""
    extra = tmp_path / "extra.csv"
    extra.write_text(
        "code,task,date,detail\n"
        "312011,register:2,令和元年6月5日,\n"  # after the as-of date (an era slip)
        "312011,register:8,2018-05-14,\n",  # before the window opened (5/21)
        encoding="utf-8",
    )
    args = [
        "validate",
        "2018-07",
        "--agencies",
        str(EXAMPLE / "agencies.csv"),
        "--evidence",
        str(EXAMPLE / "evidence.csv"),
        "--evidence",
        str(extra),
        "--as-of",
        "2018-07-02",
        "--lang",
        "en",
    ]
    assert main(args) == 0
    assert capsys.readouterr().err.splitlines() == [
        "cutover: warning: 312011 鳥取市: register:8: extra.csv line 3: dated before the window "
        "opened (2018-05-21 (Mon)), not counted (the task is done by other evidence); check the "
        "date",
        "cutover: warning: 312011 鳥取市: register:2: extra.csv line 2: dated after the as-of "
        "date 2018-07-02 (Mon), not counted (the task is done by other evidence); if the date is "
        "wrong (era or year), correct it",
    ]
    assert main([*args, "--fail-on", "warning"]) == 3
