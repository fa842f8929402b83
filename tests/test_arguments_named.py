"""A message names what its reader gave as they gave it: a program, by the parameters of the
function it called (``due``, the plan's ``as_of``); a person at the command line, by the
command's options (``--due``, ``--as-of``)."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

import cutover
from cutover.cli.main import main
from cutover.errors import CutoverError, InputWarning, Problem
from cutover.i18n.catalogue import Argument, Lang, Msg, on_command_line
from cutover.planning.queries import cutoff_rule
from cutover.planning.summary import summarize
from cutover.render.ics import plan_ics
from cutover.render.survey_book import write_survey
from cutover.schedule.whatif import what_if

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tottori"
AS_OF = dt.date(2018, 5, 1)
#: Sunday and 昭和の日, before the survey's date: both warnings.
DUE = dt.date(2018, 4, 29)


def _prefecture_only(folder: Path) -> Path:
    """Return an agencies file of the example's prefecture alone (one workbook)."""
    agencies = folder / "agencies.csv"
    lines = (EXAMPLE / "agencies.csv").read_text(encoding="utf-8").splitlines()[:2]
    agencies.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return agencies


def _plan(agencies: Path) -> cutover.Plan:
    timeline = cutover.build_timeline(cutover.load_calendar("2018-07"))
    return cutover.plan(timeline, cutover.load_registry(str(agencies)), AS_OF)


def test_an_argument_is_named_by_its_option_on_the_command_line() -> None:
    """An `Argument` is the parameter's name until the command line names it by its option
    (found by its ``dest``: the parameter's own name after its last dot, or the one given),
    inside a message among the parameters too; one the command has no option for stays."""
    options: dict[str, str | Msg] = {"as_of": "--as-of", "agency": "--agency"}
    params = {
        "as_of": Argument("plan.as_of"),
        "code": Argument("code", dest="agency"),
        "out": Argument("out"),
        "fix": Msg("common.did-you-mean", {"given": Argument("as_of")}),
        "day": 3,
    }
    told = on_command_line(params, options)
    names = ("as_of", "code", "out")
    assert [Msg("text.aside", {"text": params[k]}).text("en") for k in names] == [
        " (plan.as_of)",
        " (code)",
        " (out)",
    ]
    assert [Msg("text.aside", {"text": told[k]}).text("en") for k in names] == [
        " (--as-of)",
        " (--agency)",
        " (out)",
    ]
    fix = told["fix"]
    assert isinstance(fix, Msg)
    assert fix.params["given"] == Argument("as_of", option="--as-of")
    assert told["day"] == 3
    problem = Problem(code="survey.make-due-closed", params={"due_given": Argument("due")})
    assert problem.on_command_line({}) is problem


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_program_is_told_of_its_due_date_by_its_arguments(tmp_path: Path, lang: Lang) -> None:
    """`write_survey(plan, out, due=...)` with a due date before the plan's date, on a
    closed day, warned the program in the command's words (--due, --as-of, today by
    default), options it has not: it names `due` and the plan's `as_of`."""
    the_plan = _plan(_prefecture_only(tmp_path))
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        write_survey(the_plan, tmp_path / "out", due=DUE)
    lines = [w.message.problem.text(lang) for w in said if isinstance(w.message, InputWarning)]
    assert len(lines) == 2
    assert all("--" not in line for line in lines)
    if lang == "ja":
        assert (
            "平成30年4月29日（日）（due）が、"
            "調査票の日付 平成30年5月1日（火）（plan.as_of）より前です" in lines[0]
        )
        assert lines[0].endswith("due の年・月・日を確かめてください")
        assert "回答期限 平成30年4月29日（日）（due）は閉庁日" in lines[1]
    else:
        assert (
            "2018-04-29 (Sun) (due), is before the survey's date 2018-05-01 (Tue) (plan.as_of)"
            in (lines[0])
        )
        assert lines[0].endswith("check the year, month and day of due")
        assert "the date to answer by, 2018-04-29 (Sun) (due), is a closed day" in lines[1]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_command_tells_of_the_due_date_by_its_options(
    tmp_path: Path, lang: Lang, capsys: pytest.CaptureFixture[str]
) -> None:
    """`cutover survey make --due` names its options in the same warnings: --as-of as given
    (it said "today by default" of a date given), and that it is today when left out."""
    agencies = _prefecture_only(tmp_path)
    args = ["survey", "make", "2018-07", "--agencies", str(agencies), "--out", str(tmp_path / "o")]
    args += ["--due", DUE.isoformat(), "--lang", lang]
    assert main([*args, "--as-of", AS_OF.isoformat()]) == 0
    err = capsys.readouterr().err
    assert main(args) == 0  # (no --as-of: today, years after the due date)
    today = capsys.readouterr().err
    if lang == "ja":
        assert "（--due）が、調査票の日付 平成30年5月1日（火）（--as-of）より前です" in err
        assert "（--as-of、省略時は今日）より前です" in today
        assert "— --due の年・月・日を確かめてください" in err
        assert "回答期限 平成30年4月29日（日）（--due）は閉庁日" in err
    else:
        assert "(--due), is before the survey's date 2018-05-01 (Tue) (--as-of)" in err
        assert "(--as-of, today by default)" in today
        assert "— check the year, month and day of --due" in err
        assert "2018-04-29 (Sun) (--due), is a closed day" in err


