"""A library's English words never reach a Japanese message: what jinja2 and Python say of
a user template, and what the csv module says of a file, run by the real command, is said
from the catalogue in the reader's language (Japanese by default, English with --lang en),
at the file and line. (Workbooks that cannot be read are in the bad-input corpus,
tests/data/bad/cli/workbook-*.)"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs
import pytest
from test_cli_language import english_sentence, japanese

from cutover.cli.main import main
from cutover.i18n.catalogue import LANGS
from cutover.render.templating import _KINDS, _kind

ROOT = Path(__file__).resolve().parent.parent
AGENCIES = ROOT / "examples" / "tottori" / "agencies.csv"


@attrs.frozen
class Case:
    """A template that fails, what each language must say of it, and the library's words
    neither may say (the Japanese never; the English not when the catalogue knows them)."""

    name: str
    source: str
    line: int
    ja: str
    en: str
    library: str
    known: bool = True


CASES = [
    # --- syntax ---------------------------------------------------------------------------------
    Case("brace", "# {{ page.title }\n", 1, "ここに「}」は書けません", "'}' cannot be here",
         "unexpected '}'"),
    Case("unclosed-for", "{% for task in page.tasks %}\n- x\n", 2,
         "「for」のブロック（{% for … %}）が閉じられないまま、テンプレートが終わっています",
         "add {% endfor %} where the block ends", "Jinja was looking for"),
    Case("stray-end", "# x\n{% endfor %}\n", 2,
         "{% endfor %} がありますが、それで閉じるブロック {% for … %} が始まっていません",
         "{% endfor %} closes a 'for' block, but none is open", "Encountered unknown tag"),
    Case("wrong-tag", "{% if page %}\na\n{% elseif page %}\n{% endif %}\n", 3,
         "閉じていないブロックは「if」で、ここに書けるのは elif、else、endif です",
         "the open block is 'if', and what may come here is elif, else or endif",
         "Encountered unknown tag"),
    Case("nesting-mistake", "{% for task in page.tasks %}\n{% if task %}\n{% endfor %}\n", 3,
         "ここに {% endfor %} は書けません。閉じていないブロックは「if」で",
         "the open block is 'if', and what may come here is elif, else or endif",
         "nesting mistake"),
    Case("no-tag-name", "# x\n{% 'title' %}\n", 2, "{% の後にタグの名前がありません",
         "{% is not followed by the name of a tag", "tag name expected"),
    Case("unknown-tag", "{% includ 'x' %}\n", 1, "{% includ %} というタグはありません",
         "there is no tag {% includ %}", "Encountered unknown tag"),
    Case("unclosed-print", "# {{ page.title\n", 1,
         "「}}」がないまま、テンプレートが終わっています", "the template ends where '}}' is needed",
         "unexpected end of template"),
    Case("expected", "# {{ page.title x }}\n", 1, "「}}」があるべきところに「x」があります",
         "'x' where '}}' is needed", "expected token"),
    Case("no-expression", "{% for task in %}{% endfor %}\n", 1,
         "値（式）があるべきところに「%}」があります",
         "'%}' where a value (an expression) is needed",
         "Expected an expression"),
    Case("open-quote", "# {{ 'title }}\n", 1, "式の中に、使えない文字「'」があります",
         "\"'\" cannot be used in an expression", "unexpected char"),
    Case("open-comment", "{# note\n", 1, "コメント {# … の終わりの #} がありません",
         "a comment {# … is never closed with #}", "Missing end of comment tag"),
    Case("no-filter", "# {{ page.title | uppr }}\n", 1, "フィルター「uppr」はありません",
         "there is no filter 'uppr'", "No filter named"),
    Case("other-syntax", "{% set 1 = 2 %}\n", 1,
         "テンプレートの構文に誤りがあります（この行を jinja2 が読み取れません）",
         "template syntax error: can't assign to 'const'", "can't assign", known=False),
    # --- while rendering --------------------------------------------------------------------------
    Case("add", "# {{ page.tasks | length + ' tasks' }}\n", 1,
         "「+」で整数（int）と文字列（str）を計算することはできません",
         "'+' cannot combine an integer (int) and a string (str)", "unsupported operand"),
    Case("concatenate", "# {{ page.title + 1 }}\n", 1,
         "「+」で文字列（str）に整数（int）をつなぐことはできません",
         "'+' cannot join an integer (int) to a string (str)", "can only concatenate"),
    Case("repeat", "# {{ page.title * 'x' }}\n", 1,
         "「*」で文字列やリストを繰り返す回数に、文字列（str）は使えません",
         "'*' repeats a string or a list a whole number of times, not a string (str)",
         "can't multiply sequence"),
    Case("sign", "# {{ -page.title }}\n", 1,
         "符号「-」を文字列（str）に付けることはできません",
         "the sign '-' cannot go before a string (str)", "bad operand type"),
    Case("divide", "# {{ 10 / (page.tasks | length * 0) }}\n", 1, "0 で割り算をしています",
         "division by zero — make sure the divisor is never 0", "ZeroDivisionError"),
    Case("compare", "# {{ [1, page.title] | sort }}\n", 1,
         "「<」で文字列（str）と整数（int）を比べることはできません",
         "'<' cannot compare a string (str) with an integer (int)", "not supported between"),
    Case("loop-number", "{% for x in page.tasks | length %}{% endfor %}\n", 1,
         "整数（int）は、for で繰り返したり一つずつ取り出したりできません",
         "an integer (int) cannot be looped over", "is not iterable"),
    Case("call", "# {{ page.title() }}\n", 1,
         "文字列（str）を、関数のように () を付けて呼び出しています",
         "a string (str) is called with () as if it were a function", "is not callable"),
    Case("length", "# {{ 3 | length }}\n", 1, "整数（int）には長さ（|length）がありません",
         "an integer (int) has no length (|length)", "has no len()"),
    Case("macro", "{% macro row(a) %}{{ a }}{% endmacro %}\n{{ row(1, 2) }}\n", 2,
         "マクロ「row」に渡す値が多すぎます（受け取るのは 1 個までです）",
         "macro 'row' takes at most 1 argument(s)", "takes not more than"),
    Case("element", "# {{ [1][5] }}\n", 1, "リスト（list）に 5 番の要素はありません",
         "a list has no element 5 (elements are counted from 0)", "list object has no element"),
    Case("other-failure", "# {{ page.title.upper(1) }}\n", 1,
         "テンプレートの処理中にエラー（TypeError）が起きました",
         "template failed: TypeError: str.upper() takes no arguments (1 given)",
         "takes no arguments", known=False),
]  # fmt: skip


def _checklists(templates: Path, out: Path, *lang: str) -> int:
    """Return the exit code of `cutover checklists` for the example, with `templates`."""
    args = ["checklists", "2018-07", "--agencies", str(AGENCIES), "--as-of", "2018-06-25"]
    return main([*lang, *args, "--out", str(out), "--templates", str(templates)])


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_template_mistake_in_the_reader_language(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command exits 1 with one line at the template's file and line: in Japanese by
    default, saying what is wrong without jinja2's or Python's English; in English with
    --lang en, without the library's words where the catalogue knows them."""
    templates = tmp_path / "t"
    templates.mkdir()
    template = templates / "checklist.md.j2"
    template.write_text(case.source, encoding="utf-8")
    assert _checklists(templates, tmp_path / "ja") == 1
    ja = capsys.readouterr().err.strip()
    assert _checklists(templates, tmp_path / "en", "--lang", "en") == 1
    en = capsys.readouterr().err.strip()
    for text in (ja, en):
        assert len(text.splitlines()) == 1, text
        assert text.startswith(f"cutover: {template}:{case.line}: "), text
    assert case.ja in ja
    assert case.library not in ja
    assert english_sentence(ja) is None, ja
    assert case.en in en
    assert japanese(en) is None, en
    assert (case.library in en) is not case.known, en


