"""Regenerate the example's committed checklists (the golden files tests/test_examples.py diffs).

Run it from anywhere after changing an example's inputs, a template, a calendar or the
planner, then review the diff before committing:

    python scripts/regenerate_examples.py

Where headless Chromium is installed, it also refreshes the screenshots in ``docs/images/``:
the two HTML pages (the 鳥取市 checklist and the index, at 1,366 × 900), the printed
checklist, and the timeline chart the coordinator guide's step 17 writes (its SVG as of the
example's date, at the chart's own size).

It calls the library, not the command line, and always writes into this repository's
``examples/`` (never into an installed copy of cutover).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from cutover.cli.demo import EXAMPLE_FILE, GOLDEN_LANGS, read_example, write_example_checklists

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
IMAGES = EXAMPLES.parent / "docs" / "images"
#: The screenshots: the page of the example's folder, and the image it becomes.
SCREENSHOTS = (("312011.html", "checklist-html.png"), ("index.html", "index-html.png"))


def regenerate(examples: Path = EXAMPLES) -> list[Path]:
    """Rewrite every example's checklists in every golden language; return the files written."""
    written: list[Path] = []
    for marker in sorted(examples.glob(f"*/{EXAMPLE_FILE}")):
        example = read_example(marker.parent)
        for lang in GOLDEN_LANGS:
            target = example.golden_dir(lang)
            target.mkdir(exist_ok=True)
            # Checklists of agencies removed from the registry must not linger.
            for stale in sorted(target.glob("*.md")):
                stale.unlink()
            paths = write_example_checklists(example, target, lang=lang)
            print(f"{target.relative_to(examples.parent)}: {len(paths)} files")
            written.extend(paths)
    return written


def screenshots(images: Path = IMAGES) -> list[Path]:
    """Render the example's HTML pages with headless Chromium into `images`; return the
    images written (none where Chromium is not installed)."""
    from cutover.cli.demo import load_example, plan_example
    from cutover.render.checklists import write_checklists

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("no chromium: the screenshots in docs/images are left as they are", file=sys.stderr)
        return []
    written = []
    with tempfile.TemporaryDirectory() as folder:
        pages = Path(folder)
        write_checklists(plan_example(load_example()), pages, fmt="html")
        for page, image in SCREENSHOTS:
            target = images / image
            _chromium(
                browser, "--window-size=1366,900", f"--screenshot={target}", page=pages / page
            )
            print(f"{target.relative_to(images.parent.parent)}")
            written.append(target)
        if shutil.which("pdftoppm"):
            written.append(_printed_page(browser, pages / SCREENSHOTS[0][0], images))
        written.append(_timeline_chart(browser, pages, images))
    return written


def _timeline_chart(browser: str, folder: Path, images: Path) -> Path:
    """Render the example's timeline chart (`cutover timeline 2018-07 --format svg
    --as-of` the example's date) as an image the size of the chart."""
    import re

    from cutover.calendar.load import load_calendar
    from cutover.cli.demo import load_example
    from cutover.render.svg import timeline_svg
    from cutover.schedule.timeline import build_timeline

    example = load_example()
    svg = timeline_svg(build_timeline(load_calendar(example.calendar)), as_of=example.as_of)
    size = re.search(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"', svg)
    assert size is not None, "the chart has no viewBox"
    width, height = (round(float(n)) for n in size.groups())
    page = folder / "timeline.svg"
    page.write_text(svg, encoding="utf-8")
    target = images / "timeline-2018-07.png"
    _chromium(browser, f"--window-size={width},{height}", f"--screenshot={target}", page=page)
    print(f"{target.relative_to(images.parent.parent)}")
    return target


def _printed_page(browser: str, page: Path, images: Path) -> Path:
    """Print `page` to PDF with Chromium and keep its second page (tasks and their boxes) as
    an image of the paper."""
    pdf = page.with_suffix(".pdf")
    _chromium(browser, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page=page)
    target = images / "checklist-print.png"
    stem = target.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "2", "-l", "2", "-singlefile", str(pdf), str(stem)],
        check=True,
    )
    print(f"{target.relative_to(images.parent.parent)}")
    return target


def _chromium(browser: str, *options: str, page: Path) -> None:
    """Open `page` in headless Chromium with `options` (a screenshot, a print to PDF), no
    host resolvable: an image shows what a terminal with no network shows."""
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            *options,
            page.as_uri(),
        ],
        capture_output=True,
        check=True,
        timeout=120,
    )


def main() -> int:
    """Regenerate the golden files and the screenshots; return the exit code."""
    if not regenerate():
        print(f"no example (no */{EXAMPLE_FILE}) under {EXAMPLES}", file=sys.stderr)
        return 1
    screenshots()
    return 0


if __name__ == "__main__":
    sys.exit(main())
