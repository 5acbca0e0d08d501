"""What a report page is made from: the month's tables by name and the facts of its title block."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.config import Settings
from analysis.tables import empty_table


@dataclass
class ReportInputs:
    """Everything a report notebook shows for one month: the tables and the title-block facts."""

    month: pd.Period
    window_start: pd.Period
    data_dir: Path
    config_path: Path | None
    config: Settings
    tables: dict[str, pd.DataFrame]
    extract_date: pd.Timestamp | None
    generated_at: datetime
    version: str
    git_commit: str | None
    data: Any = field(default=None, repr=False)
    # Each team's page name, by ``same_facts.team_key``: those given in earlier runs, kept.
    team_pages: dict[str, str] = field(default_factory=dict)

    @property
    def authority(self) -> str:
        return self.config.report.authority

    @property
    def target(self) -> float:
        return self.config.target

    def table(self, name: str) -> pd.DataFrame:
        """A table by name; where these inputs lack it, one without rows, with its spec's columns."""
        return self.tables[name] if name in self.tables else empty_table(name)


class TableSet(dict):
    """The month's tables by name, also as attributes: ``r.tables.supervision_monthly``.

    Each name is the table's CSV name and its producer's name in ``analysis.tables.TABLES``.
    """

    def __getattr__(self, name: str) -> pd.DataFrame:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"no table named {name!r}") from None
