"""The message catalogue (`cutover.i18n.catalogue`): both languages hold the same codes, every
text can be written with its parameters, every code the package names exists, and Japanese
texts read as Japanese."""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from cutover.errors import CutoverError, Problem, suggest
from cutover.i18n.catalogue import LANGS, Msg, _domain, entry, text

PACKAGE = Path(__file__).resolve().parent.parent / "cutover"
MESSAGES = PACKAGE / "i18n" / "messages"


def domains() -> list[str]:
    """Return the catalogue's domains (its files' names)."""
    return sorted(p.stem for p in (MESSAGES / "ja").glob("*.toml"))


def codes() -> list[str]:
    """Return every code of the Japanese catalogue."""
    return [f"{d}.{name}" for d in domains() for name in _domain("ja", d)]


def templates(code: str) -> dict[str, list[str]]:
    """Return the templates of `code` (its message, or its message and fix) by language."""
    found: dict[str, list[str]] = {}
    for lang in LANGS:
        value = entry(code, lang)
        found[lang] = [value] if isinstance(value, str) else [value["message"], value["fix"]]
    return found


def placeholders(template: str) -> set[str]:
    """Return the names of the parameters `template` uses."""
    return {
        field.split(".")[0].split("[")[0]
        for _, field, _, _ in string.Formatter().parse(template)
        if field
    }


def test_both_languages_hold_the_same_files() -> None:
    """Every catalogue file exists in both languages."""
    assert domains() == sorted(p.stem for p in (MESSAGES / "en").glob("*.toml"))


@pytest.mark.parametrize("domain", domains())
def test_both_languages_hold_the_same_codes(domain: str) -> None:
    """A domain's Japanese and English files hold the same codes, each a text or a table of
    a message and a fix in both."""
    ja, en = _domain("ja", domain), _domain("en", domain)
    assert sorted(ja) == sorted(en)
    for name, value in ja.items():
        other = en[name]
        assert type(value) is type(other), name
        if isinstance(value, Mapping) and isinstance(other, Mapping):
            assert sorted(value) == sorted(other) == ["fix", "message"], name


@pytest.mark.parametrize("code", codes())
def test_every_text_can_be_written(code: str) -> None:
    """Each text is written in both languages with the parameters either language names."""
    found = templates(code)
    names = set().union(*(placeholders(t) for ts in found.values() for t in ts))
    params: dict[str, object] = dict.fromkeys(names, 1)
    for lang in LANGS:
        assert text(code, lang, **params)


#: A parameter's language forms: `x_ja` and `x_en` (or `x`) are one value, and so are a
#: day given as `x_day` (the Japanese, wareki), `x_long` or `x_md` and a plain `x`.
_LANGUAGE_FORM = re.compile(r"_(?:ja|en|day|long|md)$")

