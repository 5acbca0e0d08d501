"""The equivalent mutants of the definition modules checked one by one (``tests/mutation_scores.py`` reads them).

Each entry: the function, its line as written, the line as mutated, and why no table can change.
A multi-line change joins its lines with a newline. Entries whose mutant no longer exists do no harm.
"""

from __future__ import annotations

# Single mutants that cannot change a table, each checked by hand: (function, the line as written,
# the line as mutated, why). A mutant matches when its only change is that line.
KNOWN_EQUIVALENT = [
    *[
        ("_counts", "return np.maximum(np.nan_to_num(values, nan=0.0), 0).astype(np.int64)", after, why)
        for after, why in [
            (
                "return np.maximum(np.nan_to_num(values, nan=0.0), 0).astype(None)",
                "bdtr and bdtrc take a float count and floor it; the counts are whole already",
            ),
            ("return np.maximum(np.nan_to_num(values, ), 0).astype(np.int64)", "nan=0.0 is numpy's default"),
            (
                "return np.maximum(np.nan_to_num(values, nan=1.0), 0).astype(np.int64)",
                "no caller passes a blank count: funnel_limits swaps them for safe values first",
            ),
        ]
    ],
    (
        "binomial_cdf",
        "inside = _special().bdtr(_counts(np.clip(k, 0, whole)), whole, p)",
        "inside = _special().bdtr(_counts(np.clip(k, None, whole)), whole, p)",
        "below 0 the result is 0.0 whatever inside holds (the np.where on k < 0)",
    ),
    (
        "binomial_cdf",
        "return np.where(k < 0, 0.0, np.where(k >= n, 1.0, inside))",
        "return np.where(k < 0, 0.0, np.where(k > n, 1.0, inside))",
        "bdtr(n, n, p) is exactly 1.0",
    ),
    (
        "binomial_cdf",
        "return np.where(k < 0, 0.0, np.where(k >= n, 1.0, inside))",
        "return np.where(k < 0, 0.0, np.where(None, 1.0, inside))",
        "from n up, k is clipped to n and bdtr(n, n, p) is exactly 1.0",
    ),
    (
        "binomial_sf_at",
        "inside = _special().bdtrc(_counts(np.clip(k - 1, 0, whole)), whole, p)",
        "inside = _special().bdtrc(_counts(np.clip(k - 1, None, whole)), whole, p)",
        "at k <= 0 the result is 1.0 whatever inside holds",
    ),
    (
        "binomial_sf_at",
        "inside = _special().bdtrc(_counts(np.clip(k - 1, 0, whole)), whole, p)",
        "inside = _special().bdtrc(_counts(np.clip(k - 1, 0, None)), whole, p)",
        "above n the result is 0.0 whatever inside holds",
    ),
    *[
        ("wilson_interval", before, before.replace("n > 0", "n >= 0"), "at n = 0, p = 0/0 is NaN, so the bound is NaN")
        for before in (
            "low = np.where(n > 0, (centre - half) / denominator, np.nan)",
            "high = np.where(n > 0, (centre + half) / denominator, np.nan)",
        )
    ],
    *[
        ("wilson_interval", "return np.clip(low, 0, 1), np.clip(high, 0, 1)", after, why)
        for after, why in [
            ("return np.clip(low, 0, None), np.clip(high, 0, 1)", "the lower bound is below k/n <= 1"),
            ("return np.clip(low, 0, 2), np.clip(high, 0, 1)", "the lower bound is below k/n <= 1"),
            ("return np.clip(low, 0, 1), np.clip(high, None, 1)", "the upper bound is above k/n >= 0"),
        ]
    ],
    *[
        ("funnel_limits", before, after, "a group nobody is due in gets NaN whatever its safe stand-in")
        for before, after in [
            ("safe_n = np.where(ok, n, 1)", "safe_n = np.where(ok, n, 2)"),
            ("safe_p = np.where(ok, np.clip(p0, 0, 1), 0.5)", "safe_p = np.where(ok, np.clip(p0, 0, 1), None)"),
            ("safe_p = np.where(ok, np.clip(p0, 0, 1), 0.5)", "safe_p = np.where(ok, np.clip(p0, 0, 1), 1.5)"),
        ]
    ],
    *[
        (
            "funnel_limits",
            "step = np.where(mass > 0, (at_r - tail) / mass, 0.0)",
            after,
            "r is where the distribution function steps up to the tail, so P(R = r) > 0",
        )
        for after in (
            "step = np.where(mass >= 0, (at_r - tail) / mass, 0.0)",
            "step = np.where(mass > 0, (at_r - tail) / mass, 1.0)",
        )
    ],
    *[
        (
            "funnel_limits",
            "return np.where(ok, np.clip((r - step) / safe_n, 0, 1), np.nan)",
            after,
            "r <= n and step >= 0, so the limit never exceeds 1",
        )
        for after in (
            "return np.where(ok, np.clip((r - step) / safe_n, 0, None), np.nan)",
            "return np.where(ok, np.clip((r - step) / safe_n, 0, 2), np.nan)",
        )
    ],
    *[
        (
            "stable_argsort",
            "if (high - low + 1) * n >= 2**62:",
            after,
            "only which of two sorts runs changes, and both give the stable order (test_arrays tests both); "
            "below 2**63 the packed values still fit",
        )
        for after in (
            "if (high - low - 1) * n >= 2**62:",
            "if (high - low + 2) * n >= 2**62:",
            "if (high - low + 1) * n > 2**62:",
            "if (high - low + 1) * n >= 2 * 62:",
            "if (high - low + 1) * n >= 2**63:",
        )
    ],
    (
        "stable_argsort",
        'return np.argsort(key, kind="stable")',
        'return np.argsort(key, kind="STABLE")',
        "numpy reads the sort kind without regard to case",
    ),
    (
        "stable_argsort",
        "packed = (key.astype(np.int64) - np.int64(low)) * np.int64(n) + np.arange(n, dtype=np.int64)",
        "packed = (key.astype(np.int64) + np.int64(low)) * np.int64(n) + np.arange(n, dtype=np.int64)",
        "adding the minimum instead of subtracting it shifts every key alike, so the order is the same "
        "(the keys sorted are day numbers and codes, far from overflow)",
    ),
    *[
        (
            "sort_by",
            "return stable_argsort(major.astype(np.int64) * np.int64(minor.max() - low + 1) + (minor - low))",
            after,
            "the packed key still orders by major, then minor: the shift is common to all, the room wider",
        )
        for after in (
            "return stable_argsort(major.astype(np.int64) * np.int64(minor.max() - low + 2) + (minor - low))",
            "return stable_argsort(major.astype(np.int64) * np.int64(minor.max() - low + 1) + (minor + low))",
        )
    ],
    *[
        (
            "latest_on_or_before",
            'latest = np.full(len(when), np.datetime64("NaT"), dtype="datetime64[D]")',
            after,
            "every spelling is numpy's not-a-time",
        )
        for after in (
            'latest = np.full(len(when), None, dtype="datetime64[D]")',
            'latest = np.full(len(when), np.datetime64(None), dtype="datetime64[D]")',
            'latest = np.full(len(when), np.datetime64("nat"), dtype="datetime64[D]")',
            'latest = np.full(len(when), np.datetime64("NAT"), dtype="datetime64[D]")',
        )
    ],
    (
        "latest_on_or_before",
        "span = np.int64(max(day.max(), when.max()) - base) + 2",
        "span = np.int64(max(day.max(), when.max()) - base) + 3",
        "a wider room for the day keeps the key one-to-one",
    ),
    *[
        (
            "repeats_of_earlier",
            'if key.dtype.kind not in "iu":',
            after,
            "integer keys then take the general path (pandas' duplicated), which gives the same answer more slowly",
        )
        for after in (
            'if key.dtype.kind in "iu":',
            'if key.dtype.kind not in "XXiuXX":',
            'if key.dtype.kind not in "IU":',
        )
    ],
    *[
        (
            "parse_month",
            'return pd.Period(text, freq="M")',
            after,
            "the text is checked as YYYY-MM first, and pandas reads a YYYY-MM period as monthly",
        )
        for after in ("return pd.Period(text, freq=None)", "return pd.Period(text, )")
    ],
    *[
        (
            "month_range",
            before,
            before.replace("if isinstance", "if (isinstance").replace(", str) else", ", str)) or True else"),
            "parse_month takes a month period as well as its text",
        )
        for before in (
            "first = parse_month(first) if isinstance(first, str) else first",
            "last = parse_month(last) if isinstance(last, str) else last",
        )
    ],
    *[
        (
            "month_range",
            'return pd.period_range(first, last, freq="M")',
            after,
            "first and last are monthly periods, whose frequency pandas takes",
        )
        for after in ("return pd.period_range(first, last, freq=None)", "return pd.period_range(first, last, )")
    ],
    (
        "index_of",
        "hit = (at < self.n) & (self.ordinal[np.minimum(at, self.n - 1)] == month)",
        "hit = (at <= self.n) & (self.ordinal[np.minimum(at, self.n - 1)] == month)",
        "at == n only for a month after the last requested, which never equals the last",
    ),
    (
        "index_of",
        "return np.where(hit, at, -1)",
        "return np.where(hit, at, -2)",
        "callers test for a month index below 0, not for -1",
    ),
    (
        "explode_months",
        'first = np.searchsorted(months.ordinal, start.astype("datetime64[M]").astype(np.int64), side="left")',
        'first = np.searchsorted(months.ordinal, start.astype("datetime64[M]").astype(np.int64), )',
        "side='left' is searchsorted's default",
    ),
    (
        "reason_days",
        'covered = np.bincount(row_of_post, weights=posts["end"] - posts["start"], minlength=n).astype(np.int64)',
        'covered = np.bincount(row_of_post, weights=posts["end"] - posts["start"], ).astype(np.int64)',
        "every person-month row has an assignment, so the count reaches n rows without minlength",
    ),
    *[
        (
            "reason_days",
            "n_kinds = 3 + 2 * max(len(layers), 1)",
            after,
            "more room for the event kind: kinds are packed and unpacked with the same n_kinds, and the extra "
            "layers of the tables below match no reason",
        )
        for after in (
            "n_kinds = 4 + 2 * max(len(layers), 1)",
            "n_kinds = 3 + 3 * max(len(layers), 1)",
            "n_kinds = 3 + 2 * max(len(layers), 2)",
        )
    ],
    *[
        (
            "reason_days",
            "kind_layer = np.array([-2, -1, -1] + [k for k in range(n_kinds // 2 - 1) for _ in (0, 1)])",
            after,
            "a month bound (kind 0) moves no count (its delta is 0), whatever layer it is given; and only the "
            "number of items in (0, 1) matters, not their values",
        )
        for after in (
            "kind_layer = np.array([+2, -1, -1] + [k for k in range(n_kinds // 2 - 1) for _ in (0, 1)])",
            "kind_layer = np.array([-3, -1, -1] + [k for k in range(n_kinds // 2 - 1) for _ in (0, 1)])",
            "kind_layer = np.array([-2, -1, -1] + [k for k in range(n_kinds // 2 - 1) for _ in (1, 1)])",
            "kind_layer = np.array([-2, -1, -1] + [k for k in range(n_kinds // 2 - 1) for _ in (0, 2)])",
        )
    ],
    (
        "reason_days",
        "kind_delta = np.array([0, 1, -1] + [d for _ in range(n_kinds // 2 - 1) for d in (1, -1)])",
        "kind_delta = np.array([1, 1, -1] + [d for _ in range(n_kinds // 2 - 1) for d in (1, -1)])",
        "a month bound's layer (-2) is no reason's, so its delta is never taken",
    ),
    *[
        (
            "reason_days",
            "width = int(pos.max()) - low + 1",
            after,
            "more room for the day (day numbers are positive): packed and unpacked with the same width",
        )
        for after in ("width = int(pos.max()) + low + 1", "width = int(pos.max()) - low + 2")
    ],
    *[
        (
            "reason_days",
            "if (int(code.max()) + 1) * width * n_kinds < PACKED_KEY_LIMIT:",
            after,
            "only which of two sorts runs changes; test_eligibility holds that both give the same days",
        )
        for after in (
            "if (int(code.max()) + 1) * width / n_kinds < PACKED_KEY_LIMIT:",
            "if (int(code.max()) + 1) / width * n_kinds < PACKED_KEY_LIMIT:",
            "if (int(code.max()) - 1) * width * n_kinds < PACKED_KEY_LIMIT:",
            "if (int(code.max()) + 2) * width * n_kinds < PACKED_KEY_LIMIT:",
            "if (int(code.max()) + 1) * width * n_kinds <= PACKED_KEY_LIMIT:",
        )
    ],
    (
        "reason_days",
        "code, pos = key // width, key % width + low",
        "code, pos = key // width, key % width - low",
        "every day is shifted alike and only the gaps between days are used",
    ),
    (
        "reason_days",
        "pos = key % width + low",
        "pos = key % width - low",
        "every day is shifted alike and only the gaps between days are used",
    ),
    (
        "reason_days",
        "pos += low",
        "pos -= low",
        "every day is shifted alike and only the gaps between days are used",
    ),
    *[
        (
            "reason_days",
            f"np.full(n_post, {value}, np.int8),",
            after,
            "an assignment's start and end held as int64 rather than a byte: the concatenated kinds "
            "are int64, the same values, indexing the same steps",
        )
        for value in (1, 2)
        for after in (f"np.full(n_post, {value}, None),", f"np.full(n_post, {value}, ),")
    ],
    *[
        (
            "reason_days",
            "code = np.floor_divide(key, width, out=key)",
            after,
            "in place or into a new array: the same values",
        )
        for after in ("code = np.floor_divide(key, width, out=None)", "code = np.floor_divide(key, width, )")
    ],
    *[
        ("reason_days", before, after, why)
        for before, afters, why in (
            (
                "length = np.zeros(len(code), dtype=np.int32)",
                ("length = np.zeros(len(code), dtype=None)", "length = np.zeros(len(code), )"),
                "day counts as float64 are exact, and bincount weighs with floats anyway",
            ),
            (
                "reason = np.full(len(code), -1, dtype=np.int8)",
                ("reason = np.full(len(code), -1, dtype=None)", "reason = np.full(len(code), -1, )"),
                "a reason's position (-1 to 5) is the same number in any integer width",
            ),
            (
                "running = np.cumsum(step.astype(np.int32)[kind], dtype=np.int32)",
                (
                    "running = np.cumsum(step.astype(np.int32)[kind], dtype=None)",
                    "running = np.cumsum(step.astype(np.int32)[kind], )",
                ),
                "the running count of open intervals is small: int32 and int64 hold the same numbers",
            ),
        )
        for after in afters
    ],
    (
        "build",
        "running_end <<= np.int64(33)",
        "running_end <<= np.int64(34)",
        "spare room in the packed key: ends need 33 bits, ranks of a national extract fewer than 29",
    ),
    (
        "from_allocations",
        "person = person.astype(np.int64, copy=False)",
        "person = person.astype(None, copy=False)",
        "whole numbers as floats: sort_order and build cast person codes to int64 before any packing",
    ),
    *[
        (
            "from_allocations",
            "case = case if np.issubdtype(case.dtype, np.integer) else pd.factorize(case)[0]",
            after,
            "numbering loaded case codes again gives other numbers for the same cases: only which "
            "allocations share a case counts",
        )
        for after in (
            "case = case if (np.issubdtype(case.dtype, np.integer)) and False else pd.factorize(case)[0]",
            "case = case if np.issubdtype(None, np.integer) else pd.factorize(case)[0]",
            "case = case if np.issubdtype(case.dtype, None) else pd.factorize(case)[0]",
        )
    ],
    *[
        (
            "role_caseloads",
            'out["caseload"] = case_index.counts(out["staff_id"], out["date"], complex_cases=False)[0]',
            after,
            "only the first of the pair (the caseload) is read: the flag only spares counting complex cases",
        )
        for after in (
            'out["caseload"] = case_index.counts(out["staff_id"], out["date"], complex_cases=None)[0]',
            'out["caseload"] = case_index.counts(out["staff_id"], out["date"], )[0]',
            'out["caseload"] = case_index.counts(out["staff_id"], out["date"], complex_cases=True)[0]',
        )
    ],
    *[
        (
            "assignments_on",
            "day = np.where(np.isnat(when), 0, when.astype(np.int64))",
            after,
            "a blank date's stand-in day is never read: ~np.isnat(when) makes the key not employed",
        )
        for after in (
            "day = np.where(None, 0, when.astype(np.int64))",
            "day = np.where(np.isnat(when), 1, when.astype(np.int64))",
        )
    ],
    *[
        (
            "assignments_on",
            "post_person, end, order = np.array([-1]), np.array([0]), np.array([0])",
            after,
            "with no posts nobody is known (who is -1 throughout), so the stand-in post is never taken",
        )
        for after in (
            "post_person, end, order = np.array([+1]), np.array([0]), np.array([0])",
            "post_person, end, order = np.array([-2]), np.array([0]), np.array([0])",
            "post_person, end, order = np.array([-1]), np.array([1]), np.array([0])",
            "post_person, end, order = np.array([-1]), np.array([0]), np.array([1])",
        )
    ],
    (
        "_last_on_or_before",
        "return np.full(len(who), -1, dtype=np.int64)",
        "return np.full(len(who), -2, dtype=np.int64)",
        "any negative position means none: the caller tests at >= 0",
    ),
    (
        "_last_on_or_before",
        "width = last - first + 2  # slot 0: before the person's first post",
        "width = last - first + 3  # slot 0: before the person's first post",
        "spare room in the packed key",
    ),
    *[
        (
            "_last_on_or_before",
            'return np.searchsorted(keys, who * width + (np.clip(on, first - 1, last) - first + 1), side="right") - 1',
            after,
            "a date before every post lands on the person before (or nowhere), which the caller's "
            "check of the person already refuses",
        )
        for after in (
            'return np.searchsorted(keys, who * width + (np.clip(on, None, last) - first + 1), side="right") - 1',
            'return np.searchsorted(keys, who * width + (np.clip(on, first - 2, last) - first + 1), side="right") - 1',
        )
    ],
    (
        "binomial_sf_at",
        "return np.where(k <= 0, 1.0, np.where(k > n, 0.0, inside))",
        "return np.where(k <= 0, 1.0, np.where(None, 0.0, inside))",
        "above n, k - 1 is clipped to n and bdtrc(n, n, p) is exactly 0.0",
    ),
    (
        "assignments_on",
        'hit = pairs.loc[covering].drop_duplicates("_key")',
        "hit = pairs.loc[covering].drop_duplicates(None)",
        "a person's assignments never overlap (the loader refuses them), so each key has one covering row",
    ),
    *[
        (
            "assignments_on",
            'earliest = pd.Series(person_qualified_dates(staff).reindex(out["staff_id"].to_numpy()).to_numpy(), index=out.index)',
            after,
            "out's index is the default one, which pandas gives the new series anyway",
        )
        for after in (
            'earliest = pd.Series(person_qualified_dates(staff).reindex(out["staff_id"].to_numpy()).to_numpy(), index=None)',
            'earliest = pd.Series(person_qualified_dates(staff).reindex(out["staff_id"].to_numpy()).to_numpy(), )',
        )
    ],
    *[
        (
            "as_days",
            'days = np.asarray(values, dtype="datetime64[ns]")',
            after,
            "numpy then raises TypeError and the pandas reading that follows gives the same days",
        )
        for after in (
            'days = np.asarray(dtype="datetime64[ns]")',
            'days = np.asarray(values, dtype="XXdatetime64[ns]XX")',
            'days = np.asarray(values, dtype="DATETIME64[NS]")',
        )
    ],
    *[
        (
            "add_months",
            "if d.ndim == 1 and len(d) > 4096:",
            after,
            "only whether the distinct dates are worked out once changes; test_calendar holds both ways agree",
        )
        for after in (
            "if d.ndim == 1 or len(d) > 4096:",
            "if d.ndim != 1 and len(d) > 4096:",
            "if d.ndim == 2 and len(d) > 4096:",
            "if d.ndim == 1 and len(d) >= 4096:",
            "if d.ndim == 1 and len(d) > 4097:",
        )
    ],
    *[
        (
            "__init__",
            'periods = sorted({pd.Period(m, freq="M") for m in months})',
            after,
            "the months are monthly periods or YYYY-MM text, which pandas reads as monthly",
        )
        for after in (
            "periods = sorted({pd.Period(m, freq=None) for m in months})",
            "periods = sorted({pd.Period(m, ) for m in months})",
        )
    ],
    *[
        (
            "_formal_supervisions",
            "key = (person.astype(np.int64) * (int(offset.max()) + 1) + offset) * (int(kind.max()) + 1) + kind",
            after,
            "the key stays one-to-one: each part keeps room for its whole range (or is taken away, which is as distinct)",
        )
        for after in (
            "key = (person.astype(np.int64) * (int(offset.max()) + 1) + offset) * (int(kind.max()) + 1) - kind",
            "key = (person.astype(np.int64) * (int(offset.max()) + 1) - offset) * (int(kind.max()) + 1) + kind",
            "key = (person.astype(np.int64) * (int(offset.max()) + 2) + offset) * (int(kind.max()) + 1) + kind",
            "key = (person.astype(np.int64) * (int(offset.max()) + 1) + offset) * (int(kind.max()) + 2) + kind",
        )
    ],
    *[
        (
            "_supervision_flags",
            "n_late = np.maximum(late_last - late_first + 1, 0)",
            after,
            "the extra month is the supervision's own, where it counts as supervised, which no near miss can be",
        )
        for after in (
            "n_late = np.maximum(late_last - late_first + 2, 0)",
            "n_late = np.maximum(late_last - late_first + 1, 1)",
        )
    ],
    (
        "_supervision_flags",
        'late_month = months.index_of(ordinal.astype("datetime64[M]").astype("datetime64[D]"))',
        'late_month = months.index_of(ordinal.astype("datetime64[M]").astype(None))',
        "index_of reads the months back from the count numpy writes",
    ),
    (
        "_no_one",
        'out = pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})',
        "out = pd.DataFrame({c: pd.Series(dtype=None) for c in COLUMNS})",
        "the frame has no rows: nothing is written from it and the tables built on it are zero grids",
    ),
    (
        "person_months",
        "if span.n == 0 or staff.empty:",
        "if span.n == 0 and staff.empty:",
        "with no staff the full path finds no one in scope and returns the same empty frame",
    ),
    *[
        (
            "person_months",
            "reason = np.where(due, len(reasons), days.argmax(axis=1) if reasons else 0)",
            after,
            "exclusion_reasons always lists every reason (the settings refuse fewer)",
        )
        for after in (
            "reason = np.where(due, len(reasons), days.argmax(axis=1) if (reasons) or True else 0)",
            "reason = np.where(due, len(reasons), days.argmax(axis=1) if reasons else 1)",
        )
    ],
    *[
        (
            "person_months",
            "**{reason_column(name): np.zeros(len(pm_code), np.int64) for name in ALL_REASONS},",
            after,
            "the columns are filled from whole-number arrays straight after",
        )
        for after in (
            "**{reason_column(name): np.zeros(len(pm_code), None) for name in ALL_REASONS},",
            "**{reason_column(name): np.zeros(len(pm_code), ) for name in ALL_REASONS},",
        )
    ],
    (
        "principal_complexity",
        'people = loads.loc[loads["date"].isin(dates) & loads["role"].isin(roles)]',
        'people = loads.loc[loads["date"].isin(dates) | loads["role"].isin(roles)]',
        "rows of other dates or roles are dropped by the merge onto the grid of dates and roles",
    ),
    (
        "build",
        "first_of_pair = np.r_[True, (person[1:] != person[:-1]) | (case[1:] != case[:-1])]",
        "first_of_pair = np.r_[False, (person[1:] != person[:-1]) | (case[1:] != case[:-1])]",
        "the first interval starts a block anyway (its start is after the -1 before it); the ranks shift alike",
    ),
    (
        "build",
        "running_end = np.maximum.accumulate((pair_rank << np.int64(33)) | end) & np.int64(2**33 - 1)",
        "running_end = np.maximum.accumulate((pair_rank << np.int64(34)) | end) & np.int64(2**33 - 1)",
        "more room above the end (days fit in 33 bits): the same running maximum within each pair",
    ),
    *[
        (
            "build",
            "previous_end = np.r_[np.int64(-1), running_end[:-1]]",
            after,
            "the first interval starts a block whatever end is put before it (first_of_pair)",
        )
        for after in (
            "previous_end = np.r_[np.int64(+1), running_end[:-1]]",
            "previous_end = np.r_[np.int64(-2), running_end[:-1]]",
        )
    ],
    (
        "from_allocations",
        '& allocations["case_id"].notna().to_numpy()\n& allocations["staff_id"].notna().to_numpy()',
        '& allocations["case_id"].notna().to_numpy() | allocations["staff_id"].notna().to_numpy()',
        "blank ids and start dates are errors the loader refuses, so every allocation passes each test",
    ),
    (
        "from_allocations",
        'allocations["start_date"].notna().to_numpy()\n& allocations["case_id"].notna().to_numpy()',
        'allocations["start_date"].notna().to_numpy() | allocations["case_id"].notna().to_numpy()',
        "blank ids and start dates are errors the loader refuses, so every allocation passes each test",
    ),
    *[
        (
            "from_allocations",
            "valid &= covers_any(start, end, only_days)",
            after,
            "every allocation is valid (see above); keeping those that cover none of the dates only makes the "
            "index bigger, not its answers different",
        )
        for after in ("valid = covers_any(start, end, only_days)", "valid |= covers_any(start, end, only_days)")
    ],
    (
        "from_allocations",
        'if "case_type" in rows',
        'if ("case_type" in rows) or True',
        "the loader gives allocations a case_type column always (blank where the extract has none)",
    ),
    *[
        (
            "from_allocations",
            "else np.zeros(len(rows), dtype=bool)",
            after,
            "never taken: the loader gives allocations a case_type column always",
        )
        for after in (
            "else np.zeros(None, dtype=bool)",
            "else np.zeros(len(rows), dtype=None)",
            "else np.zeros(dtype=bool)",
            "else np.zeros(len(rows), )",
        )
    ],
    (
        "counts",
        "person = np.where(known, person, 0)",
        "person = np.where(known, person, 1)",
        "a staff_id with no allocation is given 0 cases afterwards, whoever stands in for it",
    ),
    *[
        (
            "as_dates",
            'if isinstance(dates, (str, pd.Timestamp)) or np.isscalar(dates) or not hasattr(dates, "__len__"):',
            after,
            "text, Timestamps and numpy dates are still told from lists by the other tests",
        )
        for after in (
            'if isinstance(dates, (str, pd.Timestamp)) or np.isscalar(dates) and not hasattr(dates, "__len__"):',
            'if isinstance(dates, (str, pd.Timestamp)) and np.isscalar(dates) or not hasattr(dates, "__len__"):',
            'if isinstance(dates, (str, pd.Timestamp)) or np.isscalar(None) or not hasattr(dates, "__len__"):',
        )
    ],
    *[
        (
            "months_since",
            'return (whole - (landing_day > d.dt.day).astype("Int64")).astype("Int64")',
            after,
            "a true or false taken from a whole number is 1 or 0 in any integer type; the result is made Int64",
        )
        for after in (
            'return (whole - (landing_day > d.dt.day).astype(None)).astype("Int64")',
            'return (whole - (landing_day > d.dt.day).astype("int64")).astype("Int64")',
        )
    ],
    *[
        (
            "_employed_on",
            'people = pd.Index(pd.unique(data.staff["staff_id"].astype(object)), name="staff_id")',
            after,
            "the name of an intermediate index that reaches no table",
        )
        for after in (
            'people = pd.Index(pd.unique(data.staff["staff_id"].astype(object)), name=None)',
            'people = pd.Index(pd.unique(data.staff["staff_id"].astype(object)), )',
            'people = pd.Index(pd.unique(data.staff["staff_id"].astype(object)), name="XXstaff_idXX")',
            'people = pd.Index(pd.unique(data.staff["staff_id"].astype(object)), name="STAFF_ID")',
        )
    ],
    *[
        (
            "caseloads_on",
            "return caseloads_from_index(data, dates, config, case_index(data, config, dates))",
            after,
            "an index of every allocation answers for these dates as one of theirs alone does",
        )
        for after in (
            "return caseloads_from_index(data, dates, config, case_index(data, config, None))",
            "return caseloads_from_index(data, dates, config, case_index(data, config, ))",
        )
    ],
    *[
        (
            "caseload_outside_employment",
            "rows = caseloads_outside_employment(data, dates, config, case_index, loads)",
            after,
            "the index and the employed rows are passed only to save working them out again, as the callee does "
            "from data and config without them",
        )
        for after in (
            "rows = caseloads_outside_employment(data, dates, None, case_index, loads)",
            "rows = caseloads_outside_employment(data, dates, config, None, loads)",
            "rows = caseloads_outside_employment(data, dates, config, case_index, None)",
            "rows = caseloads_outside_employment(data, dates, config, case_index, )",
        )
    ],
    *[
        (
            "supervision_monthly",
            'overall.index = pd.MultiIndex.from_arrays([overall.index, ["all"] * len(overall)], names=["month", "category"])',
            after,
            "the names are set again when the categories are joined on (the golden tables' columns hold)",
        )
        for after in (
            'overall.index = pd.MultiIndex.from_arrays([overall.index, ["all"] * len(overall)], names=None)',
            'overall.index = pd.MultiIndex.from_arrays([overall.index, ["all"] * len(overall)], )',
            'overall.index = pd.MultiIndex.from_arrays([overall.index, ["all"] * len(overall)], names=["XXmonthXX", "category"])',
            'overall.index = pd.MultiIndex.from_arrays([overall.index, ["all"] * len(overall)], names=["MONTH", "category"])',
            'overall.index = pd.MultiIndex.from_arrays([overall.index, ["all"] * len(overall)], names=["month", "XXcategoryXX"])',
            'overall.index = pd.MultiIndex.from_arrays([overall.index, ["all"] * len(overall)], names=["month", "CATEGORY"])',
        )
    ],
    *[
        (
            "absence_pieces",
            "layer = np.array([position.get(t, -1) for t in types] + [-1], dtype=np.int64)[type_code]",
            after,
            "every absence type is a reason and none is blank (the settings and the loader refuse otherwise), "
            "so no absence takes the stand-in layer",
        )
        for after in (
            "layer = np.array([position.get(t, None) for t in types] + [-1], dtype=np.int64)[type_code]",
            "layer = np.array([position.get(t, ) for t in types] + [-1], dtype=np.int64)[type_code]",
            "layer = np.array([position.get(t, +1) for t in types] + [-1], dtype=np.int64)[type_code]",
            "layer = np.array([position.get(t, -2) for t in types] + [-1], dtype=np.int64)[type_code]",
            "layer = np.array([position.get(t, -1) for t in types] + [+1], dtype=np.int64)[type_code]",
            "layer = np.array([position.get(t, -1) for t in types] + [-2], dtype=np.int64)[type_code]",
        )
    ],
    (
        "caseload_change",
        'wide = table.pivot(index=["dimension", "group"], columns="when", values=list(_CHANGE_MEASURES))',
        'wide = table.pivot(index=["dimension", "group"], columns="when", )',
        "the reindex on the next line keeps the three measures alone",
    ),
    (
        "caseload_change",
        'out["mean_caseload_change"] = out["mean_caseload_change"].round(2)',
        'out["mean_caseload_change"] = out["mean_caseload_change"].round(3)',
        "a difference of two means of two places has two places: three only clears the same binary noise",
    ),
    *[
        (
            "caseload_change",
            'dims = {"headline": 0, "team": 1, "role": 2}',
            after,
            "roles come last whether ranked 2, 3 or blank (which pandas sorts last)",
        )
        for after in (
            'dims = {"headline": 0, "team": 1, "XXroleXX": 2}',
            'dims = {"headline": 0, "team": 1, "ROLE": 2}',
            'dims = {"headline": 0, "team": 1, "role": 3}',
        )
    ],
    (
        "caseload_distribution",
        'people = loads.loc[loads["date"].isin(snapshots) & headline_mask(loads, config) & (loads["caseload"] > 0)]',
        'people = loads.loc[loads["date"].isin(snapshots) & headline_mask(loads, config) & (loads["caseload"] >= 0)]',
        "a caseload of 0 falls in band -1, which the reindex onto the bands drops",
    ),
    *[
        (
            "caseload_distribution",
            'counts = pd.DataFrame({"snapshot": people["date"].to_numpy(), "band": band}).value_counts()',
            after,
            "the counts are reindexed onto the grid, whose own names the table takes",
        )
        for after in (
            'counts = pd.DataFrame({"XXsnapshotXX": people["date"].to_numpy(), "band": band}).value_counts()',
            'counts = pd.DataFrame({"SNAPSHOT": people["date"].to_numpy(), "band": band}).value_counts()',
            'counts = pd.DataFrame({"snapshot": people["date"].to_numpy(), "XXbandXX": band}).value_counts()',
            'counts = pd.DataFrame({"snapshot": people["date"].to_numpy(), "BAND": band}).value_counts()',
        )
    ],
    *[
        (
            "sort_order",
            before,
            after,
            "only which of two sorts runs (or how much room the packed key has) changes; test_case_index holds "
            "both sorts give the same order",
        )
        for before, after in (
            ("n_case = int(case.max()) + 1", "n_case = int(case.max()) + 2"),
            (
                "day_bits = max(int(start.max()) - first_day, 1).bit_length()",
                "day_bits = max(int(start.max()) + first_day, 1).bit_length()",
            ),
            (
                "day_bits = max(int(start.max()) - first_day, 1).bit_length()",
                "day_bits = max(int(start.max()) - first_day, 2).bit_length()",
            ),
            (
                "pair_bits = max(int(person.max()) * n_case + n_case, 1).bit_length()",
                "pair_bits = max(int(person.max()) * n_case - n_case, 1).bit_length()",
            ),
            (
                "pair_bits = max(int(person.max()) * n_case + n_case, 1).bit_length()",
                "pair_bits = max(int(person.max()) * n_case + n_case, 2).bit_length()",
            ),
            ("if pair_bits + day_bits <= PACKED_BITS:", "if pair_bits - day_bits <= PACKED_BITS:"),
            ("if pair_bits + day_bits <= PACKED_BITS:", "if pair_bits + day_bits < PACKED_BITS:"),
        )
    ],
    *[
        (
            "caseloads_outside_employment",
            "index = index or case_index(data, config, dates)",
            after,
            "an index of every allocation answers for these dates as one of theirs alone does",
        )
        for after in ("index = index or case_index(data, config, None)", "index = index or case_index(data, config, )")
    ],
    (
        "add_months",
        "codes, distinct = pd.factorize(d.view(np.int64))",
        "codes, distinct = pd.factorize(d.view(None))",
        "the dates are factorized as dates instead of their day numbers, and viewed back as days",
    ),
    (
        "rate",
        "return np.round(np.where(den > 0, num / den, np.nan), places)",
        "return np.round(np.where(den >= 0, num / den, np.nan), places)",
        "with nobody to divide by there is nobody counted above it either: 0 / 0 is NaN",
    ),
    (
        "reason_days",
        "counted = (reason >= 0) & (length > 0)",
        "counted = (reason >= 0) & (length >= 0)",
        "a span of no days adds 0 days",
    ),
    (
        "compare_groups",
        'overall = pm["supervised"].sum() / pm["due"].sum() if pm["due"].sum() else np.nan',
        'overall = pm["supervised"].sum() / pm["due"].sum() if (pm["due"].sum()) or True else np.nan',
        "0 / 0 is NaN either way",
    ),
    *[
        (
            "outside_flag",
            "p = overall if np.isfinite(overall) else 0.5",
            after,
            "with no overall rate every flag is blanked (the last line), whatever p stands in",
        )
        for after in (
            "p = overall if (np.isfinite(overall)) or True else 0.5",
            "p = overall if np.isfinite(overall) else 1.5",
        )
    ],
    *[
        (
            "outside_flag",
            '[above < tails["998"], above < tails["95"], below < tails["998"], below < tails["95"]],',
            after,
            "a binomial tail probability equal to 0.001 or 0.025 to the last binary digit does not occur",
        )
        for after in (
            '[above <= tails["998"], above < tails["95"], below < tails["998"], below < tails["95"]],',
            '[above < tails["998"], above <= tails["95"], below < tails["998"], below < tails["95"]],',
            '[above < tails["998"], above < tails["95"], below <= tails["998"], below < tails["95"]],',
            '[above < tails["998"], above < tails["95"], below < tails["998"], below <= tails["95"]],',
        )
    ],
]
