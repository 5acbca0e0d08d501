"""Words for the settings: every threshold, band, date or list a sentence states, read from them, in
the language being written (``analysis.vocabulary``).

No sentence in a report states a number that a setting controls except through these, so a
council that sets ``grace_days = 3`` reads "within 3 days" everywhere.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.config import Settings
from analysis.vocabulary.current import _, current, n_
from analysis.vocabulary.labels import role_plurals, snapshot_label, supervision_words

__all__ = ["snapshot_label"]


def number(n: int) -> str:
    """``6`` -> ``six`` (up to twelve, as a report writes them); larger numbers as digits."""
    words = _(
        "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve",
    ).split("|")
    return words[n] if 0 <= n < len(words) else current().count(n)


def listed(items: list[str], final: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``; ``final="or"``: ``a, b or c``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if final == "or":
        return _("{items} or {last}", items=", ".join(items[:-1]), last=items[-1])
    return _("{items} and {last}", items=", ".join(items[:-1]), last=items[-1])


def working_days(n: int) -> str:
    """``10 working days (two weeks)``; ``5 working days (one week)``; ``7 working days``."""
    days = n_("{n} working day", "{n} working days", n)
    if n % 5:
        return days
    weeks = n_("({n} week)", "({n} weeks)", n // 5).replace(current().count(n // 5), number(n // 5), 1)
    return f"{days} {weeks}"


def not_due_rule(config: Settings) -> str:
    """What makes a person not due: ``unavailable for 10 working days (two weeks) or more``."""
    return _("unavailable for {days} or more", days=working_days(config.absence_threshold_days))


def grace(config: Settings) -> str:
    """The near-miss window: ``within 7 days``."""
    return n_("within {n} day", "within {n} days", config.grace_days)


def counted_supervision(config: Settings) -> str:
    """The supervision types that count: ``formal 1:1 case supervision``."""
    words = supervision_words()
    return listed([words[t] for t in config.counting_supervision_types], "or")


def uncounted_supervision(config: Settings) -> str:
    """The supervision types that do not count: ``group, peer and informal supervision``."""
    kinds = supervision_words(short=True)
    others = [t for t in kinds if t not in config.counting_supervision_types]
    return _("{kinds} supervision", kinds=listed([kinds[t] for t in others])) if others else ""


def role(names: list[str]) -> str:
    """One of several roles, singular: ``team manager``; ``team manager or principal social worker``."""
    from analysis.vocabulary.labels import role_labels

    labels = role_labels()
    return listed([labels[r].lower() for r in names], "or")


def roles_plural(names: list[str]) -> str:
    """Several roles' holders: ``social workers and senior social workers``."""
    labels = role_plurals()
    return listed([labels[r].lower() for r in names])


def band_words(config: Settings) -> dict[str, str]:
    """The NQSW bands in words: ``first six months`` and ``six to twelve months``."""
    band, months = config.nqsw_band_months, config.nqsw_months
    first = n_("first {n} month", "first {n} months", band).replace(current().count(band), number(band), 1)
    return {
        "months_0_6": first,
        "months_6_12": _("{band} to {months} months", band=number(band), months=number(months)),
    }


def band_labels(config: Settings) -> dict[str, str]:
    """The NQSW bands as table labels."""
    words = band_words(config)
    return {
        "non_case_holding": _("Holding no cases"),
        "months_0_6": _("{band} since qualifying", band=_capital(words["months_0_6"])),
        "months_6_12": _("{band} since qualifying", band=_capital(words["months_6_12"])),
    }


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def season(value: Any) -> str:
    """The season of a snapshot date: 30 September is ``Autumn``, as the census is called."""
    month = pd.Timestamp(value).month
    if month in (12, 1, 2):
        return _("Winter")
    if month in (3, 4, 5):
        return _("Spring")
    if month in (6, 7, 8):
        return _("Summer")
    return _("Autumn")
