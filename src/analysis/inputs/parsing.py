"""Text cells into typed values, once per distinct value.

Ids (Excel's ``1001.0`` as ``1001``), dates with or without a time of day, fte and codes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.inputs.rule_kit import EARLIEST, LATEST

# Date forms tried in turn, after any time of day is cut off (``TIME_OF_DAY``).
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%b-%Y", "%d %B %Y", "%d %b %Y", "%d-%B-%Y")


def _header(value: Any) -> str:
    return "" if pd.isna(value) else str(value).replace("\ufeff", "").strip().lower()


_STRIP = np.frompyfunc(str.strip, 1, 1)


def excel_integer_ids(text: np.ndarray | pd.Index) -> np.ndarray | pd.Index:
    """Ids that Excel turned into numbers read as the integer they were: ``1001.0`` is ``1001``.

    A workbook's numeric cell already reads as ``1001`` (``reading.cell_text``); this makes a CSV that
    Excel saved give the same id, so the same cell content is the same id from every reader.
    """
    values = np.asarray(text, dtype=object)
    if not _any_dot(values):
        return text
    dotted = pd.Series(values, dtype=object).str.contains(".", regex=False, na=False).to_numpy()
    if not dotted.any():
        return text
    out = values.copy()
    out[dotted] = pd.Series(values[dotted], dtype=object).str.replace(r"^(\d+)\.0+$", r"\1", regex=True).to_numpy()
    return pd.Index(out, dtype=object) if isinstance(text, pd.Index) else out


# A text starting and ending with an ASCII letter or digit has nothing for ``str.strip`` to take.
_NOTHING_TO_TRIM = r"(?s)^[0-9A-Za-z](.*[0-9A-Za-z])?$"


def tidy(texts: Any, is_id: bool) -> tuple[Any, bool, np.ndarray]:
    """Distinct texts trimmed (ids also read as Excel's integers): the trimmed texts, whether
    trimming changed any, and which are blank.

    An Arrow array (a million distinct ids) is checked in Arrow and, as it always is in a
    clean extract, kept as it is; only if some text needs trimming is it made Python strings.
    """
    if isinstance(texts, pa.Array):
        tidy_already = pc.match_substring_regex(texts, _NOTHING_TO_TRIM)
        if is_id:
            tidy_already = pc.and_(tidy_already, pc.invert(pc.match_substring(texts, ".")))
        if pc.all(tidy_already).as_py() is not False:
            labels = pd.Index(pd.array(texts, dtype=pd.StringDtype("pyarrow", na_value=np.nan)))
            return labels, False, np.zeros(len(texts), dtype=bool)
        texts = texts.to_numpy(zero_copy_only=False).astype(object)
    stripped = pd.Index(_strip_cells(np.asarray(texts, dtype=object)), dtype=object)
    if is_id:
        stripped = excel_integer_ids(stripped)
    return stripped, bool((stripped != texts).any()), np.asarray(stripped == "", dtype=bool)


def _any_dot(values: np.ndarray) -> bool:
    """Whether any text in ``values`` has a ``.``: one scan of a million ids, not a million calls."""
    try:
        return "." in "".join(values.tolist())
    except TypeError:  # not all text
        return True


def _strip_cells(cells: np.ndarray) -> np.ndarray:
    """Each cell trimmed (``str.strip``), a missing cell left missing, as an object array."""
    try:
        return _STRIP(cells).astype(object, copy=False) if len(cells) else cells.astype(object)
    except (AttributeError, TypeError):  # not all text: let pandas sort out missing and non-text cells
        return pd.Series(cells, dtype=object).str.strip().to_numpy(dtype=object)


# A time of day after a date, as database exports and Excel write it: "2019-03-18 00:00:00.000",
# "2019-03-18T00:00:00", "18/03/2019 00:00", "2019-10-07 14:30", "18/03/2019 2:30 PM", "...Z".
TIME_OF_DAY = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?\s*(?:[AaPp]\.?[Mm]\.?)?(?:Z|[+-]\d{2}:?\d{2})?)$"


def parse_dates(text: pd.Index) -> np.ndarray:
    """Dates from trimmed text, a time of day ignored; NaT where blank or not a date this tool reads.

    Read: ``YYYY-MM-DD``, ``DD/MM/YYYY``, ``DD-Mon-YYYY`` and ``DD Month YYYY`` (``17-Jan-2019``,
    ``17 January 2019``), each with or without a time of day. Two-digit years and bare numbers
    (Excel serial dates in a CSV) are not guessed at: ``bad_date`` says how to fix them.
    """
    day_text = pd.Index(text, dtype=object).str.replace(TIME_OF_DAY, "", regex=True)
    parsed = pd.Series(pd.NaT, index=range(len(text)), dtype="datetime64[us]")
    for fmt in DATE_FORMATS:
        todo = parsed.isna().to_numpy()
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(day_text[todo], format=fmt, errors="coerce").astype("datetime64[us]")
    parsed = parsed.where((parsed >= EARLIEST) & (parsed <= LATEST))
    return parsed.to_numpy(dtype="datetime64[ns]")


def parse_fte(text: pd.Index) -> np.ndarray:
    """Fractions of full time from trimmed text; blank is 1.0 (full time); NaN where not a number."""
    numbers = pd.to_numeric(pd.Series(text, dtype=object), errors="coerce").to_numpy(dtype=float)
    return np.where(text == "", 1.0, numbers)


def code_map(allowed: tuple[str, ...], extract_codes: dict[str, str]) -> dict[str, str]:
    """Lower-cased code -> canonical value: the canonical values themselves, then the config's map."""
    return {**{v: v for v in allowed}, **{k.lower(): v for k, v in extract_codes.items() if v in allowed}}


def _map_codes(text: pd.Index, codes: dict[str, str]) -> np.ndarray:
    return text.str.lower().map(codes).to_numpy(dtype=object)
