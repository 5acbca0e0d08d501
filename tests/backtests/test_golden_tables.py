"""Every table of the golden authorities, exactly as pinned (tests/backtests/golden.py)."""

from __future__ import annotations

import difflib

import pytest

import golden

STORED = golden.stored()


@pytest.mark.parametrize("probe", sorted(STORED))
def test_golden_tables(probe):
    # Computed in the test itself, never cached: a mutation test forks after a clean run.
    now = golden.probe_tables(probe)
    assert sorted(now) == sorted(STORED[probe]), "the set of tables changed"
    for table, lines in STORED[probe].items():
        if now[table] != lines:
            diff = "\n".join(list(difflib.unified_diff(lines, now[table], "pinned", "now", lineterm="", n=1))[:30])
            pytest.fail(f"{probe}: table {table} differs from the pinned one:\n{diff}")


def test_the_golden_set_covers_every_table_with_rows():
    from analysis.tables import TABLES

    # data_quality lists the findings of a valid folder: none in these; tests/unit/inputs covers it.
    for table in set(TABLES) - {"data_quality"}:
        rows = [len(STORED[probe][table]) - 1 for probe in STORED]
        assert max(rows) > 0, f"{table} has no row in any golden authority"
