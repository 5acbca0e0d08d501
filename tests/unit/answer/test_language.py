"""The answer's languages: Welsh and English month names, dates and numbers, and no silent English in Welsh."""

from __future__ import annotations

import pandas as pd
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


@pytest.mark.parametrize(
    ("n", "english", "welsh"),
    [
        (1, "1 of the 16 staff due and not supervised was an agency worker", "yn weithiwr asiantaeth"),
        (2, "2 of the 16 staff due and not supervised were agency workers", "yn weithwyr asiantaeth"),
        (7, "7 of the 16 staff due and not supervised were agency workers", "yn weithwyr asiantaeth"),
    ],
)
def test_the_agency_gap_counts_one_and_many_in_both_languages(n, english, welsh):
    from analysis.answer.response_supervision import agency_caveat

    gap = pd.DataFrame(
        {
            "month": ["2019-12"],
            "due_unsupervised": [16],
            "with_absence_gap": [n],
            "compliance": [0.8367],
            "compliance_upper_bound": [0.85],
        }
    )
    en, cy = agency_caveat(EN, gap, "2019-12").text, agency_caveat(CY, gap, "2019-12").text
    assert english in en and ("had that worker been away" if n == 1 else "had all of them been away") in en
    assert welsh in cy and ("pe bai'r gweithiwr hwnnw" if n == 1 else "pe bai pob un ohonynt") in cy


@pytest.mark.parametrize(("n", "noun"), [(1, "gweithiwr"), (2, "weithiwr"), (3, "gweithiwr"), (8, "gweithiwr")])
def test_two_soft_mutates_the_welsh_noun_after_it(n, noun):
    said = CY.n_(
        "Of the {n} newly qualified social worker (NQSW) in the service on {date}:",
        "Of the {n} newly qualified social workers (NQSW) in the service on {date}:",
        n,
        date="31 Rhagfyr 2019",
    )
    assert said.startswith(f"O'r {n} {noun} cymdeithasol")


@pytest.mark.parametrize(
    ("last", "joined"),
    [("Ebrill 2020", "Medi ac Ebrill 2020"), ("Mai 2020", "Medi a Mai 2020"), ("83.7%", "Medi ac 83.7%")],
)
def test_welsh_and_is_ac_before_a_vowel(last, joined):
    assert CY._("{items} and {last}", items="Medi", last=last) == joined
    assert EN._("{items} and {last}", items="Medi", last=last) == f"Medi and {last}"


def test_the_welsh_faults_a_reader_found_are_gone():
    from analysis.vocabulary.messages import read_catalogue

    welsh = " ".join(
        m.string if isinstance(m.string, str) else " ".join(m.string) for m in read_catalogue("cy") if m.id
    )
    assert "(CALl)" in welsh and "(FTE)" not in welsh
    assert "Making Data Count" in welsh and "Gwneud i Ddata Gyfrif" not in welsh
    assert "cydymffurfiaeth goruchwylio" not in welsh and "cydymffurfiaeth â goruchwyliaeth" in welsh
    assert "drwy ei" not in welsh and "a gafodd un" not in welsh
    assert CY._("Autumn {year}", year="2019") == "yr hydref 2019"  # never "hydref 2019" beside "Hydref 2019"
