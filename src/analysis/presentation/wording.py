"""Words for the settings: every threshold, band, date or list a sentence states, read from them.

No sentence in a report states a number that a setting controls except through these, so a
council that sets ``grace_days = 3`` reads "within 3 days" everywhere.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.config import Settings

NUMBER_WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)
SEASONS = {
    12: "Winter",
    1: "Winter",
    2: "Winter",
    3: "Spring",
    4: "Spring",
    5: "Spring",
    6: "Summer",
    7: "Summer",
    8: "Summer",
    9: "Autumn",
    10: "Autumn",
    11: "Autumn",
}
ROLE_PLURALS = {
    "social_worker": "social workers",
    "senior_social_worker": "senior social workers",
    "principal_social_worker": "principal social workers",
    "team_manager": "team managers",
}
SUPERVISION_WORDS = {
    "formal": "formal 1:1 case supervision",
    "group": "group supervision",
    "peer": "peer supervision",
    "informal": "informal supervision",
}


def number(n: int) -> str:
    """``6`` -> ``six`` (up to twelve, as a report writes them); larger numbers as digits."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else f"{n:,}"


def listed(items: list[str], final: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {final} " + items[-1]


def working_days(n: int) -> str:
    """``10 working days (two weeks)``; ``5 working days (one week)``; ``7 working days``."""
    weeks = f" ({number(n // 5)} week{'s' if n // 5 != 1 else ''})" if n % 5 == 0 else ""
    return f"{n} working day{'s' if n != 1 else ''}{weeks}"


def not_due_rule(config: Settings) -> str:
    """What makes a person not due: ``unavailable for 10 working days (two weeks) or more``."""
    return f"unavailable for {working_days(config.absence_threshold_days)} or more"


def grace(config: Settings) -> str:
    """The near-miss window: ``within 7 days``."""
    return f"within {config.grace_days} day{'s' if config.grace_days != 1 else ''}"


def counted_supervision(config: Settings) -> str:
    """The supervision types that count: ``formal 1:1 case supervision``."""
    return listed([SUPERVISION_WORDS[t] for t in config.counting_supervision_types], "or")


def uncounted_supervision(config: Settings) -> str:
    """The supervision types that do not count: ``group, peer and informal supervision``."""
    others = [t for t in SUPERVISION_WORDS if t not in config.counting_supervision_types]
    return (
        listed([SUPERVISION_WORDS[t].removesuffix(" supervision") for t in others]) + " supervision" if others else ""
    )


def role(names: list[str]) -> str:
    """One of several roles, singular: ``team manager``; ``team manager or principal social worker``."""
    return listed([ROLE_PLURALS[r].removesuffix("s") for r in names], "or")


def band_words(config: Settings) -> dict[str, str]:
    """The NQSW bands in words: ``first six months`` and ``six to twelve months``."""
    band, months = config.nqsw_band_months, config.nqsw_months
    return {
        "months_0_6": f"first {number(band)} month{'s' if band != 1 else ''}",
        "months_6_12": f"{number(band)} to {number(months)} months",
    }


def band_labels(config: Settings) -> dict[str, str]:
    """The NQSW bands as table labels."""
    words = band_words(config)
    return {
        "non_case_holding": "Holding no cases",
        "months_0_6": f"{words['months_0_6'].capitalize()} since qualifying",
        "months_6_12": f"{words['months_6_12'].capitalize()} since qualifying",
    }


def season(value: Any) -> str:
    """The season of a snapshot date: 30 September is ``Autumn``, as the census is called."""
    return SEASONS[pd.Timestamp(value).month]


def snapshot_label(value: Any) -> str:
    """A caseload snapshot as the council names it: ``Autumn 2019``."""
    stamp = pd.Timestamp(value)
    return f"{season(stamp)} {stamp.year}"
