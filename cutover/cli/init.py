"""``cutover init``: an agencies.csv template for a prefecture (or the same as a workbook)."""

from __future__ import annotations

import argparse
from pathlib import Path

from cutover.cli.common import EXIT_OK
from cutover.cli.console import tell
from cutover.errors import CutoverError, printable
from cutover.i18n.catalogue import Msg

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    """Write the prefecture's registry template (never over an existing file): CSV, or with
    ``--format xlsx`` (``-o agencies.xlsx``) a workbook whose code columns are text."""
    from cutover.inputs.registry import registry_template, registry_template_rows, template_note
    from cutover.render.files import write_bytes, write_text
    from cutover.render.registry_book import registry_template_xlsx

    # (The command line named the output by its format, and checked that the two agree.)
    output: str = args.output
    rows = len(registry_template_rows(args.prefecture))
    # (A device or a pipe, `-o /dev/stdout`, has nothing to lose.)
    if output != "-" and Path(output).is_file():
        raise CutoverError.of("cli.init-file-exists", file=output)
    if args.format == "xlsx":
        write_bytes(output, registry_template_xlsx(args.prefecture, lang=args.lang))
    else:
        # With a BOM, Excel (which coordinators edit the registry in) reads the UTF-8 Japanese.
        # A file gets a BOM, for Excel; standard output, read by programs, does not.
        text = registry_template(args.prefecture)
        write_text(output, text, encoding="utf-8-sig" if output != "-" else "utf-8")
    if output != "-":
        tell(Msg("cli.init-wrote", {"file": printable(output), "rows": rows}))
    note = template_note(args.lang, workbook=args.format == "xlsx")
    tell(note)
    return EXIT_OK
