"""Ids as compared for a match: letter case and leading zeros ignored.

``W0001`` is ``w0001`` and ``0042`` is ``42``: systems and spreadsheets change both (Excel drops
leading zeros, a hand-typed id loses its capitals). Computed in Arrow: a national extract holds a
million case ids.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def _texts(ids: Any) -> pa.Array:
    values = ids.array if isinstance(ids, pd.Index | pd.Series) else np.asarray(ids, dtype=object)
    try:
        return pa.array(values, type=pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array(pd.Series(np.asarray(ids, dtype=object), dtype=object).astype(str), type=pa.large_string())


def arrow_keys(ids: Any) -> pa.Array:
    """The key of each id (``None`` stays ``None``)."""
    keys = pc.utf8_lower(_texts(ids))
    if pc.any(pc.starts_with(keys, "0")).as_py():
        keys = pc.replace_substring_regex(keys, "^0+(.)", "\\1")
    return keys


def id_key(ids: Any) -> pd.Series:
    """The key of each id, as a Series of text."""
    return pd.Series(arrow_keys(ids).to_numpy(zero_copy_only=False), dtype=object)


def all_distinct(ids: Any) -> bool:
    """Whether no two of ``ids`` (each distinct) share a key.

    Distinct ids without a small letter or a leading zero keep distinct keys (lowering their
    capitals cannot make two of them equal), so a national extract's million case ids written in
    capitals are passed without working out a key for each.
    """
    texts = _texts(ids)
    if not len(texts):
        return True
    small = pc.any(pc.match_substring_regex(texts, r"\p{Ll}")).as_py()
    if not small and not pc.any(pc.starts_with(texts, "0")).as_py():
        return True
    return pc.count_distinct(arrow_keys(texts)).as_py() == len(ids)
