"""``python -m analysis synth``: the synthetic authority, at any size, deterministic for a seed.

People first (``synth_people``), then their absences and supervisions (``synth_events``) and case
allocations (``synth_cases``), all vectorised with numpy so a national-sized authority takes
seconds. With the defaults the records are then calibrated (``synth_calibrate``) to the figures of
the council report that ``data/sample/`` reproduces, and written byte for byte the same each time.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.synth.calibrate import calibrate_people, calibrate_records
from analysis.synth.cases import CASE_TYPES, make_allocations
from analysis.synth.events import (
    ABSENCE_TYPES,
    SUPERVISION_TYPES,
    make_absences,
    make_supervisions,
    without_absent_days,
)
from analysis.synth.people import NONE, OPEN, ROLES, Window, make_staff

DEFAULT_SEED = 20200123
DEFAULT_STAFF = 151
DEFAULT_START = pd.Period("2017-04", freq="M")
DEFAULT_END = pd.Period("2020-03", freq="M")
COLUMNS = {
    "staff": ["staff_id", "team", "role", "employment", "start_date", "end_date", "qualified_date", "fte"],
    "absences": ["staff_id", "absence_type", "start_date", "end_date"],
    "supervisions": ["staff_id", "supervision_date", "supervision_type"],
    "allocations": ["case_id", "staff_id", "start_date", "end_date", "case_type"],
}


def synth_command(
    out: Path,
    seed: int | None = None,
    staff: int | None = None,
    start: pd.Period | None = None,
    end: pd.Period | None = None,
) -> int:
    """Write the four tables of a synthetic authority into ``out``; 0 on success, 2 on bad options."""
    seed = DEFAULT_SEED if seed is None else seed
    n_staff = DEFAULT_STAFF if staff is None else staff
    window = Window(DEFAULT_START if start is None else start, DEFAULT_END if end is None else end)
    if window.last_month < window.first_month:
        print(f"error: --end {window.last_month} is before --start {window.first_month}", file=sys.stderr)
        return 2
    try:
        tables = synthesise(seed, n_staff, window)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    write_tables(tables, Path(out))
    counts = ", ".join(f"{len(frame)} {name}" for name, frame in tables.items())
    print(
        f"synth: wrote {counts} to {out} (seed {seed}, {n_staff} people, {window.first_month} to {window.last_month})"
    )
    return 0


def is_default(seed: int, n_staff: int, window: Window) -> bool:
    """True for the sample authority's own settings, the only ones calibrated."""
    return (seed, n_staff, window.first_month, window.last_month) == (
        DEFAULT_SEED,
        DEFAULT_STAFF,
        DEFAULT_START,
        DEFAULT_END,
    )


def synthesise(seed: int, n_staff: int, window: Window) -> dict[str, pd.DataFrame]:
    """The four canonical tables as string frames, ready to write.

    Raises
    ------
    ValueError
        If ``n_staff`` is too small for the authority's teams.
    """
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(5)]
    staff = make_staff(streams[0], n_staff, window)
    absences = make_absences(streams[1], staff, window)
    calibrating = is_default(seed, n_staff, window)
    if calibrating:
        staff, absences = calibrate_people(staff, absences, window)
    supervisions = without_absent_days(make_supervisions(streams[2], staff, window), absences)
    allocations = make_allocations(streams[3], staff, window)
    if calibrating:
        supervisions, allocations = calibrate_records(streams[4], staff, absences, supervisions, allocations)
    allocations["end"] = np.where(allocations["end"] > window.last_day, OPEN, allocations["end"])
    return canonical_tables(staff, absences, supervisions, allocations)


# --- writing ------------------------------------------------------------------------------------


def date_text(days: np.ndarray) -> np.ndarray:
    """Day numbers as ``YYYY-MM-DD``; open ends and missing dates blank."""
    distinct, position = np.unique(np.asarray(days, dtype=np.int64), return_inverse=True)
    blank = (distinct >= OPEN) | (distinct <= NONE)
    text = np.datetime_as_string(np.where(blank, 0, distinct).view("datetime64[D]"), unit="D")
    return np.where(blank, "", text).astype(object)[position]


