"""Writing the checklists of a plan into a folder: one file per agency and the index."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cutover.i18n.catalogue import Lang
from cutover.i18n.text import check_lang
from cutover.planning.model import Plan
from cutover.planning.summary import summarize
from cutover.render.checklist import CHECKLIST_TEMPLATE, ChecklistViews
from cutover.render.files import write_folder
from cutover.render.index import _FILE_CODE, _checklist_name, render_index
from cutover.render.templating import TemplateDir, load_template, render_template

__all__ = ["INDEX_FILE", "checklist_file", "stale_checklists", "write_checklists"]

#: The coordinator's page, beside the ``<code>.md`` checklists.
INDEX_FILE = "index.md"


# --- writing -------------------------------------------------------------------------------


def stale_checklists(plan: Plan, out_dir: str | Path) -> list[Path]:
    """Return the ``<code>.md`` files in `out_dir` of agencies that are not in `plan`:
    checklists of an earlier run, which `write_checklists` leaves out of the new folder (a
    folder sent out with one would carry a checklist that is no longer true)."""
    directory = Path(out_dir)
    if not directory.is_dir():
        return []
    codes = {a.agency.code for a in plan.agencies}
    return sorted(
        path
        for path in directory.glob("*.md")
        if _FILE_CODE.fullmatch(path.stem) is not None and path.stem not in codes
    )


def checklist_file(name: str) -> bool:
    """Return True for the name of a file `write_checklists` may write (``index.md``,
    ``<code>.md``): the command line refuses an --out folder where such a file is an input."""
    if name == INDEX_FILE:
        return True
    return name.endswith(".md") and _FILE_CODE.fullmatch(name[:-3]) is not None


def write_checklists(
    plan: Plan,
    out_dir: str | Path,
    *,
    lang: Lang = "ja",
    templates: TemplateDir = None,
) -> list[Path]:
    """Write ``<code>.md`` for every agency and ``index.md`` into `out_dir`; return the paths.

    The folder is replaced as a whole (`cutover.render.files.write_folder`): the pages are
    written into a new folder beside it as they are rendered, and that folder is swapped in
    once complete, so it never mixes two runs and a template error leaves the old folder as
    it was. Checklists of agencies no longer in the plan go with the old folder
    (`stale_checklists` names them first); any other file kept there stays. The paths come
    back in code order, ``index.md`` last.
    """
    language = check_lang(lang)
    directory = Path(out_dir)
    checklist = load_template(CHECKLIST_TEMPLATE, templates)
    checklists = ChecklistViews(plan, language)
    names = [_checklist_name(a.agency.code) for a in plan.agencies] + [INDEX_FILE]

    def pages() -> Iterator[tuple[str, str]]:
        for name, agency_plan in zip(names, plan.agencies, strict=False):
            yield name, render_template(checklist, page=checklists.page(agency_plan))
        yield INDEX_FILE, render_index(plan, summarize(plan), lang=language, templates=templates)

    write_folder(directory, pages(), ours=checklist_file)
    return [directory / name for name in names]
