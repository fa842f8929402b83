"""The command line's arguments, for every command, with their help in the reader's language.

The parser is built for one language (`build_parser`): its help, its usage line and its usage
errors come from the catalogue (``cli.help-*``, ``cli.usage-*``). Which language is told by
`cutover.cli.console.argv_language` before the arguments are parsed: ``--lang`` anywhere on
the command line, else ``CUTOVER_LANG``, else Japanese.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from cutover.cli import (
    bundle,
    calendars,
    checklists,
    demo,
    diff,
    hearings,
    init,
    plan,
    summary,
    survey,
    survey_make,
    timeline,
    validate,
)
from cutover.cli.common import EXIT_USAGE
from cutover.cli.console import fit, writing_stdout
from cutover.cli.triage import _cmd_triage
from cutover.errors import CutoverError, closest, printable
from cutover.i18n.catalogue import LANGS, Lang, Msg, join_words, text
from cutover.i18n.text import display_width

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

__all__ = ["build_parser"]

#: What a command runs: its module's `run`.
Run = Callable[[argparse.Namespace], int]


# argparse's own usage errors, in English (Python 3.11-3.13), and the catalogue code that
# says each in the reader's language; an error not listed is shown as argparse wrote it.
_USAGE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.S), code)
    for pattern, code in (
        (r"the following arguments are required: (?P<names>.*)", "cli.usage-required"),
        (r"unrecognized arguments: (?P<args>.*)", "cli.usage-unrecognized"),
        (r"one of the arguments (?P<names>.*) is required", "cli.usage-one-required"),
        (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.*)", "cli.usage-ambiguous"),
        (r"argument (?P<name>[^:]+): (?P<message>.*)", "cli.usage-argument"),
    )
)
_ARGUMENT_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.S), code)
    for pattern, code in (
        (r"invalid choice: '?(?P<value>.*?)'? \(choose from (?P<choices>.*)\)", "cli.usage-choice"),
        (r"invalid (?P<type>\S+) value: '?(?P<value>.*?)'?", "cli.usage-value"),
        (r"expected one argument", "cli.usage-expected-one"),
        (r"expected at most one argument", "cli.usage-expected-at-most-one"),
        (r"expected at least one argument", "cli.usage-expected-at-least-one"),
        (r"not allowed with argument (?P<other>.*)", "cli.usage-not-allowed"),
        (r"ignored explicit argument '?(?P<value>.*?)'?", "cli.usage-ignored"),
    )
)


def usage_error(message: str, lang: Lang) -> str:
    """Return argparse's usage error `message` (English) in `lang`."""
    if lang == "en":
        return message
    for pattern, code in _USAGE_ERRORS:
        found = pattern.fullmatch(message)
        if found is None:
            continue
        params: dict[str, object] = dict(found.groupdict())
        if code == "cli.usage-argument":
            params["message"] = _argument_error(str(params["message"]), lang)
        return text(code, lang, **params)
    return message


def _argument_error(message: str, lang: Lang) -> str:
    for pattern, code in _ARGUMENT_ERRORS:
        found = pattern.fullmatch(message)
        if found is not None:
            params = found.groupdict()
            if "choices" in params:  # (as the language lists words: json、csv、md)
                params["choices"] = join_words(_choices(params["choices"]), lang)
            return text(code, lang, **params)
    return message  # (one of cutover's own, already in `lang`: a bad date)


#: How argparse's error that required arguments are missing begins.
_REQUIRED = "the following arguments are required: "

#: A value argparse refuses as none of its choices, and the choices, in its message. Python
#: words it three ways: the choices quoted (``'md', 'json'``) up to 3.12.7 and 3.13.0, bare
#: (``md, json``) from 3.12.8 and 3.13.1 (python/cpython#86357), and from 3.14, asked to
#: (``suggest_on_error``), with its own guess in English after the value.
_INVALID_CHOICE = re.compile(
    r"(?P<head>(?:argument [^:]+: )?invalid choice: '(?P<value>.*?)')"
    r"(?:, maybe you meant .*?\?)? \(choose from (?P<choices>.*)\)",
    re.S,
)


