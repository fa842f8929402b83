"""Tests for the link of each revised item to the business systems that provide it, where the
calendar assumes it (`[[items]] systems_assumption`): the source names no system per item."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from pathlib import Path

import pytest

from cutover.calendar.load import load_calendar, parse_calendar
from cutover.errors import CutoverError
from cutover.inputs.model import Agency, Evidence, Registry
from cutover.jp.codes import check_digit
from cutover.jp.vocabulary import Kind
from cutover.planning.flags import Flag, FlagCode, Severity
from cutover.planning.model import AgencyPlan, AssumedLink, Task
from cutover.planning.planner import plan
from cutover.schedule.timeline import Timeline, build_timeline

JULY = Path(__file__).parent.parent / "calendars" / "2018-07.toml"
CHIYODA = f"13101{check_digit('13101')}"
AS_OF = dt.date(2018, 6, 20)
ASSUMED_JA = "の対応は資料になく、カレンダーの仮定"
ASSUMED_EN = "is the calendar's assumption, not the source's"


@functools.cache
def july() -> Timeline:
    """Return the timeline of the shipped July 2018 calendar."""
    return build_timeline(load_calendar("2018-07"))


def july_text() -> str:
    """Return the shipped July 2018 calendar's TOML."""
    return JULY.read_text(encoding="utf-8")


def unassumed(text: str) -> str:
    """Return the calendar `text` with every item's `systems_assumption*` line left out."""
    return re.sub(r"(?m)^systems_assumption(_en)? = .*\n", "", text)


def timeline_of(text: str) -> Timeline:
    """Return the timeline of the calendar written in `text`."""
    return build_timeline(parse_calendar(text, "copy.toml"))


def plan_of(
    provides: Iterable[int],
    *,
    test: bool = False,
    evidence: Iterable[tuple[str, dt.date]] = (),
    on: Timeline | None = None,
) -> AgencyPlan:
    """Return the plan of 千代田区 providing `provides`, with its evidence rows."""
    agency = Agency(
        CHIYODA, "千代田区", Kind.MUNICIPALITY, test, frozenset(provides), frozenset(), 2
    )
    rows = tuple(Evidence(CHIYODA, t, d, "", i + 2) for i, (t, d) in enumerate(evidence))
    return plan(on or july(), Registry((agency,), (), rows), AS_OF).agency(CHIYODA)


def task(agency_plan: AgencyPlan, task_id: str) -> Task:
    """Return the task of `agency_plan` with this id."""
    (found,) = [t for t in agency_plan.tasks if t.id == task_id]
    return found


def early(agency_plan: AgencyPlan) -> list[Flag]:
    """Return the evidence-before-modification flags of `agency_plan`."""
    return [f for f in agency_plan.flags if f.code is FlagCode.EVIDENCE_BEFORE_MODIFICATION]


#: Item 52 registered (6/1) before the provision side of 国保 was modified (6/10).
EARLY_52 = (("register:52", dt.date(2018, 6, 1)), ("modify-provision:nhi", dt.date(2018, 6, 10)))


def test_the_shipped_calendar_assumes_21_and_52_and_says_why() -> None:
    """July 2018 links 21 to 児童福祉 and 52 to 国保 by its own assumption, saying why in both
    languages; 2 (地方税) and 8 (障害者…自立支援給付) are linked by their names."""
    items = {i.number: i for i in load_calendar("2018-07").items}
    assert [n for n, i in items.items() if i.systems_assumption] == [21, 52]
    assert items[52].systems_assumption_in("en") == items[52].systems_assumption_en
    assert "pension" in (items[52].systems_assumption_en or "")
    assert "年金" in (items[52].systems_assumption_in("ja") or "")
    assert items[2].systems_assumption_in("en") is None


def test_a_registration_note_says_its_link_is_assumed_and_how_to_correct_it() -> None:
    """The §2 note on item 52's registration names the 国保 modification, says that link is the
    calendar's assumption, and how a different system is handled; item 2's note does not."""
    agency_plan = plan_of([2, 52])
    fifty_two, two = task(agency_plan, "register:52"), task(agency_plan, "register:2")
    assert "「情報提供に係るシステム改修を完了する（国保）」より前" in fifty_two.first_ja
    assert fifty_two.first_ja.endswith(
        "なお、52番と国保システム" + ASSUMED_JA + "。提供するシステムが異なれば、"
        "そのシステムの改修と読み替え、都道府県の担当に伝える（カレンダーの写しで直せる）。"
    )
    assert "the link of item 52 to the national health insurance system " + ASSUMED_EN in (
        fifty_two.first_en
    )
    assert "a copy of the calendar can correct it" in fifty_two.first_en
    why = load_calendar("2018-07").item(52)
    assert why is not None
    assert fifty_two.first_assumed == (
        AssumedLink(
            "modify-provision:nhi",
            "nhi",
            (52,),
            why.systems_assumption or "",
            why.systems_assumption_en or "",
        ),
    )
    assert "仮定" not in two.first_ja
    assert "assumption" not in two.first_en
    assert two.first_assumed == ()


