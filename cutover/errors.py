"""The one exception type for bad input, and the helpers that build its messages."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import difflib
import errno
import functools
import os
import re
import sys
import unicodedata
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Self, TypeVar

import attrs

from cutover.i18n.catalogue import (
    DEFAULT_LANG,
    LANGS,
    Alternatives,
    Lang,
    Msg,
    entry,
    format_template,
    on_command_line,
)
from cutover.i18n.catalogue import text as catalogue_text
from cutover.jp.personal_number import mask_personal_numbers

_T = TypeVar("_T")

__all__ = [
    "CutoverError",
    "InputWarning",
    "NotFound",
    "Problem",
    "check_lang",
    "clip",
    "closest",
    "os_reason",
    "printable",
    "quiet_inputs",
    "require_code",
    "require_date",
    "require_instance",
    "require_paths",
    "require_prefecture",
    "require_text",
    "suggest",
    "type_error",
    "warn_input",
]


def printable(name: str) -> str:
    """Return `name` as a one-line message shows it: any personal number masked, and control
    characters escaped (``\\n``, ``\\x1b``): a file name may hold a newline, which would
    split its error over two lines, or an escape sequence, which would rewrite the terminal."""
    name = mask_personal_numbers(name)  # (a file may be named after a personal number)
    if name.isprintable():
        return name
    return "".join(_escape(c) for c in name)


# Japanese file names hold spaces (U+3000) that str.isprintable() calls unprintable: only
# these categories are escaped. (Cf is escaped for the direction marks that reorder a name.)
_ESCAPED = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def _escape(char: str) -> str:
    if unicodedata.category(char) not in _ESCAPED:
        return char
    # (repr gives \n, \t, \x1b and \u202e as a programmer writes them; quotes stripped.)
    return repr(char)[1:-1]


def _place(text: str | None) -> str | None:
    """Return a file name or key as a message shows it: masked, and on one line."""
    return None if text is None else printable(text)


@attrs.frozen(repr=False, slots=False)
class Problem:
    """One thing wrong with an input: where it is, what is wrong, and how to fix it.

    A problem carries a catalogue `code` and its `params` (`cutover.i18n.catalogue`): its
    text is written in the reader's language where it is shown (`describe`, `text`), and
    `message` and `fix` hold it in Japanese, the default. (A problem made with a `message`
    and no code is one not yet moved to the catalogue: its text is that message.)

    Every text of a problem is masked (`cutover.jp.personal_number`): a message may quote a
    bad value, and a value may be a personal number, which no message ever shows. Its file
    name and key are shown on one line (`printable`).

    In a workbook, `sheet` names the sheet and `line` is the sheet's row; `column` is the
    cell's column letter when the problem is one cell's (``readiness.xlsx:改修状況!E7``),
    None when it is the whole row's (``readiness.xlsx:改修状況:7``). `header` is that
    column's header as the sheet writes it (完了予定日), when it is not `key` (``planned``):
    a message names the column as the reader sees it.
    """

    # (`message` and `fix` as given: for a problem with a code, its text is written from
    # the catalogue when first read, not when it is made. A file of 100,000 bad rows makes
    # several problems a row, most of them never shown.)
    _message: str = attrs.field(default="", converter=mask_personal_numbers)
    _fix: str = attrs.field(default="", converter=mask_personal_numbers)
    file: str | None = attrs.field(default=None, converter=_place)
    line: int | None = None
    key: str | None = attrs.field(default=None, converter=_place)
    code: str = attrs.field(default="", kw_only=True)
    # (Left out of the hash, as a dict has none; equality still compares it.)
    params: Mapping[str, object] = attrs.field(factory=dict, kw_only=True, hash=False)
    sheet: str | None = attrs.field(default=None, converter=_place, kw_only=True)
    column: str | None = attrs.field(default=None, kw_only=True)
    header: str | None = attrs.field(default=None, converter=_place, kw_only=True)

    @property
    def message(self) -> str:
        """Return what is wrong, in Japanese (the default language), masked."""
        return self._default()[0]

    @property
    def fix(self) -> str:
        """Return how to fix it, in Japanese, masked ("" when there is nothing to do)."""
        return self._default()[1]

    def __repr__(self) -> str:
        shown = {"message": self.message, "fix": self.fix}
        shown |= {a.name: getattr(self, a.name) for a in attrs.fields(Problem) if a.init}
        del shown["_message"], shown["_fix"]
        return f"Problem({', '.join(f'{k}={v!r}' for k, v in shown.items())})"

    # (Not slotted, for this cache: it is no field, so `attrs.asdict`, equality and
    # `attrs.evolve` see only what the problem was made of.)
    @functools.cached_property
    def _said(self) -> tuple[str, str]:
        return self.describe(DEFAULT_LANG)

    def _default(self) -> tuple[str, str]:
        """Return `describe` in the default language, written once."""
        return self._said

    def describe(self, lang: Lang = DEFAULT_LANG) -> tuple[str, str]:
        """Return what is wrong and how to fix it, in `lang`, masked."""
        lang = check_lang(lang)
        if not self.code:
            return self._message, self._fix
        found = entry(self.code, lang)
        # (A cell may hold a pasted memo of thousands of characters: quoted whole, it would
        # fill the screen and hide the place and the fix. Its beginning and end say which.)
        params = {
            k: clip(v, _MAX_QUOTED) if isinstance(v, str) else v for k, v in self.params.items()
        }
        if isinstance(found, str):
            message, fix = format_template(found, lang, params), ""
        else:
            message = format_template(found["message"], lang, params)
            fix = format_template(found.get("fix", ""), lang, params)
        return mask_personal_numbers(message), mask_personal_numbers(fix)

    def on_command_line(self, options: Mapping[str, str | Msg]) -> Problem:
        """Return the problem as a command tells it: each argument its text names
        (`cutover.i18n.catalogue.Argument`: ``due``) named by the command's option that gave
        it (`options`, ``dest`` → option: ``--due``)."""
        told = on_command_line(self.params, options)
        return self if told == self.params else attrs.evolve(self, params=told)

    def text(self, lang: Lang = DEFAULT_LANG) -> str:
        """Return the problem as one line in `lang`: ``FILE:LINE: KEY: what — fix``."""
        where = ""
        if self.file is not None:
            where = self.file
            if self.sheet is not None:
                where += f":{self.sheet}"
            if self.line is not None:
                cell = self.sheet is not None and self.column is not None
                where += f"!{self.column}{self.line}" if cell else f":{self.line}"
        elif self.line is not None:
            where = catalogue_text("common.line", lang, line=self.line)
        key = self.header or self.key
        if key:
            where = f"{where}: {key}" if where else key
        message, fix = self.describe(lang)
        line = f"{where}: {message}" if where else message
        if fix:
            line += f" — {fix}"
        return line

    def __str__(self) -> str:
        return self.text(DEFAULT_LANG)


class CutoverError(Exception):
    """Bad input: one or more `Problem`s, each naming the place, the bad value and the fix."""

    problems: tuple[Problem, ...]

    def __init__(
        self,
        message: str,
        *,
        fix: str = "",
        file: str | None = None,
        line: int | None = None,
        key: str | None = None,
    ) -> None:
        self.problems = (Problem(message, fix, file, line, key),)
        super().__init__()

    @classmethod
    def of(
        cls,
        code: str,
        *,
        file: str | None = None,
        line: int | None = None,
        key: str | None = None,
        **params: object,
    ) -> Self:
        """Return the error of one problem: the catalogue's `code` with `params`, located."""
        return cls.from_problems([Problem(file=file, line=line, key=key, code=code, params=params)])

    @classmethod
    def from_problems(cls, problems: Iterable[Problem]) -> Self:
        """Return one error that carries every problem found in an input."""
        found = tuple(problems)
        if not found:
            msg = "CutoverError.from_problems needs at least one problem"
            raise ValueError(msg)
        # (Not through `__init__`, which a subclass may give other arguments.)
        err = cls.__new__(cls)
        Exception.__init__(err)
        err.problems = found
        return err

    # The text is written when it is read, in the default language: `args` holds it, as an
    # exception's arguments hold its message. (Triage makes several errors a bad row of a
    # file, most of them never shown.)
    @property
    def args(self) -> tuple[str]:
        return (self.text(DEFAULT_LANG),)

    @args.setter
    def args(self, value: object) -> None:
        pass  # (`Exception.__init__` sets it: the problems say it all)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.text(DEFAULT_LANG)!r})"

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuilt, (type(self), self.problems), self.__dict__)

    def text(self, lang: Lang = DEFAULT_LANG) -> str:
        """Return every problem, one line each, in `lang`."""
        return "\n".join(p.text(lang) for p in self.problems)

    def __str__(self) -> str:
        return self.text(DEFAULT_LANG)

    def at(
        self, *, file: str | None = None, line: int | None = None, key: str | None = None
    ) -> CutoverError:
        """Return the same error with the location filled in where a problem had none."""
        return CutoverError.from_problems(
            attrs.evolve(
                p,
                file=p.file if p.file is not None else file,
                line=p.line if p.line is not None else line,
                key=p.key if p.key is not None else key,
            )
            for p in self.problems
        )


