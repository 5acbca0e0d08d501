"""The Making Data Count verdicts in words, written once for the reports and the committee answer."""

from __future__ import annotations

from analysis.vocabulary.current import current
from analysis.vocabulary.language import Language


def variation_clause(kind: str, month: str, since: str, lang: Language | None = None) -> str:
    """What the method finds in ``month``, ``kind`` a ``spc_summary`` variation, since the phase began:
    "common cause variation, with no evidence of improvement or concern since April 2017"."""
    lang = lang or current()
    _ = lang._
    values = {"month": lang.month(month), "since": lang.month(since)}
    return {
        "common_cause": _("common cause variation, with no evidence of improvement or concern since {since}", **values),
        "improvement_high": _(
            "special cause improvement, as {month} is higher than the variation since {since} would explain", **values
        ),
        "improvement_low": _(
            "special cause improvement, as {month} is lower than the variation since {since} would explain", **values
        ),
        "concern_high": _(
            "special cause concern, as {month} is higher than the variation since {since} would explain", **values
        ),
        "concern_low": _(
            "special cause concern, as {month} is lower than the variation since {since} would explain", **values
        ),
        "neutral_high": _(
            "special cause variation, as {month} is higher than the variation since {since} would explain", **values
        ),
        "neutral_low": _(
            "special cause variation, as {month} is lower than the variation since {since} would explain", **values
        ),
    }[kind]


def assurance_sentence(kind: str, target: str, lang: Language | None = None) -> str:
    """What the limits say of the ``target`` (already written as a percentage), ``kind`` a ``spc_summary``
    assurance: "The 90% target will be hit and missed at random."."""
    _ = (lang or current())._
    return {
        "pass": _("The {target} target will be met consistently if nothing changes.", target=target),
        "fail": _("The {target} target will not be met unless something changes.", target=target),
        "hit_and_miss": _("The {target} target will be hit and missed at random.", target=target),
    }[kind]
