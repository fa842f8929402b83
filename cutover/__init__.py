"""Plan the cutover to a revised data standard layout in Japan's My Number information linkage."""

from __future__ import annotations

from cutover.errors import CutoverError, Problem

__all__ = ["CutoverError", "Problem"]
