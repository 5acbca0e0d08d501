"""One month's report folder: its tables, its notebooks rendered and its manifest.

All of it is moved into place at once, or kept aside as failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import multiprocessing
import shutil
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import __version__
from analysis.config import Settings, settings_digest
from analysis.exports import output_folder
from analysis.exports.output_folder import move_into_place
from analysis.exports.provenance import file_sha256
from analysis.paths import DEFAULT_CONFIG
from analysis.presentation.formats import month_name
from analysis.presentation.headline import select_headline
from analysis.presentation.page import page_suffix
from analysis.report import kernels, notebook_failure, render
from analysis.report.month_inputs import CACHE_NAME, build_inputs, write_cache
from analysis.vocabulary.current import speaking

REPORTS = {
    "supervision.ipynb": "Supervision compliance",
    "caseload.ipynb": "Caseloads and appropriate work",
    "team_detail.ipynb": "Team detail for managers",
}
# Rows across all tables from which tables.xlsx is written in a process of its own (a few seconds).
WORKBOOK_PROCESS_ROWS = 20_000
# Where a notebook's HTML goes, if not NAME.html: the team detail is the index of its folder of team pages.
HTML_PATHS = {"team_detail": "team_detail/index.html"}


def html_path(stem: str, lang: str) -> str:
    """Where a notebook's page goes in the month's folder: ``supervision.html``, ``supervision.cy.html``,
    ``team_detail/index.cy.html``."""
    return HTML_PATHS.get(stem, f"{stem}.html").removesuffix(".html") + page_suffix(lang) + ".html"


FAILED_DIR = ".failed"


MAX_HTML_BYTES = 2_000_000


@dataclass
class MonthResult:
    month: pd.Period
    ok: bool
    folder: Path | None = None
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    output_error: bool = False  # the month failed because its folder could not be written


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
    team_pages: dict[str, str] = field(default_factory=dict)
    plain: bool = False  # Papermill and nbconvert, one notebook at a time (render.run_notebook_plain)
    languages: tuple[str, ...] = ("en",)  # each report and team page is written in each


async def run_month(
    plan: Plan, pool: kernels.KernelPool | None, month: pd.Period, window_start: pd.Period
) -> MonthResult:
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
            sheet = f", sheet {entry['sheet']!r}" if "sheet" in entry else ""
            logger.info("input %s: %s%s sha256 %s", name, entry["path"], sheet, entry["sha256"])
        for note in getattr(plan.data, "notes", []):
            logger.info("read as: %s", note)
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
            team_pages=plan.team_pages,
        )
        write_cache(inputs, staging)
        parameters = {
            "month": str(month),
            "window_start": str(window_start),
            "data_dir": str(plan.data_dir),
            "config_path": str(plan.config_path) if plan.config_path else None,
            "out_dir": str(staging),
            "settings": plan.config.model_dump(mode="json"),
        }
        titles = {name: f"{REPORTS.get(name, Path(name).stem)}: {month_name(month)}" for name in plan.notebooks}
        runs = [(lang, name) for lang in plan.languages for name in plan.notebooks]
        jobs = [
            render.run_notebook(
                pool,
                plan.notebooks_dir / name,
                {**parameters, "lang": lang},
                title=titles[name],
                cwd=plan.notebooks_dir,
            )
            if pool is not None and not plan.plain
            else asyncio.to_thread(
                render.run_notebook_plain,
                plan.notebooks_dir / name,
                {**parameters, "lang": lang},
                titles[name],
                plan.notebooks_dir,
                staging / "notebooks" / f"{Path(name).stem}{page_suffix(lang)}.ipynb",
            )
            for lang, name in runs
        ]
        writing = asyncio.create_task(asyncio.to_thread(_write_tables, tables, staging, inputs, logger, plan.languages))
        results = await asyncio.gather(*jobs, return_exceptions=True)
        await writing
        timings["write_tables"] = round(writing.result(), 3)
        failures = [r for r in results if isinstance(r, BaseException)]
        if failures:
            return _fail(plan, month, staging, logger, failures, results)
        for (lang, _name), done in zip(runs, results):
            if isinstance(done, BaseException):
                continue
            stem = Path(done.name).stem
            target = staging / html_path(stem, lang)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(done.html, encoding="utf-8")
            render.write_notebook(done.notebook, staging / "notebooks" / f"{stem}{page_suffix(lang)}.ipynb")
            timings[stem + page_suffix(lang)] = round(done.seconds_execute + done.seconds_export, 3)
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
            # The settings themselves are recorded by their digest (config.settings_sha256).
            "parameters": {**{k: v for k, v in parameters.items() if k != "settings"}, "out_dir": str(final)},
            "inputs": plan.inputs_manifest,
            "config": plan.config_manifest,
            "package_version": __version__,
            "git_commit": plan.commit,
            "timings": timings,
            "outputs": outputs,
            "headline": select_headline(tables, month, plan.config.target).as_dict(),
            "languages": list(plan.languages),
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


def _write_tables(
    tables: dict[str, pd.DataFrame],
    staging: Path,
    inputs: Any,
    logger: logging.Logger,
    languages: tuple[str, ...] = ("en",),
) -> float:
    """The CSVs, the workbook and the team pages (in each language) into the staging folder (in a
    thread, while the notebooks run); seconds."""
    from analysis.exports.table_files import write_tables
    from analysis.exports.team_pages import FOLDER, write_team_pages
    from analysis.exports.workbook import write_workbook

    started = time.perf_counter()
    books = [
        (
            staging / f"tables{page_suffix(lang)}.xlsx",
            inputs.config,
            inputs.month,
            inputs.window_start,
            inputs.generated_at,
            lang,
        )
        for lang in languages
    ]
    # A national authority's workbook is written on the other core while this one writes the rest.
    large = sum(len(frame) for frame in tables.values()) >= WORKBOOK_PROCESS_ROWS
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) if large else contextlib.nullcontext() as pool:
        writing = (
            [pool.submit(write_workbook, tables, *book) for book in books]
            if isinstance(pool, ProcessPoolExecutor)
            else None
        )
        write_tables(tables, staging / "tables")
        pages = []
        for lang in languages:
            with speaking(lang):
                pages += write_team_pages(tables, inputs, staging / FOLDER)
        if writing is not None:
            for done in writing:
                done.result()
        else:
            for book in books:
                write_workbook(tables, *book)
    for path in pages:
        if path.stat().st_size > MAX_HTML_BYTES:
            logger.warning("%s/%s is over 2 MB", FOLDER, path.name)
    logger.info("wrote %d team pages", len(pages))
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
        if isinstance(result, notebook_failure.NotebookFailed):
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


def _inputs_manifest(data: Any) -> dict[str, Any]:
    """Each input file's path and SHA-256, and the sheet read from a workbook."""
    sheets = getattr(data, "sheets", {})
    return {
        name: {
            "path": str(Path(path).resolve()),
            "sha256": file_sha256(Path(path)),
            **({"sheet": sheets[name]} if name in sheets else {}),
        }
        for name, path in sorted(data.files.items())
    }


def _config_manifest(config_path: Path | None, config: Settings) -> dict[str, Any]:
    """The config file used (null path for the default), its SHA-256, and the digest of the settings
    resolved from it (``settings_digest``: what the run's notebooks were given)."""
    path = Path(config_path).resolve() if config_path else DEFAULT_CONFIG
    return {
        "path": str(path) if config_path else None,
        "sha256": file_sha256(path),
        "settings_sha256": settings_digest(config),
    }
