"""``tables`` on the national-sized data set against reading its inputs, and against the SQL peer.

Three fresh Python processes (interpreter and imports included), timed in turn in the same run
(one of each, three times over), the best of each: ``tables`` for 36 months; a process that
only reads the four CSVs with pandas; and the DuckDB SQL implementation of the supervision
figures (``duckdb_peer.py``, all cores). The peak memory of ``tables`` is measured too, at
35,000 staff and at 100,000. The ratios are what matter, not the seconds.
"""

from __future__ import annotations

import tempfile

from common import PYTHON, ROOT, best_of, best_of_each, national_data, peak_memory_mib, run_quietly

READ_ONLY = (
    "import pandas as pd, sys; from pathlib import Path; d = Path(sys.argv[1]); "
    "[pd.read_csv(d / f'{n}.csv') for n in ('staff', 'absences', 'supervisions', 'allocations')]"
)
TARGET_READ, TARGET_PEER, TARGET_MIB, TARGET_MIB_100K = 1.5, 0.5, 1024, 1536


def main(repeats: int = 3) -> dict[str, float]:
    data = national_data()
    with tempfile.TemporaryDirectory() as out:
        command = [PYTHON, "-m", "analysis", "tables", "--data", str(data), "--month", "2019-12"]
        command += ["--from", "2017-01", "--out", out]
        peer_command = [PYTHON, str(ROOT / "benchmarks" / "duckdb_peer.py"), str(data), "2017-01", "2019-12"]
        seconds = best_of_each(
            repeats,
            {
                "read": lambda: run_quietly([PYTHON, "-c", READ_ONLY, str(data)]),
                "peer": lambda: run_quietly(peer_command),
                "ours": lambda: run_quietly(command),
            },
        )
        baseline, peer, ours = seconds["read"], seconds["peer"], seconds["ours"]
        memory = peak_memory_mib(command)
        large = [*command[:5], str(national_data(100000)), *command[6:]]
        large_seconds = best_of(1, lambda: run_quietly(large))
        large_memory = peak_memory_mib(large)
    print(
        f"tables, national set (35,000 staff), 36 months: {ours:.2f} s, peak {memory:.0f} MiB "
        f"(target < {TARGET_MIB} MiB)\n"
        f"  against reading the CSVs with pandas ({baseline:.2f} s): {ours / baseline:.2f}x "
        f"(target <= {TARGET_READ}x)\n"
        f"  against the DuckDB SQL peer ({peer:.2f} s): {ours / peer:.2f}x (target <= {TARGET_PEER}x)\n"
        f"tables, 100,000 staff, 36 months: {large_seconds:.2f} s, peak {large_memory:.0f} MiB "
        f"(target < {TARGET_MIB_100K} MiB)"
    )
    return {
        "tables_seconds": ours,
        "read_seconds": baseline,
        "peer_seconds": peer,
        "tables_ratio": ours / baseline,
        "peer_ratio": ours / peer,
        "tables_peak_mib": memory,
        "tables_100k_seconds": large_seconds,
        "tables_100k_peak_mib": large_memory,
    }


if __name__ == "__main__":
    main()
