"""The words for the codes the tables hold (categories, roles, reasons, employment, supervision
types), declared once for the reports, the team pages, the workbook and the answer."""

from __future__ import annotations

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
