"""Every message the answer's code asks for has an English and a Welsh entry, with the same placeholders."""

from __future__ import annotations

import re

import pytest

from analysis.vocabulary.messages import code_messages, read_catalogue

PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Welsh entries that may read as the English: patterns of names and figures, the word "Staff", an acronym.
SAME_IN_WELSH = {
    "Staff, {season}",
    "NQSW",
    "{report}: {month} ({authority})",
    "Staff",
    "{group}, {season}",
    "{month}: {value}, {kind}.",
}


def _ids(message):
    return [message.id] if isinstance(message.id, str) else list(message.id)


def _strings(message):
    return [message.string] if isinstance(message.string, str) else list(message.string)


CODE = code_messages()


def test_the_code_asks_for_the_answers_messages():
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in CODE if m.id}
    assert len(ids) > 80
    assert "Compliance" in ids and "{n} holds no cases." in ids


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_every_message_has_a_translation_with_the_same_placeholders(lang):
    catalogue = read_catalogue(lang)
    problems = []
    for message in CODE:
        if not message.id:
            continue
        entry = catalogue.get(message.id)
        if entry is None or not all(_strings(entry)) or entry.fuzzy:
            problems.append(f"missing or fuzzy: {_ids(message)[0]!r}")
            continue
        wanted = set(PLACEHOLDER.findall(" ".join(_ids(message))))
        for string in _strings(entry):
            if set(PLACEHOLDER.findall(string)) != wanted:
                problems.append(f"placeholders differ: {_ids(message)[0]!r} -> {string!r}")
    assert problems == []


def test_welsh_entries_are_welsh():
    catalogue = read_catalogue("cy")
    same = {m.id for m in catalogue if m.id and isinstance(m.id, str) and m.string == m.id}
    assert same == SAME_IN_WELSH


def test_the_catalogues_hold_no_message_the_code_no_longer_asks_for():
    ids = {m.id if isinstance(m.id, str) else tuple(m.id) for m in CODE if m.id}
    for lang in ("en", "cy"):
        held = {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_catalogue(lang) if m.id}
        assert held == ids, lang