def _choices(listed: str) -> list[str]:
    """Return the choices argparse's error lists, quoted or not (``'md', 'json'``)."""
    return [c[1:-1] if len(c) > 1 and c[0] == c[-1] == "'" else c for c in listed.split(", ")]


def _worded_as_ever(message: str) -> str:
    """Return argparse's error `message` as Python 3.11 words it, on any Python: a value that
    is none of the choices with the choices quoted (``'md', 'json'``), without argparse's own
    guess; so that the choice it seems to mean is found, and the error said, the same on every
    version (`_near_choice`, `usage_error`)."""
    found = _INVALID_CHOICE.fullmatch(message)
    if found is None:
        return message
    listed = ", ".join(repr(choice) for choice in _choices(found["choices"]))
    return f"{found['head']} (choose from {listed})"


def _near_choice(message: str) -> str | None:
    """Return the choice closest to the one argparse's `message` refuses (``plna``: plan),
    or None."""
    found = _INVALID_CHOICE.fullmatch(message)
    if found is None:
        return None
    return closest(found["value"], _choices(found["choices"]))


def _commands(
    parser: argparse.ArgumentParser, name: str = ""
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """Yield every command of `parser` that runs (``summary``, ``survey make``), by name."""
    found = False
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found = True
            for word, sub in action.choices.items():
                yield from _commands(sub, f"{name} {word}".strip())
    if not found and name:
        yield name, parser


def _chosen(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> tuple[str, argparse.ArgumentParser]:
    """Return the name of the command chosen in `args` (``survey make``), or "", and its
    parser (`parser` itself when none was chosen)."""
    words: list[str] = []
    current: argparse.ArgumentParser | None = parser
    last = parser
    while current is not None:
        last = current
        chosen = None
        for action in current._actions:
            if isinstance(action, argparse._SubParsersAction):
                name = getattr(args, action.dest, None)
                chosen = action.choices.get(name) if isinstance(name, str) else None
                if chosen is not None:
                    words.append(str(name))
        current = chosen
    return " ".join(words), last


def _options(parser: argparse.ArgumentParser, args: argparse.Namespace) -> list[str]:
    """Return the options `parser` and the commands chosen in `args` take (``--as-of``…)."""
    options: list[str] = []
    current: argparse.ArgumentParser | None = parser
    while current is not None:
        chosen = None
        for action in current._actions:
            options.extend(action.option_strings)
            if isinstance(action, argparse._SubParsersAction):
                name = getattr(args, action.dest, None)
                chosen = action.choices.get(name) if isinstance(name, str) else None
        current = chosen
    return options


class _Parser(argparse.ArgumentParser):
    """An argument parser that speaks `lang` and writes through `console.fit`."""

    lang: Lang = "ja"
    #: the option an unrecognized one seems to mean (``--asof``: --as-of), for `error`
    near: str | None = None
    #: the arguments it was given (`parse_known_args`)
    given: Sequence[str] = ()
    #: where an unrecognized option belongs, when it is another command's or cutover's
    #: own (checklists --prefecture: init and summary take it), for `error`
    elsewhere: Msg | None = None
    #: the parser of the command an unrecognized argument was given to, whose usage
    #: `error` shows (``plan … --asof``: plan's, not cutover's)
    usage_of: argparse.ArgumentParser | None = None

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: None = None
    ) -> argparse.Namespace:
        """Parse `args` as argparse does; an option the command does not take is refused
        with the one it seems to mean (``--asof``: did you mean --as-of?)."""
        known, extra = self.parse_known_args(args, namespace)
        if extra:
            typed = next((a for a in extra if a.startswith("-")), "")
            self.near = closest(typed.split("=", 1)[0], _options(self, known)) if typed else None
            self.elsewhere = self._elsewhere(typed.split("=", 1)[0], known) if typed else None
            self.usage_of = _chosen(self, known)[1]
            self.error(f"unrecognized arguments: {' '.join(extra)}")
        return known

    def _elsewhere(self, option: str, known: argparse.Namespace) -> Msg | None:
        """Return where `option`, which the command chosen in `known` does not take, belongs:
        to other commands (``checklists --prefecture``: init and summary), or before the
        command (``summary … --debug``); None when it is no option of cutover's."""
        chosen = _chosen(self, known)[0]
        if not chosen:
            return None
        if option in self._option_string_actions:
            return Msg("cli.usage-option-before-command", {"option": option, "command": chosen})
        others = tuple(
            name
            for name, command in _commands(self)
            if name != chosen and option in command._option_string_actions
        )
        if not others:
            return None
        return Msg(
            "cli.usage-option-of-other-commands",
            {"option": option, "command": chosen, "commands": others},
        )

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        """Parse as argparse does, keeping the arguments given (a command's: those after
        it), for `error` to find a slip in."""
        given = list(sys.argv[1:] if args is None else args)
        self.given = given
        return super().parse_known_args(given, namespace)

    def _slip(self, message: str) -> str | None:
        """Return argparse's error `message` that a required option is missing as the slip
        that left it out (``--agencis a.csv``: an option the command does not take, close to
        the missing one), which `error` then tells with the option it seems to mean; else
        None. (argparse checks what is missing before what it does not know: without this,
        the clerk is asked for --agencies, having typed it, and not told of the slip.)"""
        missing = message.removeprefix(_REQUIRED)
        if missing == message:
            return None
        wanted = [name for name in missing.split(", ") if name.startswith("-")]
        for typed in self.given:
            name = typed.split("=", 1)[0]
            if not name.startswith("-") or name in self._option_string_actions:
                continue
            near = closest(name, wanted)
            if near is not None:
                self.near = near
                return f"unrecognized arguments: {typed}"
        return None

    def error(self, message: str) -> NoReturn:
        """Print the usage and the error in the parser's language, with the choice or option
        it seems to mean; exit 2. (argparse's own errors quote the argument given: a
        personal number typed as one is masked, a control character escaped.)"""
        message = _worded_as_ever(self._slip(message) or message)
        (self.usage_of or self).print_usage(sys.stderr)
        said = usage_error(message, self.lang)
        near = self.near or _near_choice(message)
        if self.elsewhere is not None:
            # (summary --prefecture, then checklists --prefecture: no slip of the keys, and
            # the option nearest in spelling, summary --due: --debug, no answer.)
            said += " — " + self.elsewhere.text(self.lang)
        elif near is not None:
            said += " — " + text("common.did-you-mean", self.lang, choice=near)
        self.exit(EXIT_USAGE, f"cutover: {printable(said)}\n")

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        # (argparse's one writer: usage, help and errors, fitted to a cp932 console.)
        stream = file if file is not None else sys.stderr
        if not message or stream is None:
            return
        if stream is not sys.stdout:
            stream.write(fit(message, getattr(stream, "encoding", None)))
            return
        # --help: written and flushed here, so that a full disk is told as the one line of
        # any other output to standard output, not by the interpreter at exit.
        with writing_stdout():
            stream.write(fit(message, getattr(stream, "encoding", None)))
            stream.flush()


def _formatter(lang: Lang) -> type[argparse.HelpFormatter]:
    """Return the help formatter of `lang`: the usage line's prefix in it."""
    usage_prefix = text("cli.usage-prefix", lang)

    class Formatter(argparse.HelpFormatter):
        def add_usage(
            self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None
        ) -> None:
            super().add_usage(usage, actions, groups, usage_prefix if prefix is None else prefix)

        def _format_action(self, action: argparse.Action) -> str:
            # argparse pads an option to the help's column by its characters: one written
            # with full-width ones (--prefecture NN|名称) pushed its help that many columns
            # right of the others' on a terminal. Padded by the columns it takes instead.
            formatted = super()._format_action(action)
            invocation = self._format_action_invocation(action)
            extra = display_width(invocation) - len(invocation)
            head = " " * self._current_indent + invocation
            first, newline, rest = formatted.partition("\n")
            after = first[len(head) :]
            if extra <= 0 or not first.startswith(head) or not after.strip():
                return formatted
            gap = len(after) - len(after.lstrip(" "))
            help_text = after[gap:]
            if gap - extra >= 2:
                first = head + " " * (gap - extra) + help_text
            else:  # (no room left on its line: the help under it, at the help's column)
                first = head + "\n" + " " * (len(head) + gap) + help_text
            return first + newline + rest

        def _format_actions_usage(self, actions: Any, groups: Any) -> str:
            # argparse before 3.13 wraps the usage at every space outside brackets: a
            # required option went to one line and its value to the next (--agencies / F).
            # Its space is held by a mark no wrapping breaks at, a space again once wrapped.
            usage: str = super()._format_actions_usage(actions, groups)
            return _REQUIRED_OPTION_SPACE.sub(r"\1" + _HELD_SPACE, usage)

        def _format_usage(self, usage: Any, actions: Any, groups: Any, prefix: Any) -> str:
            # The prefix 使い方: takes two columns a character: the usage is wrapped that
            # much narrower, and its next lines indented that much more, under its options.
            extra = display_width(prefix or "") - len(prefix or "")
            self._width -= extra
            try:
                formatted: str = super()._format_usage(usage, actions, groups, prefix)
            finally:
                self._width += extra
            first, *rest = formatted.split("\n")
            lines = [first, *(" " * extra + line if line.strip() else line for line in rest)]
            room = self._width - self._current_indent
            if usage is None and max(map(display_width, lines)) > room:
                # A group of choices (bundle's --platform {…}) ran past the edge at the
                # program's indent: the next lines start under the prefix instead, as
                # argparse lays out a long program name.
                lines = _usage_lines(lines, prefix or "", self._prog, room)
            return "\n".join(lines).replace(_HELD_SPACE, " ")

        def _split_lines(self, text: str, width: int) -> list[str]:
            # argparse wraps by characters: a line of Japanese came out twice as wide as the
            # terminal, and the console broke it again anywhere. Wrapped by columns instead.
            return wrap_columns(self._whitespace_matcher.sub(" ", text).strip(), width)

        def _fill_text(self, text: str, width: int, indent: str) -> str:
            lines = self._split_lines(text, width - len(indent))
            return "\n".join(indent + line for line in lines)

    return Formatter


def _usage_lines(lines: list[str], prefix: str, prog: str, width: int) -> list[str]:
    """Return the usage `lines` (argparse's, the program's name after `prefix`) laid out
    again with their next lines indented under the prefix: the options first, then the
    positional arguments on a line of their own, each part kept whole."""
    joined = " ".join(line.strip() for line in lines)[len(prefix) :]
    # (A required option's value stays with it: argparse 3.13 makes its own parts, which
    # `_format_actions_usage` does not see.)
    parts = _USAGE_PART.findall(_REQUIRED_OPTION_SPACE.sub(r"\1" + _HELD_SPACE, joined))
    parts = parts[len(prog.split()) :]
    indent = " " * display_width(prefix)
    options = [part for part in parts if part[0] in "[(-"]
    positionals = parts[len(options) :] if parts[: len(options)] == options else []
    if not positionals:
        options = parts
    laid = [prefix + prog]
    for group in (options, positionals):
        line = ""
        for part in group:
            if line and display_width(indent + line + " " + part) > width:
                laid.append(indent + line)
                line = ""
            line = f"{line} {part}" if line else part
        if line:
            laid.append(indent + line)
    return [*laid, "", ""] if lines[-2:] == ["", ""] else laid


#: A part of a usage line: a bracketed group (with what it holds), or a word (argparse's
#: own pattern).
_USAGE_PART = re.compile(r"\(.*?\)+(?=\s|$)|\[.*?\]+(?=\s|$)|\S+")

#: The space between a required option and its value in a usage line (outside brackets),
#: and the mark that holds it while the line is wrapped.
_REQUIRED_OPTION_SPACE = re.compile(r"(?:(?<=^)|(?<= ))(-[^\s\[\]()]+) (?=[^\s\[\]()-])")
_HELD_SPACE = "\x00"

#: Characters a Japanese line does not start with (行頭禁則): the character before one goes
#: down to the next line with it.
_NO_LINE_START = frozenset("、。，．,.)>）」』】〉》〕]］!！?？:：;；ー・")
#: Characters a Japanese line does not end with (行末禁則): they go down to the next line.
_NO_LINE_END = frozenset("（「『【〈《〔［(")
#: A run of printable ASCII (a word, an option, a path) is not broken; a space, or any one
#: other character, may end a line.
_WRAP_TOKENS = re.compile(r"[!-~]+| |.", re.DOTALL)


def wrap_columns(text: str, width: int) -> list[str]:
    """Return `text` (one paragraph, its white space single spaces) wrapped into lines of at
    most `width` columns (`display_width`: a kanji takes two), breaking between words or
    between any two characters of Japanese, never before 、。）」 and their kind nor after
    （「; a word wider than `width` has a line of its own."""
    lines: list[str] = []
    line: list[str] = []  # (its tokens: a word is carried down whole)
    used = 0
    for token in _WRAP_TOKENS.findall(text):
        taken = display_width(token)
        if used + taken > width and "".join(line).strip():
            cut = len(line)
            if token[0] in _NO_LINE_START:  # (a word too: >.xlsx of DIR/<団体コード>.xlsx)
                # (追い出し: the token before it goes down with it, and the one before that
                # while the one carried is of their kind too: 実績）。 breaks before 績)
                cut -= 1
                while cut > 1 and line[cut][0] in _NO_LINE_START and line[cut - 1] != " ":
                    cut -= 1
                if cut < 1 or line[cut] == " ":
                    cut = len(line)
            while cut > 1 and line[cut - 1] in _NO_LINE_END:
                cut -= 1  # (an opening bracket goes down with what it opens: 一覧（ / index)
            lines.append("".join(line[:cut]).rstrip())
            line = line[cut:]
            used = display_width("".join(line))
            if token == " " and not line:
                continue
        line.append(token)
        used += taken
    if "".join(line).strip():
        lines.append("".join(line).rstrip())
    return lines


class _StoreOnce(argparse._StoreAction):
    """An option that takes one value, stored as argparse stores it: given again with
    another value, the last one stands, as it always has (a batch file's defaults before
    the options added), but said in a warning. (``summary --prefecture 31 --prefecture 01``
    summarised 北海道 alone, and ``--as-of`` given twice planned as of the second day,
    without a word.)"""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        given: dict[str, tuple[str, Any]] = namespace.__dict__.setdefault(_GIVEN, {})
        before = given.get(self.dest)
        if before is not None and before[1] != values:
            from cutover.cli.console import warn

            first, second = (printable(str(v)) for v in (before[1], values))
            warn(
                Msg(
                    "cli.option-given-twice",
                    {"option": option_string or self.dest, "first": first, "second": second},
                )
            )
        given[self.dest] = (option_string or self.dest, values)
        super().__call__(parser, namespace, values, option_string)


#: The namespace's record of the one-value options given, for `_StoreOnce`.
_GIVEN = "_options_given"


class _Command:
    """One parser's arguments, in two groups titled in the parser's language."""

    def __init__(self, parser: argparse.ArgumentParser, lang: Lang) -> None:
        self.parser = parser
        self.lang = lang
        self.positional = parser.add_argument_group(text("cli.help-positional", lang))
        self.options = parser.add_argument_group(text("cli.help-options", lang))
        self.options.add_argument("-h", "--help", action="help", help=text("cli.help-help", lang))
        #: Each argument's option (``due`` → ``--due``), as a problem names it (`Argument`).
        self.option_of: dict[str, str | Msg] = {}
        parser.set_defaults(option_of=self.option_of)

    def add(
        self, *names: str, help: str | Msg | None = None, unset: str = "", **kwargs: Any
    ) -> None:
        """Add an argument; `help` is a catalogue code (``cli.help-…``) or a `Msg`; `unset`
        one that names the option with what it is when left out (``--as-of``: today)."""
        group = self.options if names[0].startswith("-") else self.positional
        if isinstance(help, str):
            help = Msg(help)
        shown = None if help is None else help.text(self.lang).replace("%", "%%")
        # (Not --lang: it is read before parsing, the last wherever it stands, before the
        # command or after it: `console.argv_language`.)
        if names[0].startswith("-") and "action" not in kwargs and names[0] != "--lang":
            kwargs["action"] = _StoreOnce
        added = group.add_argument(*names, help=shown, **kwargs)
        long = [name for name in names if name.startswith("--")]
        shown_as = added.metavar if isinstance(added.metavar, str) else names[0]
        option = long[0] if long else shown_as
        self.option_of[added.dest] = Msg(unset, {"option": option}) if unset else option

    @classmethod
    def under(
        cls,
        sub: argparse._SubParsersAction[_Parser],
        name: str,
        about: str,
        lang: Lang,
        formatter: type[argparse.HelpFormatter],
    ) -> _Command:
        """Return the command `name` of the commands `sub` (``cutover NAME``, ``cutover
        survey NAME``), described by `about`, with its ``--lang``."""
        p = sub.add_parser(
            name, help=about, description=about, add_help=False, formatter_class=formatter
        )
        assert isinstance(p, _Parser)
        p.lang = lang
        made = cls(p, lang)
        # Also after the command; not given, the one before it (or CUTOVER_LANG) stands.
        made.add("--lang", choices=LANGS, default=argparse.SUPPRESS, help="cli.help-lang")
        return made

    def runs(self, run: Run) -> None:
        """Make the command run `run`."""
        self.parser.set_defaults(run=run)


def _date(lang: Lang) -> Callable[[str], dt.date]:
    """Return the type of a date argument, whose errors are in `lang`."""

    def parse(value: str) -> dt.date:
        from cutover.jp.closed_days import FIRST_YEAR, LAST_YEAR
        from cutover.jp.wareki import parse_date

        try:
            day = parse_date(value)
        except CutoverError as err:
            raise argparse.ArgumentTypeError(err.text(lang)) from None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            # Closed days are known for these years only (the holiday data): a date outside
            # them would be refused deep in the plan, naming a day the user never wrote.
            same = value.strip() == day.isoformat()
            raise argparse.ArgumentTypeError(
                text(
                    "cli.as-of-unknown-years" if same else "cli.as-of-unknown-years-read",
                    lang,
                    value=value,
                    day=day.isoformat(),
                    first=FIRST_YEAR,
                    last=LAST_YEAR,
                )
            )
        return day

    parse.__name__ = "date"  # (argparse names the type in its errors)
    return parse


def build_parser(lang: Lang = "ja") -> argparse.ArgumentParser:
    """Return the parser of every command, its help and errors in `lang`."""
    formatter = _formatter(lang)
    prefecture = text("cli.metavar-prefecture", lang)  # (init, summary)
    parser = _Parser(
        prog="cutover",
        description=text("cli.help-description", lang),
        epilog=text("cli.help-epilog", lang),
        add_help=False,
        formatter_class=formatter,
    )
    parser.lang = lang
    top = _Command(parser, lang)
    top.add("--version", action="store_true", help="cli.help-version")
    top.add("--debug", action="store_true", help="cli.help-debug")
    top.add("--lang", choices=LANGS, default=None, help="cli.help-lang")
    sub = parser.add_subparsers(
        dest="command",
        metavar="COMMAND",
        parser_class=_Parser,
        title=text("cli.help-commands", lang),
    )

    def command(name: str) -> _Command:
        return _Command.under(sub, name, text(f"cli.help-{name}", lang), lang, formatter)

    date = _date(lang)

    c = command("calendars")
    c.runs(calendars.run)

    c = command("validate")
    _calendar(c)
    c.add("--agencies", metavar="F", action="append", help="cli.help-agencies")
    c.add("--readiness", metavar="F", action="append", help="cli.help-readiness")
    c.add("--evidence", metavar="F", action="append", default=[], help="cli.help-evidence")
    c.add("--queries", metavar="F", action="append", help="cli.help-queries")
    _logs(c)
    c.add("--as-of", metavar="DATE", type=date, help="cli.help-as-of-validate")
    _fail_on(c)
    c.runs(validate.run)

    c = command("timeline")
    _calendar(c)
    _shift(c)
    _format(c, ("md", "json", "ics", "mermaid", "svg", "html"), "md")
    c.add("--as-of", metavar="DATE", type=date, help="cli.help-as-of-svg")
    _output(c)
    _windows(c)
    c.runs(timeline.run)

    c = command("init")
    c.add("--prefecture", required=True, metavar=prefecture, help="cli.help-prefecture-init")
    c.add("-o", "--output", metavar="FILE", help="cli.help-output-init")
    _format(c, ("csv", "xlsx"), "csv")
    c.parser.set_defaults(output_stem="agencies")
    c.runs(init.run)

    c = command("plan")
    _calendar(c)
    _registry(c, date)
    _format(c, ("json", "csv", "md", "ics", "xlsx", "html"), "json")
    _bom(c)
    _windows(c)
    c.add("--agency", metavar="CODE", help="cli.help-agency")
    _output(c)
    _shift(c)
    _fail_on(c)
    c.runs(plan.run)

    c = command("checklists")
    _calendar(c)
    _registry(c, date)
    c.add("--templates", metavar="DIR", help="cli.help-templates")
    c.add("--out", metavar="DIR", required=True, help="cli.help-out")
    c.add("--format", choices=("md", "html"), default="md", help="cli.help-format-checklists")
    c.add("--names", action="store_true", help="cli.help-names")
    _windows(c)
    _shift(c)
    _fail_on(c)
    c.runs(checklists.run)

    c = command("summary")
    _calendar(c)
    _registry(c, date)
    c.add("--prefecture", metavar=prefecture, help="cli.help-prefecture-summary")
    _format(c, ("md", "json", "csv", "xlsx", "html"), "md")
    _bom(c)
    _windows(c)
    c.add("--templates", metavar="DIR", help="cli.help-templates")
    _output(c)
    _shift(c)
    _fail_on(c)
    c.runs(summary.run)

    c = command("hearings")
    _calendar(c)
    _registry(c, date)
    _format(c, ("md", "csv", "json", "xlsx", "html"), "md")
    _bom(c)
    _windows(c)
    _output(c)
    _shift(c)
    _fail_on(c)
    c.runs(hearings.run)

    c = command("diff")
    c.add("old", metavar="OLD", help="cli.help-old")
    c.add("new", metavar="NEW", help="cli.help-new")
    _format(c, ("md", "json", "html"), "md")
    _windows(c)
    _output(c)
    c.runs(diff.run)

    c = command("triage")
    _calendar(c)
    c.add("--queries", metavar="F", action="append", required=True, help="cli.help-queries")
    c.add("--as-of", metavar="DATE", type=date, help="cli.help-as-of")
    _format(c, ("csv", "json", "md", "xlsx", "html"), "csv")
    _bom(c)
    _windows(c)
    c.add("--agencies", metavar="F", action="append", help="cli.help-agencies-triage")
    _output(c)
    _shift(c)
    _fail_on(c)
    c.runs(_cmd_triage)

    # survey: workbooks sent to every agency and merged back (cutover.cli.survey).
    group = command("survey")
    steps = group.parser.add_subparsers(
        dest="survey_command",
        metavar="SUBCOMMAND",
        parser_class=_Parser,
        title=text("cli.help-commands", lang),
    )
    group.parser.set_defaults(run=survey.usage, survey_help=group.parser.format_help)

    def survey_command(name: str) -> _Command:
        about = text(f"cli.help-survey-{name}", lang)
        return _Command.under(steps, name, about, lang, formatter)

    c = survey_command("make")
    _calendar(c)
    c.add("--agencies", metavar="F", action="append", required=True, help="cli.help-agencies")
    c.add("--out", metavar="DIR", required=True, help="cli.help-out-survey")
    c.add(
        "--as-of", metavar="DATE", type=date, help="cli.help-as-of-survey", unset="cli.option-as-of"
    )
    c.add("--due", metavar="DATE", type=date, help="cli.help-due-survey")
    c.parser.set_defaults(writes=survey_make.written)
    c.runs(survey_make.run)

    c = survey_command("merge")
    _calendar(c)
    c.add("--agencies", metavar="F", action="append", required=True, help="cli.help-agencies")
    c.add("folder", metavar="DIR", help="cli.help-survey-folder")
    c.add("--out", metavar="MERGED", required=True, help="cli.help-survey-out")
    c.runs(survey.merge)
    c.parser.set_defaults(writes=survey.merged_file)

    c = command("demo")
    c.add("--out", metavar="DIR", default="demo", help="cli.help-out-demo")
    c.runs(demo.run)

    c = command("bundle")
    c.add("directory", metavar="DIR", help="cli.help-bundle-directory")
    c.add("--platform", choices=bundle.PLATFORMS, help="cli.help-platform")
    c.add(
        "--python-version",
        "--python",
        dest="python_version",
        choices=bundle.PYTHON_VERSIONS,
        help="cli.help-python-version",
    )
    c.runs(bundle.run)
    return parser


def _calendar(c: _Command) -> None:
    c.add("calendar", metavar="CAL", help="cli.help-calendar")


def _format(c: _Command, offered: tuple[str, ...], default: str) -> None:
    """Add --format: not given, it is the one -o's extension names, else `default`
    (`cutover.cli.output.format_for`, which the command line applies before the run)."""
    c.add(
        "--format", choices=offered, default=None, help=Msg("cli.help-format", {"default": default})
    )
    c.parser.set_defaults(format_offered=offered, format_default=default)


def _output(c: _Command) -> None:
    c.add("-o", "--output", metavar="FILE", help="cli.help-output")


def _bom(c: _Command) -> None:
    c.add("--bom", action=argparse.BooleanOptionalAction, default=None, help="cli.help-bom")


def _windows(c: _Command) -> None:
    c.add("--windows", action="store_true", help="cli.help-windows")


def _shift(c: _Command) -> None:
    c.add("--shift", metavar="EVENT=±N(bd|d)", action="append", default=[], help="cli.help-shift")


def _fail_on(c: _Command) -> None:
    c.add("--fail-on", choices=("error", "warning"), help="cli.help-fail-on")


def _registry(c: _Command, date: Callable[[str], dt.date]) -> None:
    c.add("--agencies", metavar="F", action="append", required=True, help="cli.help-agencies")
    c.add("--readiness", metavar="F", action="append", help="cli.help-readiness")
    c.add("--evidence", metavar="F", action="append", default=[], help="cli.help-evidence")
    c.add("--as-of", metavar="DATE", type=date, help="cli.help-as-of", unset="cli.option-as-of")
    c.add("--queries", metavar="F", action="append", help="cli.help-queries-plan")
    _logs(c)


def _logs(c: _Command) -> None:
    c.add(
        "--registration-log",
        metavar="F",
        action="append",
        default=[],
        help="cli.help-registration-log",
    )
    c.add("--test-log", metavar="F", action="append", default=[], help="cli.help-test-log")
