"""Number, date and label formats: how every figure in the reports is written."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from analysis.vocabulary.current import current
from analysis.vocabulary.numbers import DASH, _missing, percent_rounded

TITLE_KEY = "council_title"
NUM = ' class="num"'


# --------------------------------------------------------------------------- formats
# English is written as it always was (pandas and Python formats); another language takes Babel's
# forms for its locale (``Rhagfyr 2019``, ``30 Medi 2019``) through ``analysis.vocabulary``.
def _english() -> bool:
    return current().code == "en"


def pct(value: Any, dp: int = 1) -> str:
    """A fraction as a percentage to ``dp`` places: 0.8235 -> ``82.4%``; blank -> ``–``."""
    if _missing(value):
        return DASH
    return f"{percent_rounded(value, dp)}%" if _english() else current().percent(value, dp)


def count(value: Any) -> str:
    """A count as a whole number with thousands separators: ``1,204``; blank -> ``–``."""
    if _missing(value):
        return DASH
    return f"{int(round(float(value))):,}" if _english() else current().count(value)


def caseload(value: Any) -> str:
    """A mean caseload as the council quotes it: two places, trailing zeros dropped.

    16.16 -> ``16.16``, 23.80 -> ``23.8``, 8.0 -> ``8``.
    """
    if _missing(value):
        return DASH
    if not _english():
        return current().caseload(value)
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def month_name(month: Any) -> str:
    """``2019-12`` -> ``December 2019``."""
    return pd.Period(month, "M").strftime("%B %Y") if _english() else current().month(month)


def month_short(month: Any) -> str:
    """``2019-12`` -> ``Dec 2019``."""
    if _english():
        return pd.Period(month, "M").strftime("%b %Y")
    return current().month_short(month)


def date_long(value: Any) -> str:
    """A date as ``30 September 2019``."""
    if _missing(value):
        return DASH
    if not _english():
        return current().date(value)
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp.strftime('%B %Y')}"


def plural(n: Any, one: str, many: str | None = None) -> str:
    """``1 worker``, ``3 workers``."""
    n = int(n)
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)
