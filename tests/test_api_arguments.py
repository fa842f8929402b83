"""Arguments of the wrong type, as a tool built on `cutover` passes them: a value typed Any
(a database's row, a spreadsheet's cell) gets past a type checker, so the call itself says
what is wrong, naming the argument, instead of a wrong answer or an error from inside."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import cutover

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tottori"


def _tottori() -> tuple[cutover.Registry, cutover.Plan]:
    timeline = cutover.build_timeline(cutover.load_calendar("2018-07"))
    registry = cutover.load_registry(
        EXAMPLE / "agencies.csv", EXAMPLE / "readiness.csv", [EXAMPLE / "evidence.csv"]
    )
    return registry, cutover.plan(timeline, registry, dt.date(2018, 6, 25))


_LOOKUPS: dict[str, Callable[[cutover.Registry, cutover.Plan, Any], object]] = {
    "registry[code]": lambda reg, plan, code: reg[code],
    "registry.get": lambda reg, plan, code: reg.get(code),
    "registry.by_code": lambda reg, plan, code: reg.by_code(code),
    "in registry": lambda reg, plan, code: code in reg,
    "registry.readiness_of": lambda reg, plan, code: reg.readiness_of(code),
    "registry.evidence_of": lambda reg, plan, code: reg.evidence_of(code),
    "registry.attempts_of": lambda reg, plan, code: reg.attempts_of(code),
    "plan.agency": lambda reg, plan, code: plan.agency(code),
    "plan.get": lambda reg, plan, code: plan.get(code),
    "plan_ics": lambda reg, plan, code: cutover.plan_ics(plan, code),
}


@pytest.mark.parametrize("lookup", list(_LOOKUPS))
def test_a_code_held_as_a_number_is_a_clear_type_error(lookup: str) -> None:
    """A code read from an INTEGER column (312011, or 11002 for 011002) is no code: a lookup
    by it would find nothing (None, False, no rows), as for an agency not in the registry,
    though the agency is there. Each lookup by code says so at the call."""
    registry, plan = _tottori()
    call = _LOOKUPS[lookup]
    if lookup != "registry.attempts_of":  # (the example has no log lines that did not count)
        assert call(registry, plan, "312011") not in (None, False, ())  # the agency is there
    with pytest.raises(TypeError) as caught:
        call(registry, plan, 312011)
    assert str(caught.value).startswith(
        'code is an agency\'s code as text ("011002"), not a int: a number loses'
    )


def test_a_code_as_text_is_looked_up_as_before() -> None:
    """Text that is no agency's code is still not found, as documented (None, NotFound)."""
    registry, plan = _tottori()
    assert registry.get("999999") is None
    assert "999999" not in registry
    assert registry.readiness_of("999999") == ()
    assert plan.get("999999") is None
    with pytest.raises(cutover.NotFound):
        registry["999999"]
