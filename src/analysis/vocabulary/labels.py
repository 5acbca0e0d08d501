"""The words for the codes the tables hold (categories, roles, reasons, employment, supervision
types), declared once for the reports, the team pages, the workbook and the answer."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.measures import MEASURES
from analysis.vocabulary.current import current
from analysis.vocabulary.language import Language


def category_labels(lang: Language | None = None) -> dict[str, str]:
    _ = (lang or current())._
    return {
        "all": _("All"),
        "qualified": _("Qualified"),
        "nqsw": _("Newly qualified (NQSW)"),
        "agency": _("Agency"),
    }


def category_short(lang: Language | None = None) -> dict[str, str]:
    _ = (lang or current())._
    return {"all": _("All"), "qualified": _("Qualified"), "nqsw": _("NQSW"), "agency": _("Agency")}


def role_labels(lang: Language | None = None) -> dict[str, str]:
    """A role as a table's row or cell: ``Social worker``."""
    _ = (lang or current())._
    return {
        "social_worker": _("Social worker"),
        "senior_social_worker": _("Senior social worker"),
        "principal_social_worker": _("Principal social worker"),
        "team_manager": _("Team manager"),
        "headline": _("Qualified social workers (headline)"),
    }


def role_plurals(lang: Language | None = None) -> dict[str, str]:
    """A role's holders: ``Social workers``."""
    _ = (lang or current())._
    return {
        "social_worker": _("Social workers"),
        "senior_social_worker": _("Senior social workers"),
        "principal_social_worker": _("Principal social workers"),
        "team_manager": _("Team managers"),
    }


def reason_labels(lang: Language | None = None) -> dict[str, str]:
    _ = (lang or current())._
    return {
        "not_in_post": _("Not in post (started or left in the month)"),
        "maternity": _("Maternity, adoption or parental leave"),
        "sickness": _("Sickness"),
        "annual_leave": _("Annual leave"),
        "other": _("Other leave"),
    }


def employment_labels(lang: Language | None = None) -> dict[str, str]:
    _ = (lang or current())._
    return {"permanent": _("Permanent"), "agency": _("Agency")}


def supervision_words(lang: Language | None = None, short: bool = False) -> dict[str, str]:
    """A supervision type in a sentence: ``formal 1:1 case supervision``; ``short``: ``group`` (for
    ``group, peer and informal supervision``)."""
    _ = (lang or current())._
    if short:
        return {"formal": _("formal 1:1 case"), "group": _("group"), "peer": _("peer"), "informal": _("informal")}
    return {
        "formal": _("formal 1:1 case supervision"),
        "group": _("group supervision"),
        "peer": _("peer supervision"),
        "informal": _("informal supervision"),
    }


def snapshot_label(value: Any, lang: Language | None = None) -> str:
    """A caseload snapshot as the council names it, by its season: ``Autumn 2019`` (30 September)."""
    _ = (lang or current())._
    stamp = pd.Timestamp(value)
    if stamp.month in (12, 1, 2):
        return _("Winter {year}", year=stamp.year)
    if stamp.month in (3, 4, 5):
        return _("Spring {year}", year=stamp.year)
    if stamp.month in (6, 7, 8):
        return _("Summer {year}", year=stamp.year)
    return _("Autumn {year}", year=stamp.year)


def measure_label(name: str, lang: Language | None = None) -> str:
    """A measure's label (declared in ``analysis.measures``) in the language: ``Supervision compliance, all staff``."""
    return (lang or current())._(MEASURES[name].label)


def measure_phrase(name: str, lang: Language | None = None) -> str:
    """A measure inside a sentence (declared in ``analysis.measures``): ``the average caseload``."""
    return (lang or current())._(MEASURES[name].phrase)
