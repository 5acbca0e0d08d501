"""A file's cells, column by column, as codes into each column's distinct texts.

A national extract has millions of rows but few distinct values in most columns, so every
column is held as ``codes`` (one integer a row, -1 where a short row has no cell) and ``texts``
(each distinct text once, exactly as read). Well-formed CSV files are read by pyarrow's threaded
CSV reader and dictionary-encoded there, without a Python string a cell; anything pyarrow will
not read (a short row, a title above the header, a stray quote, text that is not UTF-8) is read
again by pandas, whose padding of short rows and whose errors the file rules were written for.
Workbooks are read by openpyxl through pandas.
"""

from __future__ import annotations

import ctypes
import datetime
import gc
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

# One column: each row's code (-1: no cell) and the distinct texts (an object array, or an Arrow
# string array where a column has more than MANY distinct values: ids, not made Python strings).
Texts: TypeAlias = np.ndarray | pa.Array
Column = tuple[np.ndarray, Texts]
MANY = 200_000
# Wider than any extract: pyarrow is told every column is text (none is guessed as a number).
_MOST_COLUMNS = 1000


class SheetNotFound(Exception):
    """A workbook has several sheets and none is named like the table."""

    def __init__(self, sheets: list[str]):
        self.sheets = sheets
        super().__init__(", ".join(sheets))


@dataclass
class Cells:
    """A file's cells: ``codes[j][i]`` is row ``i``'s cell in column ``j`` as an index into ``texts[j]``."""

    codes: list[np.ndarray]
    texts: list[Texts]
    sheet: str | None = None  # the workbook sheet read (None for a CSV file)

    def __len__(self) -> int:
        return len(self.codes[0]) if self.codes else 0

    def head(self, n: int) -> pd.DataFrame:
        """The first ``n`` rows as text (None where a short row has no cell)."""
        return pd.DataFrame({j: texts_at(t, c[:n]) for j, (c, t) in enumerate(zip(self.codes, self.texts))})

    def row(self, i: int) -> list[Any]:
        return [texts_at(t, c[i : i + 1])[0] for c, t in zip(self.codes, self.texts)]

    def rows_from(self, first: int) -> Cells:
        return Cells([c[first:] for c in self.codes], self.texts, self.sheet)


def release_freed_memory(collect: bool = False) -> None:
    """Hand the memory freed after reading back to the system, where the C library keeps it.

    glibc's allocator holds on to the freed small blocks of millions of cells for reuse, which
    the calculations that follow cannot use. Elsewhere (macOS, musl, Windows) it does nothing.
    """
    if collect:
        gc.collect()  # pandas leaves reference cycles holding frames of the cells
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError, TypeError):
        pass


def texts_at(texts: Texts, codes: np.ndarray) -> np.ndarray:
    """The texts of ``codes`` as an object array; None for code -1 (no cell)."""
    codes = np.asarray(codes)
    if isinstance(texts, pa.Array):
        picked = texts.take(pa.array(np.maximum(codes, 0))).to_numpy(zero_copy_only=False).astype(object)
    else:
        picked = np.append(np.asarray(texts, dtype=object), np.array([None], dtype=object))[codes]
    picked[codes < 0] = None
    return picked


def as_objects(texts: Texts) -> np.ndarray:
    """Distinct texts as an object array of Python strings."""
    if isinstance(texts, pa.Array):
        return texts.to_numpy(zero_copy_only=False).astype(object)
    return np.asarray(texts, dtype=object)


def from_frame(frame: pd.DataFrame) -> Cells:
    """Cells of a frame of text (missing cells as NaN or None)."""
    encoded = [pd.factorize(frame[c].to_numpy(dtype=object), use_na_sentinel=True) for c in frame.columns]
    return Cells([codes for codes, _ in encoded], [np.asarray(texts, dtype=object) for _, texts in encoded])


def read_file(path: Path, name: str) -> Cells:
    """The cells of a ``.csv`` or ``.xlsx`` file, header rows included.

    Raises
    ------
    pandas.errors.EmptyDataError, pandas.errors.ParserError, UnicodeDecodeError
        If a CSV file is empty, malformed, or not UTF-8.
    SheetNotFound
        If a workbook has several sheets and none has the table's name.
    """
    if path.suffix.lower() == ".xlsx":
        sheet, frame = read_xlsx(path, name)
        cells = from_frame(frame)
        cells.sheet = sheet
        return cells
    try:
        return read_csv_arrow(path)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return from_frame(read_csv_text(path))


def read_csv_arrow(path: Path) -> Cells:
    """A well-formed UTF-8 CSV file (every line the same number of fields) by pyarrow.

    Raises
    ------
    pyarrow.ArrowInvalid
        If pyarrow cannot read it as it stands (the caller reads it with pandas instead).
    """
    # The system allocator hands the reader's buffers back once read (mimalloc keeps them).
    pool = pa.system_memory_pool()
    table = pa_csv.read_csv(
        path,
        read_options=pa_csv.ReadOptions(autogenerate_column_names=True),
        parse_options=pa_csv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
        convert_options=pa_csv.ConvertOptions(
            column_types={f"f{j}": pa.string() for j in range(_MOST_COLUMNS)},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            null_values=[],
        ),
        memory_pool=pool,
    )
    if any(not pa.types.is_string(t) for t in table.schema.types):  # wider than any extract: pandas reads it
        raise pa.ArrowInvalid(f"more than {_MOST_COLUMNS} columns")
    names = table.column_names
    encoded: dict[str, tuple[np.ndarray, Texts]] = {}
    # Smallest column first, each dropped once encoded: the largest (a million case ids) is
    # encoded last, when the text of every other column has been freed.
    for name in sorted(names, key=lambda n: table.column(n).nbytes):
        column, table = table.column(name), table.drop_columns([name])
        codes, dictionary = encode(column.combine_chunks(memory_pool=pool), pool)
        del column
        encoded[name] = (codes, dictionary if len(dictionary) > MANY else as_objects(dictionary))
    return Cells([encoded[n][0] for n in names], [encoded[n][1] for n in names])


