"""Jinja2 templates for the Markdown outputs: shipped in the package, overridable, sandboxed.

Templates live in ``cutover/templates/`` and are read with `jinja2.PackageLoader`. A
``--templates DIR`` puts DIR in front: a file there with the same name wins, the shipped
one is used for the others. With a DIR, every template, the user's and the shipped ones,
renders in jinja2's `~jinja2.sandbox.SandboxedEnvironment` — a user template is code a
coordinator got from somewhere; the shipped templates alone, cutover's own code, render
without the sandbox's cost. Always with `~jinja2.StrictUndefined`: a typo must fail loudly
rather than print nothing. A Markdown template (``*.md.j2``) prints the view-models' strings as
they are: they arrive escaped for Markdown (`cutover.render.markdown`). An HTML template
(``*.html.j2``) is autoescaped, and prints each of those strings as the HTML of its Markdown
(`cutover.render.htmltext.finalize`): the same view-models feed both.

What a user template may do is bounded, so that a hostile or broken one ends in one error
instead of leaking a file, hanging the run or eating the machine's memory:

- files: a template is a regular UTF-8 file of at most `MAX_TEMPLATE_BYTES` inside DIR, after
  following symbolic links; a name or link leading out of DIR is refused, not followed;
- time: one page renders in at most `RENDER_SECONDS`; the clock is read at every loop step,
  call, filter, intercepted operator, include and piece of output;
- size: no text or list a template makes, the page included, exceeds `MAX_TEXT`
  characters or items. What can make a result far larger than its operands (``*``, ``+``,
  ``%``, ``~``, ``str.format``, the padding, joining, replacing, indenting, wrapping,
  batching filters and methods, ``lipsum``) is estimated before it runs and refused when
  over; any other result is measured after. Numbers stay under `MAX_NUMBER_DIGITS` digits;
- memory: where the process's resident memory can be read (Linux, macOS), one page may
  grow it by at most `MAX_MEMORY_BYTES` after its first 10 ms (a template can keep what it
  makes in a namespace, each piece small).

Any problem in a template (an unreadable file, syntax, an undefined name, a refused
attribute, a limit, an exception while rendering) becomes a `CutoverError` naming the
template file and, where known, the line.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import attrs
import jinja2
import jinja2.compiler
import jinja2.exceptions
import jinja2.nodes
import jinja2.runtime
import jinja2.sandbox
import jinja2.utils

from cutover.errors import CutoverError, Problem
from cutover.i18n.catalogue import Alternatives, Lang, Msg, entry, format_template
from cutover.render.htmltext import finalize, plain
from cutover.render.sandbox import (
    _FlatGlobals,
    _LimitError,
    _Sandbox,
    _short,
    _TemplateFileError,
    _UserTemplates,
)

__all__ = ["TemplateDir", "is_html", "load_template", "render_template"]

#: A directory of user templates, or None for the shipped ones only.
TemplateDir = str | os.PathLike[str] | None


@attrs.frozen
class _FixOf(Msg):
    """The fix of a catalogue entry (a table's ``fix``), to be written inside another text."""

    def text(self, lang: Lang = "ja") -> str:
        """Return the fix in `lang`."""
        found = entry(self.code, lang)
        return "" if isinstance(found, str) else format_template(found["fix"], lang, self.params)


@functools.lru_cache(maxsize=8)
def _environment(directory: str | None) -> jinja2.Environment:
    """Return the one environment for a template directory (compiled templates are cached).

    The shipped templates alone are cutover's own code: they render in a plain environment,
    where reading an attribute costs a third of what the sandbox's check does (a national
    run reads about a million). With a user directory, every template — the user's, and
    the shipped ones they fall back to or include — renders in the sandbox.
    """
    options: dict[str, Any] = {
        # Markdown templates print the strings escaped for Markdown as they are; HTML
        # templates escape what they print, after reading it as Markdown (finalize).
        "autoescape": is_html,
        "finalize": finalize,
        "undefined": jinja2.StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
        # One run renders thousands of pages from the same few templates: compile each
        # once and never stat the files again.
        "auto_reload": False,
    }
    shipped = jinja2.PackageLoader("cutover", "templates")
    environment: jinja2.Environment
    if directory is None:
        environment = _FlatGlobals(loader=shipped, **options)
    else:
        loader = jinja2.ChoiceLoader([_UserTemplates(directory), shipped])
        environment = _Sandbox(loader=loader, **options)
    environment.filters["plain"] = plain
    return environment


def is_html(name: str | None) -> bool:
    """Return True for an HTML template (``*.html.j2``), which jinja2 autoescapes."""
    return name is not None and name.endswith(".html.j2")


def _directory_key(templates: TemplateDir) -> str | None:
    """Return the resolved template directory, or raise when it is not a directory."""
    if templates is None:
        return None
    path = Path(templates)
    if not path.is_dir():
        raise CutoverError.of("templates.no-directory", file=str(path))
    return str(path.resolve())


def _template_line(tb: TracebackType | None) -> tuple[str | None, int | None]:
    """Return the file and line of the innermost template frame of a traceback."""
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        # jinja2 rewrites tracebacks so that template code shows as frames of the template
        # file; those frames carry this marker in their globals.
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _template_error(exc: BaseException, name: str) -> CutoverError:
    """Return the error for a template that failed to load or render."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        code, params = _syntax(exc.message or "")
        return _error(code, params, exc.filename or exc.name or name, exc.lineno)
    file, line = _template_line(exc.__traceback__)
    if isinstance(exc, _TemplateFileError):
        if exc.file is None:  # a name that is wrong wherever it is: show where it is used
            return _error(exc.code, exc.params, file or name, line)
        if file is not None and file != exc.file:
            return CutoverError.of(
                "templates.included",
                file=exc.file,
                line=exc.line,
                problem=Msg(exc.code, exc.params),
                fix=_FixOf(exc.code, exc.params),
                at=f"{file}:{line}",
            )
        return _error(exc.code, exc.params, exc.file, exc.line)
    if isinstance(exc, _LimitError):
        if exc.file is not None:
            file, line = exc.file, exc.line
        return _error(exc.code, exc.params, file or name, line)
    code, params = _failure(exc)
    return _error(code, params, file or name, line)


def _error(
    code: str, params: Mapping[str, object], file: str | None, line: int | None
) -> CutoverError:
    """Return the error of one problem of a template: `code` with `params`, located."""
    return CutoverError.from_problems([Problem(file=file, line=line, code=code, params=params)])


#: jinja2's words (English) for the usual syntax errors, each with the code of what the
#: catalogue says instead (`_said` turns the parts they name into parameters); its other
#: words are told as `templates.syntax`, and shown in English only.
_SYNTAX_WORDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), code)
    for pattern, code in (
        (
            r"Unexpected end of template\. Jinja was looking for the following tags: .*\. "
            r"The innermost block that needs to be closed is '(?P<block>[^']*)'\.",
            "templates.syntax-unclosed-block",
        ),
        (
            # (A closing tag of a block further out: jinja2 calls it a nesting mistake.)
            r"Encountered unknown tag '(?P<tag>[^']*)'\. (?:Jinja was looking for the "
            r"following tags:|You probably made a nesting mistake\. Jinja is expecting this "
            r"tag, but currently looking for) (?P<tags>.*)\. The innermost block that needs "
            r"to be closed is '(?P<block>[^']*)'\.",
            "templates.syntax-wrong-tag",
        ),
        (r"Encountered unknown tag 'end(?P<block>[^']+)'\.", "templates.syntax-stray-end"),
        (r"Encountered unknown tag '(?P<tag>[^']*)'\.", "templates.syntax-unknown-tag"),
        (r"unexpected end of template, expected '(?P<expected>.*)'\.", "templates.syntax-end"),
        (r"unexpected '(?P<token>.*)', expected '(?P<expected>.*)'", "templates.syntax-expected"),
        (r"expected token '(?P<expected>.*)', got '(?P<token>.*)'", "templates.syntax-expected"),
        (r"Expected an expression, got '(?P<token>.*)'", "templates.syntax-no-expression"),
        (r"unexpected '(?P<token>.*)'", "templates.syntax-unexpected"),
        (r"unexpected char ['\"](?P<char>.)['\"] at \d+", "templates.syntax-bad-char"),
        (r"Missing end of comment tag", "templates.syntax-unclosed-comment"),
        (r"tag name expected", "templates.syntax-tag-name"),
        (r"No filter named '(?P<name>[^']*)'\.?", "templates.syntax-no-filter"),
        (r"No test named '(?P<name>[^']*)'\.?", "templates.syntax-no-test"),
        (r"block '(?P<name>[^']*)' defined twice", "templates.syntax-block-twice"),
    )
)

#: jinja2's and Python's words (English) for a template's most usual mistakes while it
#: renders, each with the code of what the catalogue says instead; their other words are
#: told by the kind of failure (`_failure`), and shown in English only.
_JINJA_WORDS: tuple[tuple[type[Exception], re.Pattern[str], str], ...] = tuple(
    (kind, re.compile(pattern), code)
    for kind, pattern, code in (
        (jinja2.UndefinedError, r"'(?P<name>[^']*)' is undefined", "templates.no-name"),
        (
            jinja2.UndefinedError,
            r"'[^']*' has no attribute '(?P<name>[^']*)'",
            "templates.no-attribute",
        ),
        (
            jinja2.UndefinedError,
            r"(?P<kind>\w+) object has no element (?P<index>.+)",
            "templates.no-element",
        ),
        (
            jinja2.exceptions.SecurityError,
            r"access to attribute '(?P<name>[^']*)' of '[^']*' object is unsafe\.",
            "templates.unsafe-attribute",
        ),
        (ZeroDivisionError, r".*", "templates.division-by-zero"),
        (
            TypeError,
            r"unsupported operand type\(s\) for (?P<op>.+): '(?P<left>[^']*)' and "
            r"'(?P<right>[^']*)'",
            "templates.operand-types",
        ),
        (
            TypeError,
            r'can only concatenate (?P<left>\w+) \(not "(?P<right>[^"]*)"\) to \w+',
            "templates.concatenate-types",
        ),
        (
            TypeError,
            r"can't multiply sequence by non-int of type '(?P<right>[^']*)'",
            "templates.repeat-count",
        ),
        (
            TypeError,
            r"bad operand type for unary (?P<op>[-+~]): '(?P<kind>[^']*)'",
            "templates.sign-type",
        ),
        (
            TypeError,
            r"'(?P<op>[<>]=?)' not supported between instances of '(?P<left>[^']*)' and "
            r"'(?P<right>[^']*)'",
            "templates.compare-types",
        ),
        (TypeError, r"'(?P<kind>[^']*)' object is not iterable", "templates.not-iterable"),
        (TypeError, r"cannot unpack non-iterable (?P<kind>\w+) object", "templates.not-iterable"),
        (TypeError, r"'(?P<kind>[^']*)' object is not callable", "templates.not-callable"),
        (TypeError, r"object of type '(?P<kind>[^']*)' has no len\(\)", "templates.no-length"),
        (
            TypeError,
            r"macro '(?P<name>[^']*)' takes not more than (?P<count>\d+) argument\(s\)",
            "templates.macro-arguments",
        ),
        (
            TypeError,
            r"macro '(?P<name>[^']*)' takes no keyword argument '(?P<argument>[^']*)'",
            "templates.macro-keyword",
        ),
    )
)

#: jinja2's names of the signs it expected or found, as a template writes them.
_SIGNS: dict[str, str] = {
    "begin of print statement": "{{",
    "end of print statement": "}}",
    "begin of statement block": "{%",
    "end of statement block": "%}",
    "begin of comment": "{#",
    "end of comment": "#}",
}

#: Python's names of the kinds of value a template meets, as the catalogue says them.
_KINDS = frozenset({"int", "float", "str", "list", "tuple", "dict", "NoneType", "bool"})


def _token(word: str) -> Msg:
    """Return a token jinja2 names (``'end of print statement'``, ``'}'``, ``'x'``) as the
    catalogue says it: its sign or word quoted, the end of the template, or a name."""
    if word == "end of template":
        return Msg("templates.token-end")
    if word == "name":  # (a name was expected: jinja2 says the kind of token)
        return Msg("templates.token-name")
    return Msg("templates.token", {"text": _short(_SIGNS.get(word, word), 80)})


def _kind(name: str) -> Msg:
    """Return the kind of a value Python names (``'int'``) as the catalogue says it."""
    if name in _KINDS:
        return Msg(f"templates.kind-{name.lower()}")
    return Msg("templates.kind-other", {"name": _short(name, 80)})


def _said(match: re.Match[str]) -> dict[str, object]:
    """Return the parameters of what a library's words name (`_SYNTAX_WORDS`,
    `_JINJA_WORDS`), each in the form its catalogue text takes."""
    params: dict[str, object] = {}
    for name, value in match.groupdict().items():
        if name in {"token", "expected"}:
            params[name] = _token(value)
        elif name in {"kind", "left", "right"}:
            params[name] = _kind(value)
        elif name == "tags":
            tags = tuple(_short(tag, 80) for tag in re.findall(r"'([^']*)'", value))
            params[name] = Alternatives(tags)
        elif name == "count":
            params[name] = int(value)
        else:
            params[name] = _short(value, 80)
    return params


def _syntax(message: str) -> tuple[str, dict[str, object]]:
    """Return the code and parameters of a template's syntax error, jinja2's `message`."""
    said = " ".join(message.split())
    for pattern, code in _SYNTAX_WORDS:
        match = pattern.fullmatch(said)
        if match is not None:
            return code, _said(match)
    return "templates.syntax", {"detail": _short(said)}


def _failure(exc: BaseException) -> tuple[str, dict[str, object]]:
    """Return the code and parameters of any other failure of a template."""
    if isinstance(exc, jinja2.TemplateNotFound):
        return "templates.not-found", {"name": _short(repr(exc.name))}
    said = " ".join(str(exc).split())
    for kind, words, code in _JINJA_WORDS:
        match = words.fullmatch(said) if isinstance(exc, kind) else None
        if match is not None:
            return code, _said(match)
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return "templates.sandbox", {"detail": _short(said)}
    if isinstance(exc, jinja2.UndefinedError):
        return "templates.undefined", {"detail": _short(said)}
    if isinstance(exc, RecursionError):
        return "templates.recursion", {}
    if isinstance(exc, MemoryError):
        return "templates.out-of-memory", {}
    return "templates.failed", {"kind": type(exc).__name__, "detail": _short(said)}


def load_template(name: str, templates: TemplateDir = None) -> jinja2.Template:
    """Return the compiled template `name`, from `templates` when it holds one, else shipped."""
    environment = _environment(_directory_key(templates))
    try:
        return environment.get_template(name)
    except Exception as exc:
        # Compiling a user template can also fail outside jinja2 (a RecursionError on
        # expressions nested too deep, a SyntaxError from Python for too many nested loops).
        raise _template_error(exc, name) from None


def render_template(template: jinja2.Template, **context: Any) -> str:
    """Return `template` rendered with `context`; any failure is a `CutoverError`."""
    render: Callable[..., str] = template.render
    try:
        return render(**context)
    except CutoverError:
        raise  # a template rendered inside this one (a checklist's task item): said already
    except Exception as exc:
        # A template may raise anything (a filter on a wrong type, a division by zero):
        # all of it is a problem of the template, to be reported as such.
        raise _template_error(exc, template.name or "template") from None
