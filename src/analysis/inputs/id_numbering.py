"""Ids as integer codes: one numbering of each id column across the tables that hold it.

``staff_id`` codes follow the ids' text order, so sorting by code sorts by id; ``case_id``,
held by allocations alone and never shown, keeps the codes it was read with. ``staff_side``
numbers the staff ids of staff, absences and supervisions among themselves (the head start of
``analysis.head_start``), in the same text order.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.inputs import rule_kit
from analysis.inputs.dataset import Dataset, empty_table
from analysis.inputs.id_keys import id_key
from analysis.inputs.rule_kit import Table, spread
from analysis.inputs.same_facts import one_record_per_fact

SORTED_IDS = ("staff_id",)
STAFF_SIDE = ("staff", "absences", "supervisions")  # what person-months are worked out from


def id_codes(codes: np.ndarray, stripped: pd.Index, changed: bool, blank: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """Each row's id as an integer code into the returned distinct trimmed ids; -1 where blank."""
    numbers, labels = pd.factorize(stripped) if changed else (np.arange(len(stripped)), stripped)
    numbers = np.where(blank, -1, numbers)
    return spread(codes, numbers, -1).astype(np.int64), pd.Index(labels)


def unify_ids(tables: dict[str, Table]) -> tuple[dict[str, pd.Index], list[str]]:
    """One numbering of each id column across the tables that hold it: the distinct ids by code, and
    a note for each table whose staff_ids were read as the staff table's spelling (``as_staff_spells``).

    ``staff_id`` codes follow the ids' text order, so sorting by code sorts by id. ``case_id``,
    held by allocations alone and never shown, keeps its codes (sorting a million ids costs).
    """
    labels: dict[str, pd.Index] = {}
    notes: list[str] = []
    for column in rule_kit.ID_COLUMNS:
        holders = [t for t in tables.values() if column in t.distinct]
        if len(holders) == 1 and column not in SORTED_IDS:
            labels[column] = holders[0].distinct[column][1]
            continue
        spelled = as_staff_spells(holders) if column == "staff_id" else None
        if spelled is not None:
            notes += respelling_notes(holders, spelled)
        labels[column], codes = sorted_codes(holders, column, spelled)
        for t, own in zip(holders, codes):
            t.data[column] = own
            t.distinct[column] = (own, labels[column])
    return labels, notes


def sorted_codes(
    holders: list[Table], column: str, spelled: list[np.ndarray] | None = None
) -> tuple[pd.Index, list[np.ndarray]]:
    """The distinct ids of ``column`` in the tables, sorted, and each table's rows as codes into them
    (-1: blank). The tables are not changed.

    A staff_id of another table that is not in the staff table but matches exactly one of its ids
    ignoring letter case and leading zeros (``id_key``) is that id.
    """
    if spelled is None:
        spelled = as_staff_spells(holders) if column == "staff_id" else [t.distinct[column][1] for t in holders]
    every = set().union(*(np.asarray(texts, dtype=object).tolist() for texts in spelled))
    every.discard("")
    labels = pd.Index(sorted(every), dtype=object)
    codes = [
        spread(t.distinct[column][0], labels.get_indexer(texts), -1).astype(np.int64)
        for t, texts in zip(holders, spelled)
    ]
    return labels, codes


def as_staff_spells(holders: list[Table]) -> list[np.ndarray]:
    """Each table's distinct staff_ids, those missing from the staff table but matching exactly one of
    its ids by ``id_key`` spelled as there; the staff table's own ids as they are."""
    staff = next((t for t in holders if t.name == "staff"), None)
    own = [np.asarray(t.distinct["staff_id"][1], dtype=object) for t in holders]
    if staff is None:
        return own
    ids = pd.Index(np.asarray(staff.distinct["staff_id"][1], dtype=object))
    keys = id_key(ids)
    one = ~keys.duplicated(keep=False)
    spelling = pd.Series(ids[one.to_numpy()], index=keys[one].to_numpy())
    out = []
    for t, texts in zip(holders, own):
        missing = ids.get_indexer(texts) < 0
        if t is staff or not missing.any():
            out.append(texts)
            continue
        texts = texts.copy()
        found = spelling.reindex(id_key(texts[missing]).to_numpy()).to_numpy(dtype=object)
        texts[np.flatnonzero(missing)[pd.notna(found)]] = found[pd.notna(found)]
        out.append(texts)
    return out


def respelling_notes(holders: list[Table], spelled: list[np.ndarray]) -> list[str]:
    """A note for each table whose staff_ids were matched to the staff table's ignoring case or leading zeros."""
    notes = []
    for t, texts in zip(holders, spelled):
        before = np.asarray(t.distinct["staff_id"][1], dtype=object)
        changed = np.flatnonzero(texts != before)
        if len(changed):
            example = f"{before[changed[0]]!r} as {texts[changed[0]]!r}"
            notes.append(
                f"{t.file}: {len(changed):,} staff_id spellings match the staff table's ids only ignoring letter "
                f"case or leading zeros, and are read as them (e.g. {example})"
            )
    return notes


def staff_side(tables: dict[str, Table], files: dict[str, Path]) -> Dataset:
    """Staff, absences and supervisions as a ``Dataset`` of their own (no allocations), their
    staff_id codes numbered among themselves; the tables are not changed.

    The codes follow the ids' text order, as the whole data set's do, so a code of this numbering
    becomes the whole data set's by ``labels.get_indexer`` without changing any order.
    """
    labels, codes = sorted_codes([tables[name] for name in STAFF_SIDE], "staff_id")
    frames = {name: tables[name].data.assign(staff_id=own) for name, own in zip(STAFF_SIDE, codes)}
    side = Dataset(**frames, allocations=empty_table("allocations"), files=files, labels={"staff_id": labels})
    return one_record_per_fact(side)
