"""Golden tables: every table of a few authorities, pinned exactly (values, columns, types, order).

The sample authority in three report months, and a synthetic authority of another size and
seed, cover every table and most boundaries; a change to any figure, column, type or row order
fails ``test_golden_tables``. After a deliberate change, regenerate and review the diff::

    .venv/bin/python tests/backtests/golden.py --update
"""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.config import load_config
from analysis.inputs.loading import load_valid_dataset
from analysis.paths import PROJECT_ROOT, SAMPLE_DATA
from analysis.tables import compute_tables

GOLDEN = PROJECT_ROOT / "tests" / "data" / "golden" / "tables.json.gz"
# (authority, report month): the sample in its report month, on a snapshot date and before the
# first Autumn; a synthetic authority of 150 people (seed 11) with another team mix; the six
# people of tests/data/good.
PROBES = (
    ("sample", "2019-12"),
    ("sample", "2019-09"),
    ("sample", "2018-06"),
    ("synth_150_11", "2019-12"),
    ("good", "2019-11"),
)


@cache
def authority(name: str):
    config = load_config()
    if name == "sample":
        return load_valid_dataset(SAMPLE_DATA, config)
    if name == "good":
        return load_valid_dataset(PROJECT_ROOT / "tests" / "data" / "good", config)
    from analysis.synth.command import DEFAULT_END, DEFAULT_START, synthesise, write_tables
    from analysis.synth.people import Window

    _, size, seed = name.split("_")
    folder = Path(tempfile.mkdtemp(prefix="golden-"))
    write_tables(synthesise(int(seed), int(size), Window(DEFAULT_START, DEFAULT_END)), folder)
    return load_valid_dataset(folder, config)


def cell(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.9g}"
    return str(value)


def as_text(frame: pd.DataFrame) -> list[str]:
    """A table as lines: its columns with their types, then every row, floats to 9 significant figures."""
    header = ",".join(f"{c}:{frame[c].dtype}" for c in frame.columns)
    rows = frame.astype(object).where(frame.notna(), None).to_numpy().tolist()
    return [header, *(",".join(cell(v) for v in row) for row in rows)]


def probe_tables(probe: str) -> dict[str, list[str]]:
    """Every table of one golden authority (``name@YYYY-MM``), as text, computed now."""
    name, month = probe.split("@")
    tables = compute_tables(authority(name), pd.Period(month, "M"), None, load_config())
    return {table: as_text(frame) for table, frame in tables.items()}


def snapshot() -> dict[str, dict[str, list[str]]]:
    return {f"{name}@{month}": probe_tables(f"{name}@{month}") for name, month in PROBES}


def stored() -> dict[str, dict[str, list[str]]]:
    with gzip.open(GOLDEN, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def update() -> None:
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(GOLDEN, "wb", mtime=0) as handle:
        handle.write(json.dumps(snapshot(), indent=0, sort_keys=True).encode("utf-8"))
    print(f"wrote {GOLDEN.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--update"]:
        update()
    else:
        print(__doc__)
