"""The month's report folder as delivery sees it: checked complete and fresh, and its headline.

The folder layout and ``manifest.json`` are written by ``report.py`` (docs/architecture.md).
Figures are read from the folder's tables, never recomputed, so the email says what the reports
say.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.exports.provenance import file_sha256
from analysis.paths import DEFAULT_CONFIG, PROJECT_ROOT
from analysis.presentation.headline import Headline, HeadlineMissing, select_headline

ATTACHMENTS = ("supervision.html", "caseload.html")
# Checked present so that a half-written folder is refused; never attached (team pages are never
# emailed: README, "What comes out").
NOT_ATTACHED = ("team_detail/index.html",)
SUPERVISION_TABLE = "tables/supervision_monthly.csv"
CASELOAD_TABLE = "tables/caseload_snapshots.csv"
REGULAR_TABLE = "tables/regular_supervision.csv"  # read where present (folders made before 0.3 lack it)
FORECAST_TABLE = "tables/forecast_next_month.csv"  # read where present (folders made before 0.4 lack it)
REQUIRED_FILES = ATTACHMENTS + NOT_ATTACHED + (SUPERVISION_TABLE, CASELOAD_TABLE)


def required_files(manifest: dict) -> list[str]:
    """The files a complete folder holds: the pages of each language the report was made in
    (``supervision.html``, ``supervision.cy.html``, ...) and the tables the email reads."""
    languages = manifest.get("languages") or ["en"]
    pages = [
        name if lang == "en" else name.removesuffix(".html") + f".{lang}.html"
        for lang in languages
        for name in ATTACHMENTS + NOT_ATTACHED
    ]
    return [*pages, SUPERVISION_TABLE, CASELOAD_TABLE]


FAILED_DIR = ".failed"  # report.py keeps a failed month's notebooks and run.log here


class ReportNotReady(Exception):
    """The month's report is missing, failed, incomplete or older than its inputs."""


@dataclass(frozen=True)
class ReportPack:
    """A checked report folder: where it is, its manifest, and its headline figures."""

    folder: Path
    month: pd.Period
    manifest: dict
    headline: Headline

    @property
    def attachments(self) -> list[Path]:
        """The English files emailed, in order."""
        return self.attachments_in("en")

    def attachments_in(self, lang: str) -> list[Path]:
        """The reports in ``lang``: ``supervision.html`` or ``supervision.cy.html``, and the caseload report."""
        suffix = "" if lang == "en" else f".{lang}"
        return [self.folder / name.replace(".html", f"{suffix}.html") for name in ATTACHMENTS]

    def attachments_for(self, languages: tuple[str, ...]) -> list[Path]:
        """Every language's reports, in the order of ``languages``.

        Raises
        ------
        ReportNotReady
            If a language's reports are not in the folder.
        """
        paths = [path for lang in languages for path in self.attachments_in(lang)]
        missing = [path.name for path in paths if not path.is_file()]
        if missing:
            raise ReportNotReady(
                f"{', '.join(missing)} not in {self.folder}: make the month's report in that language "
                f"(`make report MONTH={self.month} REPORT_LANG=both`, or `report --lang`)"
            )
        return paths


def open_report_pack(reports_dir: Path, month: pd.Period) -> ReportPack:
    """Check ``reports_dir/YYYY-MM`` is a complete, fresh report and read its headline.

    Parameters
    ----------
    reports_dir : Path
        The reports folder (``reports/``).
    month : pandas.Period
        The report month.

    Returns
    -------
    ReportPack

    Raises
    ------
    ReportNotReady
        When the folder or its manifest is missing, the manifest's status is not ``complete``,
        it is for another month, a required file is missing, an input file recorded in the
        manifest has changed or gone, or a table lacks the month's figures.
    """
    folder = Path(reports_dir) / str(month)
    rerun = rerun_advice(reports_dir, month)
    if not folder.is_dir():
        failed = Path(reports_dir) / FAILED_DIR / str(month)
        if failed.is_dir():
            raise ReportNotReady(
                f"the last report run for {month} failed (see {failed / 'run.log'}), "
                f"so {folder} does not exist. {rerun}"
            )
        raise ReportNotReady(f"no report for {month}: {folder} does not exist. {rerun}")
    manifest = _read_manifest(folder, rerun)
    rerun = rerun_advice(reports_dir, month, manifest)
    status = manifest.get("status")
    if status != "complete":
        raise ReportNotReady(f"the {month} report did not complete (manifest status {status!r}). {rerun}")
    if str(manifest.get("month", month)) != str(month):
        raise ReportNotReady(f"{folder}/manifest.json is for {manifest.get('month')}, not {month}")
    missing = [name for name in required_files(manifest) if not (folder / name).is_file()]
    if missing:
        raise ReportNotReady(f"the {month} report is incomplete: {', '.join(missing)} missing. {rerun}")
    changed = changed_inputs(manifest)
    if changed:
        raise ReportNotReady(
            f"the {month} report is older than its inputs: {'; '.join(changed)}. It no longer shows the data. {rerun}"
        )
    return ReportPack(folder, month, manifest, read_headline(folder, month, manifest))


