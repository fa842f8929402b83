"""The command line speaks the reader's language: each command's error paths, run in
Japanese (the default) and in English (``--lang en``), give no English sentence in the
Japanese output and no Japanese in the English one, codes, ids, file names and quoted
values aside; and a Japanese Windows console (cp932) reads every message."""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given as hypothesis_given
from hypothesis import strategies as st

from cutover.cli.console import argv_language, fit
from cutover.cli.main import main
from cutover.cli.parser import build_parser, wrap_columns
from cutover.i18n.catalogue import LANGS, Lang, _domain, entry

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "tottori"
MESSAGES = ROOT / "cutover" / "i18n" / "messages"

#: Four English words or more in a row: a sentence, not a code, an id or an option.
_ENGLISH_RUN = re.compile(r"[A-Za-z]+(?:[ ,'-]+[A-Za-z]+){3,}")
#: What is data in a line, not text: values quoted 「…」 or '…', code spans, paths, options
#: and a usage line's choices ({json,csv,md}).
_DATA = re.compile(r"「[^」]*」|'[^']*'|`[^`]*`|\{[^}]*\}|\S*[/\\]\S*|(?<!\w)--?[A-Za-z][\w-]*")
#: Japanese text: two kana in a row (names of places and terms are kanji, or katakana in a
#: term; a sentence has its particles and endings in hiragana).
_JAPANESE = re.compile(r"[\u3040-\u309f]{2,}")


def english_sentence(text: str) -> str | None:
    """Return the first English sentence in `text` outside quoted values and paths, or None."""
    found = _ENGLISH_RUN.search(_DATA.sub("", text))
    return found.group(0) if found else None


def japanese(text: str) -> str | None:
    """Return the first Japanese words of `text` outside quoted values and paths, or None."""
    found = _JAPANESE.search(_DATA.sub("", text))
    return found.group(0) if found else None


# --- every command's error paths, in both languages -------------------------------------------

AGENCIES = str(EXAMPLE / "agencies.csv")


def _paths(tmp: Path) -> dict[str, str]:
    """Return the files the error paths name, made in `tmp`."""
    (tmp / "file").write_text("", encoding="utf-8")
    (tmp / "exists.csv").write_text("code\n", encoding="utf-8")
    (tmp / "bad.toml").write_text("[revision\n", encoding="utf-8")
    (tmp / "bad-agencies.csv").write_text(
        "code,name,kind,test_requested,provides,new_delegations\n312011,鳥取市,city,no,,\n",
        encoding="utf-8",
    )
    return {
        "tmp": str(tmp),
        "missing": str(tmp / "missing.csv"),
        "under": str(tmp / "file" / "out.md"),
        "exists": str(tmp / "exists.csv"),
        "bad-toml": str(tmp / "bad.toml"),
        "bad-agencies": str(tmp / "bad-agencies.csv"),
        "ag": str(EXAMPLE / "agencies.csv"),
    }