#: Texts whose languages say a value each in a form of their own, beyond the suffixes above:
#: (the Japanese text's own parameters, the English text's own), each a reason given.
_OWN_FORMS: dict[tuple[str, str], tuple[set[str], set[str]]] = {
    # Python's and the OS's own English words are shown in English only; Japanese says them
    # in a sentence of its own (with the error's number when there is no sentence).
    ("calendar.toml-invalid", "message"): ({"said"}, {"reason"}),
    ("calendar.toml-invalid-at-end", "message"): ({"said"}, {"reason"}),
    ("calendar.toml-other", "text"): (set(), {"reason"}),
    ("cli.usage-value", "text"): (set(), {"type"}),
    **{
        (f"files.os-{name}", "text"): (set(), {"strerror"})
        for name in (
            "eacces",
            "eperm",
            "enoent",
            "enotdir",
            "eisdir",
            "eloop",
            "enametoolong",
            "erofs",
            "ebusy",
            "eexist",
            "exdev",
            "etxtbsy",
            "enospc",
        )
    },
    ("files.os-other", "text"): ({"errno"}, {"strerror"}),
    ("inputs.workbook-other", "text"): (set(), {"detail"}),
    ("inputs.unreadable-csv", "message"): (set(), {"reason"}),
    **{
        (f"templates.{name}", "message"): (set(), {"detail"})
        for name in ("syntax", "sandbox", "undefined", "failed")
    },
    # The choices quoted as each language quotes them.
    ("common.valid-choices", "text"): ({"choices"}, {"quoted"}),
    # A month, a fiscal year or a day: wareki names it with its year; English in parts.
    ("jp.range-month", "text"): (set(), {"year"}),
    ("jp.range-dekad", "text"): (set(), {"year"}),
    ("jp.range-fiscal-year", "text"): ({"name"}, {"year"}),
    ("jp.no-such-day", "message"): ({"month"}, {"month_name"}),
    ("text.day", "text"): ({"wareki"}, {"iso"}),
    # (A week's wareki in two parts: the HTML index heads its column with them on two lines.)
    ("text.week", "text"): ({"year", "month", "day"}, {"iso"}),
    ("text.long-day", "text"): ({"wareki"}, {"day", "month", "year"}),
    ("triage-report.day", "text"): ({"day"}, {"iso"}),
    ("triage-report.rule-gap", "text"): (
        {"gap_first", "gap_last"},
        {"effective", "last_provision"},
    ),
    ("schedule.too-close-to-effective", "message"): ({"lag_phrase"}, {"amount"}),
    # Why a day moved: a Japanese phrase, or the English name of the closure.
    **{
        (f"text.moved-{name}", "text"): ({"why"}, {"closure"})
        for name in ("note-back", "note-on", "table-opening", "table-end", "table-date")
    },
    **{
        (f"text.moved-calendar-{name}", "text"): (set(), {"moved_weekday", "original_weekday"})
        for name in ("opening", "end", "date")
    },
}


def _parts(code: str) -> list[tuple[str, str, str]]:
    """Return each part of `code` ("text", or "message" and "fix") with its two templates."""
    found = templates(code)
    names = ["text"] if len(found["ja"]) == 1 else ["message", "fix"]
    return list(zip(names, found["ja"], found["en"], strict=True))


def _own_parameters(ja: str, en: str) -> tuple[set[str], set[str]]:
    """Return the parameters only the Japanese and only the English template use, each
    named apart from its language form."""
    forms = [{_LANGUAGE_FORM.sub("", n) for n in placeholders(t)} for t in (ja, en)]
    return forms[0] - forms[1], forms[1] - forms[0]


@pytest.mark.parametrize("code", codes())
def test_both_languages_say_the_same_values(code: str) -> None:
    """A message, and its fix apart, uses the same parameters in Japanese and English (one
    may say a value in its own form): a reader of either is told which rule, which line,
    which value."""
    for part, ja, en in _parts(code):
        assert _own_parameters(ja, en) == _OWN_FORMS.get((code, part), (set(), set())), part


def test_every_own_form_is_still_in_the_catalogue() -> None:
    """Each text excused from saying the same values in both languages still differs so."""
    for code, part in _OWN_FORMS:
        (ja, en) = next((j, e) for p, j, e in _parts(code) if p == part)
        assert _own_parameters(ja, en) != (set(), set()), (code, part)


_ENGLISH_RUN = re.compile(r"[A-Za-z]+(?:[ ,'-]+[A-Za-z]+){3,}")


@pytest.mark.parametrize("code", codes())
def test_japanese_texts_read_as_japanese(code: str) -> None:
    """No Japanese text holds an English sentence (four words or more outside placeholders,
    quotes and code spans)."""
    for template in templates(code)["ja"]:
        plain = re.sub(r"\{[^}]*\}|`[^`]*`|「[^」]*」|'[^']*'", "", template)
        assert not _ENGLISH_RUN.search(plain), template


def test_japanese_says_kaichobi_for_a_business_day() -> None:
    """A day the offices are open is 開庁日 in every Japanese text, as the law of closed
    days (行政機関の休日に関する法律) and the checklists say it: the shift and lag messages,
    and the calendar diff sent to municipalities (「…の終了の2営業日後」), said 営業日."""
    said = [code for code in codes() for t in templates(code)["ja"] if "営業日" in t]
    assert said == []