def _rebuilt(kind: type[CutoverError], problems: tuple[Problem, ...]) -> CutoverError:
    """Return the error of `kind` that carries `problems` (how one is unpickled)."""
    return kind.from_problems(problems)


class NotFound(CutoverError, KeyError):
    """A lookup by code or id found nothing: ``registry[code]``, ``timeline[event_id]``,
    ``calendar.event(event_id)``. Its problem names the nearest codes or ids.

    It is a `CutoverError` (a wrong code or id is the user's mistake, shown as any other)
    and a `KeyError` (what ``[]`` raises in Python). Every such lookup has a ``get`` form
    that returns None instead.
    """


class InputWarning(UserWarning):
    """Something read from an input that was taken as meant, and said (`warnings.warn`):
    codes Excel turned into numbers, restored to 6 digits. The command line writes it in the
    run's language; a program may turn it into an error with a warnings filter."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


#: Whether the inputs read in this thread (or task) are only looked at (`quiet_inputs`).
_QUIET: contextvars.ContextVar[bool] = contextvars.ContextVar("cutover_quiet", default=False)


#: The folder of the cutover package: a warning is said from the first frame outside it.
_PACKAGE_DIR = str(Path(__file__).parent) + os.sep


def warn_input(problem: Problem) -> None:
    """Warn of `problem`, read and taken as meant (`InputWarning`), unless the read is only
    a look (`quiet_inputs`).

    The warning is said from the program's own call into cutover (its file and line, its
    module for a filter by ``module=``), however deep in cutover the input was read, as
    Python 3.12's ``skip_file_prefixes`` would."""
    if _QUIET.get():
        return
    frame = sys._getframe(1)
    level = 2  # (warnings.warn's caller is 1: this function; its caller 2)
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
        level += 1
    warnings.warn(InputWarning(problem), stacklevel=level)