def test_a_csv_error_the_catalogue_does_not_know_is_said_in_japanese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An error of the csv module other than an over-long value (none is known to reach a
    reader since Python 3.11; an older module said "line contains NUL") is a Japanese
    sentence at its line, its words shown in English only."""
    agencies = tmp_path / "agencies.csv"
    agencies.write_bytes(AGENCIES.read_bytes())

    def refusing(lines: Iterable[str], *args: object, **kwargs: object) -> Iterator[list[str]]:
        raise csv.Error("line contains NUL")
        yield []  # (a generator, as the reader is read)

    monkeypatch.setattr(csv, "reader", refusing)
    args = ["validate", "2018-07", "--agencies", str(agencies)]
    assert main(args) == 1
    ja = capsys.readouterr().err.strip()
    assert main(["--lang", "en", *args]) == 1
    en = capsys.readouterr().err.strip()
    assert ja.startswith(f"cutover: {agencies}:1: CSV として読めません（区切りや"), ja
    assert "line contains NUL" not in ja
    assert english_sentence(ja) is None, ja
    assert en.startswith(f"cutover: {agencies}:1: unreadable CSV (line contains NUL)"), en


def test_every_kind_of_value_named_has_a_text() -> None:
    """Each kind of value a template's failure names (Python's int, str, …) has a text in
    both languages, and a kind not listed is named as it is (the codes are made, not
    written, so the catalogue test cannot see them)."""
    for name in _KINDS:
        for lang in LANGS:
            assert _kind(name).text(lang)
    assert "Markup" in _kind("Markup").text("ja")