#: (name, arguments with {placeholders} (`_paths`: {ag} is the example's agencies.csv), exit
#: code, the part of cutover that writes the message when not the command line itself). A
#: path whose part is not yet in the catalogue is a strict xfail in Japanese, naming the
#: part: it turns red once that part speaks Japanese, for the mark to be removed.
PATHS: list[tuple[str, str, int, str | None]] = [
    ("unknown-command", "plna", 2, None),
    ("missing-argument", "plan 2018-07", 2, None),
    ("bad-choice", "timeline 2018-07 --format pdf", 2, None),
    ("unknown-option", "calendars --colour", 2, None),
    ("as-of-out-of-years", "plan 2018-07 --agencies {ag} --as-of 1800-01-01", 2, None),
    ("as-of-not-a-date", "plan 2018-07 --agencies {ag} --as-of someday", 2, None),
    ("ics-needs-agency", "plan 2018-07 --agencies {ag} --format ics", 2, None),
    ("extension-contradicts", "plan 2018-07 --agencies {ag} --format json -o {tmp}/p.csv", 2, None),
    ("xlsx-to-stdout", "plan 2018-07 --agencies {ag} --format xlsx", 2, None),
    ("output-under-a-file", "timeline 2018-07 -o {under}", 1, None),
    ("output-is-a-folder", "diff 2018-07 2018-11 -o {tmp}", 1, None),
    ("output-onto-input", "hearings 2018-07 --agencies {ag} --format csv -o {ag}", 1, None),
    ("templates-missing", "summary 2018-07 --agencies {ag} --templates {tmp}/t", 1, None),
    ("checklists-under-a-file", "checklists 2018-07 --agencies {ag} --out {under}", 1, None),
    ("demo-under-a-file", "demo --out {under}", 1, None),
    ("init-file-exists", "init --prefecture 31 -o {exists}", 1, None),
    ("init-unknown-prefecture", "init --prefecture 99 -o {tmp}/a.csv", 1, None),
    ("summary-unknown-prefecture", "summary 2018-07 --agencies {ag} --prefecture 東京", 1, None),
    ("option-of-another-command", "plan 2018-07 --agencies {ag} --prefecture 31", 2, None),
    ("option-before-command", "summary 2018-07 --agencies {ag} --debug", 2, None),
    ("validate-missing-calendar", "validate {missing}", 1, None),
    ("validate-bad-calendar", "validate {bad-toml}", 1, None),
    ("validate-bad-agencies", "validate 2018-07 --agencies {bad-agencies}", 1, None),
    ("plan-missing-agencies", "plan 2018-07 --agencies {missing}", 1, None),
    ("timeline-bad-shift", "timeline 2018-07 --shift no-such-event=+3bd", 1, None),
    ("triage-no-queries", "triage 2018-07 --queries {missing} --as-of 2018-06-20", 1, None),
]  # fmt: skip


