"""``python -m analysis validate``: every problem in a data folder at once, then the counts."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

import pandas as pd

from analysis.config import Settings
from analysis.inputs.dataset import Dataset
from analysis.inputs.findings import Finding
from analysis.inputs.loading import load_dataset

# Beyond this many findings of one rule in one file, the rest are counted, not printed.
PRINT_LIMIT = 50


def validate_command(data_dir: str | Path, config: Settings, out: TextIO | None = None) -> int:
    """Print every finding for ``data_dir``, errors first and grouped by file, then a count line.

    Parameters
    ----------
    data_dir
        The data folder.
    config
        From ``analysis.config.load_config``.
    out
        Where to print (default standard output).

    Returns
    -------
    int
        2 if any finding is an error, else 0.
    """
    out = out or sys.stdout
    data = load_dataset(data_dir, config)
    for line in report_lines(data.findings):
        print(line, file=out)
    for line in read_as_lines(data):
        print(line, file=out)
    print(count_line(data.findings, len(data.files)), file=out)
    return 2 if data.errors else 0


def read_as_lines(data: Dataset) -> list[str]:
    """What was read other than as written, and the sheet read from each workbook: ``note:`` lines."""
    sheets = [f"note: {data.files[name].name}: read sheet {sheet!r}" for name, sheet in sorted(data.sheets.items())]
    return sheets + [f"note: {note}" for note in data.notes]


def report_lines(findings: list[Finding], limit: int = PRINT_LIMIT) -> list[str]:
    """One line per finding, errors first, by file and row; past ``limit`` of one rule in one file, a tally."""
    if not findings:
        return []
    ordered = sorted(findings, key=_order)
    frame = pd.DataFrame([(f.severity, f.file, f.code) for f in ordered], columns=["severity", "file", "code"])
    shown = frame.groupby(["severity", "file", "code"], sort=False).cumcount().to_numpy() < limit
    lines = [str(f) for f, keep in zip(ordered, shown) if keep]
    hidden = frame.loc[~shown].groupby(["severity", "file", "code"], sort=False).size()
    lines += [
        f"{severity.upper()} {code} {file}: {count} more not shown" for (severity, file, code), count in hidden.items()
    ]
    return lines


def _order(f: Finding) -> tuple[int, str, int, str]:
    return (0 if f.severity == "error" else 1, f.file, -1 if f.row is None else f.row, f.code)


def count_line(findings: list[Finding], files: int) -> str:
    """E.g. ``2 errors, 3 queries in 4 files``."""
    errors = sum(f.severity == "error" for f in findings)
    queries = len(findings) - errors
    return f"{_plural(errors, 'error')}, {_plural(queries, 'query', 'queries')} in {_plural(files, 'file')}"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"
