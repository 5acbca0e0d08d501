"""Vectorised helpers over integer keys: lookups, stable sorts, repeats, the latest on or before.

They replace ``np.unique``, ``np.argsort(kind="stable")`` and ``duplicated`` where those hash or
sort more than they need to, so the same code runs a 100-person authority and a national dataset.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def codes_present(codes: np.ndarray, size: int) -> np.ndarray:
    """A boolean lookup over 0..size-1: a linear-time ``np.unique``/``np.isin`` for dense codes."""
    mask = np.zeros(size, dtype=bool)
    mask[codes] = True
    return mask


def stable_argsort(key: np.ndarray) -> np.ndarray:
    """``np.argsort(key, kind="stable")`` for int64 keys, by sorting values rather than indices.

    Each key is packed with its position (``(key - min) * n + position``), which makes every
    packed value distinct and ordered as the stable sort orders them; sorting plain integers is
    several times faster than a stable argsort. Falls back to the argsort when the packed value
    would overflow.
    """
    n = len(key)
    if n == 0:
        return np.arange(0)
    low, high = int(key.min()), int(key.max())
    if (high - low + 1) * n >= 2**62:
        return np.argsort(key, kind="stable")
    packed = (key.astype(np.int64) - np.int64(low)) * np.int64(n) + np.arange(n, dtype=np.int64)
    packed.sort()
    return packed % np.int64(n)


def sort_by(major: np.ndarray, minor: np.ndarray) -> np.ndarray:
    """Indices ordering two non-negative-ish integer keys, ``major`` first (one stable sort of one key)."""
    if not len(major):
        return np.arange(0)
    low = minor.min()
    return stable_argsort(major.astype(np.int64) * np.int64(minor.max() - low + 1) + (minor - low))


def latest_on_or_before(person: np.ndarray, day: np.ndarray, when_person: np.ndarray, when: np.ndarray) -> np.ndarray:
    """For each (when_person, when), the latest ``day`` of that person on or before ``when``; NaT if none."""
    latest = np.full(len(when), np.datetime64("NaT"), dtype="datetime64[D]")
    if not len(day) or not len(when):
        return latest
    # One sorted key per (person, day), so a single searchsorted answers every question.
    base = min(day.min(), when.min())
    span = np.int64(max(day.max(), when.max()) - base) + 2
    key = np.sort(person * span + (day - base).astype(np.int64))
    at = np.searchsorted(key, when_person * span + (when - base).astype(np.int64), side="right") - 1
    hit = key[np.maximum(at, 0)]
    found = (at >= 0) & (hit // span == when_person)
    latest[found] = base + (hit[found] % span).astype("timedelta64[D]")
    return latest


def occurs_again(key: np.ndarray) -> np.ndarray:
    """True where a value occurs more than once (``duplicated(keep=False)``), by one sort."""
    key = np.asarray(key)
    ordered = np.sort(key)
    again = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    if not len(again):
        return np.zeros(len(key), dtype=bool)
    return pd.Index(again).get_indexer(key) >= 0


def repeats_of_earlier(key: np.ndarray) -> np.ndarray:
    """True where a value repeats an earlier one (``duplicated()``), hashing only the values that repeat."""
    key = np.asarray(key)
    if key.dtype.kind not in "iu":
        return pd.Series(key).duplicated().to_numpy()
    repeat = np.zeros(len(key), dtype=bool)
    some = occurs_again(key)
    if some.any():
        repeat[some] = pd.Series(key[some]).duplicated().to_numpy()
    return repeat


def in_sorted(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Whether each of ``keys`` is among ``sorted_keys`` (sorted ascending)."""
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=bool)
    at = np.searchsorted(sorted_keys, keys)
    return (at < len(sorted_keys)) & (sorted_keys[np.minimum(at, len(sorted_keys) - 1)] == keys)
