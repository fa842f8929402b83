"""The message catalogue: every text a person reads, by a stable code, in Japanese and English.

Code carries codes and parameters (`Msg`, `cutover.errors.Problem`, flags); text is made
at the edge, in the reader's language, from the catalogue files beside this module:
``messages/<lang>/<domain>.toml``, one file per language and part of the package. A code is
``<domain>.<name>``: ``inputs.missing-columns`` is the entry ``missing-columns`` of
``messages/ja/inputs.toml`` (and of ``messages/en/inputs.toml``). An entry is a string, or a
table of a ``message`` and a ``fix`` (what is wrong, and how to put it right).

Texts are `str.format` templates with named parameters. A parameter that is itself a `Msg`
is written in the same language (a suggestion inside a fix); an `Argument` is named as the
reader gave it (a library function's parameter, or a command's option); a list or tuple is
written as a sentence of the language lists words (`join_words`: ``init、summary``, ``init and
summary``), and `Alternatives` as it offers a choice of them (``a, b or c``). Both languages
hold the same codes with the same parameters: ``tests/test_i18n.py`` checks it, and that
every code the package names is in the catalogue.
"""

from __future__ import annotations

import functools
import importlib.resources
import tomllib
from collections.abc import Iterable, Mapping
from typing import Literal

import attrs

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "Alternatives",
    "Argument",
    "Lang",
    "Msg",
    "entry",
    "format_template",
    "join_words",
    "on_command_line",
    "text",
]

Lang = Literal["ja", "en"]
#: The languages cutover speaks; Japanese is the default everywhere a person reads.
LANGS: tuple[Lang, ...] = ("ja", "en")
DEFAULT_LANG: Lang = "ja"


@attrs.frozen
class Msg:
    """A text to be written in the reader's language: a catalogue code and its parameters."""

    code: str
    params: Mapping[str, object] = attrs.field(factory=dict)

    def text(self, lang: Lang = DEFAULT_LANG) -> str:
        """Return the text in `lang`."""
        return text(self.code, lang, **self.params)


@attrs.frozen
class Alternatives:
    """Words a message offers a choice of: ``a, b or c`` where a list reads ``a, b and c``."""

    words: tuple[object, ...]

    def text(self, lang: Lang = DEFAULT_LANG) -> str:
        """Return the words in `lang`, joined as the language offers a choice."""
        return join_words((str(_value(w, lang)) for w in self.words), lang, last="text.sep-list-or")


@attrs.frozen
class Argument:
    """An argument the reader gave, named as they gave it: to a library function, by its
    parameter (``due``; ``plan.as_of``, the attribute of the plan passed); on the command
    line, by the option that gave it (``--due``, ``--as-of``: `on_command_line`).

    A message that names something its reader gave names it through this, never by one
    spelling: a program has no options, and a person at the command line no parameters.
    """

    #: The parameter as the library names it (``due``, ``plan.as_of``).
    name: str
    #: The command's argument (argparse's ``dest``) that gives it: the parameter's own name
    #: (after its last dot) unless said.
    dest: str = ""
    #: The option that gave it, once the command line tells the message (a `Msg` when it
    #: says what the option is when left out: ``--as-of, today by default``); None before.
    option: str | Msg | None = None

    def text(self, lang: Lang = DEFAULT_LANG) -> str:
        """Return the argument as its reader gave it, in `lang`."""
        if self.option is None:
            return self.name
        return self.option if isinstance(self.option, str) else self.option.text(lang)

    def given_by(self, options: Mapping[str, str | Msg]) -> Argument:
        """Return the argument named by its option in `options` (``dest`` → option)."""
        option = options.get(self.dest or self.name.rpartition(".")[2])
        return self if option is None else attrs.evolve(self, option=option)


def on_command_line(
    params: Mapping[str, object], options: Mapping[str, str | Msg]
) -> dict[str, object]:
    """Return `params` as a command tells them: each `Argument` among them, or among the
    parameters of a `Msg` among them, named by its option in `options` (``dest`` → the
    option, ``due`` → ``--due``)."""
    told: dict[str, object] = {}
    for key, value in params.items():
        if isinstance(value, Argument):
            value = value.given_by(options)
        elif isinstance(value, Msg):
            # (Evolved, not made anew: a kind of `Msg` writes its own text, a fix of an entry.)
            inner = on_command_line(value.params, options)
            value = value if inner == value.params else attrs.evolve(value, params=inner)
        told[key] = value
    return told


@functools.cache
def _domain(lang: Lang, domain: str) -> Mapping[str, object]:
    """Return the entries of one catalogue file (read once)."""
    resource = importlib.resources.files("cutover.i18n").joinpath(
        "messages", lang, f"{domain}.toml"
    )
    return tomllib.loads(resource.read_text(encoding="utf-8"))


def entry(code: str, lang: Lang = DEFAULT_LANG) -> str | Mapping[str, str]:
    """Return the catalogue's entry for `code` in `lang`: a template, or a table of them.

    An unknown code is a bug in cutover, not a user's mistake: `KeyError`. A language
    cutover does not speak (``"fr"``, ``"EN"``) is a `ValueError` that says which it speaks.
    """
    if lang not in LANGS:
        unknown = entry("text.unknown-language", "en")
        assert isinstance(unknown, Mapping)
        raise ValueError(f"{unknown['message']} — {unknown['fix']}".format(lang=lang))
    domain, _, name = code.partition(".")
    try:
        found = _domain(lang, domain)[name]
    except (KeyError, FileNotFoundError):
        msg = f"no message {code!r} in the {lang} catalogue"
        raise KeyError(msg) from None
    if isinstance(found, str):
        return found
    assert isinstance(found, Mapping)
    return found


def _value(value: object, lang: Lang) -> object:
    if isinstance(value, Msg | Argument | Alternatives):
        return value.text(lang)
    if isinstance(value, list | tuple):
        return join_words((str(_value(v, lang)) for v in value), lang)
    return value


def join_words(
    words: Iterable[str], lang: Lang, sep: str = "text.sep-list", last: str = "text.sep-list-last"
) -> str:
    """Return `words` as a sentence of `lang` lists them: between two words the catalogue's
    `sep`, before the last one its `last` (``a、b、c``; ``a, b and c``, or ``a, b or c`` for a
    choice: one style, no comma before "and" or "or", for every list in English)."""
    listed = list(words)
    if len(listed) < 2:
        return "".join(listed)
    return text(sep, lang).join(listed[:-1]) + text(last, lang) + listed[-1]


def format_template(template: str, lang: Lang, params: Mapping[str, object]) -> str:
    """Return `template` filled with `params`, each written in `lang` (see the module)."""
    # (str.format_map: the same fields and conversions as string.Formatter, in C; a national
    # run writes some forty thousand texts.)
    return template.format_map({k: _value(v, lang) for k, v in params.items()})


@functools.cache
def _message(code: str, lang: Lang) -> str:
    """Return the template of `code`'s text in `lang` (an entry's ``message`` for a table)."""
    found = entry(code, lang)
    return found if isinstance(found, str) else found["message"]


def text(code: str, lang: Lang = DEFAULT_LANG, /, **params: object) -> str:
    """Return the text of `code` in `lang` with `params` (an entry's ``message`` for a table)."""
    template = _message(code, lang)
    for value in params.values():
        if isinstance(value, Msg | Argument | Alternatives | list | tuple):
            return format_template(template, lang, params)
    # (No parameter to write in `lang` first: most texts, tens of thousands in a national run.)
    return template.format_map(params)
