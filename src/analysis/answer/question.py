"""The councillor's question and the paper's heading facts, from the file the analyst writes.

A TOML file (``config/question-sample.toml`` ships) holds the meeting date and, for each
language, the meeting, the report author, the subject and the question; a plain text file holds
the question alone, in English. Every mistake is refused with the file and the key.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from analysis.config_file import _suggest
from analysis.vocabulary.language import NAMES

TEXT_KEYS = ("authority", "meeting", "author", "subject", "question")
REQUIRED = ("question",)


class QuestionError(Exception):
    """A question file that cannot be used: missing, unreadable, or without a key the answer needs."""


@dataclass(frozen=True)
class Question:
    """The heading facts and the question, in each language the file gives."""

    path: Path
    meeting_date: dt.date | None
    texts: dict[str, dict[str, str]]  # language -> key -> text

    def text(self, lang: str, key: str) -> str:
        return self.texts.get(lang, {}).get(key, "")


def read_question(path: Path, languages: list[str]) -> Question:
    """The question file at ``path``, checked to hold every language in ``languages``.

    Raises
    ------
    QuestionError
        If the file is missing or unreadable, is not valid TOML, has an unknown key or a value of
        the wrong type, or lacks the question in a language asked for.
    """
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else (exc.strerror or str(exc))
        raise QuestionError(f"question file {path}: cannot read it ({reason})") from None
    if path.suffix.lower() == ".toml" or looks_like_toml(raw):
        question = _from_toml(path, raw)  # by its content, whatever its name (question.toml.txt)
    else:
        question = Question(path, None, {"en": {"question": raw.strip()}})
    for lang in languages:
        for key in REQUIRED:
            if not question.text(lang, key):
                raise QuestionError(
                    f"question file {path}: [{lang}] {key} is missing; the {NAMES[lang]} answer needs the "
                    f"{key} in {NAMES[lang]}" + (" (a text file holds English only; use TOML)" if lang != "en" else "")
                )
    return question


_TOML_LINE = re.compile(r"^\s*(\[[^\]]+\]|[A-Za-z_][\w-]*\s*=)", re.MULTILINE)


def looks_like_toml(raw: str) -> bool:
    """Whether a question file's text is TOML (a ``[section]`` or ``key =`` line), not a plain question."""
    return bool(_TOML_LINE.search(raw))


def _from_toml(path: Path, raw: str) -> Question:
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise QuestionError(f"question file {path}: not valid TOML ({exc})") from None
    allowed = {"meeting_date", *NAMES}
    for key in data:
        if key not in allowed:
            raise QuestionError(f"question file {path}: unknown key {key!r}{_suggest(key, allowed)}")
    date = data.get("meeting_date")
    if date is not None and (not isinstance(date, dt.date) or isinstance(date, dt.datetime)):
        raise QuestionError(f"question file {path}: meeting_date = {date!r}; expected a date, e.g. 2020-01-23")
    texts: dict[str, dict[str, str]] = {}
    for lang in NAMES:
        section = data.get(lang, {})
        if not isinstance(section, dict):
            raise QuestionError(f"question file {path}: {lang} must be a table [{lang}]")
        for key, value in section.items():
            if key not in TEXT_KEYS:
                raise QuestionError(f"question file {path}: unknown key [{lang}] {key}{_suggest(key, TEXT_KEYS)}")
            if not isinstance(value, str):
                raise QuestionError(f"question file {path}: [{lang}] {key} = {value!r}; expected text in quotes")
        texts[lang] = {k: v.strip() for k, v in section.items()}
    return Question(path, date, texts)
