"""One language: its messages (gettext, from the ``.po`` catalogues) and its number and date forms.

The catalogues in ``locale/LANG/LC_MESSAGES/analysis.po`` hold every sentence, heading and label;
a translator corrects the Welsh there without touching code. They are compiled in memory when
first used (Babel reads the ``.po`` and writes the ``.mo`` gettext reads), so there is no build
step and no compiled file to fall out of date. Numbers and dates take the language's own forms
from Babel's locale data (``Rhagfyr 2019``).
"""

from __future__ import annotations

import gettext
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

from analysis.vocabulary.numbers import DASH, _missing, percent_rounded

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "analysis"
# The languages written, with the locale whose number and date forms they use.
LOCALES = {"en": "en_GB", "cy": "cy_GB"}
NAMES = {"en": "English", "cy": "Welsh"}


WELSH_AND = re.compile(r"(?<![\w'])a \{(\w+)\}")
WELSH_VOWELS = set("aeiouwyâêîôûŵŷáéíóúẃýàèìòùẁỳäëïöüẅÿ")


# Numbers said with a vowel first: 8 (wyth, wyth deg ...), 1 and 11 (un, un ar ddeg).
WELSH_VOWEL_NUMBER = re.compile(r"^(8|1(?![\d,])|11(?![\d,]))")


def _welsh_and(name: str, values: dict[str, Any]) -> str:
    """``a {name}``, or ``ac {name}`` where the value is said starting with a vowel."""
    text = str(values.get(name, "")).lstrip()
    vowel = text[:1].lower() in WELSH_VOWELS or bool(WELSH_VOWEL_NUMBER.match(text))
    return ("ac " if vowel else "a ") + "{" + name + "}"


class CatalogueError(Exception):
    """A message catalogue that is missing, unreadable or lacks a translation the answer needs."""


def catalogue_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _translations(lang: str) -> gettext.GNUTranslations:
    path = catalogue_path(lang)
    try:
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=LOCALES[lang], domain=DOMAIN)
    except (OSError, ValueError) as exc:
        raise CatalogueError(f"cannot read the {NAMES[lang]} message catalogue {path}: {exc}") from None
    compiled = io.BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@dataclass(frozen=True)
class Language:
    """Messages and formats of one language: ``_`` translates, the other methods write figures."""

    code: str

    @property
    def locale(self) -> str:
        return LOCALES[self.code]

    def _(self, message: str, **values: Any) -> str:
        """The message in this language with ``{name}`` placeholders filled.

        Raises
        ------
        CatalogueError
            If the catalogue has no translation of ``message`` (gettext would fall back to the
            English silently; a Welsh document with an English sentence is refused instead).
        """
        translated = _translations(self.code).gettext(message)
        if translated == message and self.code != "en" and not _identical_allowed(self.code, message):
            raise CatalogueError(
                f"the {NAMES[self.code]} catalogue {catalogue_path(self.code)} has no translation of {message!r}"
            )
        return self._fill(translated, values) if values else translated

    def n_(self, singular: str, plural: str, n: int, **values: Any) -> str:
        """A message whose words depend on a count ``n`` (``{n}`` is filled with the count)."""
        translated = _translations(self.code).ngettext(singular, plural, int(n))
        return self._fill(translated, {"n": self.count(n), **values})

    def _fill(self, template: str, values: dict[str, Any]) -> str:
        """``template`` with its placeholders filled. In Welsh the conjunction ``a`` before a placeholder
        becomes ``ac`` where the word put there starts with a vowel (``rhwng Medi ac Ebrill``); the
        relative ``a`` (``a gafodd``) never stands before a placeholder, so it is left alone."""
        if self.code == "cy":
            template = WELSH_AND.sub(lambda m: _welsh_and(m.group(1), values), template)
        return template.format(**values)

    # ---------------------------------------------------------------- numbers and dates
    def count(self, value: Any) -> str:
        """A whole number with the language's grouping: ``1,212``; blank -> ``–``."""
        if _missing(value):
            return DASH
        return format_decimal(int(round(float(value))), format="#,##0", locale=self.locale)

    def percent(self, value: Any, places: int = 1) -> str:
        """A fraction as a percentage, rounded half up as the reports round it: 0.8367 -> ``83.7%``."""
        if _missing(value):
            return DASH
        pattern = "#,##0" + ("." + "0" * places if places else "") + "%"
        return format_percent(percent_rounded(value, places) / 100, format=pattern, locale=self.locale)

    def number(self, value: Any) -> str:
        """A decimal as written: ``0.4`` (English as Python writes it; another language in its locale's form)."""
        if self.code == "en":
            return str(value)
        return format_decimal(Decimal(str(value)), locale=self.locale)

    def caseload(self, value: Any) -> str:
        """A mean caseload to two places, trailing zeros dropped, as the council quotes it: 23.8, 8."""
        if _missing(value):
            return DASH
        return format_decimal(Decimal(f"{float(value):.2f}"), format="#,##0.##", locale=self.locale)

    def month(self, value: Any) -> str:
        """``2019-12`` -> ``December 2019`` / ``Rhagfyr 2019``."""
        return format_date(pd.Period(str(value), "M").start_time.date(), "MMMM y", locale=self.locale)

    def month_short(self, value: Any) -> str:
        """``2019-12`` -> ``Dec 2019`` / ``Rhag 2019``."""
        return format_date(pd.Period(str(value), "M").start_time.date(), "MMM y", locale=self.locale)

    def date(self, value: Any) -> str:
        """A date in full: ``30 September 2019`` / ``30 Medi 2019``."""
        if _missing(value):
            return DASH
        return format_date(pd.Timestamp(value).date(), "d MMMM y", locale=self.locale)


def _identical_allowed(lang: str, message: str) -> bool:
    """A translation may equal the English when the catalogue says so (a name, a number pattern)."""
    return message in _translations(lang)._catalog  # type: ignore[attr-defined]  # noqa: SLF001 (gettext keeps the entries here)


def language(code: str) -> Language:
    """The language ``code`` (``en`` or ``cy``).

    Raises
    ------
    ValueError
        If ``code`` is not one this tool writes.
    """
    if code not in LOCALES:
        raise ValueError(f"language {code!r}: expected one of {', '.join(LOCALES)}")
    return Language(code)
