"""What the command line writes for a person: in the run's language, one line each, and
readable on a console whose encoding lacks some characters (cp932 on Japanese Windows).

Every line goes through `fit` (`cutover.i18n.charset`): a character the stream's encoding
cannot write is replaced by its nearest look-alike there ("—" by "―", which cp932 has at the
byte Windows writes for the em dash; "–" by "-"), never escaped as ``\\u2014`` and never a
UnicodeEncodeError.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from typing import TextIO

from cutover.errors import Problem, printable
from cutover.i18n.catalogue import DEFAULT_LANG, LANGS, Lang, Msg, text
from cutover.i18n.charset import fit, look_alike_errors

__all__ = [
    "LANG_ENV",
    "STDERR_LINES",
    "argv_language",
    "env_language",
    "error",
    "fit",
    "language",
    "look_alike_errors",
    "print_problems",
    "say",
    "speaking",
    "tell",
    "warn",
    "writing_stdout",
]

#: The environment variable that sets the language when no --lang is given.
LANG_ENV = "CUTOVER_LANG"

#: Rejected rows and duplicated ids shown on standard error, at most: a log concatenated to
#: itself must not flood the terminal with two million lines.
STDERR_LINES = 100

_LANG: ContextVar[Lang] = ContextVar("cutover_cli_lang", default=DEFAULT_LANG)


def language() -> Lang:
    """Return the language of the command being run (`speaking`), Japanese by default."""
    return _LANG.get()


@contextlib.contextmanager
def speaking(lang: Lang) -> Iterator[None]:
    """Make `lang` the language of what the command line writes, for a block."""
    token = _LANG.set(lang)
    try:
        yield
    finally:
        _LANG.reset(token)


def env_language() -> str | None:
    """Return the language `CUTOVER_LANG` asks for, as written (None when unset or empty)."""
    return os.environ.get(LANG_ENV) or None


def argv_language(argv: Sequence[str]) -> Lang:
    """Return the language of a command line before it is parsed, so that ``--help`` and
    usage errors are in it: the last ``--lang`` given (before or after the command), else
    `CUTOVER_LANG`, else Japanese. A value that is no language is left for the parser (or
    the run) to refuse."""
    found: str | None = None
    for n, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and n + 1 < len(argv):
            found = argv[n + 1]
        elif arg.startswith("--lang="):
            found = arg.partition("=")[2]
    for wanted in (found, env_language()):
        for lang in LANGS:
            if wanted == lang:
                return lang
    return DEFAULT_LANG


# --- writing ---------------------------------------------------------------------------------


def _write(stream: TextIO | None, line: str) -> None:
    if stream is None:  # (started with the stream closed)
        return
    stream.write(fit(line, getattr(stream, "encoding", None)) + "\n")


def _on_terminal(stream: TextIO | None) -> bool:
    """Return True when `stream` is a terminal (a person reads it as it scrolls)."""
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # (no such method; a closed stream)
        return False


def say(line: str | Msg) -> None:
    """Write one line for the person running the command on standard output."""
    with writing_stdout():
        _write(sys.stdout, line if isinstance(line, str) else line.text(language()))


@contextlib.contextmanager
def writing_stdout() -> Iterator[None]:
    """Turn a failed write to standard output into its one-line error (a full disk, a size
    limit: `cutover.render.files.stdout_failure`); a broken pipe goes on as it is.

    Unbuffered (``PYTHONUNBUFFERED``, ``python -u``), a line fails where it is written, not
    where standard output is flushed: both name standard output."""
    try:
        yield
    except OSError as exc:
        from cutover.render.files import stdout_failure

        failed = stdout_failure(exc)
        if failed is exc:
            raise
        raise failed from None


def tell(line: str | Msg) -> None:
    """Write one line for the person on standard error, as it is (a summary beside an
    output that goes to standard output or a file)."""
    _write(sys.stderr, line if isinstance(line, str) else line.text(language()))


def error(line: str | Msg) -> None:
    """Write ``cutover: <line>`` on standard error."""
    shown = line if isinstance(line, str) else line.text(language())
    _write(sys.stderr, f"cutover: {shown}")


def warn(line: str | Msg) -> None:
    """Write ``cutover: warning: <line>`` (in the run's language) on standard error."""
    lang = language()
    shown = line if isinstance(line, str) else line.text(lang)
    # (One line whatever a file name or a value holds: a newline, an escape.)
    _write(sys.stderr, f"cutover: {text('cli.warning', lang)}: {printable(shown)}")


def print_problems(problems: Iterable[Problem], *, more: str | Msg | None = None) -> None:
    """Write each problem on standard error in the run's language; with `more`, the first
    `STDERR_LINES` and a count of the others (`more` says what they are and where they
    are all listed).

    Without `more`, every problem, but on a terminal: there, the first `STDERR_LINES` of
    each file and how to write them all to a file. (One mistake made in every row of a
    national file is 30,000 lines, which a console scrolls past its first ones, the lines
    that say it; and a file checked after it must not lose its one line behind them.)"""
    lang = language()
    if more is None and _on_terminal(sys.stderr):
        _print_each_file(problems, lang)
        return
    left = 0
    for n, problem in enumerate(problems):
        if more is not None and n >= STDERR_LINES:
            left += 1
            continue
        # One line each, whatever a file name or a value holds (a newline, an escape).
        error(printable(problem.text(lang)))
    if left and more is not None:
        what = more if isinstance(more, str) else more.text(lang)
        error(text("cli.more-problems", lang, count=left, what=what))


def _print_each_file(problems: Iterable[Problem], lang: Lang) -> None:
    """Write the first `STDERR_LINES` problems of each file (and of no file), then, for
    each file that had more, how many and how to see them all."""
    shown: dict[str | None, int] = {}
    left: dict[str | None, int] = {}
    for problem in problems:
        count = shown.get(problem.file, 0)
        if count >= STDERR_LINES:
            left[problem.file] = left.get(problem.file, 0) + 1
            continue
        shown[problem.file] = count + 1
        error(printable(problem.text(lang)))
    what = text("cli.more-problems-on-terminal", lang, shown=STDERR_LINES)
    for file, count in left.items():
        line = text("cli.more-problems", lang, count=count, what=what)
        error(f"{file}: {line}" if file is not None else line)
