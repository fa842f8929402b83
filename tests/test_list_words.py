"""A list of words reads as each language lists them: ``init、summary`` in Japanese, ``init and
summary`` and ``a, b and c`` in English (no comma before "and", in every list)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cutover.cli.main import main
from cutover.i18n.catalogue import Alternatives, Lang, Msg, join_words
from cutover.i18n.text import DataText, Joined

#: Words as a list names them: ids, commands, names (no comma, no space).
WORDS = st.lists(
    st.text("abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=8), min_size=1, max_size=5
)


def _english(words: list[str], conjunction: str = "and") -> str:
    """Return how English lists `words`: ``a``, ``a and b``, ``a, b and c`` (or a choice of
    them: ``a, b or c``)."""
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


@given(words=WORDS)
def test_a_list_of_words_reads_as_each_language_lists_them(words: list[str]) -> None:
    """English joined every word with a comma ("init, summary"): it now puts "and" before
    the last word, with no comma before it; Japanese lists them with 「、」 as before."""
    assert join_words(words, "en") == _english(words)
    assert join_words(words, "ja") == "、".join(words)
    said = join_words(words, "en")
    assert said.count(" and ") == (len(words) > 1)
    assert ", and " not in said


@given(words=WORDS, lang=st.sampled_from(["ja", "en"]))
def test_a_message_lists_its_words_so(words: list[str], lang: Lang) -> None:
    """A message given a list or a tuple lists it so, and a `Joined` of parts too (in
    Japanese with the separator its text gives: 「・」 for business systems); words to choose
    from (`Alternatives`: valid choices) read "a, b or c"."""
    listed = _english(words) if lang == "en" else "、".join(words)
    said = Msg("common.valid-choices", {"choices": tuple(words), "quoted": list(words)})
    assert said.text(lang).endswith(f": {listed}")
    assert Joined(tuple(words)).text(lang) == listed
    choice = _english(words, "or") if lang == "en" else "、".join(words)
    assert Alternatives(tuple(words)).text(lang) == choice
    assert Msg("common.valid-choices", {"quoted": Alternatives(tuple(words))}).text(
        "en"
    ) == "valid choices: " + _english(words, "or")
    systems = Joined(
        tuple(DataText(w, w) for w in words), "plan.sep-systems", "plan.sep-systems-last"
    )
    assert systems.text(lang) == (_english(words) if lang == "en" else "・".join(words))


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "--prefecture is an option of init and summary, not of plan"),
        ("ja", "--prefecture は init、summary のオプションで、plan では使えません"),
    ],
)
def test_an_option_of_two_other_commands_names_both(
    lang: Lang, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`cutover plan --prefecture 13` said "--prefecture is an option of init, summary"; it
    says "init and summary" (the Japanese as before)."""
    with pytest.raises(SystemExit) as ended:
        main(["plan", "2018-07", "--agencies", "a.csv", "--prefecture", "13", "--lang", lang])
    assert ended.value.code == 2
    assert said in capsys.readouterr().err