def encode(column: pa.Array, pool: pa.MemoryPool) -> tuple[np.ndarray, pa.Array]:
    """Each row's code into the column's distinct texts, numbered in order of first appearance.

    A long column of mostly distinct short texts (a million ids of up to 16 bytes) is compared as
    one or two 64-bit integers (``_as_words``), which takes half the time and a third of the
    memory of Arrow's dictionary of strings; anything else is dictionary-encoded by Arrow. Both
    give the same codes.
    """
    words = _as_words(column) if len(column) > MANY and _mostly_distinct(column) else None
    if words is None:
        encoded = pc.dictionary_encode(column, memory_pool=pool)
        return encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary
    codes = pd.factorize(words[0])[0]
    if len(words) == 2:
        second = pd.factorize(words[1])[0]
        codes = pd.factorize(codes * (int(second.max()) + 1) + second)[0]
    # Codes are numbered in order of first appearance: a row is its code's first exactly where
    # its code is above every earlier one.
    first = np.flatnonzero(codes > np.maximum.accumulate(np.r_[-1, codes[:-1]]))
    return codes.astype(np.int32), column.take(pa.array(first))


def _mostly_distinct(column: pa.Array, sample: int = 20_000) -> bool:
    """Whether the first ``sample`` texts are mostly distinct (ids, not dates or codes, for which
    Arrow's dictionary of a few thousand values is quicker)."""
    head = column.slice(0, sample)
    return bool(pc.count_distinct(head).as_py() > len(head) // 2)


def _as_words(column: pa.Array) -> list[np.ndarray] | None:
    """Each text as one or two 64-bit words (its bytes, NUL-padded to 8 or 16); None where that
    would not tell every two texts apart (longer texts; or, where lengths differ, non-ASCII text
    or text holding NUL itself)."""
    lengths = pc.binary_length(column)
    shortest, longest = (pc.min(lengths).as_py() or 0), (pc.max(lengths).as_py() or 0)
    if not 0 < longest <= 16 or column.null_count:
        return None
    if shortest != longest:  # padded to one length: only ASCII without NUL pads apart
        if not pc.all(pc.string_is_ascii(column)).as_py() or pc.any(pc.match_substring(column, "\x00")).as_py():
            return None
        column = pc.utf8_rpad(column, width=longest, padding="\x00")
    offsets = np.frombuffer(column.buffers()[1], dtype=np.int32, count=len(column) + 1, offset=4 * column.offset)
    data = np.frombuffer(column.buffers()[2], dtype=np.uint8, count=len(column) * longest, offset=int(offsets[0]))
    width = 8 if longest <= 8 else 16
    words = np.zeros((len(column), width), dtype=np.uint8)
    words[:, :longest] = data.reshape(len(column), longest)
    words = words.view(np.uint64)
    return [words[:, 0]] if width == 8 else [words[:, 0], words[:, 1]]


def read_csv_text(path: Path) -> pd.DataFrame:
    """Every cell of a CSV file as text, header row included (a short row is padded with blanks).

    Raises
    ------
    pandas.errors.EmptyDataError, pandas.errors.ParserError, UnicodeDecodeError
        If the file is empty, malformed, or not UTF-8.
    """
    return pd.read_csv(
        path,
        header=None,
        dtype=object,
        keep_default_na=False,
        na_filter=False,
        encoding="utf-8",
        encoding_errors="strict",
        skip_blank_lines=False,
    )


def read_xlsx(path: Path, name: str) -> tuple[str, pd.DataFrame]:
    """The sheet read and every cell of it as text, header row included (``cell_text``).

    A workbook of one sheet: that sheet. Of several: the one visible sheet named like the table (or
    ``allocations`` for an SSD file); a hidden sheet is never read in its place (a stale copy kept
    out of sight), and several visible sheets named alike are refused.

    Raises
    ------
    SheetNotFound
        If the workbook has several sheets and not exactly one visible sheet has the table's name.
    """
    with pd.ExcelFile(path, engine="openpyxl") as book:
        sheets = [str(s) for s in book.sheet_names]
        hidden = {str(ws.title) for ws in book.book.worksheets if ws.sheet_state != "visible"}
        wanted = {name, path.stem.lower()}
        named = [s for s in sheets if s.strip().lower() in wanted and s not in hidden]
        if len(sheets) != 1 and len(named) != 1:
            raise SheetNotFound([f"{s} (hidden)" if s in hidden else s for s in sheets])
        sheet = sheets[0] if len(sheets) == 1 else named[0]
        frame = pd.read_excel(book, sheet_name=sheet, header=None, dtype=object)
    frame = frame.dropna(axis=1, how="all")
    return sheet, pd.DataFrame({c: frame[c].map(cell_text) for c in frame.columns})


def cell_text(value: Any) -> str:
    """An Excel cell, of any type, as the text a CSV export would hold; never raises.

    Dates (with or without a time) as ``YYYY-MM-DD``; a whole number as an integer (Excel keeps
    every number as a float, so an id typed as 1001 reads ``1001``, not ``1001.0``); a time of
    day, a boolean or an error cell as its text, for the columns the tool does not use.
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, datetime.datetime) and value.time() != datetime.time(0):
        return value.strftime("%Y-%m-%d %H:%M")  # a time of day is kept: it may make a part day
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
