"""The answer's content on the sample's December 2019: every figure from the month's tables, every setting read."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest

from analysis.answer.command import SAMPLE_QUESTION
from analysis.answer.document import Bullets, Heading, PageBreak, Paragraph, Table
from analysis.answer.paper import papers
from analysis.answer.pdf_file import to_html
from analysis.answer.question import Question, read_question
from analysis.answer.response_nqsw import nqsw_part
from analysis.answer.response_supervision import regular_paragraph
from analysis.config import load_config
from analysis.inputs.loading import load_valid_dataset
from analysis.paths import SAMPLE_DATA
from analysis.tables import compute_tables
from analysis.vocabulary.language import language

MONTH, START = pd.Period("2019-12", "M"), pd.Period("2019-09", "M")


@pytest.fixture(scope="module")
def tables():
    config = load_config()
    return compute_tables(load_valid_dataset(SAMPLE_DATA, config), MONTH, START, config)


@pytest.fixture(scope="module")
def docs(tables):
    return papers(["en", "cy"], read_question(SAMPLE_QUESTION, ["en", "cy"]), tables, MONTH, START, load_config())


def _tables(doc):
    return {b.caption: b for b in doc.blocks if isinstance(b, Table)}


def test_the_councils_tables_restored_from_supervision_monthly(docs, tables):
    monthly = tables["supervision_monthly"]
    found = _tables(docs["en"])
    captions = [c for c in found if c.endswith("formal supervision by month")]
    assert len(captions) == 4
    assert captions[0].startswith("All staff") and captions[1:] == [
        "Qualified: formal supervision by month",
        "Newly qualified (NQSW): formal supervision by month",
        "Agency: formal supervision by month",
    ]
    for caption, category in zip(captions, ["all", "qualified", "nqsw", "agency"]):
        table = found[caption]
        assert table.header == ("Month", "Staff in post", "Not due", "Due", "Supervised", "Compliance")
        rows = monthly.loc[monthly["category"] == category].sort_values("month")
        expected = [
            (
                pd.Period(r.month, "M").strftime("%B %Y"),
                str(r.in_scope),
                str(r.in_scope - r.due),
                str(r.due),
                str(r.supervised),
                f"{(Decimal(str(r.compliance)) * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%",
            )
            for r in rows.itertuples()
        ]
        assert list(table.rows) == expected
    assert found[captions[0]].rows[-1] == ("December 2019", "105", "7", "98", "82", "83.7%")


def test_the_sentences_quote_the_tables_and_the_settings(docs):
    text = docs["en"].text()
    assert "ranged between 81.3% and 83.7%, against the target of 90%" in text
    assert "In December 2019, 82 of the 98 staff due a supervision received one: 83.7%." in text
    assert "unavailable for 10 working days or more" in text
    assert "In Autumn 2019 (30 September 2019) the average caseload for qualified social workers was 16.16" in text
    assert "In Autumn 2018 (30 September 2018) the average caseload for qualified social workers was 23.8" in text
    assert "(the national workforce census date)" in text
    assert "Staff holding more than 25 cases: 2." in text
    assert "rose every month as staff were appointed" in text
    assert (
        "Is it improving? For supervision compliance (all staff), the Making Data Count method finds common cause "
        "variation, with no evidence of improvement or concern since April 2017." in text
    )
    assert "The 90% target will be hit and missed at random." in text


def test_regular_supervision_is_said_from_its_table_in_both_languages(docs, tables):
    row = tables["regular_supervision"].query("month == '2019-12' and scope == 'category' and group == 'all'").iloc[0]
    rate = f"{(Decimal(str(row.regular)) * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"
    assert (
        f"Of the {row.due_three} staff due a supervision in each month from October 2019 to December 2019, "
        f"{row.supervised_three} received one in all three months: {rate}, against the target of 90%."
    ) in docs["en"].text()
    assert f"O'r {row.due_three} aelod o staff yr oedd goruchwyliaeth yn ddyledus iddynt ym mhob mis o Hydref 2019" in (
        docs["cy"].text()
    )


@pytest.mark.parametrize(
    ("due", "said"),
    [(1, "Of the 1 member of staff due"), (2, "Of the 2 staff due"), (0, "No member of staff was due")],
)
def test_regular_supervision_counts_in_the_singular_and_plural(due, said):
    frame = pd.DataFrame(
        {
            "month": ["2019-12"],
            "scope": ["category"],
            "group": ["all"],
            "due_three": [due],
            "supervised_three": [min(due, 1)],
            "regular": [1 / due if due else float("nan")],
        }
    )
    text = regular_paragraph(language("en"), frame, "2019-12", 0.9).text
    assert text.startswith(said)


def test_the_newly_qualified_breakdown_is_the_councils(docs):
    (bullets,) = [b for b in docs["en"].blocks if isinstance(b, Bullets) and "hold no cases." in b.items[0]]
    assert bullets.items[0] == "2 hold no cases."
    assert bullets.items[1].startswith("2 are in the first 6 months after qualifying, with an average caseload of 8.")
    assert bullets.items[2] == (
        "4 are 6 to 12 months after qualifying, with an average caseload of 14. "
        "Their newly qualified status ends in April 2020."
    )
    assert "Of the 8 newly qualified social workers (NQSW) in the service on 31 December 2019:" in docs["en"].text()


def test_the_welsh_paper_has_welsh_months_and_the_same_figures(docs):
    text = docs["cy"].text()
    assert "Ym mis Rhagfyr 2019, cafodd 82 o'r 98 aelod o staff" in text
    assert "Yn yr hydref 2019 (30 Medi 2019) roedd y llwyth achosion cyfartalog" in text and "16.16" in text
    assert "Rhagfyr 2019 105 7 98 82 83.7%" in text
    assert "Daw eu statws newydd gymhwyso i ben ym mis Ebrill 2020." in text
    assert "December" not in text and "Autumn" not in text


def test_settings_change_the_sentences(tables):
    config = load_config().with_changes(target=0.85, absence_threshold_days=8, max_caseload=20)
    question = read_question(SAMPLE_QUESTION, ["en"])
    text = papers(["en"], question, tables, MONTH, START, config)["en"].text()
    assert "against the target of 85%" in text and "The target is 85%" in text
    assert "unavailable for 8 working days or more" in text and "fewer than 8 working days" in text
    assert "Staff holding more than 20 cases:" in text


def test_the_bilingual_paper_is_welsh_first_then_english_on_a_new_page(docs):
    both = docs["cy-en"]
    breaks = [i for i, b in enumerate(both.blocks) if isinstance(b, PageBreak)]
    assert len(breaks) == 1 and both.blocks[breaks[0]].lang == "en"
    assert both.blocks[: breaks[0]] == docs["cy"].blocks and both.blocks[breaks[0] + 1 :] == docs["en"].blocks
    page = to_html(both)
    assert page.startswith('<!DOCTYPE html>\n<html lang="cy-GB">')
    assert page.count('<section class="language" lang="en-GB">') == 1


def test_text_from_the_question_is_escaped_in_the_html(tables):
    question = Question(
        SAMPLE_QUESTION, None, {"en": {"question": "<script>alert(1)</script> & more", "subject": "<b>"}}
    )
    doc = papers(["en"], question, tables, MONTH, START, load_config())["en"]
    page = to_html(doc)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "<title>Sample County Council (synthetic data): &lt;b&gt;</title>" in page


def test_one_newly_qualified_worker_is_said_in_the_singular():
    nqsw = pd.DataFrame(
        {
            "as_at": ["2019-12-31"] * 3,
            "band": ["non_case_holding", "months_0_6", "months_6_12"],
            "staff": [1, 1, 0],
            "mean_caseload": [0.0, 3.0, float("nan")],
        }
    )
    blocks = nqsw_part(language("en"), nqsw, pd.DataFrame(columns=["band", "status_ends_first"]), load_config())
    assert blocks[0] == Paragraph("Of the 2 newly qualified social workers (NQSW) in the service on 31 December 2019:")
    assert blocks[1].items == (
        "1 holds no cases.",
        "1 is in the first 6 months after qualifying, with an average caseload of 3.",
    )
    assert blocks[2].rows[2] == ("6 to 12 months after qualifying", "0", "–")


def test_headings_are_in_the_committee_papers_order(docs):
    headings = [(b.level, b.text) for b in docs["en"].blocks if isinstance(b, Heading)]
    assert headings[0] == (1, "Sample County Council (synthetic data)")
    assert [h for _, h in headings[1:3]] == ["Question", "Response"]
    assert headings[3][1].startswith("Evidence of the numbers of qualified, newly qualified and agency")
    assert headings[4][1].startswith("What is the current average caseload for each worker")


@pytest.mark.parametrize(
    ("variation", "assurance", "english", "welsh"),
    [
        (
            "improvement_high",
            "pass",
            "special cause improvement, as December 2019 is higher than the variation since "
            "September 2019 would explain. The 90% target will be met consistently if nothing changes.",
            "gwelliant achos arbennig, gan fod Rhagfyr 2019 yn uwch",
        ),
        (
            "concern_low",
            "fail",
            "special cause concern, as December 2019 is lower than the variation since "
            "September 2019 would explain. The 90% target will not be met unless something changes.",
            "pryder achos arbennig, gan fod Rhagfyr 2019 yn is",
        ),
        ("neutral_high", "", "special cause variation, as December 2019 is higher", "amrywiad achos arbennig"),
    ],
)
def test_each_verdict_is_said_in_both_languages(variation, assurance, english, welsh):
    from analysis.answer.verdicts import spc_paragraph

    summary = pd.DataFrame(
        {
            "measure": ["compliance_all"],
            "month": ["2019-12"],
            "value": [0.95],
            "target": [0.9],
            "variation": [variation],
            "assurance": [assurance],
        }
    )
    spc = pd.DataFrame({"measure": ["compliance_all"] * 4, "month": ["2019-09", "2019-10", "2019-11", "2019-12"]})
    config = load_config()
    assert english in spc_paragraph(language("en"), summary, spc, config, "compliance_all").text
    assert welsh in spc_paragraph(language("cy"), summary, spc, config, "compliance_all").text
    rebased = config.with_changes(spc_rebase_months=["2019-11"])
    assert "since November 2019" in spc_paragraph(language("en"), summary, spc, rebased, "compliance_all").text
    too_few = summary.assign(variation=[None])
    assert spc_paragraph(language("en"), too_few, spc, config, "mean_caseload").text == (
        "Is it improving? For the average caseload, there are too few months to say."
    )
