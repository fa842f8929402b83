"""The task templates that apply to an agency, and their instances for it: one task, one per
business system or one per item, with its title and detail written out
(`cutover.planning.planner` dates them and gives them a status).

Every agency of the same kind, with the same test request, provided items and new delegations
gets the same templates and instances: `_InstanceCache` works them out once per plan.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from cutover.calendar.model import RevisedItem, RevisionCalendar, TaskTemplate
from cutover.i18n.catalogue import text
from cutover.inputs.model import Agency
from cutover.jp.vocabulary import Kind, system_by_id
from cutover.planning.order import First, after_notes


def _items_for(template: TaskTemplate, calendar: RevisionCalendar, agency: Agency) -> list[int]:
    revised = {item.number: item for item in calendar.items}
    if template.items == "cutoff":
        cutoff = calendar.cutoff.items if calendar.cutoff else frozenset()
        chosen = set(agency.provides & cutoff)
    elif template.items == "revised":
        chosen = {n for n in agency.provides if n in revised}
    else:
        # §5: every revised item that needs registration, plus every item newly delegated.
        chosen = {n for n in agency.provides if n in revised and revised[n].registration_required}
        chosen |= agency.new_delegations
    return sorted(chosen)


def _item_names(number: int, item: RevisedItem | None) -> tuple[str, str]:
    if item is None:
        return text("plan.new-delegation-item", "ja"), text("plan.new-delegation-item", "en")
    return item.short_ja, item.short_en


@attrs.frozen
class _Instance:
    id: str
    system: str | None
    item: int | None
    fields: Mapping[str, str]
    notes_ja: tuple[str, ...]
    notes_en: tuple[str, ...]
    #: the task instances that come first (§2), with the note naming them
    first: First = attrs.field(factory=First)


# Made once per shape and plan (`_InstanceCache`), and compared by identity: it keys the
# plan's cache of tasks (`cutover.planning.planner`) at the cost of an object's hash.
@attrs.frozen(eq=False)
class _Texts:
    """An instance of a task template with its title and detail written out."""

    instance: _Instance
    title_ja: str
    title_en: str
    detail_ja: str
    detail_en: str


#: What decides which templates apply to an agency and their instances (`_applies`,
#: `_instances`): its kind, whether it requested the test, its items and new delegations.
_Shape = tuple[Kind, bool, frozenset[int], frozenset[int]]


class _InstanceCache:
    """The instances of each template for each agency's shape, worked out once per plan.

    Every agency with the same provided items and new delegations gets the same instances
    and texts of a template (at national scale, 1,826 agencies share a few dozen shapes).
    """

    def __init__(self, calendar: RevisionCalendar) -> None:
        self._calendar = calendar
        self._found: dict[tuple[str, frozenset[int], frozenset[int]], list[_Texts]] = {}
        self._applicable: dict[_Shape, list[tuple[TaskTemplate, list[_Texts]]]] = {}

    def of_agency(self, agency: Agency) -> list[tuple[TaskTemplate, list[_Texts]]]:
        """Return the templates that apply to `agency`, in the calendar's order, each with
        its instances for the agency."""
        shape = (agency.kind, agency.test_requested, agency.provides, agency.new_delegations)
        found = self._applicable.get(shape)
        if found is None:
            found = self._applicable[shape] = [
                (template, self(template, agency))
                for template in self._calendar.tasks
                if _applies(template, agency)
            ]
        return found

    def __call__(self, template: TaskTemplate, agency: Agency) -> list[_Texts]:
        shape = (
            (template.id, agency.provides, agency.new_delegations)
            if template.per == "item" or template.after
            else (template.id, frozenset(), frozenset())
        )
        found = self._found.get(shape)
        if found is None:
            found = self._found[shape] = [
                _Texts(
                    instance,
                    template.title_ja.format_map(instance.fields),
                    template.title_en.format_map(instance.fields),
                    template.detail_ja.format_map(instance.fields),
                    template.detail_en.format_map(instance.fields),
                )
                for instance in _instances(template, self._calendar, agency)
            ]
        return found


def _applies(template: TaskTemplate, agency: Agency) -> bool:
    when = template.when
    if agency.kind not in when.kinds:
        return False
    if when.test_requested is not None and agency.test_requested != when.test_requested:
        return False
    if when.provides is not None and not (agency.provides & when.provides):
        return False
    return not (
        when.new_delegation is not None and bool(agency.new_delegations) != when.new_delegation
    )


def _instances(
    template: TaskTemplate, calendar: RevisionCalendar, agency: Agency
) -> list[_Instance]:
    if template.per == "once":
        first = after_notes(template, calendar, agency, None) if template.after else First()
        return [_Instance(template.id, None, None, {}, (), (), first)]
    if template.per == "system":
        found = []
        for system_id in calendar.revision.systems:
            system = system_by_id(system_id)
            fields = {"system": system.id, "system_ja": system.ja, "system_en": system.en}
            found.append(_Instance(f"{template.id}:{system.id}", system.id, None, fields, (), ()))
        return found
    found = []
    for number in _items_for(template, calendar, agency):
        item = calendar.item(number)
        name_ja, name_en = _item_names(number, item)
        notes_ja: list[str] = []
        notes_en: list[str] = []
        if item is not None and item.retroactive and template.retroactive_ja:
            notes_ja.append(template.retroactive_ja)
            notes_en.append(template.retroactive_en)
        if number in agency.new_delegations and template.delegation_ja:
            notes_ja.append(template.delegation_ja)
            notes_en.append(template.delegation_en)
        first = after_notes(template, calendar, agency, number) if template.after else First()
        fields = {"item": str(number), "item_ja": name_ja, "item_en": name_en}
        found.append(
            _Instance(
                f"{template.id}:{number}",
                None,
                number,
                fields,
                tuple(notes_ja),
                tuple(notes_en),
                first,
            )
        )
    return found
