"""Settings checked against the extract: a setting that selects nothing is refused, never a 0%.

Each check names the key, the value and what the extract holds. ``docs/assumptions.md`` lists
which settings are checked here and why the others are not.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.config import Settings
from analysis.config_file import ConfigError
from analysis.inputs.coverage import records_span
from analysis.inputs.dataset import Dataset

SHOWN = 12  # values of the extract named in a message, at most


def _loose(text: str) -> str:
    """A code as a person might type it: case, spaces, underscores and hyphens ignored."""
    return re.sub(r"[\s_\-]+", "", str(text).casefold())


def _listed(values: list[str]) -> str:
    return ", ".join(values[:SHOWN]) + (f" and {len(values) - SHOWN} more" if len(values) > SHOWN else "")


def case_type_problems(data: Dataset, config: Settings) -> list[str]:
    """``complex_case_types`` against the extract's case types (matched trimmed and case-folded).

    Refused: a value that matches no case type but is one written another way ("Child Protection"
    for child_protection), and a list none of whose values matches any case type. A value of the
    default list that this extract does not use is not refused: it selects nothing, rightly.
    """
    distinct = pd.Series(pd.unique(data.allocations["case_type"].dropna()), dtype=object)  # few, of millions
    held = distinct.astype(str).str.strip()
    held = sorted(set(held[held != ""]))
    if not held:
        return []  # the extract has no case types: complex cases cannot be counted, and say so elsewhere
    folded = {h.casefold() for h in held}
    loose = {_loose(h): h for h in held}
    problems = []
    missing = [t for t in config.complex_case_types if t.strip().casefold() not in folded]
    for value in missing:
        if _loose(value) in loose:
            problems.append(
                f"complex_case_types: {value!r} is not a case_type in allocations; the extract holds "
                f"{loose[_loose(value)]!r} (its case types: {_listed(held)})"
            )
    if not problems and len(missing) == len(config.complex_case_types):
        problems.append(
            f"complex_case_types: none of {', '.join(repr(v) for v in missing)} is a case_type in allocations, "
            f"so no case would count as complex: expected some of the extract's case types ({_listed(held)})"
        )
    return problems


def supervision_type_problems(data: Dataset, config: Settings) -> list[str]:
    """``counting_supervision_types`` must select some supervision, or every month reads 0%."""
    types = data.supervisions["supervision_type"].dropna()
    if types.empty or types.isin(config.counting_supervision_types).any():
        return []
    return [
        f"counting_supervision_types: no supervision in the extract is of type "
        f"{', '.join(config.counting_supervision_types)}, so every month would read 0%: expected some of the "
        f"types it holds ({_listed(sorted(set(types)))})"
    ]


def month_problems(data: Dataset, config: Settings, month: pd.Period) -> list[str]:
    """``spc_first_month`` and ``spc_rebase_months`` against the months the extract covers."""
    span = records_span(data)
    if span.first is None or span.last is None:
        return []
    first, last = span.first.to_period("M"), span.last.to_period("M")
    covers = f"the extract covers {first} to {last}"
    problems = []
    if config.spc_first_month is not None:
        start = pd.Period(config.spc_first_month, "M")
        if not first <= start <= last:
            problems.append(f"spc_first_month: {start} is outside the extract's months: expected a month {covers}")
        elif start > month:
            problems.append(
                f"spc_first_month: {start} is after the report month {month}: expected a month up to {month}"
            )
    for text in config.spc_rebase_months:
        rebase = pd.Period(text, "M")
        if not first < rebase <= last:
            problems.append(
                f"spc_rebase_months: {rebase} is outside the extract's months: expected a month after {first} "
                f"up to {last} ({covers})"
            )
    return problems


def require_settings_select(data: Dataset, config: Settings, month: pd.Period) -> None:
    """Refuse settings that select nothing in ``data``, or name months it does not cover.

    Raises
    ------
    analysis.config_file.ConfigError
        Every problem at once, each naming the key, the value and what the extract holds.
    """
    problems = [
        *case_type_problems(data, config),
        *supervision_type_problems(data, config),
        *month_problems(data, config, pd.Period(month, "M")),
    ]
    if problems:
        raise ConfigError(problems)