def test_a_flag_names_no_command_line_option_or_argument() -> None:
    """A flag's message and its remedies (the ``plan`` texts) reach every agency's checklist,
    whose clerk runs no command, and a program's JSON, which gives parameters: none names an
    option nor a command's argument (基準日（--as-of）が正しいか確かめる told a municipality of
    an option it has not; 写しのファイルを CAL に指定して, of the calendar's argument)."""
    option = re.compile(r"(?<![\w-])--[a-z]|\bCAL\b")
    said = [
        (code, lang)
        for code in codes()
        if code.startswith("plan.")
        for lang, texts in templates(code).items()
        if any(option.search(t) for t in texts)
    ]
    assert said == []


def test_the_shift_example_names_an_event_of_every_shipped_calendar() -> None:
    """The example a malformed --shift is shown names an event that every shipped calendar
    has: ``registration=+3bd`` is no event of 2018-07 (``duplicate-registration``), so the
    clerk who copied it was told the event does not exist."""
    from cutover.calendar.load import load_calendar, shipped_calendars

    for code in ("schedule.not-a-shift", "schedule.shift-not-a-lag"):
        for template in templates(code).values():
            (example,) = re.findall(r"(?:例|e\.g\.):? ([a-z-]+)=\+3bd", template[1])
            for calendar in shipped_calendars():
                assert example in {e.id for e in load_calendar(calendar).events}, calendar


def _named_codes() -> Iterator[tuple[str, int, str]]:
    """Yield each catalogue code the package's source names literally, with where."""
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = (
                node.func.attr
                if isinstance(node.func, ast.Attribute)
                else getattr(node.func, "id", "")
            )
            args: list[ast.expr] = []
            if name in {"of", "Msg", "text", "catalogue_text"} and node.args:
                args.append(node.args[0])
            args += [k.value for k in node.keywords if k.arg == "code"]
            for arg in args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    domain = arg.value.partition(".")[0]
                    if domain in domains():
                        yield str(path.relative_to(PACKAGE)), node.lineno, arg.value


def test_every_named_code_is_in_the_catalogue() -> None:
    """Every code the package's source names is in the catalogue (a typo fails here, not
    in front of a user)."""
    missing = [(f, line, c) for f, line, c in _named_codes() if c not in set(codes())]
    assert missing == []


def test_a_problem_in_both_languages() -> None:
    """A coded problem gives its located line in Japanese by default and in English on
    request, and keeps its code and parameters for other tools."""
    problem = Problem(file="a.csv", line=3, code="common.line", params={"line": 7})
    assert str(problem) == "a.csv:3: 7行目"
    assert problem.text("en") == "a.csv:3: line 7"
    assert (problem.code, problem.params) == ("common.line", {"line": 7})
    error = CutoverError.of("common.did-you-mean", file="q.csv", choice="pending")
    assert error.text("en") == "q.csv: did you mean 'pending'?"
    assert str(error) == "q.csv: 「pending」のことですか？"


def test_a_suggestion_is_written_in_the_reader_language() -> None:
    """A suggestion inside a message follows the language of the message around it."""
    close = suggest("pendng", ["pending", "provided"])
    assert close == Msg("common.did-you-mean", {"choice": "pending"})
    listed = suggest("x", ["provided", "pending"])
    assert listed.text("ja") == "次のいずれかを書いてください: pending、provided"
    assert listed.text("en") == "valid choices: 'pending' or 'provided'"


def test_an_unknown_code_is_a_bug() -> None:
    """A code missing from the catalogue raises KeyError (a bug in cutover), not a message."""
    with pytest.raises(KeyError, match="no message"):
        text("common.no-such-code")


@pytest.mark.parametrize(
    "code",
    [
        c
        for c in codes()
        if c.startswith("cli.validate-") and "{" in str(entry(c, "en")) and "{id}" not in entry(c)
    ],
)
def test_english_counts_read_right_for_one(code: str) -> None:
    """What `cutover validate --lang en` says a file held reads right for a count of one
    (it said "1 conflicts", "1 evidence rows"): a plural noun after a number has "(s)"."""
    names = {field for _, field, _, _ in string.Formatter().parse(str(entry(code, "en"))) if field}
    said = text(code, "en", **dict.fromkeys(names, 1))
    counted = re.findall(r"\b1 ([a-z ]+?)(?=[,(]|$)", said)  # what is counted, up to "(s)"
    assert counted, said
    assert [c for c in counted if c.endswith("s")] == [], said
