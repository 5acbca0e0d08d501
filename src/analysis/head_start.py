"""Person-months worked out while the allocations are still being read.

Person-months come from staff, absences and supervisions alone; a national extract's allocations
file is several times the size of the other three. ``HeadStart`` is handed to the loader
(``load_valid_dataset(..., meanwhile=head_start)``), works the person-months out from the staff
side (``analysis.inputs.id_numbering.staff_side``) on a thread of its own as soon as it is read, and
``offers(data)`` gives them to ``compute_tables`` with the whole data set's staff_id codes. They
are the same person-months ``compute_tables`` would work out (``tests/unit/test_head_start.py``), or
nothing, when they might not be: then ``compute_tables`` works them out itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
import pandas as pd

from analysis.config import Settings
from analysis.inputs.dataset import Dataset
from analysis.inputs.reading import release_freed_memory
from analysis.intermediates import person_months, window
from analysis.tables import default_window_start, work_apart
from analysis.trends.spc_tables import spc_months


class HeadStart:
    """The ``meanwhile`` of ``load_dataset`` for one month's tables."""

    def __init__(self, month: pd.Period, window_start: pd.Period | None, config: Settings):
        self.month = pd.Period(month, "M")
        self.window_start = window_start if window_start is not None else default_window_start(self.month, config)
        self.config = config
        self.done = threading.Event()
        self.person_months: pd.DataFrame | None = None
        self.months: pd.PeriodIndex | None = None
        self.labels: pd.Index | None = None

    def __call__(self, side: Dataset | None) -> None:
        """Work the person-months out from the staff side (None: it could not be read)."""
        try:
            if side is not None and self.window_start <= self.month and not work_apart(side, self.month, self.config):
                self.months = spc_months(side, self.month, self.config)
                span = window(self.month, self.window_start, self.config)
                self.person_months = person_months(side, self.month, span, self.config)
                self.labels = side.labels["staff_id"]
        except Exception:  # noqa: BLE001 - compute_tables works them out again, and raises what is wrong
            self.person_months = None
        finally:
            release_freed_memory()  # what working them out freed, on this thread's own heap
            self.done.set()

    def offers(self, data: Dataset) -> dict[str, Callable[[], pd.DataFrame | None]]:
        """What ``compute_tables`` may take (``offered``): the person-months, once worked out."""
        return {"person_months": lambda: self.person_months_of(data)}

    def person_months_of(self, data: Dataset) -> pd.DataFrame | None:
        """The person-months in the codes of ``data`` (the whole data set the staff side came
        from), waiting for them if need be; None when there are none to give.

        They are given only where the whole data set spans the same months: the SPC history
        starts at the first supervision, or, with none, at the first allocation, which the
        staff side does not hold.
        """
        self.done.wait()
        if self.person_months is None or not spc_months(data, self.month, self.config).equals(self.months):
            return None
        # Both numberings follow the ids' text order, so the codes map across in order.
        to_whole = data.labels["staff_id"].get_indexer(self.labels)
        if (to_whole < 0).any():
            return None
        pm = self.person_months.copy(deep=False)
        codes = pm["staff_id"].to_numpy()
        pm["staff_id"] = np.where(codes < 0, codes, to_whole[np.maximum(codes, 0)])
        return pm
