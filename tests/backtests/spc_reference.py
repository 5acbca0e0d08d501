"""A second, naive implementation of the Making Data Count rules, written from the issue's text alone.

Plain Python lists and loops, its own constants, nothing from ``analysis.trends.spc``: the package's
``xmr`` must agree with it point for point.
"""

from __future__ import annotations

import math

LIMIT_WIDTH = 2.66
SCREEN_AT = 3.267


def limits(values: list[float]) -> tuple[float, float, float, float, float]:
    """mean, lower, upper, near lower, near upper of one phase."""
    values = [float(v) for v in values]
    mean = sum(values) / len(values)
    ranges = [abs(b - a) for a, b in zip(values, values[1:])]
    if not ranges:
        return mean, math.nan, math.nan, math.nan, math.nan
    average = sum(ranges) / len(ranges)
    kept = [r for r in ranges if r < SCREEN_AT * average]
    if not kept:
        return mean, math.nan, math.nan, math.nan, math.nan
    mr = sum(kept) / len(kept)
    width = LIMIT_WIDTH * mr
    return mean, mean - width, mean + width, mean - width * 2 / 3, mean + width * 2 / 3


def classify(values: list[float], better: int) -> list[str]:
    """Each point's type in one phase; ``better`` is +1 (increase), -1 (decrease) or 0 (neutral)."""
    values = [float(v) for v in values]
    n = len(values)
    mean, low, high, near_low, near_high = limits(values)

    def side(i):
        return (values[i] > mean) - (values[i] < mean)

    def beyond(i):
        return values[i] > high or values[i] < low  # NaN compares False

    def close(i):
        return not beyond(i) and (values[i] > near_high or values[i] < near_low)

    found: list[tuple[str, int] | None] = [None] * n
    # lowest priority first; a higher rule overwrites
    for end in range(6, n):
        window = range(end - 6, end + 1)
        if side(end) != 0 and all(side(i) == side(end) for i in window):
            for i in window:
                found[i] = ("run", side(i))
    for end in range(2, n):
        window = range(end - 2, end + 1)
        if sum(close(i) for i in window) >= 2 and abs(sum(side(i) for i in window)) == 3:
            for i in window:
                if close(i):
                    found[i] = ("two", side(i))
    trend = [0] * n
    for end in range(6, n):
        steps = [values[i + 1] - values[i] for i in range(end - 6, end)]
        for sign in (1, -1):
            if all(s * sign > 0 for s in steps):
                for i in range(end - 6, end + 1):
                    trend[i] = sign
    for i in range(n):
        if trend[i]:
            nxt = i + 1 < n and trend[i + 1] == trend[i]
            step = values[i + 1] - values[i] if nxt else values[i] - values[i - 1]
            found[i] = ("trend", 1 if step > 0 else -1)
    for i in range(n):
        if beyond(i):
            found[i] = ("beyond", side(i))
    out = []
    for hit in found:
        if hit is None:
            out.append("common_cause")
        elif better == 0:
            out.append("special_cause_neutral_" + ("high" if hit[1] > 0 else "low"))
        else:
            out.append("special_cause_improvement" if hit[1] == better else "special_cause_concern")
    return out


def chart(values: list[float], months: list[str], better: int, rebase: list[str]) -> list[tuple]:
    """(month, value, mean, lower, upper, point type) for a whole series with its phases."""
    starts = [0] + [i for i, m in enumerate(months) if m in rebase and i > 0] + [len(values)]
    rows = []
    for a, b in zip(starts, starts[1:]):
        part = values[a:b]
        mean, low, high, _, _ = limits(part)
        for month, value, kind in zip(months[a:b], part, classify(part, better)):
            rows.append((month, value, mean, low, high, kind))
    return rows
