"""Reading a data folder's four tables into the typed frames of ``analysis.inputs.dataset``.

Each table comes from ``NAME.csv`` (UTF-8, a byte-order mark tolerated) or ``NAME.xlsx``;
allocations may come from the Standard Safeguarding Dataset's ``ssd_involvements`` instead.
Everything is read as text first, then headers go through ``config.columns[table]``, codes
through ``config.values[column]``, and dates, codes and ``fte`` are parsed once per distinct
value (a national extract has millions of rows but few distinct values): on the national-sized
set, loading and checking cost about as much again as reading the CSVs. What is wrong is found
by ``analysis.inputs.rules``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.config import Settings
from analysis.core.arrays import occurs_again, repeats_of_earlier
from analysis.inputs import rules, rules_files
from analysis.inputs.dataset import ALLOWED_VALUES, COLUMNS, DATE_COLUMNS, REQUIRED, TABLES, Dataset, empty_table
from analysis.inputs.findings import Finding, InputError
from analysis.inputs.parsing import (
    _cell_text,
    _header,
    _map_codes,
    _strip_cells,
    code_map,
    excel_integer_ids,
    parse_dates,
    parse_fte,
)
from analysis.inputs.rules import Table, spread

SUFFIXES = (".csv", ".xlsx")
# Columns with nearly a distinct value a row: trimmed row by row rather than once per distinct
# value, and compared for duplicates only where a record's other columns already repeat.
MANY_VALUED = {"case_id"}
FIRST_DATA_ROW = 2  # the header is spreadsheet row 1


def load_dataset(data_dir: str | Path, config: Settings) -> Dataset:
    """Read and check the four tables of ``data_dir``; never raises on bad data.

    Parameters
    ----------
    data_dir
        Folder holding ``staff``, ``absences``, ``supervisions`` and ``allocations`` (or
        ``ssd_involvements``) as ``.csv`` or ``.xlsx``.
    config
        From ``analysis.config.load_config``: its ``columns`` and ``values`` maps are used.

    Returns
    -------
    Dataset
        The typed tables (an empty table where a file could not be read), the files read, and
        every finding. Exact duplicate records have been dropped.
    """
    data_dir = Path(data_dir)
    findings: list[Finding] = []
    tables: dict[str, Table] = {}
    files: dict[str, Path] = {}
    for name in TABLES:
        path, problems = locate(data_dir, name)
        findings.extend(problems)
        if path is None:
            continue
        files[name] = path
        table, problems = read_table(path, name, config)
        findings.extend(problems)
        if table is not None:
            findings.extend(_drop_duplicates(table))
            tables[name] = table
    codes = [code for code, r in rules.RULES.items() if r.kind in ("record", "table") and code != "duplicate_row"]
    findings.extend(rules.run_rules(tables, codes, config.unmatched_share))
    frames = {name: tables[name].data if name in tables else empty_table(name) for name in TABLES}
    return Dataset(**frames, files=files, findings=findings)


def load_valid_dataset(data_dir: str | Path, config: Settings) -> Dataset:
    """Read the four tables of ``data_dir``, refusing any with an error.

    Raises
    ------
    InputError
        If any finding is an error; ``exc.findings`` holds every finding.
    """
    data = load_dataset(data_dir, config)
    if data.errors:
        raise InputError(data.findings)
    return data


# --- finding and reading files ---------------------------------------------------------------


def locate(data_dir: Path, name: str) -> tuple[Path | None, list[Finding]]:
    """The one file holding table ``name``, or None with the folder rule's finding.

    File names match case-insensitively (``Staff.CSV`` is ``staff.csv``); Excel's lock files
    (``~$staff.xlsx``) are ignored.
    """
    stems = ("allocations", "ssd_involvements") if name == "allocations" else (name,)
    wanted = {f"{stem}{suffix}" for stem in stems for suffix in SUFFIXES}
    files = sorted(p for p in data_dir.iterdir() if p.is_file()) if data_dir.is_dir() else []
    # Every file whose name means this table, ignoring case: Staff.CSV beside staff.csv is two.
    found = [p for p in files if p.name.lower() in wanted]
    for check in (rules_files.missing_file, rules_files.two_sources):
        problem = check(found, name)
        if problem is not None:
            return None, [problem]
    return found[0], []


def read_table(path: Path, name: str, config: Settings) -> tuple[Table | None, list[Finding]]:
    """Read one file into a checked-ready ``Table``, or None with the one reason it cannot be read."""
    try:
        text = read_xlsx(path, name) if path.suffix.lower() == ".xlsx" else read_csv(path)
    except Exception as exc:  # noqa: BLE001 - whatever is wrong with a file, say it in one sentence
        return None, [rules_files.read_failure(path, name, exc)]
    header_at = header_position(text, lambda headers: bool(map_headers(headers, name, path.stem, config)[0]))
    if header_at is None:
        return None, [rules.file_finding("empty_file", path.name)]
    headers = [_header(h) for h in text.iloc[header_at].tolist()]
    body = text.iloc[header_at + 1 :]
    canonical, mapped = map_headers(headers, name, path.stem, config)
    problems = rules_files.repeated_columns(path.name, mapped)
    problems += rules_files.missing_columns(path.name, name, list(mapped), REQUIRED[name], [h for h in headers if h])
    if problems:
        return None, problems
    raw = pd.DataFrame(
        {column: body.iloc[:, canonical[column]].to_numpy() if column in canonical else "" for column in COLUMNS[name]},
        index=pd.RangeIndex(len(body)),
        dtype=object,
        copy=False,
    )
    first = header_at + FIRST_DATA_ROW
    row = np.arange(first, first + len(raw))
    table = parse(raw, row, name, path.name, config)
    table.missing = {c for c in COLUMNS[name] if c not in canonical}
    return table, []


def header_position(text: pd.DataFrame, known: Callable[[list[str]], bool], look: int = 50) -> int | None:
    """The header row: the first of the first ``look`` rows naming a known column, else the
    first with anything in it (title or blank rows may stand above the header in a workbook).
    None for an empty file."""
    head = text.iloc[:look].fillna("").astype(str)
    stripped = pd.DataFrame({c: head[c].str.strip() for c in head.columns})
    filled = np.flatnonzero((stripped != "").any(axis=1).to_numpy())
    naming = [i for i in filled.tolist() if known([_header(h) for h in head.iloc[i].tolist()])]
    return naming[0] if naming else int(filled[0]) if len(filled) else None


def read_csv(path: Path) -> pd.DataFrame:
    """Every cell of a CSV file as text, header row included (a short row is padded with blanks).

    Raises
    ------
    pandas.errors.EmptyDataError, pandas.errors.ParserError, UnicodeDecodeError
        If the file is empty, malformed, or not UTF-8.
    """
    frame = pd.read_csv(
        path,
        header=None,
        dtype=object,
        keep_default_na=False,
        na_filter=False,
        encoding="utf-8",
        encoding_errors="strict",
        skip_blank_lines=False,
    )
    return frame


def read_xlsx(path: Path, name: str) -> pd.DataFrame:
    """Every cell of the table's sheet as text, header row included; date cells as YYYY-MM-DD.

    The sheet is the one named like the table (or ``allocations`` for an SSD file), or the only one.

    Raises
    ------
    rules_files.SheetNotFound
        If the workbook has several sheets and none has the table's name.
    """
    with pd.ExcelFile(path, engine="openpyxl") as book:
        sheets = [str(s) for s in book.sheet_names]
        wanted = {name, path.stem.lower()}
        named = [s for s in sheets if s.strip().lower() in wanted]
        if not named and len(sheets) != 1:
            raise rules_files.SheetNotFound(sheets)
        frame = pd.read_excel(book, sheet_name=named[0] if named else sheets[0], header=None, dtype=object)
    frame = frame.dropna(axis=1, how="all")
    return pd.DataFrame({c: frame[c].map(_cell_text) for c in frame.columns})


def map_headers(
    headers: list[str], name: str, stem: str, config: Settings
) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Canonical column -> its position, and canonical column -> the headers that mean it.

    A canonical name is taken as it is; any other header goes through ``[columns.NAME]`` (and
    ``[columns.ssd_involvements]`` for an SSD file). Unknown headers are ignored.
    """
    column_map = dict(config.columns.get(name, {}))
    if stem.lower() != name:
        column_map.update(config.columns.get(stem.lower(), {}))
    canonical: dict[str, int] = {}
    mapped: dict[str, list[str]] = {}
    for position, header in enumerate(headers):
        target = header if header in COLUMNS[name] else column_map.get(header)
        if target in COLUMNS[name]:
            mapped.setdefault(target, []).append(header)
            canonical.setdefault(target, position)
    return canonical, mapped


