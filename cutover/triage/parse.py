"""Reading the values of a queries file: columns, statuses, items, dates, codes, rows.

`QueryReader` turns one row of text values into a `Query`, or into the `Problem` that
rejects it, and remembers every value it has checked: a national log has a few thousand
distinct codes, a handful of items and statuses, so a column of two million values is
checked by its distinct values against these caches (`QueryReader.check`).

A problem is a catalogue code and its parameters (``triage.*``, and the codes of the readers
of dates and codes in `cutover.jp`), written in the reader's language where it is shown. A
row with several problems is one problem (``triage.several-problems``) that keeps each of
them, in its column, with its parameters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import datetime, time
from itertools import compress
from typing import Final, TypeVar

import attrs

from cutover.errors import CutoverError, Problem, suggest
from cutover.i18n.catalogue import DEFAULT_LANG, Lang, Msg, entry, format_template
from cutover.i18n.catalogue import text as catalogue_text
from cutover.inputs.columns import QUERY_COLUMNS
from cutover.inputs.csvfile import header_key
from cutover.jp.iso import iso_moment
from cutover.jp.personal_number import holds_personal_number, number_value_text, refused
from cutover.jp.vocabulary import is_total_label, normalize_text
from cutover.triage.model import JST, STATUS_JA, Query, QueryStatus, to_jst

__all__ = [
    "QUERY_COLUMNS",
    "REQUIRED",
    "QueryReader",
    "parse_item",
    "parse_query_status",
    "parse_requested",
    "row_problem",
]

#: The columns every queries file must have, in their canonical order.
REQUIRED: Final = tuple(QUERY_COLUMNS)
# The column each accepted header spelling names, as `header_key` gives it.
_COLUMN_OF: Mapping[str, str] = {
    header_key(spelling): name
    for name, spellings in QUERY_COLUMNS.items()
    for spelling in (name, *spellings)
}
# Every accepted header spelling, as `header_key` gives it: a row of them is a header.
_HEADER_KEYS = frozenset(_COLUMN_OF)

#: A long number as Excel writes it once it has taken an id column for numbers
#: (2.01828E+18): the digits are lost, and every such row would share one id.
EXCEL_NUMBER_ID: Final = re.compile(r"[0-9](?:\.[0-9]+)?[eE]\+[0-9]+")

_STATUSES: dict[str, QueryStatus] = {s.value: s for s in QueryStatus} | {
    normalize_text(ja): s for s, ja in STATUS_JA.items()
}
_STATUSES |= {
    "提供待ち": QueryStatus.PENDING,
    "未回答": QueryStatus.PENDING,
    "提供済み": QueryStatus.PROVIDED,
    "取止め": QueryStatus.WITHDRAWN,
    "取り止め": QueryStatus.WITHDRAWN,
    "取りやめ済": QueryStatus.WITHDRAWN,
}

_ITEM_SHAPE = re.compile(r"(?:特定個人情報|no\.?|item)?\s*([0-9]+)\s*番?")
_TIME_SUFFIX = re.compile(r"(.*?)[\sT]+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,6}))?)?")
# A time in kanji (12時30分, 12時30分15秒, 12時) and a "JST" written after a time.
_KANJI_TIME = re.compile(r"([0-9]{1,2})時(?:([0-9]{1,2})分(?:([0-9]{1,2})秒)?)?")
_JST_SUFFIX = re.compile(r"\s*(?:JST|\(JST\)|（JST）)$", re.IGNORECASE)
_SLASHED = re.compile(
    r"([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})(?:[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?)?"
)
#: The forms of a date a queries file may use, for the fix of a bad date.
_DATE_FORMS = Msg("triage.date-forms")


def parse_query_status(text: str) -> QueryStatus:
    """Return the status named by `text`: an English id, or 未提供, 提供済, 取りやめ, エラー."""
    key = normalize_text(text)
    status = _STATUSES.get(key)
    if status is None:
        value = text.strip()
        if not value:
            raise CutoverError.of("triage.status-blank", column="status")
        near = _near_status(key)
        if near is not None:
            # Not taken for it: a status is never guessed (a wrong one can hide a request).
            raise CutoverError.of(
                "triage.unknown-status-near", value=value, ja=near.ja, status=near.value
            )
        guess = suggest(key, [*(s.value for s in QueryStatus), *STATUS_JA.values()])
        if guess.code == "common.did-you-mean":
            raise CutoverError.of("triage.unknown-status-close", value=value, suggestion=guess)
        raise CutoverError.of("triage.unknown-status", value=value)
    return status


#: Words offices write for a status, close in meaning to one but not the log's own.
_NEAR_STATUSES = {
    "取下げ": QueryStatus.WITHDRAWN,
    "取り下げ": QueryStatus.WITHDRAWN,
    "取下": QueryStatus.WITHDRAWN,
    "取消": QueryStatus.WITHDRAWN,
    "取消し": QueryStatus.WITHDRAWN,
    "取り消し": QueryStatus.WITHDRAWN,
    "回答済": QueryStatus.PROVIDED,
    "回答済み": QueryStatus.PROVIDED,
}


def _near_status(key: str) -> QueryStatus | None:
    """Return the status a word like 取下げ or 提供済（一時入力） is close to, or None."""
    # A status with a note after it: 提供済（一時入力）, 未提供(督促済), provided (late).
    base = _NOTE_AFTER.split(key, maxsplit=1)[0].strip()
    return _STATUSES.get(base) or _NEAR_STATUSES.get(base)


_NOTE_AFTER = re.compile(r"\s*[(（\[［]")


def parse_item(text: str) -> int:
    """Return the 特定個人情報 item number written in `text` (``2``, ``２``, ``2番``)."""
    match = _ITEM_SHAPE.fullmatch(normalize_text(text))
    number = int(match[1]) if match is not None else 0
    if number < 1:
        if not text.strip():
            raise CutoverError.of("triage.item-blank", column="item")
        raise CutoverError.of("triage.unknown-item", value=text.strip())
    return number


_TWELVE_HOUR = re.compile(r"午前|午後|(?<![A-Za-z])[AaPp]\.?[Mm]\.?(?![A-Za-z])")


def parse_requested(text: str) -> datetime:
    """Return the JST moment written in `text`: ISO 8601, ``2018/6/30 15:30``, or wareki.

    A bare date is 00:00 that day; a naive date-time is JST; an aware one is converted.
    """
    written = text.strip()
    try:
        moment = iso_moment(written)
    except ValueError:
        moment = _parse_loose(written)
    try:
        return to_jst(moment)
    except OverflowError:
        raise _beyond_jst(text) from None


def _beyond_jst(text: str) -> CutoverError:
    return CutoverError.of("triage.beyond-japan-time", value=text)


def _parse_loose(written: str) -> datetime:
    """Return the naive JST moment of a date that is not ISO 8601: slashes, kanji or an era."""
    normalized = unicodedata.normalize("NFKC", written).strip()
    # 2018-06-30 12:00 JST: the time is JST, as a naive one is.
    folded = _JST_SUFFIX.sub("", normalized)
    # 12時30分15秒 → 12:30:15 (after a space or straight after 日).
    folded = _KANJI_TIME.sub(
        lambda m: f" {int(m[1])}:{int(m[2] or 0):02d}:{int(m[3] or 0):02d}", folded
    ).strip()
    if folded != normalized:
        try:
            moment = iso_moment(folded)
        except ValueError:
            pass
        else:
            offset = moment.utcoffset()
            if (
                offset is not None
                and offset != JST.utcoffset(None)
                and _JST_SUFFIX.search(normalized)
            ):
                # 15:00+00:00 JST: 7/1 00:00 by its offset, 6/30 15:00 by its JST; either
                # reading may put the request on the wrong side of the cutoff.
                minutes = int(offset.total_seconds()) // 60
                sign = "-" if minutes < 0 else "+"
                hours, rest = divmod(abs(minutes), 60)
                raise CutoverError.of(
                    "triage.offset-and-jst", value=written, offset=f"{sign}{hours:02d}:{rest:02d}"
                )
            return moment
    hour = minute = second = micro = 0
    match = _TIME_SUFFIX.fullmatch(folded)
    day_text = folded
    if match is not None:
        day_text = match[1]
        hour, minute = int(match[2]), int(match[3])
        second = int(match[4] or 0)
        micro = int((match[5] or "0").ljust(6, "0"))
    if not written:
        raise CutoverError.of("triage.requested-blank", column="requested", forms=_DATE_FORMS)
    # The wareki module is the one reader of Japanese dates; imported here, off the fast path.
    from cutover.jp.wareki import excel_serial, month_day, parse_date

    try:
        day = parse_date(day_text)
    except CutoverError as exc:
        problem = exc.problems[0]
        if problem.code == "jp.unrecognized-date":
            serial = excel_serial(folded)
            if serial is not None:
                raise CutoverError.of(
                    "triage.excel-serial-date",
                    value=written,
                    when=f"{serial:%Y-%m-%d %H:%M}",
                    forms=_DATE_FORMS,
                ) from None
            found = month_day(day_text)
            if found is not None:  # (6/18 14:20: as every other file says it)
                month, day_of = found
                raise CutoverError.of(
                    "inputs.no-year", value=written.strip(), month=month, day=day_of
                ) from None
            if _TWELVE_HOUR.search(normalized):
                # Not read: 午前12:00 is midnight to some programs and noon to others, and
                # midnight on 7/1 is the boundary itself.
                raise CutoverError.of("triage.twelve-hour-time", value=written) from None
            raise CutoverError.of("triage.bad-date", value=written, forms=_DATE_FORMS) from None
        # The date has a known form but is no day (February 30): wareki says why.
        raise CutoverError.of(
            "triage.bad-date-because",
            why=Msg(problem.code, problem.params),
            how=_FixOf(problem.code, problem.params),
        ) from None
    if hour > 23 or minute > 59 or second > 59:
        raise CutoverError.of(
            "triage.no-such-time", value=written, time=f"{hour}:{minute:02d}:{second:02d}"
        )
    return datetime.combine(day, time(hour, minute, second, micro))


def _validate_code(text: str) -> str:
    """Return the 6-digit code in `text`, or raise `CutoverError`."""
    # One check-digit rule, in cutover.jp.codes; imported when first needed.
    from cutover.jp.codes import validate_code

    return validate_code(text)


def beyond_calendar(moment: datetime | None) -> bool:
    """Return True when `moment` has no JST form (0001-01-01T00:00+10:00)."""
    if moment is None or moment.tzinfo is None:
        return False
    try:
        to_jst(moment)
    except OverflowError:
        return True
    return False


_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")

#: Distinct values a `QueryReader` remembers per kind (a few thousand codes in a national
#: log): the bound keeps a file of garbage from growing the caches without limit.
CACHE_LIMIT = 1 << 16


def remember(cache: dict[_K, _V], key: _K, value: _V) -> bool:
    """Store `value` under `key` unless the cache is full (`CACHE_LIMIT`); return True when
    stored."""
    if len(cache) < CACHE_LIMIT:
        cache[key] = value
        return True
    return False


class QueryReader:
    """Reads queries from rows of text values, remembering the values it has checked.

    `file` names the file in the problems of rejected rows (None for rows from a program).
    """

    def __init__(self, file: str | None = None) -> None:
        self.file = file
        #: where a problem of one of the file's rows is, its column named as the file's
        #: header writes it (`CsvFile.locate`, `WorkbookFile.locate`)
        self.locate: Callable[[Problem], Problem] = lambda problem: problem
        self.codes: dict[str, str] = {}
        self.bad_codes: dict[str, CutoverError] = {}
        self.items: dict[str, int] = {str(i): i for i in range(1, 200)}
        self.statuses: dict[str, QueryStatus] = dict(_STATUSES)
        # The caches' keys as sets, kept in step: a column is checked against one with
        # `set.issuperset`, one C loop (twice as fast as looking each value up in the dict).
        self.known_codes: set[str] = set()
        self.known_items: set[str] = set(self.items)
        self.known_statuses: set[str] = set(self.statuses)
        # A row's key for each column, by the keys a program's rows have (`_keys_of`).
        self._row_keys: dict[tuple[object, ...], dict[str, list[str]]] = {}

    # --- values ------------------------------------------------------------------------

    def code(self, text: str) -> str:
        """Return the code in `text`, or raise `CutoverError`."""
        code = self.codes.get(text)
        if code is not None:
            return code
        error = self.bad_codes.get(text)
        if error is not None:
            # Re-raised many times: drop the old traceback, or it would grow with each raise.
            raise error.with_traceback(None)
        try:
            code = _validate_code(text)
        except CutoverError as exc:
            remember(self.bad_codes, text, exc)
            raise
        if remember(self.codes, text, code):
            self.known_codes.add(text)
        return code

    def item(self, text: str) -> int:
        """Return the item number in `text`, or raise `CutoverError`."""
        number = self.items.get(text)
        if number is None:
            if holds_personal_number(text):  # (a number, which parse_item would take)
                refusal = refused("item", text)
                raise CutoverError.from_problems(
                    [Problem(code=refusal.code, params=refusal.params)]
                )
            number = parse_item(text)
            if remember(self.items, text, number):
                self.known_items.add(text)
        return number

    def status(self, text: str) -> QueryStatus:
        """Return the status in `text`, or raise `CutoverError`."""
        status = self.statuses.get(text)
        if status is None:
            status = parse_query_status(text)
            if remember(self.statuses, text, status):
                self.known_statuses.add(text)
        return status

    def moment_or_none(self, text: str) -> datetime | None:
        """Return the moment in `text` (naive when JST is implied), None when it is no moment."""
        # Excel writes 2018/6/30 12:00 in every row: read that form directly.
        match = _SLASHED.fullmatch(text)
        if match is not None:
            year, month, day, hour, minute, second = map(int, match.groups("0"))
            try:
                return datetime(year, month, day, hour, minute, second)
            except ValueError:
                return None  # 2018/2/30, 25:00: parse_requested says why
        try:
            return iso_moment(text)
        except ValueError:
            pass
        try:
            return parse_requested(text)
        except CutoverError:
            return None

    @staticmethod
    def check(
        texts: Sequence[str],
        known: set[str],
        parse: Callable[[str], object],
        bad: set[int],
    ) -> set[str]:
        """Check a column by its distinct values; add the rows whose value fails to `bad`.

        `known` is a cache's set of good values, and `parse` its method. Return the good
        values `known` did not hold before (now in it, unless the cache is full): normally
        none, once the caches hold the file's few distinct values.
        """
        if known.issuperset(texts):
            return set()
        unseen = set(texts).difference(known)
        failing = set()
        for text in unseen:
            try:
                parse(text)  # caches the value when it is good
            except CutoverError:
                failing.add(text)
        if failing:
            bad.update(compress(range(len(texts)), map(failing.__contains__, texts)))
        return unseen.difference(failing)

    # --- rows ---------------------------------------------------------------------------

    def _keys_of(self, values: Mapping[str, object]) -> dict[str, list[str]]:
        """Return the keys of each column a row of a program names: by its name, or by a
        header spelling a file's header may have (``QUERY_ID``, as a database names an
        unquoted column, or 照会番号); more than one is a row that names the column twice,
        which of them to read unknown."""
        keys = tuple(values)
        found = self._row_keys.get(keys)
        if found is None:
            spelt: dict[str, list[str]] = {}
            for key in keys:
                column = _COLUMN_OF.get(header_key(key)) if isinstance(key, str) else None
                if column is not None:
                    spelt.setdefault(column, []).append(key)
            found = spelt
            if len(self._row_keys) < 64:  # (rows of a few shapes: no growth without end)
                self._row_keys[keys] = found
        return found

    def query(self, values: Mapping[str, object], line: int) -> Query | Problem:
        """Return the query in one row of text values, or the problem with the row."""
        # Each problem of the row: its column (None when its text names it) and its text.
        problems: list[tuple[str | None, Msg]] = []
        # A database's whole number of 9 to 11 digits, as the guard reads it: zero-filled to
        # 12, the zeros a personal number stored as INTEGER lost (as a workbook's number cell).
        numbers: dict[str, str] = {}

        # A program's row may name a column as a file's header may (QUERY_ID, 照会番号),
        # and by its name: each column's keys, by the row's keys (cached by shape).
        keys_of = self._keys_of(values)

        def field(name: str) -> str:
            keys = keys_of.get(name)
            if keys is None:
                missing = Msg("triage.no-column", {"name": name, "columns": REQUIRED})
                problems.append((None, missing))
                return ""
            if len(keys) > 1:
                # (As a file's header naming it twice: not "no column", which it has; and
                # not the first key read silently: query_id and QUERY_ID may differ.)
                twice = {"first": keys[0], "second": keys[1], "name": name}
                problems.append((None, Msg("inputs.same-column", twice)))
                return ""
            value = values[keys[0]]
            if value is None:
                # A column a row has with no value (a database's NULL; csv.DictReader's
                # short row) is blank, as an empty cell of a file; not a missing column.
                return ""
            if isinstance(value, str):
                return value
            # A database's number or date (REAL 2.0, INTEGER 312011, DATE): the text a
            # file would hold for it, as a workbook's cell is read (2.0 is item 2; 2.5
            # stays 2.5, refused; 10006 stays five digits, refused: no leading zero is
            # guessed, as none is in a file).
            from cutover.inputs.cells import cell_text

            filled = number_value_text(value)
            if filled is not None:
                numbers[name] = filled
            return cell_text(value)

        query_id = field("query_id").strip()
        texts = {name: field(name) for name in REQUIRED[1:]}
        if problems:
            return self._problem(problems, line)
        cells = [query_id, *texts.values()]
        # First: nothing of a row that holds a personal number is read any further.
        problems.extend(
            (None, refused(name, cell))
            for name, cell in zip(REQUIRED, cells, strict=True)
            if holds_personal_number(cell)
        )
        written = dict(zip(REQUIRED, cells, strict=True))
        problems.extend(
            (None, Msg("triage.personal-number-number", refused(name, filled).params))
            for name, filled in numbers.items()
            if holds_personal_number(filled) and not holds_personal_number(written[name])
        )
        if problems:
            return self._problem(problems, line)
        if not any(cell.strip() for cell in cells):  # ",,,,,," as Excel saves a blank row
            return Problem(file=self.file, line=line, code="triage.empty-row")
        if all(header_key(cell) in _HEADER_KEYS for cell in cells):
            return Problem(file=self.file, line=line, code="triage.repeated-header")
        if not query_id:
            problems.append((None, Msg("triage.query-id-blank")))
        elif EXCEL_NUMBER_ID.fullmatch(query_id):
            problems.append((None, Msg("triage.query-id-excel-number", {"value": query_id})))
        querier = self._checked(self.code, texts["querier"], "querier", problems)
        provider = self._checked(self.code, texts["provider"], "provider", problems)
        item = self._checked(self.item, texts["item"], "item", problems)
        requested = self._checked(parse_requested, texts["requested"], "requested", problems)
        status = self._checked(self.status, texts["status"], "status", problems)
        if (
            problems
            or querier is None
            or provider is None
            or item is None
            or requested is None
            or status is None
        ):
            total = next((cell for cell in cells if is_total_label(cell)), None)
            if total is not None:  # 合計 | 35件 under the table: one reason, not one a column
                params = {"value": total.strip()}
                return Problem(file=self.file, line=line, code="triage.total-row", params=params)
            return self._problem(problems, line)
        return Query(query_id, querier, provider, item, requested, status, line, self.file)

    @staticmethod
    def _checked(
        parse: Callable[[str], _V],
        text: str,
        column: str,
        problems: list[tuple[str | None, Msg]],
    ) -> _V | None:
        try:
            return parse(text)
        except CutoverError as exc:
            for p in exc.problems:
                # A text that names its column (a personal number's refusal, a blank date)
                # is not put under it again.
                named = p.params.get("column") == column
                problems.append((None if named else column, Msg(p.code, p.params)))
            return None

    def _problem(self, problems: Sequence[tuple[str | None, Msg]], line: int) -> Problem:
        """Return the one problem of a row: its only one, under its column, or every one of
        them (`row_problem`), each under its column as the file's header writes it
        (`locate`; its cell in a workbook), each fix once."""
        found = [
            Problem(file=self.file, line=line, key=column, code=said.code, params=said.params)
            for column, said in problems
        ]
        return found[0] if len(found) == 1 else row_problem(list(map(self.locate, found)))


def row_problem(problems: Sequence[Problem]) -> Problem:
    """Return the problems a reader found in one rejected row as the row's one problem (a
    row is rejected once, and counted once, whatever it holds): its only one, or every one
    (``triage.several-problems``) at its cell or under its column, each fix once."""
    if len(problems) == 1:
        return problems[0]
    said = tuple(
        Msg("triage.in-column", {"column": place, "problem": _Told("message", {"of": p})})
        if (place := _place(p))
        else _Told("message", {"of": p})
        for p in problems
    )
    fixes = tuple(_Told("fix", {"of": p}) for p in problems)
    first = problems[0]
    return Problem(
        file=first.file,
        sheet=first.sheet,
        line=first.line,
        code="triage.several-problems",
        params={"problems": _sentences(said), "fixes": _sentences(fixes)},
    )


def _place(problem: Problem) -> str:
    """Return where in its row a problem is: its cell (B7), or its column; "" for the row."""
    if problem.sheet is not None and problem.column is not None:
        return f"{problem.column}{problem.line}"
    return problem.header or problem.key or ""


@attrs.frozen
class _Told(Msg):
    """What a problem (``of``) says is wrong (code ``message``) or how to fix it (``fix``),
    written in the reader's language, to be put inside another text."""

    def text(self, lang: Lang = DEFAULT_LANG) -> str:
        """Return the message, or the fix, in `lang`."""
        problem = self.params["of"]
        assert isinstance(problem, Problem)
        message, fix = problem.describe(lang)
        return fix if self.code == "fix" else message


@attrs.frozen
class _FixOf(Msg):
    """The fix of a catalogue entry (a table's ``fix``; none for a string), to be written
    inside another text: a row's problem keeps the fix of the one it wraps."""

    def text(self, lang: Lang = DEFAULT_LANG) -> str:
        """Return the fix in `lang`."""
        found = entry(self.code, lang)
        return "" if isinstance(found, str) else format_template(found["fix"], lang, self.params)


@attrs.frozen
class _Sentences(Msg):
    """Texts written one after the other, joined as the language joins sentences (its
    ``triage.sentence-joiner``: ``; `` / ``。``), each once: the problems of a row, and their
    fixes (two columns' may be the same)."""

    def text(self, lang: Lang = DEFAULT_LANG) -> str:
        """Return the texts in `lang`, joined."""
        parts = self.params["parts"]
        assert isinstance(parts, tuple)
        written = dict.fromkeys(part.text(lang) for part in parts)
        written.pop("", None)
        return catalogue_text(self.code, lang).join(written)


def _sentences(parts: Sequence[Msg]) -> Msg:
    """Return `parts` as one text (`_Sentences`)."""
    return _Sentences("triage.sentence-joiner", {"parts": tuple(parts)})