def _run(args: str, tmp: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Return the exit code and what the command wrote (stdout and stderr) for `args`."""
    argv = args.format(**_paths(tmp)).split()
    try:
        code = main(argv)
    except SystemExit as stop:  # (a usage error: argparse exits)
        code = stop.code if isinstance(stop.code, int) else 2
    out, err = capsys.readouterr()
    return code, out + err


def _japanese_param(name: str, args: str, code: int, domain: str | None) -> object:
    marks = []
    if domain is not None:
        reason = f"the {domain} messages are not in the catalogue yet"
        marks.append(pytest.mark.xfail(reason=reason, strict=True))
    return pytest.param(args, code, id=name, marks=marks)


@pytest.mark.parametrize(("args", "code"), [_japanese_param(*path) for path in PATHS])
def test_error_paths_in_japanese(
    args: str, code: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --lang, an error path's exit code is as always and every line it writes is
    Japanese: no English sentence outside file names, codes and quoted values."""
    found, written = _run(args, tmp_path, capsys)
    assert found == code, written
    assert written.strip()
    for line in written.splitlines():
        assert english_sentence(line) is None, line


@pytest.mark.parametrize(("args", "code"), [pytest.param(a, c, id=n) for n, a, c, _ in PATHS])
def test_error_paths_in_english(
    args: str, code: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --lang en (given before the command here), the same paths write no Japanese
    text, quoted values, names and terms aside."""
    found, written = _run(f"--lang en {args}", tmp_path, capsys)
    assert found == code, written
    assert written.strip()
    for line in written.splitlines():
        assert japanese(line) is None, line


#: argparse's error for a misspelt command, as each Python words it: the choices quoted up to
#: 3.12.7 and 3.13.0, bare from 3.12.8 and 3.13.1 (python/cpython#86357), and from 3.14, when
#: asked for suggestions, with argparse's own guess, in English.
_REFUSED = {
    "quoted": "invalid choice: 'plna' (choose from 'calendars', 'plan', 'triage')",
    "bare": "invalid choice: 'plna' (choose from calendars, plan, triage)",
    "guessed": "invalid choice: 'plna', maybe you meant 'plan'? "
    "(choose from calendars, plan, triage)",
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("wording", list(_REFUSED))
def test_a_refused_choice_is_said_alike_on_every_python(
    wording: str, lang: Lang, capsys: pytest.CaptureFixture[str]
) -> None:
    """A value that is none of the choices (a misspelt command, --format pdf) is said the same
    whichever way the running Python's argparse words it: the choices quoted, as values are,
    and the one it seems to mean ("plna": plan); the Japanese with no English sentence."""
    said = {}
    for form in ("quoted", wording):
        with pytest.raises(SystemExit) as stop:
            build_parser(lang).error(f"argument COMMAND: {_REFUSED[form]}")
        assert stop.value.code == 2
        said[form] = capsys.readouterr().err.splitlines()[-1]
    assert said[wording] == said["quoted"]
    # (In Japanese, listed as the language lists words, without argparse's English quotes.)
    listed = "calendars、plan、triage から" if lang == "ja" else "'calendars', 'plan', 'triage'"
    assert listed in said[wording]
    assert ("「plan」のことですか？" if lang == "ja" else "did you mean 'plan'?") in said[wording]
    assert "maybe" not in said[wording]
    if lang == "ja":
        assert english_sentence(said[wording]) is None, said[wording]


@pytest.mark.parametrize(
    ("args", "ja", "en"),
    [
        (
            "checklists 2018-07 --agencies {ag} --out {tmp}/c --prefecture 31",
            "--prefecture は init、summary のオプションで、checklists では使えません",
            "--prefecture is an option of init and summary, not of checklists",
        ),
        (  # (nearest in spelling: --debug, which summary does not mean)
            "summary 2018-07 --agencies {ag} --due 2018-07-02",
            "--due は survey make のオプションで、summary では使えません",
            "--due is an option of survey make, not of summary",
        ),
        (
            "survey merge 2018-07 --agencies {ag} {tmp} --out {tmp}/m --as-of=2018-06-25",
            "--as-of は validate、timeline、plan、checklists、summary、hearings、triage、"
            "survey make のオプションで、survey merge では使えません",
            "not of survey merge (cutover survey merge --help lists the options it takes)",
        ),
        (
            "summary 2018-07 --agencies {ag} --debug",
            "--debug は cutover のオプションで、コマンドの前に書きます（cutover --debug summary",
            "--debug is an option of cutover itself, written before the command",
        ),
    ],
)
def test_an_option_of_another_command_says_whose_it_is(
    args: str, ja: str, en: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An option the command does not take but other commands do (summary --prefecture, then
    checklists --prefecture) is said to be theirs, with no guess nearest in spelling
    (--due: "did you mean --debug?"); cutover's own option after the command goes before it."""
    for lang, fragment in (("ja", ja), ("en", en)):
        code, written = _run(f"--lang {lang} {args}", tmp_path, capsys)
        assert code == 2, written
        assert fragment in written.splitlines()[-1]
        assert "did you mean" not in written
        assert "のことですか" not in written


@pytest.mark.parametrize("lang", LANGS)
def test_an_option_given_twice_says_which_value_is_used(
    lang: Lang, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A one-value option given twice with two values (--prefecture 31 --prefecture 01) is
    said in a warning, naming both and the last, the one used as always; given twice alike,
    or --lang before and after the command, it is not."""
    args = ["--lang", lang, "summary", "2018-07", "--agencies", AGENCIES, "--format", "json"]
    code = main([*args, "--as-of", "2018-06-25", "--as-of", "2018-07-02", "-o", "-"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert '"as_of": "2018-07-02"' in out
    said = {
        "ja": "--as-of が2回指定されています（2018-06-25、2018-07-02）。後の 2018-07-02 を使います",
        "en": "--as-of is given twice (2018-06-25, 2018-07-02); the last, 2018-07-02, is used",
    }
    assert said[lang] in err
    assert err.count("--as-of") == 1  # (one line, with no other warning)
    code = main([*args, "--as-of", "2018-06-25", "--as-of", "2018-06-25", "--lang", lang])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "--as-of" not in err
    assert "--lang" not in err


def test_help_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    """--help is Japanese by default, English with --lang en before or after the command,
    or with CUTOVER_LANG=en; the command list and each command's help alike."""
    for args in (["--help"], ["plan", "--help"], ["checklists", "--help"]):
        with pytest.raises(SystemExit):
            main(args)
        text = capsys.readouterr().out
        assert "使い方: cutover" in text
        for line in text.splitlines():
            assert english_sentence(line) is None, line
        for english in (["--lang", "en", *args], [*args, "--lang", "en"]):
            with pytest.raises(SystemExit):
                main(english)
            text = capsys.readouterr().out
            assert text.startswith("usage: cutover")
            for line in text.splitlines():
                assert japanese(line) is None, line


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """Yield `parser` and each of its commands and subcommands."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in dict.fromkeys(action.choices.values()):
                yield from _parsers(command)


@pytest.mark.parametrize("lang", LANGS)
def test_help_fits_the_terminal_in_columns(lang: Lang, monkeypatch: pytest.MonkeyPatch) -> None:
    """argparse wraps and pads by characters: a Japanese --help came out up to twice as wide
    as an 80-column terminal (the console broke it again anywhere), and --prefecture NN|名称
    pushed its help two columns right of the others'. Every line fits in 78 columns (but
    one option's list of choices, which has no place to break), no line starts with 、 or
    。, and each option's help starts in the column of the others'."""
    from cutover.i18n.text import display_width

    # (On 40 columns, 「evidence.csv（実績）。」 broke before ）。: no line starts so either.)
    # (Nor did a required option's value go to the next line of the usage: --agencies / F.)
    # (Nor with the ・ between two names: 「readiness.csv・evidence.csv」 on 60 columns.)
    for width in ("40", "60", "90"):
        monkeypatch.setenv("COLUMNS", width)
        for parser in _parsers(build_parser(lang)):
            for line in parser.format_help().splitlines():
                assert not line.lstrip().startswith(("、", "。", "）", "・", ">")), line
                assert not line.endswith(("（", "「")), line
            for line in parser.format_usage().splitlines():
                assert not re.search(r"(^|\s)--?[\w-]+$", line), line
                # (Nor did a group of choices run past the edge at the program's indent:
                # bundle's --platform {…} was 90 columns wide on 80. A part wider than the
                # terminal has a line of its own.)
                alone = re.fullmatch(r" *(\[[^\[\]]*\]|\S+)", line)
                assert display_width(line) <= int(width) - 2 or alone, (width, line)
    monkeypatch.setenv("COLUMNS", "80")
    for parser in _parsers(build_parser(lang)):
        text = parser.format_help()
        for line in text.splitlines():
            assert display_width(line) <= 78, line
            assert not line.lstrip().startswith(("、", "。", "）")), line
        # An option and its help on one line: the help at the options' column.
        columns = {
            display_width(line[: len(line) - len(help_text)])
            for line in text.splitlines()
            if (found := re.match(r"^  (-\S+(?: \S+)?) {2,}(\S.*)$", line))
            for help_text in [found.group(2)]
        }
        assert len(columns) <= 1, (parser.prog, columns)


@hypothesis_given(
    st.lists(
        st.sampled_from(["ab", "x.csv", " ", "実", "績", "（", "）", "。", "、"]), max_size=30
    ),
    st.integers(min_value=6, max_value=30),
)
def test_wrap_columns_breaks_no_word_and_starts_no_line_with_a_closing_mark(
    parts: list[str], width: int
) -> None:
    """A word goes down whole (「evidence.csv。」 broke as evidence.cs / v。), and the mark that
    may not start a line takes the character before it down, and that one's too when it is
    such a mark (実績）。 broke before ）。); an opening bracket goes down with what it opens
    (一覧（ / index.md）)."""
    text = re.sub(" +", " ", "".join(parts))
    text = re.sub(r"（ +", "（", re.sub(" *([、。）])", r"\1", text)).strip()
    lines = wrap_columns(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    words = set(re.findall(r"[!-~]+", text))
    assert {w for line in lines for w in re.findall(r"[!-~]+", line)} <= words
    for line, before in zip(lines[1:], lines, strict=False):
        if line[0] in "、。）":  # (only when the line before is one word and such marks)
            _, *rest = re.findall(r"[!-~]+|.", before)
            assert not "".join(rest).strip("、。）"), (lines, width)
        if before[-1] == "（":  # (nor ends with an opening bracket, but one alone)
            assert not before.strip("（"), (lines, width)


def _options(parser: argparse.ArgumentParser) -> Iterator[argparse.Action]:
    """Yield every option of `parser` and of its commands and subcommands."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in dict.fromkeys(action.choices.values()):
                yield from _options(command)
        elif action.option_strings:
            yield action


@pytest.mark.parametrize(("lang", "said"), [("ja", "複数指定できます"), ("en", "(repeatable)")])
def test_help_says_every_option_that_reads_several_files_may_be_repeated(
    lang: Lang, said: str
) -> None:
    """Each option the parser lets a user give more than once says so in its help: only
    --evidence and the logs did, and --agencies, --readiness and --queries, read as one
    when repeated (docs/coordinator-guide.md 6a), looked as if they took one file."""
    for action in _options(build_parser(lang)):
        if isinstance(action, argparse._AppendAction):
            assert said in str(action.help), action


@pytest.mark.parametrize("lang", LANGS)
def test_timeline_help_says_which_formats_as_of_changes(lang: Lang, tmp_path: Path) -> None:
    """`cutover timeline --help` names, under --as-of, every format whose output the option
    changes (the Markdown's and the HTML page's last column, where each event stands on that
    day, as much as the chart's line and the calendar file's revision), and no other."""
    import argparse

    from cutover.cli.parser import build_parser

    parser = build_parser(lang)
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    timeline = commands.choices["timeline"]
    as_of = next(a for a in timeline._actions if "--as-of" in a.option_strings)
    formats = next(a for a in timeline._actions if "--format" in a.option_strings).choices
    assert as_of.help is not None
    assert formats is not None
    changed = []
    for fmt in formats:
        written = []
        for given in ([], ["--as-of", "2018-06-25"]):
            out = tmp_path / f"{fmt}{len(given)}.out"
            assert main(["timeline", "2018-07", "--format", fmt, "-o", str(out), *given]) == 0
            written.append(out.read_bytes())
        if written[0] != written[1]:
            changed.append(fmt)
    named = [fmt for fmt in formats if re.search(rf"(?<![\w.]){fmt}(?!\w)", as_of.help)]
    assert changed
    assert named == changed, as_of.help


def test_the_language_is_known_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """--lang (last one wins, before or after the command) rules over CUTOVER_LANG, which
    rules over the default, Japanese; a value that is no language is left to the parser."""
    monkeypatch.delenv("CUTOVER_LANG", raising=False)
    assert argv_language(["plan", "2018-07"]) == "ja"
    assert argv_language(["--lang", "en", "plan"]) == "en"
    assert argv_language(["plan", "--lang=en", "--lang", "ja"]) == "ja"
    assert argv_language(["plan", "--", "--lang", "en"]) == "ja"
    monkeypatch.setenv("CUTOVER_LANG", "en")
    assert argv_language(["plan"]) == "en"
    assert argv_language(["plan", "--lang", "ja"]) == "ja"
    monkeypatch.setenv("CUTOVER_LANG", "fr")
    assert argv_language(["plan"]) == "ja"


def test_a_language_the_environment_names_wrongly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """CUTOVER_LANG=fr is a usage error that says what to set, unless --lang is given."""
    monkeypatch.setenv("CUTOVER_LANG", "fr")
    assert main(["calendars"]) == 2
    assert "CUTOVER_LANG=「fr」は cutover の言語ではありません" in capsys.readouterr().err
    assert main(["calendars", "--lang", "en"]) == 0


# --- a Japanese Windows console ---------------------------------------------------------------


def _cp932_stream(monkeypatch: pytest.MonkeyPatch, name: str) -> io.BytesIO:
    """Replace sys.<name> with a strict cp932 text stream (a Japanese console); return its
    bytes."""
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp932", errors="strict", write_through=True)
    monkeypatch.setattr(sys, name, stream)
    return raw


def test_messages_on_a_cp932_console(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a strict cp932 standard error, a message with "—" (which cp932 lacks) is written
    with "―" (the byte Windows shows as the dash), never as a \\u2014 escape or an error;
    "〜" and "–" too."""
    err = _cp932_stream(monkeypatch, "stderr")
    target = tmp_path / "final.md"
    target.write_text("approved\n", encoding="utf-8")
    target.chmod(0o444)
    assert main(["timeline", "2018-07", "-o", str(target)]) == 1
    with pytest.raises(SystemExit):
        main(["plan", "2018-07", "--agencies", AGENCIES, "--as-of", "1800-01-01"])
    with pytest.raises(SystemExit):
        main(["plan", "2018-07", "--agencies", AGENCIES, "--as-of", "1800-01-01", "--lang", "en"])
    text = err.getvalue().decode("cp932")
    assert "このファイルは読み取り専用です ― 置き換えてよいファイルなら" in text
    assert "（1949年～2099年）の範囲外です ― 1949-01-01 から" in text
    assert "(1949-2099) ― give a date from 1949-01-01" in text
    assert "\\u" not in text


def test_help_on_a_cp932_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """--help on a strict cp932 standard output is written whole (its "±" and "§" too)."""
    out = _cp932_stream(monkeypatch, "stdout")
    with pytest.raises(SystemExit):
        main(["plan", "--help"])
    text = out.getvalue().decode("cp932")
    assert "--shift EVENT=±N(bd|d)" in text
    assert "\\u" not in text


def _catalogue_texts() -> list[str]:
    """Return every template of every catalogue file, in both languages."""
    found: list[str] = []
    for lang in LANGS:
        for path in sorted((MESSAGES / lang).glob("*.toml")):
            for name in _domain(lang, path.stem):
                value = entry(f"{path.stem}.{name}", lang)
                found += [value] if isinstance(value, str) else list(value.values())
    return found


def test_every_catalogue_character_has_a_cp932_look_alike() -> None:
    """Every character of the catalogue (both languages) is written on a cp932 console as
    itself or a look-alike, never as "?": a new character cp932 lacks needs one in
    `cutover.i18n.charset._LOOK_ALIKES`."""
    lacking = sorted(
        {c for t in _catalogue_texts() for c in t if fit(c, "cp932") == "?" and c != "?"}
    )
    assert lacking == []


def test_kanji_cp932_lacks_are_shown_in_the_form_it_has() -> None:
    """A name with a kanji of JIS X 0213 that cp932 lacks (𠮷, 鷗) is shown on a cp932
    console with the form cp932 has, not as "?"."""
    assert fit("𠮷野家・森鷗外・𠮟る・剝がす・頰・装塡・𡈽", "cp932") == (
        "吉野家・森鴎外・叱る・剥がす・頬・装填・土"
    )


def test_fit_replaces_only_what_the_encoding_lacks() -> None:
    """`fit` leaves a line the encoding can write as it is, and any line on UTF-8."""
    line = "照会ID「Q1」が 2、3 行目にあります — 1件の照会は1行にしてください–✓é〜"
    assert fit(line, "utf-8") == line
    assert fit(line, None) == line
    # (cp932 writes "〜" itself, as the byte of the full-width tilde "～".)
    fitted = "照会ID「Q1」が 2、3 行目にあります ― 1件の照会は1行にしてください-○e〜"
    assert fit(line, "cp932") == fitted
    assert fit("plain", "ascii") == "plain"


def _stderr_on(tmp: Path, args: list[str], *, terminal: bool) -> str:
    """Return what the command writes on standard error: to a terminal (a pseudo-terminal
    this process reads as the command writes), or to a file."""
    import os
    import pty
    import subprocess

    command = [sys.executable, "-m", "cutover", *args]
    if not terminal:
        done = subprocess.run(command, capture_output=True, cwd=tmp, check=False)
        return done.stderr.decode("utf-8")
    reader, writer = pty.openpty()
    with subprocess.Popen(command, stderr=writer, stdout=subprocess.DEVNULL, cwd=tmp):
        os.close(writer)
        said = bytearray()
        while True:
            try:
                chunk = os.read(reader, 65536)
            except OSError:  # (EIO: the command ended, the terminal is closed)
                break
            if not chunk:
                break
            said += chunk
    os.close(reader)
    return said.decode("utf-8").replace("\r\n", "\n")


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX")
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_terminal_shows_the_first_hundred_problems_of_each_file_and_how_to_see_all(
    tmp_path: Path, lang: str
) -> None:
    """One mistake made in every row (済 for done) gives a problem a row: a terminal shows
    the file's first 100, says how many more and how to see them all, and still shows the
    one problem of the file read after it; written to a file, every line is there."""
    rows = (EXAMPLE / "readiness.csv").read_text(encoding="utf-8").replace(",done,", ",済,")
    (tmp_path / "readiness.csv").write_text(rows, encoding="utf-8")
    evidence = "code,task,date\n312011,inter-agency-test,2018-06-31\n"
    (tmp_path / "evidence.csv").write_text(evidence, encoding="utf-8")
    bad = rows.count(",済,")
    args = ["validate", "2018-07", "--agencies", AGENCIES, "--readiness", "readiness.csv"]
    args += ["--evidence", "evidence.csv", "--lang", lang]
    on_terminal = _stderr_on(tmp_path, args, terminal=True).splitlines()
    in_file = _stderr_on(tmp_path, args, terminal=False).splitlines()
    assert bad > 200
    assert len(in_file) == bad + 1
    assert in_file[-1].startswith("cutover: evidence.csv:2: ")
    assert on_terminal[:100] == in_file[:100]
    assert on_terminal[100:-1] == in_file[-1:]
    last = on_terminal[-1]
    if lang == "ja":
        assert last == (
            f"cutover: readiness.csv: … ほか {bad - 100:,} 件の問題（端末には最初の 100 件を"
            "表示しました。すべてを見るには、コマンドの後に 2> 問題.txt と付けてファイルに"
            "書き出してください）"
        )
    else:
        assert last == (
            f"cutover: readiness.csv: … and {bad - 100:,} more problems (a terminal shows the "
            "first 100; to see them all, add 2> problems.txt to the command to write them to "
            "a file)"
        )


def test_a_national_run_s_counts_are_grouped_by_thousands() -> None:
    """A national run writes 1,826 checklists, and its summary counts warnings by the
    thousand: the line says 1,826, as every other count line of the same screen does."""
    from cutover.i18n.catalogue import text

    wrote = text("cli.wrote-checklists", "ja", count=1826, out="o", index="o/index.md")
    assert wrote.startswith("チェックリスト 1,826 件を")
    assert text("cli.wrote-checklists", "en", count=1826, out="o", index="i").startswith(
        "wrote 1,826 checklists"
    )
    assert text("cli.warning-count-many", "ja", count=25000) == "警告 25,000 件"
    assert text("cli.error-many", "en", count=1200) == "1,200 errors"
