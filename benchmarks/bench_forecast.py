"""The forecast's back-test against its targets, and what the forecast adds to ``report``'s time.

Over the sample's history and two synthetic authorities of other seeds and sizes: the share of
team-months whose 80% and 95% intervals held what happened (targets 75-85% and 91-99%), and the
mean absolute error of the median against "the same as last month" and the trailing 12-month
mean, at service and team level (target: lower than both). Then the time the forecast takes
(its intermediate and three tables) against a whole sample ``report`` of one month, timed in turn.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from common import PYTHON, ROOT, best_of_each, run_quietly

from analysis.config import load_config
from analysis.inputs.loading import load_valid_dataset
from analysis.paths import SAMPLE_DATA
from analysis.tables import MonthTables

AUTHORITIES = {
    # name: (synth arguments, report month); None: the sample
    "sample": (None, "2019-12"),
    "seed 5, 400 people": (["--seed", "5", "--staff", "400", "--start", "2017-04", "--end", "2020-03"], "2020-03"),
    "seed 11, 1,500 people": (["--seed", "11", "--staff", "1500", "--start", "2017-01", "--end", "2020-06"], "2020-06"),
}
FORECAST = ("forecasts", "forecast_next_month", "forecast_backtest", "forecast_calibration")


def authority(name: str, scratch: Path) -> Path:
    args, _ = AUTHORITIES[name]
    if args is None:
        return SAMPLE_DATA
    folder = scratch / name.replace(" ", "_").replace(",", "")
    run_quietly([PYTHON, "-m", "analysis", "synth", "--out", str(folder), *args])
    return folder


def backtest(folder: Path, month: str) -> dict:
    config = load_config()
    tables = MonthTables(load_valid_dataset(folder, config), month, config)
    calibration = tables.forecast_calibration.set_index("scope")
    return {scope: calibration.loc[scope] for scope in ("all", "team")}


def verdict(row, scope: str) -> str:
    inside = ""
    if scope == "team":
        ok80 = 0.75 <= row["share_inside_80"] <= 0.85
        ok95 = 0.91 <= row["share_inside_95"] <= 0.99
        inside = f"  80% {'within' if ok80 else 'OUTSIDE'} 75-85%, 95% {'within' if ok95 else 'OUTSIDE'} 91-99%;"
    beats = row["mae_forecast"] < min(row["mae_last_month"], row["mae_trailing_mean"])
    return inside + f"  median {'beats' if beats else 'does NOT beat'} both simple guesses"


def forecast_share(month: str = "2019-12") -> None:
    """Seconds the forecast takes, against a whole ``report`` of the sample's month (in turn)."""
    config = load_config()
    data = load_valid_dataset(SAMPLE_DATA, config)

    def forecast_only() -> None:
        tables = MonthTables(data, month, config)
        tables.value("person_months")
        start = time.perf_counter()
        for name in FORECAST:
            tables.value(name)
        forecast_only.seconds.append(time.perf_counter() - start)

    forecast_only.seconds = []
    out = Path(tempfile.mkdtemp(prefix="bench-forecast-"))
    times = best_of_each(
        3,
        {
            "report": lambda: run_quietly([PYTHON, "-m", "analysis", "report", "--month", month, "--out", str(out)]),
            "forecast": forecast_only,
        },
    )
    spent = min(forecast_only.seconds)
    print(
        f"forecast: {spent:.2f} s of the forecast's own work, against {times['report']:.1f} s for a whole sample "
        f"report: {spent / times['report']:.1%} (target under 10%)"
    )


def main() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="bench-forecast-data-"))
    for name, (_, month) in AUTHORITIES.items():
        rows = backtest(authority(name, scratch), month)
        for scope, row in rows.items():
            print(
                f"forecast back-test, {name}, {'service' if scope == 'all' else 'teams'}: "
                f"{int(row['group_months'])} group-months; inside 80% {row['share_inside_80']:.1%}, "
                f"95% {row['share_inside_95']:.1%}; mean absolute error {row['mae_forecast']:.4f} against "
                f"{row['mae_last_month']:.4f} (last month) and {row['mae_trailing_mean']:.4f} (12-month mean);"
                + verdict(row, scope)
            )
    forecast_share()


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    main()
