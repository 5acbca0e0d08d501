"""``tables`` on the national-sized data set against merely reading its inputs with pandas.

Both sides run as fresh Python processes (interpreter and pandas import included), measured in
the same run, best of three; the ratio is what matters, not the seconds.
"""

from __future__ import annotations

import tempfile

from common import PYTHON, best_of, national_data, run_quietly

READ_ONLY = (
    "import pandas as pd, sys; from pathlib import Path; d = Path(sys.argv[1]); "
    "[pd.read_csv(d / f'{n}.csv') for n in ('staff', 'absences', 'supervisions', 'allocations')]"
)


def main(repeats: int = 3) -> dict[str, float]:
    data = national_data()
    with tempfile.TemporaryDirectory() as out:
        baseline = best_of(repeats, lambda: run_quietly([PYTHON, "-c", READ_ONLY, str(data)]))
        command = best_of(
            repeats,
            lambda: run_quietly(
                [
                    PYTHON,
                    "-m",
                    "analysis",
                    "tables",
                    "--data",
                    str(data),
                    "--month",
                    "2019-12",
                    "--from",
                    "2017-01",
                    "--out",
                    out,
                ]
            ),
        )
    ratio = command / baseline
    print(
        f"tables, national set, 36 months: {command:.2f} s; reading the CSVs with pandas: "
        f"{baseline:.2f} s; ratio {ratio:.2f}x (target <= 2x)"
    )
    return {"tables_seconds": command, "read_seconds": baseline, "tables_ratio": ratio}


if __name__ == "__main__":
    main()
