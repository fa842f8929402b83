"""The registry's models: agencies, their readiness and evidence, and the attempts the
operators' logs record.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import os
from collections.abc import Callable, Iterable, Mapping
from itertools import groupby
from operator import attrgetter
from pathlib import Path

import attrs

from cutover.errors import NotFound, require_code
from cutover.i18n.catalogue import Lang
from cutover.i18n.catalogue import text as catalogue_text
from cutover.i18n.text import check_lang
from cutover.inputs.columns import AGENCY_COLUMNS, EVIDENCE_COLUMNS, READINESS_COLUMNS
from cutover.inputs.rows import _T, KnownCodes
from cutover.jp.personal_number import mask_personal_numbers
from cutover.jp.vocabulary import Kind, Side, Status

__all__ = [
    "AGENCY_COLUMNS",
    "EVIDENCE_COLUMNS",
    "READINESS_COLUMNS",
    "Agency",
    "Attempt",
    "AttemptReason",
    "Evidence",
    "Readiness",
    "Registry",
    "StrPath",
    "shown_file_name",
]

StrPath = str | os.PathLike[str]


@attrs.frozen
class Agency:
    """An agency of the registry: a prefecture, municipality, or 一部事務組合・広域連合."""

    code: str
    name: str
    kind: Kind
    test_requested: bool
    provides: frozenset[int]
    new_delegations: frozenset[int]
    line: int


@attrs.frozen
class Readiness:
    """How far one agency's modification of one business system, on one side, has come."""

    code: str
    system: str
    side: Side
    status: Status
    #: the date written beside the status, as written: the day planned (予定), or the day
    #: done (完了); beside 未着手 or 対象外, a date not read (`day` is what the plan reads)
    planned: dt.date | None
    line: int
    #: the file the row is in, as given (empty for rows made in code); where a row is
    #: written is not what it says, so two rows alike from two files are equal
    file: str = attrs.field(default="", eq=False)

    def where(self, lang: Lang) -> str:
        """Return where the row is written: ``readiness.csv 3行目`` / ``readiness.csv line 3``."""
        return _where(self.file or "readiness", self.line, check_lang(lang))

    @property
    def day(self) -> dt.date | None:
        """Return the day the report gives, as the plan reads it: the date beside 予定 or
        完了; None beside 未着手 or 対象外, which give no day (a date written there is
        warned of, and not read: every output shows this day, never that date)."""
        return self.planned if self.status.has_day else None


@attrs.frozen
class Evidence:
    """Proof that an agency did a task (the task ids are those the calendar defines)."""

    code: str
    task: str
    date: dt.date
    detail: str
    line: int
    #: the file the row is in, as given (empty for rows made in code)
    file: str = ""
    #: the row comes from an operator's log (`cutover.inputs.logs`), which nobody edits
    log: bool = False

    def where(self, lang: Lang) -> str:
        """Return where the row is written: ``evidence.csv 3行目`` / ``evidence.csv line 3``."""
        # (A row made in code has no file: "evidence" stands for its name.)
        return _where(self.file or "evidence", self.line, check_lang(lang))


_CODE = attrgetter("code")


def _index_by_code(items: Iterable[_T], code: Callable[[_T], str]) -> dict[str, tuple[_T, ...]]:
    grouped: dict[str, list[_T]] = {}
    # (A run of one code is added at once: a registry's rows come sorted by code.)
    for key, run in groupby(items, code):
        grouped.setdefault(key, []).extend(run)
    return {k: tuple(v) for k, v in grouped.items()}


