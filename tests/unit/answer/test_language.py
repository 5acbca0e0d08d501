"""The answer's languages: Welsh and English month names, dates and numbers, and no silent English in Welsh."""

from __future__ import annotations

import pytest

from analysis.vocabulary import language as language_module
from analysis.vocabulary.language import CatalogueError, language

EN, CY = language("en"), language("cy")


@pytest.mark.parametrize(
    ("lang", "month", "expected"),
    [
        (EN, "2019-12", "December 2019"),
        (CY, "2019-12", "Rhagfyr 2019"),
        (CY, "2019-09", "Medi 2019"),
        (CY, "2020-04", "Ebrill 2020"),
        (CY, "2019-10", "Hydref 2019"),
    ],
)
def test_month_names(lang, month, expected):
    assert lang.month(month) == expected


def test_dates_in_full():
    assert EN.date("2019-09-30") == "30 September 2019"
    assert CY.date("2019-09-30") == "30 Medi 2019"
    assert CY.date("2020-01-23") == "23 Ionawr 2020"
    assert CY.date(None) == "–"


@pytest.mark.parametrize("lang", [EN, CY])
def test_numbers_as_the_reports_write_them(lang):
    assert lang.percent(0.8235) == "82.4%"  # half up, as the HTML reports round (binary float says 82.3)
    assert lang.percent(0.8367) == "83.7%"
    assert lang.percent(0.9, 0) == "90%"
    assert lang.percent(1.0) == "100.0%"
    assert lang.caseload(16.16) == "16.16"
    assert lang.caseload(23.80) == "23.8"
    assert lang.caseload(8.0) == "8"
    assert lang.caseload(float("nan")) == "–"
    assert lang.count(1212) == "1,212"
    assert lang.count(7.0) == "7"


def test_messages_are_translated_and_filled():
    assert CY._("Month") == "Mis"
    assert (
        CY._("Their newly qualified status ends between {first} and {last}.", first="Medi 2020", last="Hydref 2020")
        == "Daw eu statws newydd gymhwyso i ben rhwng Medi 2020 a Hydref 2020."
    )
    assert EN._("Month") == "Month"


def test_plural_messages_follow_the_count():
    assert EN.n_("{n} holds no cases.", "{n} hold no cases.", 1) == "1 holds no cases."
    assert EN.n_("{n} holds no cases.", "{n} hold no cases.", 2) == "2 hold no cases."
    for n in (0, 1, 2, 3, 6, 11):
        assert CY.n_("{n} holds no cases.", "{n} hold no cases.", n) == f"Nid yw {n} yn dal unrhyw achosion."


def test_welsh_counts_take_the_six_plural_forms():
    from analysis.vocabulary.messages import PLURALS, read_catalogue

    catalogue = read_catalogue("cy")
    assert catalogue.num_plurals == 6 and catalogue.plural_expr == PLURALS["cy"][1]
    forms = {n: _plural_form(n) for n in (0, 1, 2, 3, 4, 6, 7, 11, 100)}
    assert forms == {0: 0, 1: 1, 2: 2, 3: 3, 4: 5, 6: 4, 7: 5, 11: 5, 100: 5}


def _plural_form(n: int) -> int:
    from analysis.vocabulary.language import _translations

    return _translations("cy").plural(n)


def test_a_message_the_welsh_catalogue_lacks_is_refused_not_written_in_english():
    with pytest.raises(
        CatalogueError, match=r"cy/LC_MESSAGES/analysis.po has no translation of 'A sentence nobody wrote'"
    ):
        CY._("A sentence nobody wrote")


def test_an_unreadable_catalogue_is_refused_with_its_path(tmp_path, monkeypatch):
    monkeypatch.setattr(language_module, "LOCALE_DIR", tmp_path)
    language_module._translations.cache_clear()
    try:
        with pytest.raises(CatalogueError, match=r"cannot read the Welsh message catalogue .*analysis.po"):
            language("cy")._("Month")
    finally:
        language_module._translations.cache_clear()


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match=r"language 'fr': expected one of en, cy"):
        language("fr")