def numbered_ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """Ids such as ``W0001`` or ``C000001`` for 0-based ``numbers``, zero-padded to ``width`` digits."""
    distinct, position = np.unique(np.asarray(numbers, dtype=np.int64), return_inverse=True)
    text = np.char.add(prefix, np.char.zfill((distinct + 1).astype(str), width)).astype(object)
    return text[position]


def in_order(frame: pd.DataFrame, columns: list[str], keys: list[str]) -> pd.DataFrame:
    """``columns`` of ``frame`` with exact duplicates dropped, sorted by ``keys`` (integer codes)."""
    frame = frame[columns].drop_duplicates()
    order = np.lexsort([frame[key].to_numpy() for key in reversed(keys)])
    return frame.iloc[order].reset_index(drop=True)


def canonical_tables(
    staff: pd.DataFrame, absences: pd.DataFrame, supervisions: pd.DataFrame, allocations: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """The integer-coded records as the canonical tables, text throughout, rows in a fixed order.

    Rows are sorted on the integer codes (person, day numbers, case number), which is the order
    of the ids and ISO dates they become, before any text is made.
    """
    staff_width = max(4, len(str(int(staff["person"].max()) + 1)))
    case_width = max(6, len(str(int(allocations["case"].max()) + 1)) if len(allocations) else 6)
    team_names = np.array(staff.attrs["team_names"], dtype=object)
    staff = in_order(
        staff, ["person", "team", "role", "agency", "start", "end", "qualified", "fte"], ["person", "start"]
    )
    absences = in_order(absences, ["person", "kind", "start", "end"], ["person", "start", "end", "kind"])
    supervisions = in_order(supervisions, ["person", "kind", "date"], ["person", "date", "kind"])
    allocations = in_order(
        allocations, ["case", "person", "start", "end", "kind"], ["case", "start", "person", "end", "kind"]
    )
    return {
        "staff": pd.DataFrame(
            {
                "staff_id": numbered_ids("W", staff["person"], staff_width),
                "team": team_names[staff["team"].to_numpy()],
                "role": np.array(ROLES, dtype=object)[staff["role"].to_numpy()],
                "employment": np.where(staff["agency"].to_numpy(), "agency", "permanent").astype(object),
                "start_date": date_text(staff["start"]),
                "end_date": date_text(staff["end"]),
                "qualified_date": date_text(staff["qualified"]),
                "fte": np.char.mod("%.2f", staff["fte"].to_numpy()).astype(object),
            }
        ),
        "absences": pd.DataFrame(
            {
                "staff_id": numbered_ids("W", absences["person"], staff_width),
                "absence_type": np.array(ABSENCE_TYPES, dtype=object)[absences["kind"].to_numpy()],
                "start_date": date_text(absences["start"]),
                "end_date": date_text(absences["end"]),
            }
        ),
        "supervisions": pd.DataFrame(
            {
                "staff_id": numbered_ids("W", supervisions["person"], staff_width),
                "supervision_date": date_text(supervisions["date"]),
                "supervision_type": np.array(SUPERVISION_TYPES, dtype=object)[supervisions["kind"].to_numpy()],
            }
        ),
        "allocations": pd.DataFrame(
            {
                "case_id": numbered_ids("C", allocations["case"], case_width),
                "staff_id": numbered_ids("W", allocations["person"], staff_width),
                "start_date": date_text(allocations["start"]),
                "end_date": date_text(allocations["end"]),
                "case_type": np.array(CASE_TYPES, dtype=object)[allocations["kind"].to_numpy()],
            }
        ),
    }


def write_tables(tables: dict[str, pd.DataFrame], out: Path) -> None:
    """Each table as ``NAME.csv``: UTF-8, ``\\n`` line endings, blanks for missing values."""
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(out / f"{name}.csv", index=False, lineterminator="\n", encoding="utf-8")
