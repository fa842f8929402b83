"""Per-agency task templates read from a calendar: who they apply to, how they multiply, their
titles' placeholders, their due dates and evidence.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from cutover.calendar.model import _ITEM_SETS, _PERS, ItemSet, Per, TaskTemplate, TaskWhen
from cutover.calendar.reader import _check_id, _event_ref, _Reader, shown
from cutover.errors import CutoverError, clip, suggest
from cutover.jp.vocabulary import Kind, parse_kind, parse_side

_TASK_KEYS = (
    "id",
    "title_ja",
    "title_en",
    "detail_ja",
    "detail_en",
    "when",
    "per",
    "side",
    "items",
    "due",
    "window",
    "evidence_ja",
    "evidence_en",
    "remedies_ja",
    "remedies_en",
    "remedies_too_late_ja",
    "remedies_too_late_en",
    "remedies_late_ja",
    "remedies_late_en",
    "after",
    "retroactive_ja",
    "retroactive_en",
    "delegation_ja",
    "delegation_en",
    "hearing",
    "hearing_ja",
    "hearing_en",
    "section",
    "queries",
    "until",
    "optional",
)


_WHEN_KEYS = ("kinds", "test_requested", "provides", "new_delegation")


#: the placeholders a task's title and detail may use
_PLACEHOLDERS = {
    "once": set(),
    "system": {"system", "system_ja", "system_en"},
    "item": {"item", "item_ja", "item_en"},
}


#: The widest a placeholder may be padded or cut to (``{item:>3}``): a title is one line, and
#: whatever a width adds the planner writes for every task of every agency
#: (``{system_ja:>5000000}`` would make gigabytes of a prefecture's plan). The shipped
#: calendars use none; 100 is wider than any line of a checklist.
_MAX_FORMAT_WIDTH = 100


#: Python's words for braces it cannot read (`string.Formatter.parse`), each with the code of
#: what the catalogue says instead; any other is `calendar.broken-braces`. (What Python
#: says of a conversion it cannot read, `{item!}` or `{item!rr}`, is never asked:
#: `_bad_conversion` finds those first.)
_BRACES = {
    "Single '}' encountered in format string": "calendar.braces-lone-close",
    "Single '{' encountered in format string": "calendar.braces-unclosed",
    "expected '}' before end of string": "calendar.braces-unclosed",
}


#: the conversions after a placeholder's "!" Python knows (`{item!r}`)
_CONVERSIONS = ("r", "s", "a")


def _bad_conversion(text: str) -> tuple[str, str] | None:
    """Return the first placeholder of `text` whose "!" is not followed by a conversion
    Python knows, as written, and its name; None if there is none.

    Python refuses some of these as braces (`{item!}` at the end of a title: "unmatched '{'
    in format spec"; `{item!rr}`: "expected ':' after conversion specifier") and reads
    others (`{item!x}`) only to refuse them when filling in: either way the fault is the
    conversion, and this finds it by reading the text as Python does.
    """
    i, end = 0, len(text)
    while i < end:
        if text.startswith(("{{", "}}"), i):
            i += 2
            continue
        if text[i] != "{":
            i += 1
            continue
        j = i + 1
        while j < end and text[j] not in "{}!:":
            if text[j] == "[":
                # an index ({item[0]}) may hold any of them
                j = text.find("]", j)
                if j < 0:
                    return None
            j += 1
        if j < end and text[j] == "!":
            conversion, after = text[j + 1 : j + 2], text[j + 2 : j + 3]
            if conversion not in _CONVERSIONS or after not in ("}", ":", ""):
                close = text.find("}", j + 1)
                return (text[i : close + 1] if close >= 0 else text[i:]), text[i + 1 : j]
        i = j
    return None


def _as_written(name: str, conversion: str | None, spec: str) -> str:
    """Return a placeholder as the user wrote it, from what `string.Formatter.parse` read."""
    return "{" + name + (f"!{conversion}" if conversion else "") + f":{spec}" + "}"


def _placeholders(text: str) -> set[str]:
    """Return the field names `text` formats; raise ValueError for unbalanced braces.

    Fields nested in a format spec (``{item:{width}}``) are fields too: ``format_map``
    would look them up.
    """
    names: set[str] = set()
    for _, name, spec, _ in string.Formatter().parse(text):
        if name is None:
            continue
        names.add(name)
        if spec and "{" in spec:
            names |= _placeholders(spec)
    return names


def _check_placeholders(r: _Reader, key: str, text: str, per: str) -> None:
    allowed = _PLACEHOLDERS.get(per, set())
    bad = _bad_conversion(text)
    if bad is not None:
        field, name = bad
        r.problem(
            key,
            "calendar.placeholder-bad-conversion",
            title=text,
            field=clip(field, 40),
            plain=clip(f"{{{name}}}", 40),
        )
        return
    try:
        names = _placeholders(text)
    except ValueError as exc:
        r.problem(key, _BRACES.get(str(exc), "calendar.broken-braces"), title=text)
        return
    unknown = sorted(names - allowed)
    for name in unknown:
        if allowed:
            usable = tuple("{" + n + "}" for n in sorted(allowed))
            r.problem(key, "calendar.unknown-placeholder", name=name, usable=usable)
        else:
            r.problem(key, "calendar.unknown-placeholder-once", name=name)
    if unknown:
        return
    for _, field_name, spec, conversion in string.Formatter().parse(text):
        if not spec:
            continue
        field = clip(_as_written(field_name or "", conversion, spec), 40)
        if "{" in spec:
            # Its format would come from the value: {item:{item}<5} pads with the item's
            # number, and fails for the item's name.
            r.problem(key, "calendar.placeholder-nested-format", field=field)
            return
        # Widths and precisions are runs of digits (any script: Python reads ٥ as 5).
        # (int() is only given a few digits: it refuses more than 4300.)
        too_wide = [n for n in re.findall(r"\d+", spec) if len(n) > 6 or int(n) > _MAX_FORMAT_WIDTH]
        if too_wide:
            widest = too_wide[0]
            if len(widest) <= 9:
                r.problem(
                    key,
                    "calendar.placeholder-too-wide",
                    field=field,
                    size=widest,
                    most=_MAX_FORMAT_WIDTH,
                )
            else:
                r.problem(
                    key,
                    "calendar.placeholder-far-too-wide",
                    field=field,
                    digits=len(widest),
                    most=_MAX_FORMAT_WIDTH,
                )
            return
        # The planner fills placeholders with strings (format_map): a format a string
        # refuses (a number's: {item:d}, {item:,}, {item:z}) would fail there.
        try:
            format("x", spec)
        except ValueError:
            r.problem(
                key,
                "calendar.placeholder-bad-format",
                title=text,
                field=field,
                spec=clip(spec, 20),
                wide=f"{{{field_name}:>3}}",
                cut=f"{{{field_name}:.10}}",
            )
            return
    # (What else format_map could refuse, should there be anything, is refused here.)
    try:
        text.format_map(dict.fromkeys(allowed, "x"))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        r.problem(key, "calendar.broken-placeholder", title=text)


def _meant_per(t: Mapping[str, Any]) -> Per:
    """Return how a task whose `per` is not one was meant to multiply, judged from its other
    keys: a `side` or ``{system…}`` placeholders, per system; `items` or ``{item…}``, per
    item; else once."""
    texts = " ".join(str(t.get(k, "")) for k in ("title_ja", "title_en", "detail_ja", "detail_en"))
    if "side" in t or "{system" in texts:
        return "system"
    if "items" in t or "{item" in texts:
        return "item"
    return "once"


def _task(
    t: Mapping[str, Any], key: str, r: _Reader, event_ids: Sequence[str], item_numbers: set[int]
) -> TaskTemplate:
    r.unknown_keys(t, _TASK_KEYS, key)
    task_id = r.string(t, "id", key)
    _check_id(r, f"{key}.id", task_id)
    per_text = r.string(t, "per", key, default="once")
    # "" means the value was not a string: reported already by r.string.
    if per_text and per_text not in _PERS:
        r.problem(
            f"{key}.per",
            "calendar.unknown-per",
            value=per_text,
            suggestion=suggest(per_text, _PERS),
        )
        # Read on as the task its other keys describe: the misspelt `per` is the one mistake,
        # not also a side, items or placeholders of the wrong kind of task.
        per_text = _meant_per(t)
    per: Per = "system" if per_text == "system" else ("item" if per_text == "item" else "once")
    side = r.choice(t, "side", key, parse_side, default=None) if "side" in t else None
    if per == "system" and side is None and "side" not in t:
        r.problem(f"{key}.side", "calendar.missing-side")
    elif per != "system" and "side" in t:
        r.problem(f"{key}.side", "calendar.side-not-per-system")
    items: ItemSet | None = None
    if per == "item":
        item_text = r.string(t, "items", key, default="registration")
        if not item_text:
            pass  # not a string: reported already by r.string
        elif item_text not in _ITEM_SETS:
            r.problem(
                f"{key}.items",
                "calendar.unknown-item-set",
                value=item_text,
                suggestion=suggest(item_text, _ITEM_SETS),
            )
        else:
            items = (
                "cutoff"
                if item_text == "cutoff"
                else ("revised" if item_text == "revised" else "registration")
            )
    elif "items" in t:
        r.problem(f"{key}.items", "calendar.items-not-per-item")
    when_table = r.table(t, "when", f"{key}.when") if "when" in t else {}
    r.unknown_keys(when_table, _WHEN_KEYS, f"{key}.when")
    kinds: set[Kind] = set()
    for i, name in enumerate(r.strings(when_table, "kinds", f"{key}.when")):
        try:
            kinds.add(parse_kind(name))
        except CutoverError as err:
            r.problems_of(f"{key}.when.kinds[{i}]", err)
    provides: frozenset[int] | None = None
    if "provides" in when_table:
        value = when_table["provides"]
        if value == "revised":
            provides = frozenset(item_numbers)
        elif isinstance(value, list):
            provides = r.integers(when_table, "provides", f"{key}.when")
        else:
            r.problem(f"{key}.when.provides", "calendar.bad-provides", value=shown(value))
    test_requested = when_table.get("test_requested")
    new_delegation = when_table.get("new_delegation")
    for name, flag in (("test_requested", test_requested), ("new_delegation", new_delegation)):
        if flag is not None and not isinstance(flag, bool):
            r.problem(f"{key}.when.{name}", "calendar.bad-condition", value=shown(flag), name=name)
    when = TaskWhen(
        kinds=frozenset(kinds) if kinds else frozenset(Kind),
        test_requested=test_requested if isinstance(test_requested, bool) else None,
        provides=provides,
        new_delegation=new_delegation if isinstance(new_delegation, bool) else None,
    )
    texts = {
        name: r.string(
            t,
            name,
            key,
            default=""
            if name.startswith(("detail", "evidence", "retro", "deleg", "hearing"))
            else None,
        )
        for name in (
            "title_ja",
            "title_en",
            "detail_ja",
            "detail_en",
            "evidence_ja",
            "evidence_en",
            "retroactive_ja",
            "retroactive_en",
            "delegation_ja",
            "delegation_en",
            "hearing_ja",
            "hearing_en",
        )
    }
    for name in ("title_ja", "title_en", "detail_ja", "detail_en"):
        _check_placeholders(r, f"{key}.{name}", texts[name], per)
    # A text in one language only: the other language's readers would get nothing in its
    # place (a flag's sentence cut short, a detail missing).
    for base in ("detail", "evidence", "retroactive", "delegation", "hearing"):
        given = [lang for lang in ("ja", "en") if texts[f"{base}_{lang}"]]
        if len(given) == 1:
            missing = f"{base}_{'en' if given == ['ja'] else 'ja'}"
            r.problem(
                f"{key}.{missing}",
                "calendar.text-in-one-language",
                name=missing,
                given=f"{base}_{given[0]}",
            )
    due = _event_ref(r, t, "due", key, event_ids)
    window = _event_ref(r, t, "window", key, event_ids, required=False)
    return TaskTemplate(
        id=task_id,
        title_ja=texts["title_ja"],
        title_en=texts["title_en"],
        detail_ja=texts["detail_ja"],
        detail_en=texts["detail_en"],
        when=when,
        per=per,
        side=side,
        items=items,
        due=due or "",
        window=window,
        evidence_ja=texts["evidence_ja"],
        evidence_en=texts["evidence_en"],
        remedies_ja=r.strings(t, "remedies_ja", key),
        remedies_en=r.strings(t, "remedies_en", key),
        retroactive_ja=texts["retroactive_ja"],
        retroactive_en=texts["retroactive_en"],
        delegation_ja=texts["delegation_ja"],
        delegation_en=texts["delegation_en"],
        hearing=r.boolean(t, "hearing", key, default=False),
        section=r.string(t, "section", key),
        key=key,
        remedies_too_late_ja=r.strings(t, "remedies_too_late_ja", key),
        remedies_too_late_en=r.strings(t, "remedies_too_late_en", key),
        remedies_late_ja=r.strings(t, "remedies_late_ja", key),
        remedies_late_en=r.strings(t, "remedies_late_en", key),
        after=r.strings(t, "after", key),
        queries=_queries_role(r, t, key),
        until=_event_ref(r, t, "until", key, event_ids, required=False),
        optional=r.boolean(t, "optional", key, default=False),
        hearing_ja=texts["hearing_ja"],
        hearing_en=texts["hearing_en"],
    )


def _queries_role(
    r: _Reader, t: Mapping[str, Any], key: str
) -> Literal["provider", "querier"] | None:
    """Return a task's `queries` role, or None; anything else is a problem of the file."""
    role = r.string(t, "queries", key, default="")
    if role == "provider":
        return "provider"
    if role == "querier":
        return "querier"
    if not role:
        return None
    r.problem(f"{key}.queries", "calendar.bad-queries-role", value=role)
    return None