# --- parsing ----------------------------------------------------------------------------------


def parse(raw: pd.DataFrame, row: np.ndarray, name: str, file: str, config: Settings) -> Table:
    """Typed canonical frame of table ``name`` from its text; nothing is dropped or raised."""
    columns: dict[str, Any] = {}
    table = Table(name, file, raw, pd.DataFrame(index=raw.index), blank={})
    keys: list[np.ndarray] = []
    many: list[np.ndarray] = []
    for column in COLUMNS[name]:
        cells = raw[column].to_numpy(dtype=object)
        if column in MANY_VALUED:
            text = excel_integer_ids(_strip_cells(cells))
            blank = pd.isna(text) | (text == "")
            table.blank[column] = blank
            columns[column] = pd.Series(np.where(blank, None, text), index=raw.index, dtype="str")
            many.append(text)
            continue
        codes, distinct = pd.factorize(cells, use_na_sentinel=True)
        stripped = pd.Index(distinct, dtype=object).str.strip()
        if column in rules.ID_COLUMNS:
            stripped = excel_integer_ids(stripped)
        changed = bool((stripped != distinct).any())
        # A cell pandas leaves missing (code -1) counts as blank.
        table.blank[column] = spread(codes, stripped == "", True)
        table.distinct[column] = (codes, stripped)
        keys.append(spread(codes, pd.factorize(stripped)[0], -1) if changed else codes)
        columns[column] = typed_column(name, column, cells, codes, stripped, changed, config)
    columns["row"] = row
    # One frame from the finished columns, without copying them again.
    table.data = pd.DataFrame(columns, index=raw.index, copy=False)
    table.record_key = record_key(keys, many)
    empty_rows = np.logical_and.reduce(list(table.blank.values()))
    return keep_rows(table, ~empty_rows) if empty_rows.any() else table