def rerun_advice(reports_dir: Path, month: pd.Period, manifest: dict | None = None) -> str:
    """The exact command that makes the month's report again, with the data and config that made it.

    From the month's ``manifest.json``; without one, from the newest other month's (said so);
    without any, with placeholders that fail loudly if run as they stand, never the sample.
    """
    source = ""
    if manifest is None:
        manifest, source = _nearest_manifest(Path(reports_dir))
    parameters = (manifest or {}).get("parameters") or {}
    data = shlex.quote(str(parameters["data_dir"])) if parameters.get("data_dir") else "<the folder of your extracts>"
    config = parameters.get("config_path")
    window = (manifest or {}).get("window_start") if source == "" else None
    parts = ["make report", f"MONTH={month}"]
    if window:
        parts.append(f"FROM={window}")
    parts.append(f"DATA={data}")
    if config:
        parts.append(f"CONFIG={shlex.quote(str(config))}")
    elif manifest is None:
        parts.append("CONFIG=<your config file, if you use one>")
    parts.append(f"OUT={shlex.quote(str(Path(reports_dir).resolve()))}")
    said = f" (the data folder and config of the {source} report)" if source else ""
    return f"Make it with `{' '.join(parts)}`{said}."


def _nearest_manifest(reports_dir: Path) -> tuple[dict | None, str]:
    """The newest readable manifest of another month in ``reports_dir``, and its month."""
    found = (
        sorted(reports_dir.glob("*/manifest.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        if reports_dir.is_dir()
        else []
    )
    for path in found:
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(manifest, dict) and isinstance(manifest.get("parameters"), dict):
            return manifest, path.parent.name
    return None, ""


def _read_manifest(folder: Path, rerun: str) -> dict:
    path = folder / "manifest.json"
    if not path.is_file():
        raise ReportNotReady(f"{path} is missing: the report did not finish. {rerun}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ReportNotReady(f"{path} is not valid JSON ({exc}). {rerun}") from None
    if not isinstance(manifest, dict):
        raise ReportNotReady(f"{path} is not a JSON object. {rerun}")
    return manifest


def changed_inputs(manifest: dict) -> list[str]:
    """Describe each input recorded in the manifest that is gone or has a new SHA-256.

    The inputs are the data files and the config file (``config.path``; null means
    ``config/default.toml``), since a changed threshold changes the figures too.

    Raises
    ------
    ReportNotReady
        When ``inputs`` is absent or not a mapping of ``{"path", "sha256"}`` records: without
        them the report's freshness cannot be checked.
    """
    inputs = manifest.get("inputs")
    if not isinstance(inputs, dict) or not inputs:
        raise ReportNotReady("manifest.json records no inputs, so the report's freshness cannot be checked")
    problems = []
    for name, record in inputs.items():
        if not isinstance(record, dict) or not record.get("path") or not record.get("sha256"):
            raise ReportNotReady(f"manifest.json: input {name!r} has no path and sha256")
        path = Path(record["path"])
        path = path if path.is_absolute() else PROJECT_ROOT / path
        if not path.is_file():
            problems.append(f"{name} ({path}) is gone")
        elif file_sha256(path) != str(record["sha256"]).lower():
            problems.append(f"{name} ({path}) has changed")
    config = manifest.get("config")
    if isinstance(config, dict) and config.get("sha256"):
        path = Path(config["path"]) if config.get("path") else DEFAULT_CONFIG
        if not path.is_file():
            problems.append(f"the config file ({path}) is gone")
        elif file_sha256(path) != str(config["sha256"]).lower():
            problems.append(f"the config file ({path}) has changed")
    return problems


def read_headline(folder: Path, month: pd.Period, manifest: dict) -> Headline:
    """The month's All compliance and the headline caseload snapshots, from the tables.

    Raises
    ------
    ReportNotReady
        When the supervision table has no ``all`` row for the month, or a table is unreadable
        or lacks one of its fixed columns.
    """
    try:
        return _headline_from_tables(folder, month, manifest)
    except KeyError as exc:
        raise ReportNotReady(f"a table in {folder / 'tables'} lacks the column {exc}") from None
    except (ValueError, TypeError) as exc:
        raise ReportNotReady(f"a table in {folder / 'tables'} holds a value that is not a number ({exc})") from None


def _headline_from_tables(folder: Path, month: pd.Period, manifest: dict) -> Headline:
    """The headline as the report chose it (``select_headline``), from the tables the report wrote."""
    tables = {
        "supervision_monthly": _read_table(folder / SUPERVISION_TABLE, {"month": str, "category": str}),
        "caseload_snapshots": _read_table(folder / CASELOAD_TABLE, {"snapshot": str, "group": str}),
    }
    if (folder / REGULAR_TABLE).is_file():
        tables["regular_supervision"] = _read_table(folder / REGULAR_TABLE, {"month": str, "scope": str, "group": str})
    if (folder / FORECAST_TABLE).is_file():
        tables["forecast_next_month"] = _read_table(folder / FORECAST_TABLE, {"month": str, "scope": str, "group": str})
    target = (manifest.get("headline") or {}).get("target")
    if target is None:  # the target is the report's setting, recorded when it was made: never assumed
        raise ReportNotReady(
            f"{folder / 'manifest.json'} does not record the target the report was made against: make the "
            "report again with this version"
        )
    try:
        return select_headline(tables, month, float(target))
    except HeadlineMissing as exc:
        raise ReportNotReady(f"{SUPERVISION_TABLE} has no 'all' row for {month}") from exc


def _read_table(path: Path, dtypes: dict) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=dtypes, encoding="utf-8-sig")
    except (ValueError, OSError) as exc:
        raise ReportNotReady(f"{path} cannot be read: {exc}") from None
