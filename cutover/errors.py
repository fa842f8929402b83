"""The one exception type for bad input, and the helpers that build its messages."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence

import attrs

from cutover.jp.personal_number import mask_personal_numbers

__all__ = ["CutoverError", "Problem", "clip", "did_you_mean", "printable"]


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


@attrs.frozen
class Problem:
    """One thing wrong with an input: where it is, what is wrong, and how to fix it.

    Every text of a problem is masked (`cutover.jp.personal_number`): a message may quote a
    bad value, and a value may be a personal number, which no message ever shows. Its file
    name and key are shown on one line (`printable`).
    """

    message: str = attrs.field(converter=mask_personal_numbers)
    fix: str = attrs.field(default="", converter=mask_personal_numbers)
    file: str | None = attrs.field(default=None, converter=_place)
    line: int | None = None
    key: str | None = attrs.field(default=None, converter=_place)

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
        elif self.line is not None:
            where = f"line {self.line}"
        if self.key:
            where = f"{where}: {self.key}" if where else self.key
        text = f"{where}: {self.message}" if where else self.message
        if self.fix:
            text += f" — {self.fix}"
        return text


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
        super().__init__(str(self.problems[0]))

    @classmethod
    def from_problems(cls, problems: Iterable[Problem]) -> CutoverError:
        """Return one error that carries every problem found in an input."""
        found = tuple(problems)
        if not found:
            msg = "CutoverError.from_problems needs at least one problem"
            raise ValueError(msg)
        err = cls(found[0].message)
        err.problems = found
        err.args = ("\n".join(str(p) for p in found),)
        return err

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

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


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """Return a fix that suggests the closest valid choice, or lists them all."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    listed = ", ".join(repr(c) for c in sorted(choices))
    return f"valid choices: {listed}"


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