def typed_column(
    name: str, column: str, cells: np.ndarray, codes: np.ndarray, stripped: pd.Index, changed: bool, config: Settings
) -> pd.Series | np.ndarray:
    """One canonical column, each distinct trimmed value converted once and spread to its rows."""
    if column in DATE_COLUMNS[name]:
        return spread(codes, parse_dates(stripped), np.datetime64("NaT", "ns"))
    if column == "fte":
        return spread(codes, parse_fte(stripped), np.nan)
    if (name, column) in ALLOWED_VALUES:
        known = code_map(ALLOWED_VALUES[name, column], config.values.get(column, {}))
        return pd.Series(spread(codes, _map_codes(stripped, known), None), dtype="str")
    blank = stripped == ""
    if changed or blank.any() or (codes < 0).any():
        return pd.Series(spread(codes, stripped.where(~blank, None).to_numpy(dtype=object), None), dtype="str")
    return pd.Series(cells, dtype="str")


def keep_rows(table: Table, keep: np.ndarray) -> Table:
    """The table with only the rows where ``keep`` is True (rows keep their spreadsheet numbers)."""
    table.data = table.data[keep].reset_index(drop=True)
    table.raw = table.raw[keep].reset_index(drop=True)
    table.blank = {c: b[keep] for c, b in table.blank.items()}
    table.record_key = table.record_key[keep]
    table.distinct = {c: (codes[keep], d) for c, (codes, d) in table.distinct.items()}
    return table


def record_key(codes: list[np.ndarray], many: list[np.ndarray] | None = None) -> np.ndarray:
    """One integer per row, equal exactly where every column's trimmed text is equal.

    ``codes`` are per-column value numbers, taken as the digits of a mixed-radix number (it is
    renumbered only when the next digit would overflow: renumbering millions of rows is the
    slow part). ``many`` are columns of text with nearly a distinct value a row; they are
    compared only on the rows whose other columns already repeat.
    """
    key = np.zeros(len(codes[0]) if codes else len(many[0]) if many else 0, dtype=np.int64)
    bound = 1
    for column_key in codes:
        width = int(column_key.max(initial=-1)) + 2
        if bound * width >= 2**62:
            key = pd.factorize(key)[0].astype(np.int64)
            bound = int(key.max(initial=0)) + 1
        key = key * width + (column_key + 1)
        bound *= width
    if not many:
        return key
    repeated = occurs_again(key)
    # A row whose other columns are unique is unique: any label of its own will do.
    unique_label = -1 - np.arange(len(key), dtype=np.int64)
    if not repeated.any():
        return unique_label
    unique_label[repeated] = record_key([pd.factorize(key[repeated])[0], *(pd.factorize(m[repeated])[0] for m in many)])
    return unique_label


def _drop_duplicates(table: Table) -> list[Finding]:
    """Report exact duplicate records as queries, then keep each record once."""
    found = rules.run_rule(rules.RULES["duplicate_row"], table, {})
    if found:
        keep_rows(table, ~repeats_of_earlier(table.record_key))
    return found
