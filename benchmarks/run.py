"""``make bench``: every benchmark, each printing its ratio against a baseline timed in the same run."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_forecast  # noqa: E402
import bench_national_report  # noqa: E402
import bench_tables  # noqa: E402


def compile_package() -> None:
    """Compile the package's bytecode once, as an installed wheel is and any first run writes it:
    where PYTHONDONTWRITEBYTECODE is set, every process would otherwise compile it again."""
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "src" / "analysis"), quiet=1)


def main() -> None:
    compile_package()
    bench_tables.main()
    bench_national_report.main()
    bench_forecast.main()
    try:
        import bench_report
    except ImportError:
        print("bench_report: not available")
    else:
        bench_report.main()


if __name__ == "__main__":
    main()
