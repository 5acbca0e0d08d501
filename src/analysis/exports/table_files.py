"""The month's tables as files: CSV (one per table) and one workbook, written all or nothing.

CSV format (README, "What comes out"): UTF-8, comma-separated, a header row; months ``YYYY-MM``, dates
``YYYY-MM-DD``, rates as fractions, blank where undefined. A failed run writes nothing partial:
every file is written into a temporary folder first and moved into place at the end.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.columns import COLUMNS
from analysis.config import Settings
from analysis.exports import output_folder
from analysis.tables import compute_tables


def tidy_for_file(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as ``YYYY-MM-DD`` and months as ``YYYY-MM`` strings, counts (``analysis.columns``) as whole
    numbers even beside blanks."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if isinstance(values.dtype, pd.PeriodDtype):
            out[column] = values.astype(str).where(values.notna(), None)
        elif pd.api.types.is_datetime64_any_dtype(values):
            out[column] = values.dt.strftime("%Y-%m-%d").where(values.notna(), None)
        elif column in COLUMNS and COLUMNS[column].unit == "count" and pd.api.types.is_float_dtype(values):
            out[column] = values.round().astype("Int64")
    return out


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    tidy = tidy_for_file(frame)
    for column in tidy.columns:
        places = COLUMNS[column].decimals if column in COLUMNS else None
        if places is not None and pd.api.types.is_numeric_dtype(tidy[column]):
            values = tidy[column].astype("float64").to_numpy()
            tidy[column] = np.where(np.isnan(values), "", np.char.mod(f"%.{places}f", values))
    tidy.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Write each table as ``out_dir/NAME.csv``, all or nothing.

    The files are written into a temporary folder beside ``out_dir`` and moved into place only
    when every one of them has been written.

    Returns
    -------
    list of Path
        The files written, in name order.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = output_folder.staging_folder(out_dir.parent, out_dir.name)
    try:
        for name, frame in tables.items():
            _write_csv(frame, staging / f"{name}.csv")
        out_dir.mkdir(exist_ok=True)
        written = []
        for item in sorted(staging.iterdir()):
            os.replace(item, out_dir / item.name)
            written.append(out_dir / item.name)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def command_tables(
    data_dir: Path, month: pd.Period, window_start: pd.Period | None, config: Settings
) -> dict[str, pd.DataFrame] | None:
    """The month's tables for a command: the data folder loaded and checked, coverage warnings printed.

    Returns None, having said why, when the window cannot be computed (it starts after the month).

    Raises
    ------
    analysis.inputs.findings.InputError
        If the data folder has any error.
    analysis.inputs.coverage.CoverageError
        If the extract does not cover the month.
    """
    from analysis.head_start import HeadStart
    from analysis.inputs.coverage import coverage_warnings
    from analysis.inputs.loading import load_valid_dataset
    from analysis.inputs.validation import read_as_lines

    head_start = HeadStart(month, window_start, config)  # person-months, while the allocations are read
    data = load_valid_dataset(Path(data_dir), config, meanwhile=head_start)
    try:
        tables = compute_tables(data, month, window_start, config, head_start.offers(data))
    except ValueError as exc:
        print(f"error: {exc}; nothing was written.", file=sys.stderr)
        return None
    for line in read_as_lines(data):
        print(line, file=sys.stderr)
    for warning in coverage_warnings(tables["coverage"]):
        print(f"warning: {warning}", file=sys.stderr)
    return tables


def tables_command(
    data_dir: Path, month: pd.Period, window_start: pd.Period | None, config: Settings, out_dir: Path
) -> int:
    """``python -m analysis tables``: compute the month's tables and write the CSVs into ``out_dir``.

    Raises
    ------
    analysis.inputs.findings.InputError
        If the data folder has any error (nothing is written).
    """
    output_folder.check(out_dir)
    tables = command_tables(data_dir, month, window_start, config)
    if tables is None:
        return 2
    try:
        output_folder.prepare(Path(out_dir).absolute().parent)
        written = write_tables(tables, Path(out_dir))
    except OSError as exc:
        raise output_folder.OutputError(output_folder.describe(Path(out_dir), exc)) from None
    print(f"Wrote {len(written)} tables for {month} to {out_dir}", file=sys.stderr)
    return 0
