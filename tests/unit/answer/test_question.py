"""The question file: the sample reads; each mistake is refused with the file and the key."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.answer.command import SAMPLE_QUESTION
from analysis.answer.question import QuestionError, read_question


def _write(tmp_path, text, name="question.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_sample_question_has_both_languages():
    question = read_question(SAMPLE_QUESTION, ["en", "cy"])
    assert question.meeting_date == dt.date(2020, 1, 23)
    assert question.text("en", "question").startswith("In a recent Improvement and Assurance Board Bulletin")
    assert question.text("cy", "question").startswith("Mewn Bwletin diweddar")
    assert question.text("cy", "meeting") == "Cyngor Sir"


def test_a_language_without_its_question_is_refused(tmp_path):
    path = _write(tmp_path, '[en]\nquestion = "How many?"\n')
    assert read_question(path, ["en"]).text("en", "question") == "How many?"
    with pytest.raises(QuestionError, match=r"question.toml: \[cy\] question is missing; the Welsh answer needs"):
        read_question(path, ["en", "cy"])


def test_a_misspelt_key_is_refused_with_a_suggestion(tmp_path):
    path = _write(tmp_path, '[en]\nquestoin = "How many?"\n')
    with pytest.raises(QuestionError, match=r"unknown key \[en\] questoin \(did you mean 'question'\?\)"):
        read_question(path, ["en"])
    path = _write(tmp_path, 'meeting_dte = 2020-01-23\n[en]\nquestion = "q"\n')
    with pytest.raises(QuestionError, match=r"unknown key 'meeting_dte' \(did you mean 'meeting_date'\?\)"):
        read_question(path, ["en"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('meeting_date = "23/01/2020"\n[en]\nquestion = "q"\n', r"meeting_date = '23/01/2020'; expected a date"),
        ("meeting_date = 2020-01-23T10:00:00\n[en]\nquestion = 'q'\n", r"expected a date, e.g. 2020-01-23"),
        ("[en]\nquestion = 3\n", r"\[en\] question = 3; expected text in quotes"),
        ('en = "q"\n', r"en must be a table \[en\]"),
        ("[en\nquestion = 'q'\n", r"not valid TOML"),
    ],
)
def test_wrong_values_are_refused(tmp_path, text, message):
    with pytest.raises(QuestionError, match=message):
        read_question(_write(tmp_path, text), ["en"])


def test_a_plain_text_question_is_english_only(tmp_path):
    path = _write(tmp_path, "How many social workers were supervised?\n", "question.txt")
    assert read_question(path, ["en"]).text("en", "question") == "How many social workers were supervised?"
    with pytest.raises(QuestionError, match=r"a text file holds English only; use TOML"):
        read_question(path, ["cy"])


def test_a_missing_or_unreadable_file_is_refused(tmp_path):
    with pytest.raises(QuestionError, match=r"nothing.toml: cannot read it \(No such file or directory\)"):
        read_question(tmp_path / "nothing.toml", ["en"])
    path = tmp_path / "latin1.toml"
    path.write_bytes('[en]\nquestion = "caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(QuestionError, match=r"cannot read it \(not UTF-8 text\)"):
        read_question(path, ["en"])


def test_a_toml_question_saved_as_text_is_read_as_toml(tmp_path):
    text = 'meeting_date = 2020-01-23\n[en]\nquestion = "How many?"\nmeeting = "County Council"\n'
    question = read_question(_write(tmp_path, text, "question.toml.txt"), ["en"])
    assert question.text("en", "question") == "How many?"


def test_broken_toml_saved_as_text_is_refused_not_printed(tmp_path):
    with pytest.raises(QuestionError, match="not valid TOML"):
        read_question(_write(tmp_path, '[en]\nquestion = "How many?\n', "question.txt"), ["en"])
