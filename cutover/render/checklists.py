"""Writing the checklists of a plan into a folder: one file per agency and the index.

In Markdown (``<code>.md``, ``index.md``) or in HTML (``<code>.html``, ``index.html``: pages
that stand alone and print, `cutover.render.html`), from the same view-models. With
``names``, a page's file name also carries the agency's name (``312011_鳥取市.html``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Literal, get_args

from cutover.errors import CutoverError, require_code, require_instance
from cutover.i18n.catalogue import Alternatives, Lang, Msg
from cutover.i18n.charset import fit
from cutover.i18n.glossary import gloss
from cutover.i18n.text import check_lang
from cutover.planning.model import AgencyPlan, Plan
from cutover.planning.summary import summarize
from cutover.render.checklist import CHECKLIST_TEMPLATE, ChecklistViews, TaskItems, render_page
from cutover.render.files import leftover_files, write_folder
from cutover.render.index import _FILE_CODE, _checklist_name, render_index
from cutover.render.templating import TemplateDir, load_template

__all__ = [
    "INDEX_FILE",
    "PageFormat",
    "WrittenChecklists",
    "checklist_file",
    "page_file_name",
    "stale_checklists",
    "windows_text",
    "write_checklists",
]

#: The coordinator's page, beside the ``<code>.md`` checklists.
INDEX_FILE = "index.md"

#: The formats of a folder of checklists.
PageFormat = Literal["md", "html"]
_PAGE_FORMATS: tuple[PageFormat, ...] = get_args(PageFormat)

#: Characters of a name kept in a file name besides letters and digits (長音, 中黒, 々, ヶ…).
_NAME_MARKS = frozenset("ー・々〆ヶヵ")
#: The encoding every character of a name in a file name must have (`page_file_name`).
_FILE_NAME_ENCODING = "cp932"
#: At most this many characters of the name go into a file name.
_NAME_CHARS = 40


def page_file_name(code: str, name: str = "", *, fmt: PageFormat = "md") -> str:
    """Return the file name of an agency's checklist: ``<code>.<fmt>``, or with `name`
    ``<code>_<name>.<fmt>`` (``312011_鳥取市.html``).

    The code comes first and is checked (never free text alone); of the name only letters,
    digits and the marks of Japanese names are kept, in characters cp932 has, so that no
    name can reach another folder, make a name Windows refuses or its zip folders cannot
    hold, or hide the code.
    """
    _check_format(fmt)
    stem = _checklist_name(require_code(code, "code"))[: -len(".md")]
    # Only what Japanese Windows' code page has: Explorer's "compressed (zipped) folder"
    # cannot store a name with a character cp932 lacks, and older mail and file-transfer
    # tools mangle one. Such a kanji (𠮷) becomes the form cp932 has (吉), as in the console.
    kept = "".join(
        ch
        for ch in fit(unicodedata.normalize("NFC", name), _FILE_NAME_ENCODING)
        if unicodedata.category(ch)[0] in "LN" or ch in _NAME_MARKS
    )[:_NAME_CHARS]
    return f"{stem}_{kept}.{fmt}" if kept else f"{stem}.{fmt}"


def windows_text(text: str) -> str:
    """Return `text` with CRLF line ends, for editors that show a file of LF lines as one
    line (Windows' Notepad before 2018); written with a BOM (``utf-8-sig``)."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


# --- writing -------------------------------------------------------------------------------


class WrittenChecklists(list[Path]):
    """The pages `write_checklists` wrote, in code order with the index last (a list of
    paths, as the function always gave back), and in `removed` the pages of an earlier run
    it removed, sorted: every page of the folder (``<code>.md``, ``<code>.html``, the index,
    in either format) it did not write again, the one rule
    `cutover.render.files.write_folder` removes them by. A folder holds one run's pages:
    those of an earlier run in the other format go too (made from other inputs, they would
    say other things beside this run's)."""

    def __init__(self, pages: Iterable[Path], removed: Iterable[Path]) -> None:
        super().__init__(pages)
        self.removed: list[Path] = list(removed)

    def now_at(self, removed: Path) -> Path | None:
        """Return the page this run wrote for the agency of the `removed` page (its file
        name changed: ``names=`` or the agency's name), or None when the agency is not in
        the plan."""
        code = removed.name[:6]
        return next((path for path in self[:-1] if path.name[:6] == code), None)


_INDEXES = frozenset({INDEX_FILE, "index.html"})


def checklist_file(name: str, fmt: PageFormat | None = None) -> bool:
    """Return True for the name of a file `write_checklists` may write in format `fmt`
    (either with None): ``index.md``, ``<code>.md``, ``<code>_<name>.md`` and their ``.html``
    twins. The command line refuses an --out folder where such a file is an input."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or suffix not in (("md", "html") if fmt is None else (fmt,)):
        return False
    if stem == "index":
        return True
    return _FILE_CODE.fullmatch(stem[:6]) is not None and (len(stem) == 6 or stem[6] == "_")


def write_checklists(
    plan: Plan,
    out_dir: str | Path,
    *,
    lang: Lang = "ja",
    templates: TemplateDir = None,
    fmt: PageFormat = "md",
    names: bool = False,
    windows: bool = False,
    keep_other_format: bool = False,
) -> WrittenChecklists:
    """Write ``<code>.md`` for every agency and ``index.md`` into `out_dir`; return the paths
    (`WrittenChecklists`: a list, with the removed pages of an earlier run in `removed`).

    With ``fmt="html"``, ``<code>.html`` and ``index.html`` instead: each page one file that
    opens in any browser and prints on A4, the index linking every agency's page and each
    page linking back. With `names`, file names carry the agency's name (`page_file_name`).
    With `windows`, Markdown files start with a BOM and end their lines with CRLF.

    The folder's pages are replaced as a whole (`cutover.render.files.write_folder`): the
    pages are written into a work folder inside it as they are rendered, and take the old
    pages' place once all are written, so the folder never ends up mixing two runs and a
    template error leaves the old pages as they were. Every page the run does not write
    again goes with the old set (an agency no longer in the plan, a page named otherwise:
    ``names`` switched, a name changed, and the pages of the other format: an earlier run's,
    from other inputs maybe), and comes back in `removed`; any other file or folder kept
    there stays. With `keep_other_format`, the other format's pages stay: for the pages of
    the same plan written just before in the other format (`cutover demo` writes both). The
    paths come back in code order, the index last.
    """
    require_instance(plan, Plan, "plan", "common.not-a-plan")
    language = check_lang(lang)
    _check_format(fmt)
    directory = Path(out_dir)
    files = _page_names(plan, fmt, names)
    index_file = f"index.{fmt}"
    checklists = ChecklistViews(plan, language)
    # (The index links each agency's `<code>.md`; these are the files its pages were given.)
    links = {
        _checklist_name(a.agency.code): file for a, file in zip(plan.agencies, files, strict=True)
    }
    page: Callable[[AgencyPlan], str]
    index: Callable[[], str]
    if fmt == "html":
        # Imported for HTML only: the pages' SVG chart and Markdown parser cost a Markdown
        # run a tenth of its start-up.
        from cutover.render.html import HtmlPages

        html = HtmlPages(plan, language, templates)

        def page(agency_plan: AgencyPlan) -> str:
            return html.checklist(checklists.page(agency_plan), index=index_file)

        def index() -> str:
            return html.index(summarize(plan), links=links)

    else:
        checklist = load_template(CHECKLIST_TEMPLATE, templates)
        items = TaskItems(language, templates)

        def page(agency_plan: AgencyPlan) -> str:
            return render_page(checklist, checklists.page(agency_plan), items)

        def index() -> str:
            return render_index(
                plan, summarize(plan), lang=language, templates=templates, links=links
            )

    line_ends = windows_text if windows and fmt == "md" else str

    def finish(page: str) -> str:
        # English pages give the source's Japanese term beside its first mention (point 10).
        return line_ends(gloss(page) if language == "en" else page)

    def pages() -> Iterator[tuple[str, str]]:
        for name, agency_plan in zip(files, plan.agencies, strict=True):
            yield name, finish(page(agency_plan))
        yield index_file, finish(index())

    removed = write_folder(
        directory,
        pages(),
        ours=(lambda name: checklist_file(name, fmt)) if keep_other_format else checklist_file,
        contents=Msg("files.contents-checklists"),
        encoding="utf-8-sig" if windows and fmt == "md" else "utf-8",
    )
    return WrittenChecklists(
        [directory / name for name in [*files, index_file]],
        [directory / name for name in removed],
    )


def stale_checklists(
    plan: Plan, out_dir: str | Path, fmt: PageFormat = "md", *, names: bool = False
) -> list[Path]:
    """Return the pages in `out_dir` that `write_checklists` with the same `fmt` and
    `names` (and without `keep_other_format`) would remove (what its
    `WrittenChecklists.removed` then holds): pages of an earlier run that this one does not
    write again — an agency no longer in `plan`, a page named otherwise, a page in the other
    format. A preview: nothing is written."""
    _check_format(fmt)
    written = {*_page_names(plan, fmt, names), f"index.{fmt}"}
    directory = Path(out_dir)
    return [directory / name for name in leftover_files(directory, written, checklist_file)]


def _check_format(fmt: str) -> None:
    """Raise `CutoverError` for a format of pages other than ``md`` and ``html``: another
    one (``"pdf"``) would write Markdown into ``<code>.pdf`` files, and take the folder's
    files of that name for pages of an earlier run, to remove."""
    if fmt not in _PAGE_FORMATS:
        raise CutoverError.of(
            "render.unknown-page-format", format=fmt, formats=Alternatives(_PAGE_FORMATS)
        )


def _page_names(plan: Plan, fmt: PageFormat, names: bool) -> list[str]:
    """Return the file names of `plan`'s checklists, in its agencies' order."""
    return [
        page_file_name(a.agency.code, a.agency.name if names else "", fmt=fmt)
        for a in plan.agencies
    ]