@contextlib.contextmanager
def quiet_inputs() -> Iterator[None]:
    """Read inputs without warning of them, in this thread (or task) only: a file only
    looked at, whose warnings are for the command that reads it. The process's `warnings`
    filters stay as they are: a filter set to ignore `InputWarning` for the time of the
    read would hide another thread's warnings, or turn off its ``"error"`` filter."""
    token = _QUIET.set(True)
    try:
        yield
    finally:
        _QUIET.reset(token)


def suggest(word: str, choices: Sequence[str], *, in_order: bool = False) -> Msg:
    """Return, for a fix, the closest valid choice to `word`, or the list of them all:
    sorted, or `in_order` as given (the prefectures in their codes' order, as every list of
    them is read)."""
    close = closest(word, choices)
    if close is not None:
        return Msg("common.did-you-mean", {"choice": close})
    ordered = list(choices) if in_order else sorted(choices)
    return Msg(
        "common.valid-choices",
        {
            "choices": Alternatives(tuple(ordered)),
            "quoted": Alternatives(tuple(map(repr, ordered))),
        },
    )


def closest(word: str, choices: Sequence[str]) -> str | None:
    """Return the valid choice closest to `word` (a slip of a key or two), or None."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


#: The most characters of one value (a cell, a key) a problem's text quotes; a longer one
#: is shown by its beginning and end (`clip`).
_MAX_QUOTED = 200


def clip(text: str, limit: int) -> str:
    """Return `text`, or its beginning and its end around " … " when longer than `limit`."""
    if len(text) <= limit:
        return text
    kept = limit - len(" … ")
    head, tail = kept // 2, len(text) - (kept - kept // 2)
    while head > 0 and _NUMBERISH.match(text, head - 1) and _NUMBERISH.match(text, head):
        head -= 1
    while tail < len(text) and _NUMBERISH.match(text, tail - 1) and _NUMBERISH.match(text, tail):
        tail += 1
    return f"{text[:head]} … {text[tail:]}"


#: Characters a personal number may be written with: a clipped message is never cut inside
#: a run of them, so no part of a number is left that the mask of messages would not know.
_NUMBERISH = re.compile(r"[\d\s\-－ー‐−]")


# Why the system refused, in the reader's language: errno → code (others: files.os-other).
_REASONS: dict[int, str] = {
    errno.EACCES: "files.os-eacces",
    errno.EPERM: "files.os-eperm",
    errno.ENOENT: "files.os-enoent",
    errno.ENOTDIR: "files.os-enotdir",
    errno.EISDIR: "files.os-eisdir",
    errno.ELOOP: "files.os-eloop",
    errno.ENAMETOOLONG: "files.os-enametoolong",
    errno.EROFS: "files.os-erofs",
    errno.EBUSY: "files.os-ebusy",
    errno.EEXIST: "files.os-eexist",
    errno.EXDEV: "files.os-exdev",
    errno.ETXTBSY: "files.os-etxtbsy",
    errno.ENOSPC: "files.os-enospc",
}


def os_reason(exc: OSError) -> Msg:
    """Return why the system refused, as a message: the system's own words in English,
    said in Japanese for the usual refusals."""
    strerror = exc.strerror or type(exc).__name__
    number = exc.errno or 0
    code = _REASONS.get(number, "files.os-other")
    return Msg(code, {"strerror": strerror, "errno": errno.errorcode.get(number, number)})


def require_date(value: object, name: str) -> dt.date:
    """Return `value` when it is a day (a `datetime.date`); raise `TypeError` otherwise.

    A `datetime` is a `date` to Python and to a type checker, but not a day: passed where a
    day belongs it would fail later, far from the call, or compare wrongly with days. The
    message is for the programmer who called (English, from the catalogue).
    """
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    kind = "datetime" if isinstance(value, dt.datetime) else type(value).__name__
    raise TypeError(catalogue_text("common.not-a-date", "en", name=name, kind=kind))


def require_code(value: object, name: str) -> str:
    """Return an agency's code when it is text; raise `TypeError` otherwise.

    A database column or a spreadsheet library may give a code as an int (``11002`` for
    ``011002``), and such values are typed Any, so a type checker lets them through to a
    lookup by code, which would then find nothing: `None`, ``False``, no rows, as for an
    agency not in the registry. The message (English, from the catalogue) names the
    argument and says why a number is no code.
    """
    if isinstance(value, str):
        return value
    raise type_error("common.not-a-code", name, value)


def require_text(value: object, name: str) -> str:
    """Return `value` when it is text to read (a `str`); raise `TypeError` otherwise.

    A parser handed what it would give back (a `date` to `parse_date`), or a cell's None,
    says so at the call, naming the argument, instead of failing inside on ``len()`` or
    ``.strip()``. The message is for the programmer who called (English, from the
    catalogue).
    """
    if isinstance(value, str):
        return value
    raise type_error("common.not-text", name, value)


def require_instance(value: object, expected: type[_T], name: str, code: str) -> _T:
    """Return `value` when it is an `expected`; raise `TypeError` otherwise, with the
    catalogue's message `code` (given `name` and the `kind` passed), which says what to
    pass: the calls that take a cutover object (a calendar, a shift) name it, where the
    object's first attribute read would otherwise fail inside with an `AttributeError`."""
    if isinstance(value, expected):
        return value
    raise type_error(code, name, value)


