"""The survey workbooks returned by the agencies, read back and checked together.

`cutover survey make` writes ``DIR/<code>.xlsx`` per agency of the registry (docs/survey.md
is the workbook's contract); each agency fills in its sheet 「改修状況」 (status and planned
date per business system and side) and 「実施記録」 (the day each task was done) and sends
it back. `merge_survey` reads a folder of them with the readers of readiness.csv and
evidence.csv, and checks across the folder what no single file can say: a workbook whose
agency is not in the registry or belongs to another agency, two workbooks for one agency,
an agency with no workbook, a locked cell changed, a row of a table added, copied, deleted
or of another agency (the rows matched to those sent, kept in the hidden sheet, in any
order: a table sorted, filtered or moved down reads as sent), a workbook of another
calendar. Nothing is dropped without saying so: every workbook is
merged or refused with its problems, every agency has replied or is listed.

`survey make` asks `why_not_replaceable` of each workbook already in its folder: one that
holds answers (returned by an agency and saved there), or is no survey workbook, is never
replaced by a blank one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from cutover.calendar.model import RevisionCalendar
from cutover.errors import CutoverError, Problem, quiet_inputs, require_instance, warn_input
from cutover.i18n.catalogue import Argument, Msg
from cutover.inputs.asmade import as_made
from cutover.inputs.model import (
    Agency,
    Evidence,
    Readiness,
    StrPath,
)
from cutover.inputs.registry import Paths, _sorted_readiness, load_agencies
from cutover.inputs.rows import KnownCodes
from cutover.inputs.sheetxml import unread_cell
from cutover.inputs.survey_reply import _Workbook, locked_digest, read_answers, read_reply
from cutover.inputs.survey_sheets import (
    EVIDENCE_SHEET,
    LOCKED_CELL,
    LOCKED_COLUMNS,
    META_SHEET,
    OPEN_COLUMNS,
    READINESS_SHEET,
    SHEET_HEADERS,
    SURVEY_FORMAT,
    TableRow,
    warn_status_notes,
)
from cutover.inputs.workbook import ZIP_SIGNATURE, get_column_letter

__all__ = [
    "EVIDENCE_SHEET",
    "LOCKED_CELL",
    "META_SHEET",
    "OPEN_COLUMNS",
    "READINESS_SHEET",
    "SHEET_HEADERS",
    "SURVEY_FORMAT",
    "Refusal",
    "SurveyMerge",
    "locked_digest",
    "merge_survey",
    "why_not_replaceable",
]

#: Spreadsheets a returned workbook may have been saved as instead of .xlsx (a macro-enabled
#: or binary workbook, Excel 97-2003, LibreOffice): each is refused with how to save it again.
_OTHER_BOOKS = (".xlsm", ".xlsb", ".xls", ".ods")
#: Archives a reply may come in (a password zip, as mail from a municipality often is): each
#: is refused, saying to extract the workbook, not passed over as no reply.
_ARCHIVES = (".zip", ".7z", ".lzh", ".rar")
#: The problems of a workbook whose file is named otherwise than after its agency.
_NAMED_OTHERWISE = frozenset(
    {"survey.file-name", "survey.file-name-twice", "survey.file-name-other-agency"}
)


@attrs.frozen
class Refusal:
    """A returned workbook that was not merged, and why (its problems, located)."""

    file: str
    #: the agency it is for, as its 「_cutover」 sheet says ("" when that cannot be read)
    code: str
    name: str
    problems: tuple[Problem, ...]


@attrs.frozen
class SurveyMerge:
    """What a folder of returned survey workbooks gave.

    `readiness` and `evidence` are the rows of the workbooks merged (each agency's once);
    `replied` the agencies merged; `blank` those whose workbook came back with nothing
    written in it (no status, no date: a reply in name only, to chase like no reply);
    `no_reply` the registry's agencies with no workbook;
    `duplicates` the agencies with two workbooks or more (none of them merged: which is
    right?), with their files; `refused` the workbooks not merged. `unanswered` counts, by
    agency, the readiness rows left blank (no reply for that system and side), and
    `undone` the tasks with no date.
    """

    agencies: tuple[Agency, ...]
    readiness: tuple[Readiness, ...]
    evidence: tuple[Evidence, ...]
    workbooks: int
    replied: tuple[Agency, ...]
    blank: tuple[Agency, ...]
    no_reply: tuple[Agency, ...]
    duplicates: tuple[tuple[Agency, tuple[str, ...]], ...]
    refused: tuple[Refusal, ...]
    unanswered: Mapping[str, int]
    undone: Mapping[str, int]

    @property
    def complete(self) -> bool:
        """Return True when every workbook was merged, none is missing, doubled or blank."""
        return not (self.no_reply or self.duplicates or self.refused or self.blank)


def merge_survey(calendar: RevisionCalendar, agencies: Paths, folder: StrPath) -> SurveyMerge:
    """Return what the survey workbooks in `folder` (``*.xlsx``) give for the registry's
    `agencies`, checked together.

    A workbook is merged when it is one of this calendar's survey workbooks, for an
    agency of the registry, named after it, its locked cells as written, and its rows
    read without a problem; else it is refused, with every problem it has. The registry
    itself must be readable (`CutoverError` otherwise), and so must the folder.
    """
    require_instance(calendar, RevisionCalendar, "calendar", "common.not-a-calendar")
    registry = load_agencies(agencies, items=calendar.item_numbers)
    by_code = {a.code: a for a in registry}
    known = KnownCodes(by_code)
    directory = Path(folder)
    try:
        files = sorted(
            p
            for p in directory.iterdir()
            if p.suffix.lower() in (".xlsx", *_OTHER_BOOKS, *_ARCHIVES) and p.is_file()
        )
    except OSError as exc:
        from cutover.errors import os_reason

        if directory.is_file():
            # (a reply, or the registry, given where the folder goes: "not a directory" is
            # the system's word for a path with a file in its middle, not for this)
            raise CutoverError.of("survey.folder-is-a-file", file=str(directory)) from None
        raise CutoverError.of(
            "survey.cannot-read-folder", file=str(directory), reason=os_reason(exc)
        ) from None
    files = [p for p in files if not p.name.startswith("~$")]  # (Excel's lock files)
    _warn_of_subfolders(directory)
    refused: list[Refusal] = []
    accepted: dict[str, list[tuple[Path, list[Readiness], list[Evidence], int, int]]] = {}
    for path in files:
        if path.suffix.lower() in (*_OTHER_BOOKS, *_ARCHIVES):
            # A reply saved in another format, or sent in an archive: refused, not passed
            # over as no reply.
            stem = path.stem if path.stem in by_code else ""
            kind = "survey.archive" if path.suffix.lower() in _ARCHIVES else "survey.not-xlsx"
            why = Problem(file=str(path), code=kind, params={"suffix": path.suffix})
            name = by_code[stem].name if stem else ""
            refused.append(Refusal(str(path), stem, name, (why,)))
            continue
        code, name, problems, found = _check(path, calendar, by_code, known)
        if found is None:
            refused.append(Refusal(str(path), code, name, tuple(problems)))
            continue
        accepted.setdefault(code, []).append((path, *found))
    # A workbook of an agency saved under another name beside the one named after it (a
    # second download, 「312011 (1).xlsx」, or a corrected reply, 「312011_修正.xlsx」) is
    # that agency's second workbook: which one holds its answer is not known, so neither is
    # merged (the one misnamed is refused for its name too).
    renamed: dict[str, list[str]] = {}
    for refusal in refused:
        if refusal.code in accepted and any(p.code in _NAMED_OTHERWISE for p in refusal.problems):
            renamed.setdefault(refusal.code, []).append(refusal.file)
    readiness: list[Readiness] = []
    evidence: list[Evidence] = []
    duplicates: list[tuple[Agency, tuple[str, ...]]] = []
    replied: list[Agency] = []
    blank_books: list[Agency] = []
    unanswered: dict[str, int] = {}
    undone: dict[str, int] = {}
    for code in sorted(accepted):
        found_books = accepted[code]
        if len(found_books) > 1 or code in renamed:
            books = sorted([*(str(p) for p, *_ in found_books), *renamed.get(code, ())])
            duplicates.append((by_code[code], tuple(books)))
            continue
        _, rows, proofs, blank, not_done = found_books[0]
        readiness.extend(rows)
        evidence.extend(proofs)
        (replied if rows or proofs else blank_books).append(by_code[code])
        if blank:
            unanswered[code] = blank
        if not_done:
            undone[code] = not_done
    answered = set(accepted) | {r.code for r in refused if r.code in by_code}
    return SurveyMerge(
        agencies=registry,
        readiness=_sorted_readiness(readiness),
        evidence=tuple(sorted(evidence, key=lambda e: (e.code, e.date, e.task, e.line))),
        workbooks=len(files),
        replied=tuple(replied),
        blank=tuple(blank_books),
        no_reply=tuple(a for a in registry if a.code not in answered),
        duplicates=tuple(duplicates),
        refused=tuple(refused),
        unanswered=unanswered,
        undone=undone,
    )


def _warn_of_subfolders(directory: Path) -> None:
    """Warn of each folder in `directory` that holds workbooks: they are not read, and the
    agencies whose replies were put there (回収済み, 第1回) are counted with no reply."""
    with contextlib.suppress(OSError):  # (a folder unreadable in it: nothing to say of it)
        for sub in sorted(p for p in directory.iterdir() if p.is_dir()):
            with contextlib.suppress(OSError):
                books = sum(
                    1
                    for p in sub.iterdir()
                    if p.suffix.lower() in (".xlsx", *_OTHER_BOOKS)
                    and not p.name.startswith("~$")
                    and p.is_file()
                )
                if books:
                    warn_input(
                        Problem(
                            file=str(sub),
                            code="survey.books-in-a-subfolder",
                            params={"count": books, "folder": str(directory)},
                        )
                    )


def _check(
    path: Path,
    calendar: RevisionCalendar,
    by_code: Mapping[str, Agency],
    known: KnownCodes,
) -> tuple[str, str, list[Problem], tuple[list[Readiness], list[Evidence], int, int] | None]:
    """Return the agency a workbook is for (code, name), its problems, and its rows when
    it has none."""
    with contextlib.ExitStack() as stack:
        try:
            book, opened = stack.enter_context(read_reply(path))
        except CutoverError as exc:
            # (Unread, it is still the reply of the agency its name is: refused, not no
            # reply.)
            stem = path.stem if path.stem in by_code else ""
            name = by_code[stem].name if stem else ""
            return stem, name, [_at(p, str(path)) for p in exc.problems], None
        return _checked(path, book, opened, calendar, by_code, known)


def _checked(
    path: Path,
    book: _Workbook,
    opened: Any,
    calendar: RevisionCalendar,
    by_code: Mapping[str, Agency],
    known: KnownCodes,
) -> tuple[str, str, list[Problem], tuple[list[Readiness], list[Evidence], int, int] | None]:
    """Return `_check`'s answer for the workbook at `path`, `book` as read and `opened`."""
    shown = str(path)
    meta = book.meta
    code, name = meta.get("code", ""), meta.get("name", "")
    problems: list[Problem] = []

    def problem(what: str, **params: object) -> None:
        problems.append(Problem(file=shown, code=f"survey.{what}", params=params))

    if meta.get("format") != SURVEY_FORMAT:
        problem("wrong-format", found=meta.get("format", ""), format=SURVEY_FORMAT)
        return code, name, problems, None
    if book.missing is not None:
        return code, name, [_at(book.missing, shown)], None
    warn_status_notes(book.notes, shown)
    sent_digest = _sent_digest(book)
    if sent_digest is not None:
        # (The digest written over, the cells as sent: the cells are read as sent.)
        problems.append(_hidden_changed(book, "locked", meta.get("locked", ""), sent_digest, shown))
        book = attrs.evolve(book, meta={**meta, "locked": sent_digest})
    sent_code = _sent_code(book)
    if sent_code is not None and sent_code != code:
        # (The hidden sheet's code written over: the workbook is still the one sent to the
        # agency its cells and its name say, refused as that agency's, not as another's.)
        problems.append(_hidden_changed(book, "code", code, sent_code, shown))
        code = sent_code
    if meta.get("calendar") != calendar.id:
        problem("other-calendar", found=meta.get("calendar", ""), calendar=calendar.id)
    if code not in by_code:
        problem("not-in-registry", agency=code, name=name, agencies=Argument("agencies"))
    if path.stem != code:
        other = by_code.get(path.stem)
        if path.stem.lower() == f"{code}.xlsx":
            # 312011.xlsx.xlsx: Explorer, hiding the extension, shows the name asked for.
            problem("file-name-twice", file=path.name, agency=code)
        elif other is not None and code in by_code:
            # Another agency's name on this agency's form: the one named may have filled in
            # the wrong form (renamed, its answers would be taken for this agency's).
            problem(
                "file-name-other-agency", stem=path.stem, other=other.name, agency=code, name=name
            )
        else:
            problem("file-name", stem=path.stem, agency=code)
    problems.extend(_table_problems(book, code, shown))
    for found, sheet in book.copies:
        problem("sheet-copied", found=found, sheet=sheet)
    if problems:
        return code, name, problems, None
    answers = read_answers(path, opened, known, calendar.tasks)
    if isinstance(answers, list):
        return code, name, answers, None
    return code, name, [], answers


def _sent_digest(book: _Workbook) -> str | None:
    """Return the digest of the hidden sheet's ``locked:`` keys when its ``locked`` value is
    not it but the workbook's locked cells are: the value written over, the cells as sent."""
    cells = [
        (*key.removeprefix(LOCKED_CELL).rpartition("!")[::2], value)
        for key, value in book.meta.items()
        if key.startswith(LOCKED_CELL)
    ]
    digest = locked_digest(cells)
    sent = cells and digest == book.digest != book.meta.get("locked")
    return digest if sent else None


def _sent_code(book: _Workbook) -> str | None:
    """Return the code the workbook's code cells were sent with (the hidden sheet's
    ``locked:`` keys, checked by its digest), when they say one; else None."""
    sent = _sent_tables(book)
    codes = {key[0] for rows in (sent or {}).values() for key in rows.values()}
    return codes.pop() if len(codes) == 1 else None


def _hidden_changed(book: _Workbook, key: str, found: str, written: str, file: str) -> Problem:
    """Return the problem of a key of the hidden sheet written over: at its value's cell,
    what it holds and what it held when sent."""
    return Problem(
        file=file,
        sheet=META_SHEET,
        line=book.meta_rows.get(key),
        column="B",
        code="survey.hidden-changed",
        params={"sheet": META_SHEET, "key": key, "found": found, "written": written},
    )


#: A row of a sheet's table by the text of its locked cells (`TableRow.key`).
_Key = tuple[str, ...]


def _table_problems(book: _Workbook, code: str, file: str) -> list[Problem]:
    """Return the problems of a workbook's tables: its rows must be those sent, each once,
    and no other (in any order, anywhere below the header: a table sorted, filtered or moved
    down reads as sent). Each row added, copied, deleted, of another agency, or changed is
    told at its cell; a workbook whose hidden sheet does not keep its rows as sent (made by
    an earlier version) is checked by its digest, and for rows below the rows sent."""
    sent = _sent_tables(book)
    if sent is None:
        return _unkeyed_problems(book, code, file)
    changed: list[tuple[str, str, str, str]] = []
    problems: list[Problem] = []
    for sheet in LOCKED_COLUMNS:
        hiding = book.merged.get(sheet)
        if hiding:
            # (A locked cell a merged range hides reads as blank: the range is the problem,
            # told as the sheets' readers tell it, not each cell as changed to blank.)
            top, left, _ = hiding[0]
            problems.append(
                Problem(
                    file=file,
                    sheet=sheet,
                    line=top,
                    column=get_column_letter(left),
                    code="inputs.workbook-merged-cells",
                    params={"ranges": tuple(ref for _, _, ref in hiding)},
                )
            )
            continue
        moved = book.moved.get(sheet)
        if moved is not None:
            # (Every row's locked cells then differ from those sent: the column is the one
            # problem, and deleting it mends them all.)
            number, header, sent_in, found_in = moved
            problems.append(
                Problem(
                    file=file,
                    sheet=sheet,
                    line=number,
                    column=found_in or None,
                    code="survey.header-moved" if found_in else "survey.column-deleted",
                    params={"header": header, "sent": sent_in, "found": found_in},
                )
            )
            continue
        renamed = book.renamed.get(sheet)
        if renamed is not None:
            number, letter, header, written = renamed
            problems.append(
                Problem(
                    file=file,
                    sheet=sheet,
                    line=number,
                    column=letter,
                    code="survey.header-renamed",
                    params={"found": header, "header": written},
                )
            )
        found = _unread_as_sent(sheet, book.tables[sheet], sent[sheet], file, problems)
        problems.extend(_sheet_problems(sheet, sent[sheet], found, code, file, changed))
    return [_locked_changed(changed, file), *problems] if changed else problems


def _unread_as_sent(
    sheet: str,
    found: Sequence[TableRow],
    sent: Mapping[int, _Key],
    file: str,
    problems: list[Problem],
) -> list[TableRow]:
    """Return the rows of a sheet's table (`found`), each locked cell that holds no text but
    is not blank (a formula whose result was not saved, an error value) read as sent on its
    row; add to `problems` each such cell, told as the sheets' readers tell it (what it
    holds, and to save the workbook in Excel or type the value), not as a cell changed."""
    rows = []
    for row in found:
        key = list(row.key)
        for letter, value in row.unread:
            code, params = unread_cell(value) or ("", {})
            problems.append(
                Problem(
                    file=file,
                    sheet=sheet,
                    line=row.number,
                    column=letter,
                    code=code,
                    params=params,
                )
            )
            written = sent.get(row.number)
            if written is not None:
                at = LOCKED_COLUMNS[sheet].index(letter)
                key[at] = written[at]
        rows.append(attrs.evolve(row, key=tuple(key)) if row.unread else row)
    return rows


def _sent_tables(book: _Workbook) -> dict[str, dict[int, _Key]] | None:
    """Return each sheet's rows as `survey make` wrote them (row number → its locked cells'
    text), from the hidden sheet's ``locked:`` keys; None when it holds none, or not those
    its digest was made of."""
    sent: dict[str, dict[int, list[str]]] = {sheet: {} for sheet in LOCKED_COLUMNS}
    cells: list[tuple[str, str, object]] = []
    for key, value in book.meta.items():
        if not key.startswith(LOCKED_CELL):
            continue
        sheet, _, coordinate = key.removeprefix(LOCKED_CELL).rpartition("!")
        columns = LOCKED_COLUMNS.get(sheet, "")
        letter, number = coordinate[:1], coordinate[1:]
        if not letter or letter not in columns or not number.isdigit():
            return None
        # (Matched to the rows' cells as they are read, trimmed: `table_rows`.)
        row = sent[sheet].setdefault(int(number), [""] * len(columns))
        row[columns.index(letter)] = value.strip()
        cells.append((sheet, coordinate, value))
    if not cells or locked_digest(cells) != book.meta.get("locked"):
        return None
    return {sheet: {n: tuple(key) for n, key in rows.items()} for sheet, rows in sent.items()}


def _sheet_problems(
    sheet: str,
    sent: Mapping[int, _Key],
    found: Sequence[TableRow],
    code: str,
    file: str,
    changed: list[tuple[str, str, str, str]],
) -> list[Problem]:
    """Return the problems of the rows of one sheet's table (`found`) against those `sent`;
    add to `changed` the locked cells changed in place (a row sent there, not found
    elsewhere, whose cells were written over)."""
    columns = LOCKED_COLUMNS[sheet]
    unmatched: dict[_Key, list[int]] = {}
    for number, key in sorted(sent.items()):
        unmatched.setdefault(key, []).append(number)
    first_at: dict[_Key, int] = {}

    def match(row: TableRow, number: int) -> None:
        unmatched[row.key].remove(number)
        first_at.setdefault(row.key, row.number)

    rest = []
    for row in found:  # where they were sent first: a cell changed is told where it is
        if sent.get(row.number) == row.key:
            match(row, row.number)
        else:
            rest.append(row)
    left = []
    for row in rest:  # then anywhere (a table sorted, or moved)
        if unmatched.get(row.key):
            match(row, unmatched[row.key][0])
        else:
            left.append(row)
    problems: list[Problem] = []

    def problem(row: TableRow, what: str, column: str = "A", **params: object) -> None:
        problems.append(
            Problem(
                file=file,
                sheet=sheet,
                line=row.number,
                column=column,
                code=f"survey.{what}",
                params={"row": row.number, "what": _what(row.key), **params},
            )
        )

    for row in left:
        written = sent.get(row.number)
        if not any(row.key) and not row.answered:
            continue  # (a note alone, in 備考: the sheet's reader says it was not read)
        if not any(row.key):
            problem(row, "answer-off-table", row.answered)
        elif written is not None and row.number in unmatched.get(written, ()):
            # The row sent here, not found elsewhere, its locked cells written over (another
            # code among them: a number typed in, or another agency's row pasted over it):
            # told at the cells, not as a row of another agency and this row deleted.
            unmatched[written].remove(row.number)
            changed.extend(
                (sheet, f"{letter}{row.number}", now, was)
                for letter, now, was in zip(columns, row.key, written, strict=True)
                if now != was
            )
        elif row.key[0] != code and row.key[0].isdigit():
            problem(row, "row-other-agency", found=row.key[0], agency=code)
        elif row.key in first_at:
            problem(row, "row-repeated", first=first_at[row.key])
        else:
            problem(row, "row-not-sent")
    missing = sorted((n, key) for key, numbers in unmatched.items() for n in numbers)
    problems.extend(
        Problem(
            file=file,
            sheet=sheet,
            code="survey.row-missing",
            params={"row": number, "what": _what(key)},
        )
        for number, key in missing
    )
    return problems


def _what(key: _Key) -> Msg | str:
    """Return how a message names a row of a table: its system and side (地方税務・提供 /
    local tax / provision), or its task, as the sheet writes them; else whatever its locked
    cells hold."""
    parts = tuple(text for text in key[1:] if text) or tuple(text for text in key if text)
    if len(parts) == 2:
        return Msg("survey.row-key", {"system": parts[0], "side": parts[1]})
    return " ".join(parts)  # (a task, or a code: one text)


def _unkeyed_problems(book: _Workbook, code: str, file: str) -> list[Problem]:
    """Return the problems of the tables of a workbook whose rows as sent are not known: a
    code cell of another agency's (the first), locked cells other than those sent (its
    digest), and each row below the rows sent."""
    problems: list[Problem] = []
    for sheet, coordinate, written in book.codes:
        if written.strip() != code:
            problems.append(
                Problem(
                    file=file,
                    sheet=sheet,
                    line=int(coordinate[1:]),
                    column=coordinate[0],
                    code="survey.other-code",
                    params={"found": written, "agency": code},
                )
            )
            break
    if book.meta.get("locked") != book.digest:
        problems.append(_locked_changed([], file))
    last: dict[str, int] = {}  # (the last row sent, by sheet: none when it is not said)
    for sheet, coordinate, _ in book.cells:
        last[sheet] = max(last.get(sheet, 0), int(coordinate[1:]))
    for sheet, end in last.items():
        below = [row for row in book.tables[sheet] if row.number > end]
        problems.extend(_sheet_problems(sheet, {}, below, code, file, []))
    return problems


#: The problem of a locked cell not as sent, by (a code cell?, holds anything?): a cell
#: emptied is said to be blank, not to hold 「」.
_LOCKED_CELL = {
    (True, True): "survey.code-cell-changed",
    (True, False): "survey.code-cell-blank",
    (False, True): "survey.locked-cell-changed",
    (False, False): "survey.locked-cell-blank",
}


def _locked_changed(changed: Sequence[tuple[str, str, str, str]], file: str) -> Problem:
    """Return the problem of a workbook whose locked cells are not those sent: at the first
    cell `changed` (sheet, coordinate, what it holds, what it held), when they are known
    (else of the whole workbook)."""
    if not changed:
        return Problem(file=file, code="survey.locked-changed")
    sheet, coordinate, found, written = changed[0]
    # (A code cell is told as one: what it must hold is the workbook's code, typed back.)
    return Problem(
        file=file,
        sheet=sheet,
        line=int(coordinate[1:]),
        column=coordinate[0],
        code=_LOCKED_CELL[coordinate[0] == "A", bool(found)],
        params={
            "found": found,
            "written": written,
            "more": Msg("survey.locked-cells-more", {"count": len(changed) - 1})
            if len(changed) > 1
            else "",
        },
    )


def why_not_replaceable(path: StrPath, *, blank: bytes | None = None) -> Problem | None:
    """Return None when the file at `path` is a survey workbook with no answer in it (what
    `merge_survey` counts as a blank workbook, whatever its calendar or agency); else the
    problem of replacing it: it holds answers (``survey.make-answered``: rows written on
    its sheets, read or not), it cannot be read (``survey.make-unreadable``, with why: a
    returned workbook damaged on the way, it may be; ``inputs.cannot-read`` when the system
    refuses to read it; ``survey.make-kept``, with what it is, when it has a password to open
    it or is an old .xls renamed), or
    it is no survey workbook (``survey.make-not-a-survey``: not a
    workbook, not of this format).

    `blank`, the bytes of a blank workbook `survey make` writes for the same agency, spares
    reading the file when its parts are those of `blank`, byte for byte, but for those that
    hold no answer (the day it was made, the instructions sheet): a workbook as `survey
    make` left it, which reading would find blank too, in a fraction of the time (a
    national folder holds 1,826 of them).
    """
    file = Path(path)
    shown = str(path)
    if blank is not None and as_made(file, blank, (READINESS_SHEET, EVIDENCE_SHEET, META_SHEET)):
        return None
    # (A file only looked at: what its readers would warn of is for `survey merge`.)
    with quiet_inputs(), contextlib.ExitStack() as stack:
        try:
            book, opened = stack.enter_context(read_reply(file))
        except CutoverError as exc:
            return _unread(file, shown, exc)
        if book.meta.get("format") != SURVEY_FORMAT or book.missing is not None:
            return Problem(file=shown, code="survey.make-not-a-survey", params=_OUT)
        answers = read_answers(file, opened, None, ())
    # (Anything typed in a cell left to fill in, a note in 備考 alone among them, which
    # merge reads as no answer, or on a copy of a survey sheet; or rows merge reads, or
    # cannot.)
    if book.typed or book.copies or isinstance(answers, list) or answers[0] or answers[1]:
        return Problem(file=shown, code="survey.make-answered", params=_OUT)
    return None


#: The folder the workbooks are made in, as a problem of replacing a file of it names it
#: (``write_survey``'s `out`; ``survey make --out``).
_OUT: Mapping[str, object] = MappingProxyType({"out": Argument("out")})


def _unread(file: Path, shown: str, exc: CutoverError) -> Problem:
    """Return the problem of replacing a file `read_reply` could not read (`exc`): one that
    begins as a workbook (a zip archive) but cannot be read as one is told as unreadable,
    with why (a returned workbook cut short or damaged in a copy is not to be called no
    survey workbook); one the system refuses to read as the reader tells it; one saved with
    a password to open it, or an old .xls renamed (a reply, either may be), as what it is
    and kept; a survey workbook with a personal number in a locked cell or its hidden sheet
    (`refuse_personal_numbers`) as one written in; any other is no survey workbook."""
    first = exc.problems[0]
    if first.code in ("inputs.cannot-read", "inputs.cannot-read-missing"):
        return _at(first, shown)
    if first.code in ("inputs.workbook-encrypted", "inputs.workbook-xls"):
        what = Msg(first.code, first.params)
        return Problem(file=shown, code="survey.make-kept", params={"reason": what, **_OUT})
    if first.code in ("inputs.personal-number", "inputs.personal-number-cell"):
        return Problem(file=shown, code="survey.make-answered", params=_OUT)
    if first.code == "inputs.workbook-corrupt" and _begins_as_zip(file):
        reason = first.params.get("reason", "")
        return Problem(file=shown, code="survey.make-unreadable", params={"reason": reason, **_OUT})
    return Problem(file=shown, code="survey.make-not-a-survey", params=_OUT)


def _begins_as_zip(file: Path) -> bool:
    """Return True when the file's first bytes are a zip archive's, as a workbook's are."""
    try:
        with file.open("rb") as raw:
            return raw.read(len(ZIP_SIGNATURE)) == ZIP_SIGNATURE
    except OSError:
        return False


def _at(problem: Problem, file: str) -> Problem:
    return problem if problem.file is not None else attrs.evolve(problem, file=file)
