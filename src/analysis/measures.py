"""Every measure charted over time, declared once: its name, unit, label, target and direction.

The SPC tables, the charts, the explorer and the reports read a measure's kind from here; no code
decides it from the measure's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Unit = Literal["rate", "mean"]
Direction = Literal["increase", "decrease", "neutral"]
# How a measure's monthly values are worked out (``trends.spc_tables.measure_values``).
Series = Literal["compliance", "regular", "caseload"]


@dataclass(frozen=True)
class Measure:
    """One measure: ``unit`` ``rate`` (a fraction, shown as a percentage) or ``mean`` (cases);
    ``target_setting`` names the setting holding its target (None: no target)."""

    name: str
    unit: Unit
    label: str
    target_setting: str | None
    improvement: Direction  # the default of ``[spc_improvement]``
    series: Series
    category: str = "all"  # the staff counted: all, qualified, nqsw or agency
    phrase: str = ""  # the measure inside a sentence: "the average caseload"

    @property
    def is_rate(self) -> bool:
        return self.unit == "rate"

    def target(self, config: Any) -> float | None:
        """The measure's target from the run's settings, or None."""
        return getattr(config, self.target_setting) if self.target_setting else None


def N_(label: str) -> str:
    """Marks a label for the message catalogues (``make messages``); it is translated where shown."""
    return label


MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure(
            "compliance_all",
            "rate",
            N_("Supervision compliance, all staff"),
            "target",
            "increase",
            "compliance",
            phrase=N_("supervision compliance (all staff)"),
        ),
        Measure(
            "compliance_qualified",
            "rate",
            N_("Supervision compliance, qualified"),
            "target",
            "increase",
            "compliance",
            "qualified",
            phrase=N_("supervision compliance (qualified staff)"),
        ),
        Measure(
            "compliance_nqsw",
            "rate",
            N_("Supervision compliance, newly qualified"),
            "target",
            "increase",
            "compliance",
            "nqsw",
            phrase=N_("supervision compliance (newly qualified staff)"),
        ),
        Measure(
            "compliance_agency",
            "rate",
            N_("Supervision compliance, agency"),
            "target",
            "increase",
            "compliance",
            "agency",
            phrase=N_("supervision compliance (agency staff)"),
        ),
        Measure(
            "mean_caseload",
            "mean",
            N_("Average caseload per qualified social worker"),
            None,
            "decrease",
            "caseload",
            phrase=N_("the average caseload"),
        ),
        Measure(
            "regular_supervision",
            "rate",
            N_("Regular supervision, all staff"),
            "target",
            "increase",
            "regular",
            phrase=N_("regular supervision (all staff)"),
        ),
    )
}