def type_error(code: str, name: str, value: object) -> TypeError:
    """Return the `TypeError` of argument `name` given `value`: the catalogue's message
    `code`, in English (for the programmer who called), given `name` and the `kind` passed."""
    return TypeError(catalogue_text(code, "en", name=name, kind=type(value).__name__))


def require_prefecture(value: object, name: str) -> str:
    """Return a prefecture asked for by number or name as text (``31`` → ``"31"``); raise
    `TypeError` for anything else.

    A program may well hold a prefecture's number as an int, as ``--prefecture 31`` means
    on the command line. Anything else (a float, a bool, a date) is the programmer's slip:
    the message (English, from the catalogue) names the argument and shows what to pass.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    kind = type(value).__name__
    raise TypeError(catalogue_text("common.not-a-prefecture", "en", name=name, kind=kind))


def require_paths(value: Iterable[_T], name: str) -> tuple[_T, ...]:
    """Return the files of a parameter that takes several (a sequence of paths); raise
    `TypeError` when one path is given bare.

    A `str` is a sequence to Python and to a type checker: ``evidence_paths="e.csv"``
    would otherwise be read letter by letter. The message is for the programmer who
    called (English, from the catalogue), and shows the call to write instead.
    """
    if isinstance(value, (str, bytes, os.PathLike)):
        kind = "path" if isinstance(value, os.PathLike) else type(value).__name__
        shown = printable(os.fsdecode(value))
        raise TypeError(catalogue_text("common.not-paths", "en", name=name, kind=kind, value=shown))
    return tuple(value)


def check_lang(lang: str) -> Lang:
    """Return `lang` when it is a language cutover speaks (``"ja"``, ``"en"``), or raise
    `CutoverError` (``text.unknown-language``): an unknown language (``"EN"``) is an error
    everywhere, never a silent fallback to Japanese. (`cutover.i18n.text.check_lang` is
    this; it lives here, below every module that writes a text.)"""
    if lang not in LANGS:
        raise CutoverError.of("text.unknown-language", lang=lang)
    return lang