def test_the_test_note_names_only_the_assumed_links() -> None:
    """The inter-agency test comes after every provided item's system: its note names all of
    them, and says the links of 21 and 52 (only) are assumed."""
    agency_plan = plan_of([2, 8, 21, 52], test=True)
    note = task(agency_plan, "inter-agency-test").first_ja
    assert "なお、21番と児童福祉システム、52番と国保システム" + ASSUMED_JA in note
    assert "2番と地方税務" not in note
    assert "8番と障害福祉" not in note
    assert [a.first for a in task(agency_plan, "inter-agency-test").first_assumed] == [
        "modify-provision:child-welfare",
        "modify-provision:nhi",
    ]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_warning_says_the_link_is_assumed_why_and_how_to_correct_it(lang: str) -> None:
    """A registration of 52 evidenced before the 国保 modification stays a warning; it says the
    link is the calendar's assumption with the calendar's reason, and one more remedy says to
    compare with the system that does provide it and how the coordinator corrects the link."""
    (flag,) = early(plan_of([52], evidence=EARLY_52))
    assert flag.severity is Severity.WARNING
    assert flag.task == "register:52"
    message = flag.message_ja if lang == "ja" else flag.message_en
    remedies = flag.remedies_ja if lang == "ja" else flag.remedies_en
    reason = load_calendar("2018-07").item(52)
    assert reason is not None
    if lang == "ja":
        assert message.endswith(
            "なお、52番と国保システムの対応はカレンダーの仮定。" + (reason.systems_assumption or "")
        )
        assert remedies[-1].startswith("52番を提供するシステムが国保でなければ、")
        assert "カレンダーの写し" in remedies[-1]
    else:
        assert message.endswith(
            "The link of item 52 to the national health insurance system is the calendar's "
            "assumption. " + (reason.systems_assumption_en or "")
        )
        assert remedies[-1].startswith(
            "If a system other than the national health insurance system provides item 52"
        )
        assert "copy of the calendar" in remedies[-1]
    assert len(remedies) == 3


def test_a_link_the_source_makes_gets_no_assumption() -> None:
    """Item 2's registration before its 地方税務 modification: the warning and its remedies
    say nothing of an assumption."""
    evidence = (("register:2", dt.date(2018, 6, 1)), ("modify-provision:local-tax", AS_OF))
    (flag,) = early(plan_of([2], evidence=evidence))
    assert "仮定" not in flag.message_ja
    assert "assumption" not in flag.message_en
    assert len(flag.remedies_ja) == 2


def test_an_assumed_link_changes_words_never_flags() -> None:
    """The same plan with the calendar's link assumptions left out has the same flags, with
    the same severities: an assumed link never makes an error (or any flag) on its own."""
    evidence = (
        *EARLY_52,
        ("register:21", dt.date(2018, 6, 1)),
        ("inter-agency-test", dt.date(2018, 6, 2)),
    )
    with_assumptions = plan_of([2, 8, 21, 52], test=True, evidence=evidence)
    without = plan_of(
        [2, 8, 21, 52], test=True, evidence=evidence, on=timeline_of(unassumed(july_text()))
    )

    def shape(agency_plan: AgencyPlan) -> list[tuple[str, str, str | None]]:
        return sorted((f.code.value, f.severity.value, f.task) for f in agency_plan.flags)

    assert shape(with_assumptions) == shape(without)
    assert early(with_assumptions)
    assert all(f.severity is Severity.WARNING for f in early(with_assumptions))
    assert all("仮定" not in t.first_ja for t in without.tasks)


def test_a_link_any_item_makes_by_name_is_not_assumed_for_a_task_done_once() -> None:
    """When one item the source names links a system (here 2 → 国保 as well, in a copy) and an
    assumed one links it too (52 → 国保), the test's link to that system is not assumed."""
    text = july_text().replace('systems = ["local-tax"]', 'systems = ["local-tax", "nhi"]', 1)
    on = timeline_of(text)
    agency_plan = plan_of([2, 52], test=True, on=on)
    assert task(agency_plan, "inter-agency-test").first_assumed == ()
    assert "仮定" not in task(agency_plan, "inter-agency-test").first_ja
    # Item 52's own registration still rests on the assumed link alone.
    assert task(agency_plan, "register:52").first_assumed


@pytest.mark.parametrize(
    ("systems", "modified"), [('["health"]', "modify-provision:health"), ("[]", None)]
)
def test_a_calendar_copy_corrects_the_link(systems: str, modified: str | None) -> None:
    """What the note and the warning tell the coordinator works: a copy of the calendar whose
    item 52 names the system that provides it (or none of the eight) plans with that link and
    says no assumption."""
    text = re.sub(
        r'systems = \["nhi"\]\nsystems_assumption = .*\nsystems_assumption_en = .*\n',
        f"systems = {systems}\n",
        july_text(),
    )
    assert text != july_text()
    on = timeline_of(text)
    evidence = (("register:52", dt.date(2018, 6, 1)), ("modify-provision:health", AS_OF))
    agency_plan = plan_of([52], evidence=evidence, on=on)
    register = task(agency_plan, "register:52")
    assert register.first == ((modified,) if modified else ())
    assert "仮定" not in register.first_ja
    assert [f.task for f in early(agency_plan)] == (["register:52"] if modified else [])
    assert all("仮定" not in f.message_ja for f in early(agency_plan))


def test_an_assumption_that_is_not_text_is_refused_at_its_key() -> None:
    """`systems_assumption` must be a string: anything else is refused at its key path."""
    text = re.sub(r"(?m)^systems_assumption = .*$", "systems_assumption = 1", july_text(), count=1)
    with pytest.raises(CutoverError) as caught:
        parse_calendar(text, "copy.toml")
    said = caught.value.text("en")
    assert "items[2].systems_assumption" in said, said
