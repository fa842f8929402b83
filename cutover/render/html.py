"""HTML pages that stand alone and print: the same view-models as the Markdown, laid out for a
browser and for A4 paper.

The HTML templates (``*.html.j2``, autoescaped) receive the Markdown's view-models, so that
a change to a page's content reaches both formats; every string they print passes through
`cutover.render.htmltext.html_inline` (`cutover.render.templating` makes it the HTML
templates' ``finalize``). Pages whose Markdown is written in code (hearings, triage) or whose
template has no HTML twin (summary, timeline, diff, plan) become HTML as a whole document
with `html_document`.

Every page is one file: its CSS inline, the timeline an inline SVG, no script, and no
address of anything outside the folder — a link whose target is not one of the page's own
files (`links`) is written as its text alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import attrs
from markupsafe import Markup

from cutover.errors import check_lang, require_instance
from cutover.i18n.catalogue import Lang, text
from cutover.planning.model import Plan
from cutover.planning.summary import Summary
from cutover.render.checklist import ChecklistPage, TaskItems
from cutover.render.htmltext import html_inline, html_markdown, plain_text
from cutover.render.index import index_page
from cutover.render.svg import timeline_svg
from cutover.render.templating import TemplateDir, load_template, render_template
from cutover.render.views import view_model

__all__ = [
    "DOCUMENT_TEMPLATE",
    "FONT_STACK",
    "HtmlDocument",
    "HtmlPages",
    "html_document",
    "html_inline",
    "html_markdown",
    "inline_svg",
    "plain_text",
]

#: The template of a page made from a whole Markdown document.
DOCUMENT_TEMPLATE = "document.html.j2"

#: The Japanese system fonts, Windows' first (the LGWAN terminals), then macOS and Linux.
FONT_STACK = (
    'Meiryo, "Yu Gothic", YuGothic, "Hiragino Sans", "Hiragino Kaku Gothic ProN", '
    '"Noto Sans CJK JP", "Noto Sans JP", sans-serif'
)


#: The templates of the checklist pages, twins of checklist.md.j2 and index.md.j2.
CHECKLIST_HTML_TEMPLATE = "checklist.html.j2"
#: One task's item on a checklist page (`cutover.render.checklist.TaskItems`).
TASK_HTML_TEMPLATE = "checklist_task.html.j2"
INDEX_HTML_TEMPLATE = "index.html.j2"


class HtmlPages:
    """Makes the HTML pages of one plan's checklists in one language: each agency's and the
    index, from the view-models of the Markdown pages."""

    def __init__(self, plan: Plan, lang: Lang, templates: TemplateDir = None) -> None:
        """Load the templates for the pages of `plan` in `lang`."""
        self.plan = require_instance(plan, Plan, "plan", "common.not-a-plan")
        self.lang = lang = check_lang(lang)
        self.templates = templates
        self._checklist = load_template(CHECKLIST_HTML_TEMPLATE, templates)
        self._items = TaskItems(lang, templates, name=TASK_HTML_TEMPLATE)
        self._back = text("render.html-back", lang)

    def checklist(self, page: ChecklistPage, *, index: str = "") -> str:
        """Return one agency's page; `index` is the index page's file name, to link back to
        ("" for a page alone)."""
        return render_template(
            self._checklist,
            page=page,
            lang=self.lang,
            index=index,
            back=self._back,
            task_items=self._items,
        )

    def index(self, summary: Summary, *, links: Mapping[str, str] | None = None) -> str:
        """Return the coordinator's index page; `links` maps each agency's Markdown link
        (``312011.md``) to its page's file name."""
        plan = self.plan
        svg = timeline_svg(plan.timeline, as_of=plan.as_of, lang=self.lang)
        return render_template(
            load_template(INDEX_HTML_TEMPLATE, self.templates),
            page=index_page(plan, summary, lang=self.lang),
            lang=self.lang,
            links=links or {},
            timeline=inline_svg(svg),
        )


# --- whole documents -----------------------------------------------------------------------


@view_model
@attrs.frozen
class HtmlDocument:
    """A page made from a whole Markdown document: what document.html.j2 receives."""

    #: the page's title (the browser's tab, the first heading), Markdown inline as the
    #: heading is written (the template shows it as plain text in the tab)
    title: str
    #: the running header printed at the top of every page (Markdown inline)
    header: str
    lang: str
    body: Markup
    #: True when the page holds a chart: it then prints on A4 landscape (the chart is wide)
    wide: bool = False


_HEADING = re.compile(r"^# (.+)$", re.MULTILINE)


def html_document(
    markdown: str,
    *,
    lang: Lang,
    header: str = "",
    svg: str | None = None,
    links: Mapping[str, str] | None = None,
    templates: TemplateDir = None,
) -> str:
    """Return the HTML page of a Markdown document cutover wrote (summary, hearings, triage,
    timeline, diff, plan): its title from the first heading, `header` (Markdown inline) on
    every printed page, and `svg` (an SVG cutover drew) in place of a ``mermaid`` block, or
    under the title when there is none."""
    lang = check_lang(lang)
    if svg is not None:
        markdown = _replace_mermaid(markdown)
    body = html_markdown(markdown, links)
    if svg is not None:
        body = Markup(body.replace(_SVG_PLACEHOLDER, inline_svg(svg)))
    found = _HEADING.search(markdown)
    # (The heading as written, escaped: read as plain text first, a name's `*` or `&amp;`
    # would be read as Markdown a second time when the page prints it.)
    title = found.group(1) if found else ""
    page = HtmlDocument(
        title=title, header=header or title, lang=lang, body=body, wide=svg is not None
    )
    return render_template(load_template(DOCUMENT_TEMPLATE, templates), page=page, lang=lang)


_SVG_PLACEHOLDER = "<p>cutover-svg</p>"
_MERMAID = re.compile(r"^```mermaid\n.*?^```\n?", re.MULTILINE | re.DOTALL)
_XML_DECLARATION = re.compile(r"^<\?xml[^>]*\?>\s*")


def _replace_mermaid(markdown: str) -> str:
    """Return `markdown` with its ``mermaid`` blocks replaced by the SVG's placeholder, or
    with the placeholder after its first heading when it has no such block."""
    replaced, count = _MERMAID.subn("cutover-svg\n", markdown)
    if count:
        return replaced
    found = _HEADING.search(markdown)
    at = found.end() if found else 0
    return f"{markdown[:at]}\n\ncutover-svg\n\n{markdown[at:]}"


def inline_svg(svg: str) -> Markup:
    """Return an SVG cutover drew (`cutover.render.svg`, its text escaped there) as markup to
    place in a page: without its XML declaration, scaled to the page's width."""
    return Markup(f'<div class="timeline">{_XML_DECLARATION.sub("", svg)}</div>')
