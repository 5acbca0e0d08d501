"""Reading a data folder's four tables into the typed frames of ``analysis.inputs.dataset``.

Each table comes from ``NAME.csv`` (UTF-8, a byte-order mark tolerated) or ``NAME.xlsx``;
allocations may come from the Standard Safeguarding Dataset's ``ssd_involvements`` instead.
Every column is read as codes into its distinct texts (``analysis.inputs.reading``), then
headers go through ``config.columns[table]``, codes through ``config.values[column]``, and
dates, codes and ``fte`` are parsed once per distinct value (a national extract has millions of
rows but few distinct values). ``staff_id`` and ``case_id`` stay integer codes
(``Dataset.labels`` holds their text). What is wrong is found by ``analysis.inputs.rules``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.config import Settings
from analysis.core.arrays import repeats_of_earlier
from analysis.inputs import rules, rules_files
from analysis.inputs.coverage import lone_records, qualified_after_extract
from analysis.inputs.dataset import ALLOWED_VALUES, COLUMNS, DATE_COLUMNS, REQUIRED, TABLES, Dataset, empty_table
from analysis.inputs.findings import Finding, InputError
from analysis.inputs.id_numbering import STAFF_SIDE, id_codes, staff_side, unify_ids
from analysis.inputs.parsing import (
    _header,
    _map_codes,
    code_map,
    parse_dates,
    parse_fte,
    tidy,
)
from analysis.inputs.reading import Column, as_objects, read_file, release_freed_memory
from analysis.inputs.rule_kit import Table, spread
from analysis.inputs.same_facts import one_record_per_fact

SUFFIXES = (".csv", ".xlsx")
Meanwhile = Callable[[Dataset | None], None]
FIRST_DATA_ROW = 2  # the header is spreadsheet row 1
COLLECT_ABOVE_ROWS = 100_000


def load_dataset(data_dir: str | Path, config: Settings, meanwhile: Meanwhile | None = None) -> Dataset:
    """Read and check the four tables of ``data_dir``; never raises on bad data.

    Parameters
    ----------
    data_dir
        Folder holding ``staff``, ``absences``, ``supervisions`` and ``allocations`` (or
        ``ssd_involvements``) as ``.csv`` or ``.xlsx``.
    config
        From ``analysis.config.load_config``: its ``columns`` and ``values`` maps are used.
    meanwhile
        Called once, on a thread of its own, with the staff side (``staff_side``) as soon as
        staff, absences and supervisions are read, while the allocations still are; or with
        None when they cannot be. What it works out is unchecked: it is worth keeping only if
        the whole data set has no error.

    Returns
    -------
    Dataset
        The typed tables (an empty table where a file could not be read), the files read, and
        every finding. Exact duplicate records have been dropped.
    """
    data_dir = Path(data_dir)
    findings: list[Finding] = []
    tables: dict[str, Table] = {}
    located = {name: locate(data_dir, name) for name in TABLES}
    files = {name: path for name, (path, _) in located.items() if path is not None}
    # Two files at a time, the largest first: one thread reads it while the other reads the rest.
    largest_first = sorted(files, key=lambda name: -files[name].stat().st_size)
    with ThreadPoolExecutor(2) as pool:
        read = {name: pool.submit(read_table, files[name], name, config) for name in largest_first}
        copied = threading.Event()
        if meanwhile is None:
            copied.set()
        else:
            side = {name: read[name] for name in STAFF_SIDE if name in read}
            args = (meanwhile, side, files, copied)
            threading.Thread(target=_start_meanwhile, args=args, name="meanwhile").start()
    for name in TABLES:
        findings.extend(located[name][1])
        if name not in read:
            continue
        table, problems = read[name].result()
        findings.extend(problems)
        if table is not None:
            tables[name] = table
    copied.wait()  # the staff side has its own copies of the frames unify_ids changes
    notes = [note for t in tables.values() for note in t.notes]
    sheets = {name: t.sheet for name, t in tables.items() if t.sheet is not None}
    labels, respelled = unify_ids(tables)
    notes += respelled
    codes = [code for code, r in rules.RULES.items() if r.kind in ("record", "table") and code != "duplicate_row"]
    findings.extend(rules.run_rules(tables, codes, config.unmatched_share))
    frames = {name: tables[name].data if name in tables else empty_table(name) for name in TABLES}
    del tables, read  # the cells as read, kept for the rules' findings, are no longer needed
    # A full collection costs a tenth of a second once the report's libraries are loaded: worth
    # it where the cycles pandas leaves hold a national extract's cells, not a small one's.
    release_freed_memory(collect=sum(len(frame) for frame in frames.values()) > COLLECT_ABOVE_ROWS)
    data = Dataset(**frames, files=files, findings=findings, labels=labels, notes=notes, sheets=sheets)
    if data.errors:
        return data
    data = one_record_per_fact(data)
    data.findings.extend([*lone_records(data), *qualified_after_extract(data)])
    return data


def load_valid_dataset(data_dir: str | Path, config: Settings, meanwhile: Meanwhile | None = None) -> Dataset:
    """Read the four tables of ``data_dir`` (``meanwhile`` as ``load_dataset``), refusing any with an error.

    Raises
    ------
    InputError
        If any finding is an error; ``exc.findings`` holds every finding.
    """
    data = load_dataset(data_dir, config, meanwhile)
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
        cells = read_file(path, name)
    except Exception as exc:  # noqa: BLE001 - whatever is wrong with a file, say it in one sentence
        return None, [rules_files.read_failure(path, name, exc)]
    finally:
        release_freed_memory()  # the reader's buffers, before the next file is read
    header_at = header_position(cells.head(50), lambda headers: bool(map_headers(headers, name, path.stem, config)[0]))
    if header_at is None:
        return None, [rules.file_finding("empty_file", path.name)]
    headers = [_header(h) for h in cells.row(header_at)]
    body = cells.rows_from(header_at + 1)
    canonical, mapped = map_headers(headers, name, path.stem, config)
    mapped, set_aside = aliases_set_aside(mapped, path.name)
    problems = rules_files.repeated_columns(path.name, mapped)
    problems += rules_files.missing_columns(path.name, name, list(mapped), REQUIRED[name], [h for h in headers if h])
    if problems:
        return None, problems
    blank = (np.zeros(len(body), dtype=np.intp), np.array([""], dtype=object))
    columns = {
        column: (body.codes[canonical[column]], body.texts[canonical[column]]) if column in canonical else blank
        for column in COLUMNS[name]
    }
    first = header_at + FIRST_DATA_ROW
    row = np.arange(first, first + len(body))
    table = parse(columns, row, name, path.name, config)
    table.missing = {c for c in COLUMNS[name] if c not in canonical}
    table.sheet = cells.sheet
    table.notes = set_aside
    return table, _drop_duplicates(table)


def header_position(text: pd.DataFrame, known: Callable[[list[str]], bool], look: int = 50) -> int | None:
    """The header row: the first of the first ``look`` rows naming a known column, else the
    first with anything in it (title or blank rows may stand above the header in a workbook).
    None for an empty file."""
    head = text.iloc[:look].fillna("").astype(str)
    stripped = pd.DataFrame({c: head[c].str.strip() for c in head.columns})
    filled = np.flatnonzero((stripped != "").any(axis=1).to_numpy())
    naming = [i for i in filled.tolist() if known([_header(h) for h in head.iloc[i].tolist()])]
    return naming[0] if naming else int(filled[0]) if len(filled) else None


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
    for target, position in list(canonical.items()):
        if target in headers and headers[position] != target:  # the canonical name wins over an alias
            canonical[target] = headers.index(target)
    return canonical, mapped


def aliases_set_aside(mapped: dict[str, list[str]], file: str) -> tuple[dict[str, list[str]], list[str]]:
    """Where a file has a column under its canonical name and also under an alias of it, the canonical
    one is read: the headers each column is read from, and a note for each alias set aside."""
    kept: dict[str, list[str]] = {}
    notes = []
    for target, headers in mapped.items():
        if target in headers and len(headers) > 1:
            others = ", ".join(repr(h) for h in headers if h != target)
            notes.append(f"{file}: column {target!r} is read; {others}, which also means {target}, is set aside")
            kept[target] = [target]
        else:
            kept[target] = headers
    return kept, notes


# --- parsing ----------------------------------------------------------------------------------


def parse(cells: dict[str, Column], row: np.ndarray, name: str, file: str, config: Settings) -> Table:
    """Typed canonical frame of table ``name`` from its cells; nothing is dropped or raised.

    ``cells`` holds each canonical column as (each row's code, the distinct texts). Every
    distinct text is trimmed and converted once; ids become integer codes (``unify_ids``
    makes them one numbering across the tables).
    """
    columns: dict[str, Any] = {}
    table = Table(name, file, cells, pd.DataFrame(index=pd.RangeIndex(len(row))), blank={})
    renumber: dict[str, np.ndarray] = {}  # column -> a number for each trimmed text, where trimming merged some
    for column in COLUMNS[name]:
        codes, texts = cells[column]
        is_id = column in rules.ID_COLUMNS
        stripped, changed, blank = tidy(texts if is_id else as_objects(texts), is_id)
        if changed:
            renumber[column] = pd.factorize(stripped)[0]
        # A cell pandas leaves missing (code -1) counts as blank.
        table.blank[column] = spread(codes, blank, True)
        if is_id:
            columns[column], labels = id_codes(codes, stripped, changed, blank)
            table.distinct[column] = (columns[column], labels)
            continue
        table.distinct[column] = (codes, stripped)
        columns[column] = typed_column(name, column, codes, stripped, config)
    columns["row"] = row
    # One frame from the finished columns, without copying them again.
    table.data = pd.DataFrame(columns, index=pd.RangeIndex(len(row)), copy=False)
    table.record_key = record_key(
        spread(cells[c][0], renumber[c], -1) if c in renumber else cells[c][0] for c in COLUMNS[name]
    )
    empty_rows = np.logical_and.reduce(list(table.blank.values()))
    return keep_rows(table, ~empty_rows) if empty_rows.any() else table


def _start_meanwhile(
    meanwhile: Meanwhile, side: dict[str, Future[Any]], files: dict[str, Path], copied: threading.Event
) -> None:
    """Call ``meanwhile`` with the staff side once it is read (None if it cannot be); ``copied`` is
    set once the side no longer reads the tables, which ``unify_ids`` then renumbers."""
    try:
        read = {name: future.result()[0] for name, future in side.items()}
        ready = len(read) == len(STAFF_SIDE) and all(table is not None for table in read.values())
        data = staff_side(read, {n: files[n] for n in read}) if ready else None
    except Exception:  # noqa: BLE001 - the loading thread meets the same failure, and reports it
        data = None
    finally:
        copied.set()
    meanwhile(data)


def typed_column(name: str, column: str, codes: np.ndarray, stripped: pd.Index, config: Settings) -> Any:
    """One canonical column, each distinct trimmed value converted once and spread to its rows."""
    if column in DATE_COLUMNS[name]:
        return spread(codes, parse_dates(stripped), np.datetime64("NaT", "ns"))
    if column == "fte":
        return spread(codes, parse_fte(stripped), np.nan)
    if (name, column) in ALLOWED_VALUES:
        known = code_map(ALLOWED_VALUES[name, column], config.values.get(column, {}))
        return text_column(codes, _map_codes(stripped, known))
    return text_column(codes, stripped.where(stripped != "", None).to_numpy(dtype=object))


def text_column(codes: np.ndarray, distinct: np.ndarray) -> pd.Series:
    """A text column (``str``) from each row's code into ``distinct`` (None: missing)."""
    values = pd.array(np.asarray(distinct, dtype=object), dtype="str")
    return pd.Series(values.take(codes, allow_fill=True), copy=False)


def keep_rows(table: Table, keep: np.ndarray) -> Table:
    """The table with only the rows where ``keep`` is True (rows keep their spreadsheet numbers)."""
    table.data = table.data[keep].reset_index(drop=True)
    table.raw = {c: (codes[keep], texts) for c, (codes, texts) in table.raw.items()}
    table.blank = {c: b[keep] for c, b in table.blank.items()}
    table.record_key = table.record_key[keep] if table.record_key is not None else None
    table.distinct = {c: (codes[keep], d) for c, (codes, d) in table.distinct.items()}
    return table


def record_key(codes: Iterable[np.ndarray]) -> np.ndarray:
    """One integer per row, equal exactly where every column's trimmed text is equal.

    ``codes`` are per-column value numbers (-1 for none), taken one column at a time as the
    digits of a mixed-radix number (it is renumbered only when the next digit would overflow:
    renumbering millions of rows is the slow part).
    """
    key = np.zeros(0, dtype=np.int64)
    bound = 1
    for n, column_key in enumerate(codes):
        if n == 0:
            key = np.zeros(len(column_key), dtype=np.int64)
        width = int(column_key.max(initial=-1)) + 2
        if bound * width >= 2**62:
            key = pd.factorize(key)[0].astype(np.int64)
            bound = int(key.max(initial=0)) + 1
        key = key * width + (column_key + 1)
        bound *= width
    return key


def _drop_duplicates(table: Table) -> list[Finding]:
    """Report exact duplicate records as queries, then keep each record once."""
    found = rules.run_rule(rules.RULES["duplicate_row"], table, {})
    if found and table.record_key is not None:
        keep_rows(table, ~repeats_of_earlier(table.record_key))
    return found