@attrs.frozen
class Registry:
    """The agencies of a plan, with their readiness reports and evidence."""

    agencies: tuple[Agency, ...]
    readiness: tuple[Readiness, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    #: log lines that name a task but do not complete it (`cutover.inputs.logs`)
    attempts: tuple[Attempt, ...] = ()
    _agency_by_code: Mapping[str, Agency] = attrs.field(
        init=False,
        repr=False,
        eq=False,
        default=attrs.Factory(lambda self: {a.code: a for a in self.agencies}, takes_self=True),
    )
    _readiness_by_code: Mapping[str, tuple[Readiness, ...]] = attrs.field(
        init=False,
        repr=False,
        eq=False,
        default=attrs.Factory(lambda self: _index_by_code(self.readiness, _CODE), takes_self=True),
    )
    _evidence_by_code: Mapping[str, tuple[Evidence, ...]] = attrs.field(
        init=False,
        repr=False,
        eq=False,
        default=attrs.Factory(lambda self: _index_by_code(self.evidence, _CODE), takes_self=True),
    )
    _attempts_by_code: Mapping[str, tuple[Attempt, ...]] = attrs.field(
        init=False,
        repr=False,
        eq=False,
        default=attrs.Factory(lambda self: _index_by_code(self.attempts, _CODE), takes_self=True),
    )

    def __getitem__(self, code: str) -> Agency:
        """Return the agency with this code, or raise `NotFound` with the nearest codes."""
        agency = self._agency_by_code.get(require_code(code, "code"))
        if agency is None:
            raise NotFound.of(
                "inputs.no-agency", agency=code, how=KnownCodes(self._agency_by_code).fix(code)
            )
        return agency

    def get(self, code: str) -> Agency | None:
        """Return the agency with this code, or None."""
        return self._agency_by_code.get(require_code(code, "code"))

    def __contains__(self, code: object) -> bool:
        return require_code(code, "code") in self._agency_by_code

    def by_code(self, code: str) -> Agency:
        """Return the agency with this code, or raise `NotFound` (``registry[code]``)."""
        return self[code]

    def readiness_of(self, code: str) -> tuple[Readiness, ...]:
        """Return the readiness rows of one agency (empty when it reported none)."""
        return self._readiness_by_code.get(require_code(code, "code"), ())

    def evidence_of(self, code: str) -> tuple[Evidence, ...]:
        """Return the evidence rows of one agency (empty when there are none)."""
        return self._evidence_by_code.get(require_code(code, "code"), ())

    def attempts_of(self, code: str) -> tuple[Attempt, ...]:
        """Return the log lines of one agency that did not count as evidence."""
        return self._attempts_by_code.get(require_code(code, "code"), ())


class AttemptReason(enum.StrEnum):
    """Why a log line does not prove its task done."""

    ZERO_RECORDS = "zero-records"
    FAILED_TEST = "failed-test"

    @property
    def ja(self) -> str:
        """Return the reason in Japanese, as the checklist and the hearings list say it."""
        return self.text("ja")

    @property
    def en(self) -> str:
        """Return the reason in English."""
        return self.text("en")

    def text(self, lang: Lang) -> str:
        """Return the reason in `lang` (``inputs.attempt-<reason>``)."""
        return catalogue_text(f"inputs.attempt-{self.value}", check_lang(lang))


@attrs.frozen
class Attempt:
    """A log line that names a task but does not complete it, and why.

    Lines of one agency, task, day and reason are one attempt: `line` is the first of
    them, `rows` how many there were.
    """

    code: str
    task: str
    date: dt.date
    reason: AttemptReason
    line: int
    file: str = ""
    rows: int = 1

    def where(self, lang: Lang) -> str:
        """Return where the attempt is written: ``reg.csv 3行目`` / ``reg.csv line 3``."""
        return _where(self.file or "log", self.line, check_lang(lang))


def _where(file: str, line: int, lang: Lang) -> str:
    """Return a line of a file as a reader of `lang` is told it: ``reg.csv 3行目``."""
    return catalogue_text("inputs.where", lang, name=shown_file_name(file), line=line)


@functools.lru_cache(maxsize=64)
def shown_file_name(file: str) -> str:
    """Return the name of `file` without its folders, any personal number it holds masked
    (cached: a run names the same few files for thousands of rows, and a `Path` is slow to
    make)."""
    return mask_personal_numbers(Path(file).name)
