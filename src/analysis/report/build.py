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
import contextlib
import logging
import sys
import time
from pathlib import Path

import pandas as pd

from analysis.config import Settings
from analysis.exports import output_folder
from analysis.paths import NOTEBOOKS_DIR
from analysis.report import kernels, render
from analysis.report.month_build import REPORTS, MonthResult, Plan, _config_manifest, _inputs_manifest, run_month
from analysis.report.month_inputs import git_commit

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- small helpers


# --------------------------------------------------------------------------- one month


# --------------------------------------------------------------------------- the command


async def _run(
    plan: Plan, pool: kernels.KernelPool | None, months: list[tuple[pd.Period, pd.Period]], progress: bool
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
    months: list[tuple[pd.Period, pd.Period | None]],
    config: Settings,
    data_dir: Path,
    out_dir: Path,
    config_path: Path | None,
    notebooks_dir: Path,
    names: tuple[str, ...],
    size: int,
    progress: bool,
    plain: bool = False,
    languages: tuple[str, ...] = ("en",),
) -> list[MonthResult]:
    """Start the kernels and, while they start, load the data; then render every month (``plain``:
    no kernels here; Papermill starts one for each notebook)."""
    from analysis.exports.team_names import remember_team_pages
    from analysis.inputs.against_data import require_settings_select
    from analysis.inputs.coverage import require_covered
    from analysis.inputs.loading import load_valid_dataset  # imported here, before any thread starts
    from analysis.tables import default_window_start

    pooled = contextlib.nullcontext(None) if plain else kernels.KernelPool(size, cwd=notebooks_dir)
    async with pooled as pool:
        warming = asyncio.create_task(asyncio.to_thread(render.warm_parent))
        data = await asyncio.to_thread(load_valid_dataset, data_dir, config)  # InputError: nothing written
        months = [(m, w if w is not None else default_window_start(m, config, data)) for m, w in months]
        for month, window_start in months:
            require_covered(data, month, window_start)  # CoverageError: nothing written
            require_settings_select(data, config, month)
        await warming
        output_folder.prepare(out_dir)
        teams = data.staff["team"].dropna().astype(str).unique()
        team_pages = remember_team_pages(out_dir, teams)  # RegistryError: nothing written
        plan = Plan(
            data=data,
            config=config,
            data_dir=data_dir,
            config_path=config_path,
            out_dir=out_dir,
            notebooks_dir=notebooks_dir,
            notebooks=names,
            plain=plain,
            languages=languages,
            commit=git_commit(),
            inputs_manifest=_inputs_manifest(data),
            config_manifest=_config_manifest(config_path, config),
            team_pages=team_pages,
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
    config: Settings | None = None,
    plain: bool = False,
    languages: tuple[str, ...] | None = None,
) -> int:
    """Write ``out_dir/YYYY-MM/`` for every month; 0 if all were written, 1 if any failed.

    ``config`` is the settings the command resolved from ``config_path`` (read here when not given):
    the run and its notebooks use these, never a second reading of the file. ``plain`` runs each
    notebook with Papermill and nbconvert, one at a time, with no pool of kernels (``render.run_notebook_plain``).
    ``languages`` (default: the ``[report] languages`` setting) are those every report and team page
    is written in.

    Raises
    ------
    analysis.inputs.findings.InputError
        If the data folder has an error (nothing is written).
    analysis.config.ConfigError
        If the config file is unreadable.
    """
    from analysis.config import load_config

    started = time.perf_counter()
    months = [pd.Period(m, "M") for m in (months if isinstance(months, (list, tuple, pd.PeriodIndex)) else [months])]
    config = config if config is not None else load_config(config_path)
    languages = tuple(languages or config.report.languages)
    try:
        kernels.kernel_transport()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    plan_months = []
    for month in months:
        window = pd.Period(window_start, "M") if window_start is not None else None
        if window is not None and window > month:
            print(f"error: the window starts ({window}) after the report month ({month})", file=sys.stderr)
            return 2
        plan_months.append((month, window))  # None: the default window, worked out from the data
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
    size = pool_size or min(kernels.default_pool_size(), len(names) * len(months) * len(languages))
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
        plain,
        languages,
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
