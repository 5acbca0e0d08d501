"""``report`` for one month of the national-sized authority (35,000 staff, about 1,400 teams).

Times ``python -m analysis report --month 2019-12`` on ``data/national`` (best of two, after a
warm-up) and checks every HTML page it writes (the leadership reports, the team index, each
team's page) against the 2 MB a page may weigh. Target: under 15 s on the two-core machine the
project is built on, no page over 2 MB. The time to read the CSVs is printed beside it, as the
machine's yardstick.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from common import PYTHON, best_of, national_data, run_quietly

TARGET_SECONDS, PAGE_LIMIT = 15.0, 2 * 1024 * 1024
READ_ONLY = (
    "import pandas as pd, sys; from pathlib import Path; d = Path(sys.argv[1]); "
    "[pd.read_csv(d / f'{n}.csv') for n in ('staff', 'absences', 'supervisions', 'allocations')]"
)


def main(repeats: int = 2) -> dict[str, float]:
    data = national_data()
    work = Path(tempfile.mkdtemp(prefix="bench-national-report-"))
    try:
        command = [PYTHON, "-m", "analysis", "report", "--month", "2019-12", "--data", str(data), "--out", str(work)]
        run_quietly(command)  # warm-up: bytecode, font caches, kernel spec
        seconds = best_of(repeats, lambda: run_quietly(command))
        read = best_of(repeats, lambda: run_quietly([PYTHON, "-c", READ_ONLY, str(data)]))
        sizes = {p.relative_to(work / "2019-12"): p.stat().st_size for p in (work / "2019-12").rglob("*.html")}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    largest = max(sizes, key=sizes.get)
    over = [p for p, size in sizes.items() if size > PAGE_LIMIT]
    pages = sizes
    print(
        f"report, national set (35,000 staff), one month: {seconds:.1f} s (target < {TARGET_SECONDS:.0f} s; "
        f"reading the CSVs {read:.1f} s, ratio {seconds / read:.1f}x); {len(pages)} HTML pages, the largest "
        f"{largest} {sizes[largest] / 1e6:.2f} MB; {len(over)} over 2 MB"
    )
    return {"report_seconds": seconds, "pages": len(pages), "pages_over_2mb": len(over)}


if __name__ == "__main__":
    main()