def _said_and_told(
    call: Callable[[], object], args: list[str], lang: Lang, capsys: pytest.CaptureFixture[str]
) -> tuple[str, str]:
    """Return what a library call's refusal says in `lang` (naming no option: a program has
    none) and what the command `args` prints on standard error in `lang`, refusing (exit 1)."""
    with pytest.raises(CutoverError) as caught:
        call()
    said = caught.value.text(lang)
    assert "--" not in said
    assert main([*args, "--lang", lang]) == 1
    return said, capsys.readouterr().err


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_replacing_a_file_names_the_folder_as_given(
    tmp_path: Path, lang: Lang, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file of the folder the workbooks would replace refuses the run: the program is told
    to give another `out`, the command's user another --out."""
    agencies = _prefecture_only(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "310000.xlsx").write_text("not a workbook", encoding="utf-8")
    args = ["survey", "make", "2018-07", "--agencies", str(agencies), "--out", str(out)]
    said, told = _said_and_told(
        lambda: write_survey(_plan(agencies), out),
        [*args, "--as-of", AS_OF.isoformat()],
        lang,
        capsys,
    )
    assert ("別の out を指定してください" if lang == "ja" else "or give another out") in said
    assert ("別の --out を指定してください" if lang == "ja" else "or give another --out") in told


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_prefecture_with_no_agency_names_the_argument_as_given(
    tmp_path: Path, lang: Lang, capsys: pytest.CaptureFixture[str]
) -> None:
    """`summarize(plan, prefecture=13)` of 鳥取県's registry says to leave out `prefecture`;
    `cutover summary --prefecture 13`, to leave out --prefecture."""
    args = ["summary", "2018-07", "--agencies", str(EXAMPLE / "agencies.csv")]
    said, told = _said_and_told(
        lambda: summarize(_plan(EXAMPLE / "agencies.csv"), prefecture=13),
        [*args, "--prefecture", "13", "--as-of", "2018-05-01"],
        lang,
        capsys,
    )
    assert said.endswith("prefecture を外してください" if lang == "ja" else "leave out prefecture")
    assert told.strip().endswith(
        "--prefecture を外してください" if lang == "ja" else "leave out --prefecture"
    )


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_an_agency_of_another_registry_names_the_registry_as_given(
    lang: Lang, capsys: pytest.CaptureFixture[str]
) -> None:
    """`plan_ics(plan, "131016")` of 鳥取県's registry names the `registry` the plan was made
    of; `cutover plan --format ics --agency 131016`, the file given with --agencies."""
    args = ["plan", "2018-07", "--agencies", str(EXAMPLE / "agencies.csv"), "--format", "ics"]
    said, told = _said_and_told(
        lambda: plan_ics(_plan(EXAMPLE / "agencies.csv"), "131016"),
        [*args, "--agency", "131016"],
        lang,
        capsys,
    )
    assert ("registry に指定した団体一覧" if lang == "ja" else "given with registry") in said
    assert ("--agencies に指定した団体一覧" if lang == "ja" else "given with --agencies") in told


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_cutoff_shifted_past_the_requery_day_names_the_shifts_as_given(
    tmp_path: Path, lang: Lang, capsys: pytest.CaptureFixture[str]
) -> None:
    """A what-if whose shifts move the last provision day past the re-query day: the program
    is told to undo the `shifts`, the command's user the --shift."""
    calendar = cutover.load_calendar("2018-07")
    shifted = what_if(calendar, [cutover.parse_shift("provision-cutoff=+5bd")])
    queries = tmp_path / "queries.csv"
    queries.write_text("query_id,querier,provider,item,requested,status\n", encoding="utf-8")
    args = ["triage", "2018-07", "--queries", str(queries), "--shift", "provision-cutoff=+5bd"]
    said, told = _said_and_told(lambda: cutoff_rule(shifted.after), args, lang, capsys)
    assert ("動かした shifts を取り消す" if lang == "ja" else "undo the shifts that") in said
    assert ("動かした --shift を取り消す" if lang == "ja" else "undo the --shift that") in told


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_survey_workbook_given_as_readiness_names_the_options_on_the_command_line(
    tmp_path: Path, lang: Lang, capsys: pytest.CaptureFixture[str]
) -> None:
    """A survey workbook given to `plan --readiness` as it is: the command says to give the
    merged files to --readiness and --evidence (a program is told load_readiness and
    load_evidence: tests/test_survey_merge.py)."""
    agencies = _prefecture_only(tmp_path)
    out = tmp_path / "survey"
    assert main(["survey", "make", "2018-07", "--agencies", str(agencies), "--out", str(out)]) == 0
    capsys.readouterr()
    args = ["plan", "2018-07", "--agencies", str(agencies), "--readiness", str(out / "310000.xlsx")]
    assert main([*args, "--lang", lang]) == 1
    told = capsys.readouterr().err
    said = (
        "を --readiness と --evidence に指定" if lang == "ja" else "to --readiness and --evidence"
    )
    assert said in told
    assert "load_readiness" not in told


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_workbook_of_another_registry_names_the_agencies_as_given(
    tmp_path: Path, lang: Lang, capsys: pytest.CaptureFixture[str]
) -> None:
    """A survey workbook of an agency the registry lacks: `merge_survey(calendar, agencies,
    folder)` says to check `agencies`; `cutover survey merge` says --agencies, on standard
    error and in its report (it said --agencies to a program too)."""
    from cutover.inputs.survey import merge_survey

    out = tmp_path / "survey"
    one = ["survey", "make", "2018-07", "--agencies", str(EXAMPLE / "agencies.csv")]
    assert main([*one, "--out", str(out), "--as-of", "2018-05-01"]) == 0
    for book in out.glob("*.xlsx"):
        if book.name != "312011.xlsx":
            book.unlink()
    agencies = _prefecture_only(tmp_path)
    merged = merge_survey(cutover.load_calendar("2018-07"), agencies, out)
    (refusal,) = merged.refused
    said = [p.text(lang) for p in refusal.problems]
    fix = "団体一覧（agencies）を確かめる" if lang == "ja" else "the agencies file (agencies)"
    assert any(fix in line for line in said), said
    assert not any("--" in line for line in said)
    capsys.readouterr()
    merging = ["survey", "merge", "2018-07", "--agencies", str(agencies), str(out)]
    assert main([*merging, "--out", str(tmp_path / "merged"), "--lang", lang]) == 1
    told = fix.replace("agencies）", "--agencies）").replace("(agencies)", "(--agencies)")
    assert told in capsys.readouterr().err
    assert told in (tmp_path / "merged" / "report.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_validate_names_its_options_in_the_problems_of_its_files(
    tmp_path: Path, lang: Lang, capsys: pytest.CaptureFixture[str]
) -> None:
    """`cutover validate` reports every file's problems at its end, as other commands do by
    their options: a survey workbook given to --readiness is told to be merged and given to
    --readiness and --evidence (not `load_readiness`), queries for a calendar without a
    cutoff to be left out of --queries (not `queries`)."""
    agencies = _prefecture_only(tmp_path)
    out = tmp_path / "survey"
    assert main(["survey", "make", "2018-07", "--agencies", str(agencies), "--out", str(out)]) == 0
    capsys.readouterr()
    args = ["validate", "2018-07", "--agencies", str(agencies), "--as-of", "2018-05-01"]
    assert main([*args, "--readiness", str(out / "310000.xlsx"), "--lang", lang]) == 1
    told = capsys.readouterr().err
    said = (
        "を --readiness と --evidence に指定" if lang == "ja" else "to --readiness and --evidence"
    )
    assert said in told
    assert "load_readiness" not in told
    queries = tmp_path / "queries.csv"
    queries.write_text("query_id,querier,provider,item,requested,status\n", encoding="utf-8")
    args = ["validate", "2018-11", "--agencies", str(agencies), "--as-of", "2018-10-01"]
    assert main([*args, "--queries", str(queries), "--lang", lang]) == 1
    told = capsys.readouterr().err
    said = "validate では --queries を外して" if lang == "ja" else "validate without --queries"
    assert said in told
