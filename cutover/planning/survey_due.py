"""The date to answer a survey by (`cutover survey make --due`): one agencies cannot keep.

The survey workbooks say it on their instructions sheet as given; a date before the survey's
own (a month or year mistyped), or on a closed day (土日・祝日・年末年始, when no office
answers), is written all the same, and said as a `Problem` (`survey_due_problems`), which
`write_survey` gives as an `InputWarning` and the command prints.
"""

from __future__ import annotations

import datetime as dt

from cutover.errors import Problem, require_date, require_instance
from cutover.i18n.catalogue import Argument
from cutover.i18n.text import day_said
from cutover.planning.model import Plan

__all__ = ["survey_due_problems"]

#: The arguments the problems name, as their reader gave them: a program passed `due` and the
#: plan's `as_of`; the command line, ``--due`` and ``--as-of``.
_GIVEN: dict[str, object] = {"due_given": Argument("due"), "as_of_given": Argument("plan.as_of")}


def survey_due_problems(plan: Plan, due: dt.date) -> tuple[Problem, ...]:
    """Return what is wrong with `due`, the date to answer a survey of `plan` by, none when
    nothing is: ``survey.make-due-before-as-of`` (before `plan.as_of`, the survey's date),
    ``survey.make-due-closed`` (a closed day of the plan's timeline, with the business day
    before it). Each problem's ``params`` hold the dates (``due``, ``as_of``, ``previous``)
    and the closure's code (``closure``), besides the texts its message writes (the
    arguments among them, `Argument`s, named as the caller gave them: ``due``, or
    ``--due`` once the command line tells the problem)."""
    require_instance(plan, Plan, "plan", "common.not-a-plan")
    require_date(due, "due")
    found: list[Problem] = []
    if due < plan.as_of:
        early: dict[str, object] = {"due": due, "as_of": plan.as_of}
        early |= {"due_day": day_said(due), "as_of_day": day_said(plan.as_of)} | _GIVEN
        found.append(Problem(code="survey.make-due-before-as-of", params=early))
    closed = plan.timeline.closed
    closure = closed.closure(due)
    if closure is not None:
        previous = closed.previous_business_day(due)
        params: dict[str, object] = {"due": due, "previous": previous, "closure": closure.code}
        params |= {"due_day": day_said(due), "previous_day": day_said(previous)}
        params |= {"reason_ja": closure.ja, "reason_en": closure.en} | _GIVEN
        found.append(Problem(code="survey.make-due-closed", params=params))
    return tuple(found)
