"""Shared helpers for the benchmarks: timing and the national-sized synthetic data set."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
NATIONAL = ROOT / "data" / "national"
NATIONAL_ARGS = ["--staff", "35000", "--start", "2017-01", "--end", "2019-12"]


def best_of(repeats: int, run) -> float:
    """The fastest of ``repeats`` timed calls of ``run()``, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def best_of_each(repeats: int, runs: dict[str, object]) -> dict[str, float]:
    """The fastest of ``repeats`` timed calls of each ``runs[name]()``, taken in turn (one of each,
    then again), so that a machine growing busier or quieter during the run weighs on every
    side of a ratio alike; seconds by name."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: min(seconds) for name, seconds in times.items()}


def run_quietly(args: list[str]) -> None:
    """Run a command, failing loudly with its output if it fails."""
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


def national_data(staff: int = 35000) -> Path:
    """The national-sized synthetic authority (36 months of ``staff`` people), made once into
    ``data/national/`` (35,000) or ``data/national-<staff>/``."""
    folder = NATIONAL if staff == 35000 else NATIONAL.with_name(f"national-{staff}")
    if not (folder / "staff.csv").exists():
        print(f"making the national-sized data set in {folder} ...", flush=True)
        args = [*NATIONAL_ARGS[:1], str(staff), *NATIONAL_ARGS[2:]]
        run_quietly([PYTHON, "-m", "analysis", "synth", "--out", str(folder), *args])
    return folder


def peak_memory_mib(args: list[str]) -> float:
    """The peak resident memory of a command, in MiB (its process and any it starts)."""
    probe = (
        "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if done.returncode == 0 else -1)"
    )
    done = subprocess.run([PYTHON, "-c", probe, *args], cwd=ROOT, capture_output=True, text=True)
    kib = int(done.stdout.strip() or -1)
    if kib < 0:
        raise SystemExit(f"{' '.join(args)} failed")
    return kib / 1024
