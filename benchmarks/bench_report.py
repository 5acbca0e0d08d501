"""``report`` against the naive notebook pipeline, timed in the same run on the same notebooks.

Naive: for every month and every report notebook, the Papermill command line (a new Python, a
new kernel, the notebook computing its own tables), then ``jupyter nbconvert --to html
--no-input`` (another new Python). Ours: one ``python -m analysis report`` command (warm IPC
kernels, tables computed once per month, one exporter, notebooks in parallel).

Both are timed for one month (2019-12; in turn, twice each, the best of each) and for a
twelve-month batch (2019-01 to 2019-12, once each) on ``data/sample``, and the ratios (ours /
naive) printed. Targets: one month <= 1/5, twelve
months <= 1/12. ``python benchmarks/bench_report.py [--months N]`` (N < 12 for a quicker look).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pandas as pd  # noqa: E402
from common import PYTHON, ROOT, best_of_each, run_quietly  # noqa: E402

NOTEBOOKS = ("supervision.ipynb", "caseload.ipynb", "team_detail.ipynb")
KERNEL = "supervision-caseload"
SAMPLE = ROOT / "data" / "sample"
BIN = Path(PYTHON).parent
TARGET_ONE, TARGET_BATCH = 1 / 5, 1 / 12


def _tool(name: str) -> str:
    local = BIN / name
    return str(local) if local.exists() else (shutil.which(name) or name)


def naive(months: list[str], out: Path) -> float:
    """papermill CLI then jupyter nbconvert CLI, per month and notebook; seconds."""
    papermill, jupyter = _tool("papermill"), _tool("jupyter")
    started = time.perf_counter()
    for month in months:
        folder = out / month
        folder.mkdir(parents=True, exist_ok=True)
        for name in NOTEBOOKS:
            executed = folder / name
            run_quietly(
                [
                    papermill,
                    str(ROOT / "notebooks" / name),
                    str(executed),
                    "-k",
                    KERNEL,
                    "-p",
                    "month",
                    month,
                    "-p",
                    "data_dir",
                    str(SAMPLE),
                    "-p",
                    "out_dir",
                    str(folder),
                    "--cwd",
                    str(ROOT / "notebooks"),
                    "--no-progress-bar",
                ]
            )
            run_quietly([jupyter, "nbconvert", "--to", "html", "--no-input", str(executed)])
    return time.perf_counter() - started


def ours(months: list[str], out: Path) -> float:
    """One ``python -m analysis report`` command for the months; seconds."""
    spec = months[0] if len(months) == 1 else f"{months[0]}:{months[-1]}"
    started = time.perf_counter()
    run_quietly([PYTHON, "-m", "analysis", "report", "--month", spec, "--data", str(SAMPLE), "--out", str(out)])
    elapsed = time.perf_counter() - started
    missing = [m for m in months if not (out / m / "manifest.json").exists()]
    if missing:
        raise SystemExit(f"report wrote no folder for {missing}")
    return elapsed


def compare(label: str, months: list[str], target: float, work: Path, repeats: int = 1) -> float:
    """Both pipelines for ``months``, in turn, ``repeats`` times; the ratio of the best of each."""
    seconds = best_of_each(
        repeats,
        {
            "naive": lambda: naive(months, Path(tempfile.mkdtemp(prefix="naive-", dir=work))),
            "ours": lambda: ours(months, Path(tempfile.mkdtemp(prefix="ours-", dir=work))),
        },
    )
    slow, fast = seconds["naive"], seconds["ours"]
    ratio = fast / slow
    verdict = "meets" if ratio <= target else "misses"
    print(
        f"bench_report {label}: report {fast:.1f} s, naive papermill+nbconvert CLI {slow:.1f} s, "
        f"ratio {ratio:.3f} (1/{1 / ratio:.1f}); target <= 1/{1 / target:.0f}: {verdict}",
        flush=True,
    )
    return ratio


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=12, help="months in the batch (default 12)")
    args = parser.parse_args(argv if argv is not None else [])
    if not (SAMPLE / "staff.csv").exists():
        print("bench_report: data/sample is missing; run `make synth` first")
        return {}
    last = pd.Period("2019-12", "M")
    batch = [str(p) for p in pd.period_range(last - (args.months - 1), last, freq="M")]
    print(
        f"bench_report: {os.cpu_count()} cores; one month (2019-12), then {len(batch)} months "
        f"({batch[0]} to {batch[-1]}) ...",
        flush=True,
    )
    work = Path(tempfile.mkdtemp(prefix="bench-report-"))
    try:
        ours([str(last)], work / "warm-up")  # the first run compiles bytecode and fills font caches
        return {
            "one_month": compare("one month", [str(last)], TARGET_ONE, work, repeats=2),
            "batch": compare(f"{len(batch)} months", batch, TARGET_BATCH, work),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
