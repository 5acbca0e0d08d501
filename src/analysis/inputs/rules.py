"""Every validation rule, one small function each, registered with its code, severity and message.

In the style of the national children's-data validators: a rule is a function decorated with
``@rule(code, severity, message, ...)``. Three kinds:

- *folder* rules look at which files a data folder holds (missing file, two sources);
- *file* rules turn a file that cannot be read into one clear sentence (empty, not UTF-8,
  malformed CSV, not a workbook, no such sheet, missing or repeated column);
- *record* rules look at the loaded records of one table, and the other tables where they need
  them, and return the positions at fault, all at once (vectorised: no loop over rows).

Errors stop a run (exit status 2); queries are reported and the run goes on with the records
as they stand. *table* rules look at a whole table at once (too many records matching no one).
``run_rules(tables)`` applies every record and table rule and returns the findings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Importing the rule modules registers their rules (``@rule``) in ``RULES``.
from analysis.inputs import rules_files, rules_records, rules_tables  # noqa: F401
from analysis.inputs.findings import Finding
from analysis.inputs.rule_kit import ID_COLUMNS, RULES, Hits, Rule, Table, file_finding, raw_text

__all__ = ["ID_COLUMNS", "RULES", "file_finding", "findings_of", "run_rule", "run_rules"]


# --- running them --------------------------------------------------------------------------------


def findings_of(r: Rule, t: Table, column: str | None, hits: Hits) -> list[Finding]:
    """The findings of rule ``r`` on ``column`` of table ``t`` from its hits."""
    if isinstance(hits, pd.Series) and hits.dtype != bool:
        positions, messages = hits.index.to_numpy(dtype=np.int64), hits.to_numpy()
    else:
        positions = np.flatnonzero(np.asarray(hits, dtype=bool))
        messages = np.full(len(positions), r.message.format(column=column), dtype=object)
    if len(positions) == 0:
        return []
    rows = t.data["row"].to_numpy()[positions]
    values = raw_text(t, column, positions)
    values = np.where(pd.isna(values), np.array(None, dtype=object), values.astype(str))
    return [
        Finding(r.code, r.severity, t.file, row, column, v, m)
        for row, v, m in zip(rows.tolist(), values.tolist(), messages.astype(str).tolist())
    ]


def run_rule(r: Rule, t: Table, tables: dict[str, Table]) -> list[Finding]:
    """Apply record rule ``r`` to table ``t``."""
    assert r.check is not None, f"rule {r.code} has no check"
    hits = r.check(t, tables)
    by_column = hits if isinstance(hits, dict) else {r.column: hits}
    return [f for column, h in by_column.items() for f in findings_of(r, t, column, h)]


def run_rules(tables: dict[str, Table], codes: list[str] | None = None, unmatched_share: float = 0.05) -> list[Finding]:
    """Every record and table rule (or those named in ``codes``) on every loaded table it applies to.

    A rule that reads another table runs only when that table was loaded. ``unmatched_share`` is
    the setting of that name, for ``unmatched_staff_ids``.
    """
    findings: list[Finding] = []
    for r in RULES.values():
        if r.kind not in ("record", "table") or not (codes is None or r.code in codes):
            continue
        if all(n in tables for n in r.needs):
            for name in r.tables:
                if name not in tables:
                    continue
                if r.kind == "table":
                    assert r.check is not None, f"rule {r.code} has no check"
                    found = r.check(tables[name], tables, unmatched_share)
                    findings.extend([found] if found is not None else [])
                else:
                    findings.extend(run_rule(r, tables[name], tables))
    return findings
