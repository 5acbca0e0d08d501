"""``python -m analysis report``: a month's report folder, or a batch of months, all or nothing.

For each month: the tables are computed once, here (``analysis.tables.compute_tables``), and
handed to the notebooks through a cache file in the month's staging folder; the three report
notebooks run at the same time on warm IPC kernels (``analysis.report.render``); everything (HTML,
executed notebooks, CSV tables, workbook, run.log, manifest.json) is written into a staging
folder beside ``OUT/YYYY-MM`` and moved into place only when the month is complete.

A notebook cell that raises fails its month: the message names the notebook, the cell and the
error; the executed notebooks are kept in ``OUT/.failed/YYYY-MM/notebooks/``; no HTML is written
for the month; a batch goes on with the other months and lists the failures at the end (exit 1).
Bad input (``InputError``) is raised before anything is written (the CLI exits 2).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import __version__
from analysis.config import Settings
from analysis.paths import DEFAULT_CONFIG, NOTEBOOKS_DIR
from analysis.report import output_folder, render
from analysis.report.formats import CACHE_NAME, month_name
from analysis.report.headline import select_headline
from analysis.report.month_inputs import build_inputs, git_commit, write_cache
from analysis.report.provenance import file_sha256

REPORTS = {
    "supervision.ipynb": "Supervision compliance",
    "caseload.ipynb": "Caseloads and appropriate work",
    "team_detail.ipynb": "Team detail for managers",
}
FAILED_DIR = ".failed"
MAX_HTML_BYTES = 2_000_000

log = logging.getLogger(__name__)


@dataclass
class MonthResult:
    month: pd.Period
    ok: bool
    folder: Path | None = None
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    output_error: bool = False  # the month failed because its folder could not be written


# --------------------------------------------------------------------------- small helpers
def _month_logger(month: pd.Period, path: Path) -> logging.Logger:
    logger = logging.getLogger(f"analysis.report.build.{month}")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S"))
    logger.addHandler(handler)
    return logger


def _close_logger(logger: logging.Logger) -> None:
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


def move_into_place(staging: Path, final: Path) -> None:
    """Replace ``final`` by ``staging`` (same file system, so each rename is atomic)."""
    if final.exists():
        old = final.parent / f".{final.name}-pid{os.getpid()}-old"
        os.replace(final, old)
        os.replace(staging, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, final)


# --------------------------------------------------------------------------- one month
@dataclass
class Plan:
    """What a run does: shared by every month of a batch."""

    data: Any
    config: Settings
    data_dir: Path
    config_path: Path | None
    out_dir: Path
    notebooks_dir: Path
    notebooks: tuple[str, ...]
    commit: str | None
    inputs_manifest: dict[str, Any]
    config_manifest: dict[str, Any]


async def run_month(plan: Plan, pool: render.KernelPool, month: pd.Period, window_start: pd.Period) -> MonthResult:
    from analysis.tables import compute_tables

    started = time.perf_counter()
    final = plan.out_dir / str(month)
    staging = output_folder.staging_folder(plan.out_dir, str(month))
    logger = _month_logger(month, staging / "run.log")
    timings: dict[str, float] = {}
    try:
        logger.info(
            "report for %s, window from %s; data %s; config %s",
            month,
            window_start,
            plan.data_dir,
            plan.config_path or "default",
        )
        for name, entry in plan.inputs_manifest.items():
            logger.info("input %s: %s sha256 %s", name, entry["path"], entry["sha256"])
        t = time.perf_counter()
        try:
            tables = await asyncio.to_thread(compute_tables, plan.data, month, window_start, plan.config)
        except Exception as exc:  # noqa: BLE001 - reported per month, the batch goes on
            logger.exception("computing the tables failed")
            return _fail(plan, month, staging, logger, [exc], [exc], stage="computing the tables failed: ")
        timings["tables"] = round(time.perf_counter() - t, 3)
        logger.info("computed %d tables in %.2f s", len(tables), timings["tables"])
        inputs = build_inputs(
            month,
            window_start,
            plan.data_dir,
            plan.config_path,
            data=plan.data,
            config=plan.config,
            tables=tables,
            commit=plan.commit,
        )
        write_cache(inputs, staging)
        parameters = {
            "month": str(month),
            "window_start": str(window_start),
            "data_dir": str(plan.data_dir),
            "config_path": str(plan.config_path) if plan.config_path else None,
            "out_dir": str(staging),
        }
        jobs = [
            render.run_notebook(
                pool,
                plan.notebooks_dir / name,
                parameters,
                title=f"{REPORTS.get(name, Path(name).stem)}: {month_name(month)}",
                cwd=plan.notebooks_dir,
            )
            for name in plan.notebooks
        ]
        writing = asyncio.create_task(asyncio.to_thread(_write_tables, tables, staging))
        results = await asyncio.gather(*jobs, return_exceptions=True)
        await writing
        timings["write_tables"] = round(writing.result(), 3)
        failures = [r for r in results if isinstance(r, BaseException)]
        if failures:
            return _fail(plan, month, staging, logger, failures, results)
        for done in results:
            stem = Path(done.name).stem
            (staging / f"{stem}.html").write_text(done.html, encoding="utf-8")
            render.write_notebook(done.notebook, staging / "notebooks" / done.name)
            timings[stem] = round(done.seconds_execute + done.seconds_export, 3)
            if len(done.html.encode("utf-8")) > MAX_HTML_BYTES:
                logger.warning("%s.html is over 2 MB: too big to email comfortably", stem)
            logger.info(
                "%s: executed in %.2f s, HTML %.2f s, %d bytes",
                done.name,
                done.seconds_execute,
                done.seconds_export,
                len(done.html.encode("utf-8")),
            )
        (staging / CACHE_NAME).unlink(missing_ok=True)
        outputs = sorted(str(p.relative_to(staging)) for p in staging.rglob("*") if p.is_file())
        outputs = [p for p in outputs if p != "run.log"] + ["run.log", "manifest.json"]
        timings = {"total_seconds": round(time.perf_counter() - started, 3), **timings}
        manifest = {
            "month": str(month),
            "window_start": str(window_start),
            "status": "complete",
            "generated_at": inputs.generated_at.isoformat(),
            "parameters": {**parameters, "out_dir": str(final)},
            "inputs": plan.inputs_manifest,
            "config": plan.config_manifest,
            "package_version": __version__,
            "git_commit": plan.commit,
            "timings": timings,
            "outputs": outputs,
            "headline": select_headline(tables, month, plan.config.target).as_dict(),
        }
        logger.info("complete in %.2f s; moving into %s", timings["total_seconds"], final)
        _close_logger(logger)
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        move_into_place(staging, final)
        shutil.rmtree(plan.out_dir / FAILED_DIR / str(month), ignore_errors=True)
        _tidy_failed_dir(plan.out_dir)
        return MonthResult(month, True, final, time.perf_counter() - started)
    finally:
        _close_logger(logger)
        shutil.rmtree(staging, ignore_errors=True)


def _write_tables(tables: dict[str, pd.DataFrame], staging: Path) -> float:
    """The CSVs and the workbook into the staging folder (in a thread, while notebooks run); seconds."""
    from analysis.report.table_files import write_tables, write_xlsx

    started = time.perf_counter()
    write_tables(tables, staging / "tables")
    write_xlsx(tables, staging / "tables.xlsx")
    return time.perf_counter() - started


def _fail(
    plan: Plan,
    month: pd.Period,
    staging: Path,
    logger: logging.Logger,
    failures: list[BaseException],
    results: list[Any],
    stage: str = "",
) -> MonthResult:
    """Keep the executed notebooks in OUT/.failed/YYYY-MM/ and describe each failure."""
    kept = plan.out_dir / FAILED_DIR / str(month)
    shutil.rmtree(kept, ignore_errors=True)
    (kept / "notebooks").mkdir(parents=True)
    errors = []
    for result in results:
        if isinstance(result, render.NotebookFailed):
            path = kept / "notebooks" / result.notebook
            if result.executed is not None:
                render.write_notebook(result.executed, path)
                result.kept_at = path
            errors.append(result.describe())
        elif isinstance(result, BaseException):
            logger.error("%s%s", stage, "".join(traceback.format_exception(result)))
            errors.append(f"{stage}{type(result).__name__}: {result} (details in {kept / 'run.log'})")
        else:
            render.write_notebook(result.notebook, kept / "notebooks" / result.name)
    for error in errors:
        logger.error("%s", error)
    logger.error("no report written for %s", month)
    _close_logger(logger)
    shutil.copy2(staging / "run.log", kept / "run.log")
    return MonthResult(month, False, errors=errors)


def _tidy_failed_dir(out_dir: Path) -> None:
    failed = out_dir / FAILED_DIR
    if failed.is_dir() and not any(failed.iterdir()):
        failed.rmdir()


# --------------------------------------------------------------------------- the command
def _inputs_manifest(data: Any) -> dict[str, Any]:
    return {
        name: {"path": str(Path(path).resolve()), "sha256": file_sha256(Path(path))}
        for name, path in sorted(data.files.items())
    }


def _config_manifest(config_path: Path | None) -> dict[str, Any]:
    """The config file used (null path for the default) and its SHA-256."""
    path = Path(config_path).resolve() if config_path else DEFAULT_CONFIG
    return {"path": str(path) if config_path else None, "sha256": file_sha256(path)}


async def _run(
    plan: Plan, pool: render.KernelPool, months: list[tuple[pd.Period, pd.Period]], progress: bool
) -> list[MonthResult]:
    results: list[MonthResult] = []
    in_flight = asyncio.Semaphore(2)  # the next month's tables compute while this month renders

    async def one(month: pd.Period, window: pd.Period) -> MonthResult:
        async with in_flight:
            try:
                return await run_month(plan, pool, month, window)
            except OSError as exc:
                log.exception("month %s could not be written", month)
                return MonthResult(month, False, errors=[output_folder.describe(plan.out_dir, exc)], output_error=True)
            except Exception as exc:  # noqa: BLE001 - one month's failure never stops the batch
                log.exception("month %s failed", month)
                return MonthResult(month, False, errors=[f"{type(exc).__name__}: {exc}"])

    tasks = [asyncio.create_task(one(m, w)) for m, w in months]
    for number, task in enumerate(asyncio.as_completed(tasks), 1):
        result = await task
        results.append(result)
        if progress:
            if result.ok:
                print(
                    f"[{number}/{len(months)}] {result.month}: written to {result.folder} in {result.seconds:.1f} s",
                    file=sys.stderr,
                    flush=True,
                )
            else:
                print(f"[{number}/{len(months)}] {result.month}: FAILED", file=sys.stderr, flush=True)
                for error in result.errors:
                    print(f"    {error}", file=sys.stderr, flush=True)
    return sorted(results, key=lambda r: r.month)


async def _main(
    months: list[tuple[pd.Period, pd.Period]],
    config: Settings,
    data_dir: Path,
    out_dir: Path,
    config_path: Path | None,
    notebooks_dir: Path,
    names: tuple[str, ...],
    size: int,
    progress: bool,
) -> list[MonthResult]:
    """Start the kernels and, while they start, load the data; then render every month."""
    from analysis.inputs.coverage import require_covered
    from analysis.inputs.loading import load_valid_dataset  # imported here, before any thread starts

    async with render.KernelPool(size, cwd=notebooks_dir) as pool:
        warming = asyncio.create_task(asyncio.to_thread(render.warm_parent))
        data = await asyncio.to_thread(load_valid_dataset, data_dir, config)  # InputError: nothing written
        for month, _ in months:
            require_covered(data, month)  # CoverageError: nothing written
        await warming
        output_folder.prepare(out_dir)
        plan = Plan(
            data=data,
            config=config,
            data_dir=data_dir,
            config_path=config_path,
            out_dir=out_dir,
            notebooks_dir=notebooks_dir,
            notebooks=names,
            commit=git_commit(),
            inputs_manifest=_inputs_manifest(data),
            config_manifest=_config_manifest(config_path),
        )
        if progress and len(months) > 1:
            print(
                f"Rendering {len(months)} months ({months[0][0]} to {months[-1][0]}) on {size} kernels ...",
                file=sys.stderr,
                flush=True,
            )
        return await _run(plan, pool, months, progress)


def report_command(
    months: list[pd.Period],
    window_start: pd.Period | None,
    data_dir: Path,
    out_dir: Path,
    config_path: Path | None,
    *,
    notebooks_dir: Path | None = None,
    notebooks: tuple[str, ...] | None = None,
    pool_size: int | None = None,
    progress: bool = True,
) -> int:
    """Write ``out_dir/YYYY-MM/`` for every month; 0 if all were written, 1 if any failed.

    Raises
    ------
    analysis.inputs.findings.InputError
        If the data folder has an error (nothing is written).
    analysis.config.ConfigError
        If the config file is unreadable.
    """
    from analysis.config import load_config
    from analysis.tables import default_window_start

    started = time.perf_counter()
    months = [pd.Period(m, "M") for m in (months if isinstance(months, (list, tuple, pd.PeriodIndex)) else [months])]
    config = load_config(config_path)
    plan_months = []
    for month in months:
        window = pd.Period(window_start, "M") if window_start is not None else default_window_start(month, config)
        if window > month:
            print(f"error: the window starts ({window}) after the report month ({month})", file=sys.stderr)
            return 2
        plan_months.append((month, window))
    data_dir = Path(data_dir).resolve()
    if not data_dir.is_dir():
        print(f"error: {data_dir} is not a folder", file=sys.stderr)
        return 2
    out_dir = output_folder.check(Path(out_dir).resolve())  # OutputError: exit 2, nothing written
    notebooks_dir = Path(notebooks_dir or NOTEBOOKS_DIR).resolve()
    names = tuple(notebooks or sorted(p.name for p in notebooks_dir.glob("*.ipynb") if p.name in REPORTS))
    if not names:
        print(f"error: no report notebooks in {notebooks_dir}", file=sys.stderr)
        return 1
    size = pool_size or min(render.default_pool_size(), len(names) * len(months))
    work = _main(
        plan_months,
        config,
        data_dir,
        out_dir,
        Path(config_path).resolve() if config_path else None,
        notebooks_dir,
        names,
        size,
        progress,
    )
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # the usual case: the command line
        results = asyncio.run(work)
    else:  # called from a notebook or other running event loop: run on a thread of its own
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1) as pool:
            results = pool.submit(asyncio.run, work).result()
    failed = [r for r in results if not r.ok]
    elapsed = time.perf_counter() - started
    if failed:
        print(
            f"error: {len(failed)} of {len(results)} month(s) failed; no report was written for them:", file=sys.stderr
        )
        for r in failed:
            for error in r.errors:
                print(f"  {r.month}: {error}", file=sys.stderr)
        return 2 if any(r.output_error for r in failed) else 1
    if progress:
        print(f"Wrote {len(results)} report folder(s) to {out_dir} in {elapsed:.1f} s", file=sys.stderr)
    return 0
