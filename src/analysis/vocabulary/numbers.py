"""How a figure is rounded and what stands for no figure: the same in every language."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

DASH = "–"


def _missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def percent_rounded(value: Any, dp: int = 1) -> Decimal:
    """A fraction as a percentage rounded half up, as a reader would (0.8235 -> 82.4, not the
    binary float's 82.3)."""
    exact = Decimal(repr(float(value))) * 100
    return exact.quantize(Decimal(1).scaleb(-dp), rounding=ROUND_HALF_UP)
