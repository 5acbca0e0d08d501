"""The month's inputs for the notebooks: the tables computed once by ``report`` and cached in its
folder (``load_report``), or computed when a notebook runs on its own."""

from __future__ import annotations

import pickle
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.config import Settings
from analysis.presentation.report_inputs import ReportInputs, TableSet

CACHE_NAME = ".tables.pickle"  # in the month's staging folder while its notebooks run


def git_commit() -> str | None:
    """The project's git commit (with ``-dirty`` if the tree has changes), or None outside git."""
    from analysis.paths import IN_SOURCE_TREE, PROJECT_ROOT

    if not IN_SOURCE_TREE:  # an installed package: its version names the code
        return None
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if head.returncode != 0:
        return None
    return head.stdout.strip() or None


def _key(month: Any, window_start: Any, data_dir: Any, config: Settings) -> tuple:
    from analysis.config import settings_digest

    return (
        str(month),
        str(window_start) if window_start else None,
        str(Path(data_dir).resolve()),
        settings_digest(config),
    )


def build_inputs(
    month: Any,
    window_start: Any = None,
    data_dir: Any = None,
    config_path: Any = None,
    data: Any = None,
    config: Settings | None = None,
    tables: dict[str, pd.DataFrame] | None = None,
    commit: str | None = "auto",
    team_pages: dict[str, str] | None = None,
) -> ReportInputs:
    """Load the data and compute the month's tables (what a notebook does when run on its own).

    Raises
    ------
    analysis.inputs.findings.InputError
        If the data folder has an error.
    """
    from analysis import __version__
    from analysis.config import load_config
    from analysis.inputs.coverage import records_span
    from analysis.inputs.loading import load_valid_dataset
    from analysis.paths import SAMPLE_DATA
    from analysis.tables import compute_tables, default_window_start

    month = pd.Period(month, "M")
    config = config if config is not None else load_config(config_path)
    data_dir = Path(data_dir) if data_dir else SAMPLE_DATA
    if data is None:
        data = load_valid_dataset(data_dir, config)
    window = pd.Period(window_start, "M") if window_start else default_window_start(month, config, data)
    if tables is None:
        tables = compute_tables(data, month, window, config)
    return ReportInputs(
        month=month,
        window_start=window,
        data_dir=data_dir,
        config_path=Path(config_path) if config_path else None,
        config=config,
        tables=TableSet(tables),
        extract_date=records_span(data).last,
        generated_at=datetime.now(UTC).replace(microsecond=0),
        version=__version__,
        git_commit=git_commit() if commit == "auto" else commit,
        data=None,
        team_pages=dict(team_pages or {}),
    )


def write_cache(inputs: ReportInputs, out_dir: Path) -> Path:
    """Save the month's inputs where the notebooks of this run will find them (``load_report``)."""
    path = Path(out_dir) / CACHE_NAME
    key = _key(inputs.month, inputs.window_start, inputs.data_dir, inputs.config)
    with open(path, "wb") as handle:
        pickle.dump({"key": key, "inputs": inputs}, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def load_report(
    month: Any,
    window_start: Any = None,
    data_dir: Any = None,
    config_path: Any = None,
    out_dir: Any = None,
    settings: dict[str, Any] | None = None,
    lang: str = "en",
) -> ReportInputs:
    """The month's inputs for a notebook: the tables ``report`` computed once for this month
    (a cache in ``out_dir``), or, when the notebook runs on its own, computed here.

    ``settings`` are the run's resolved settings, as ``report`` passes them to its notebooks; without
    them the notebook is an entry of its own and reads ``config_path`` (or the defaults). ``lang``
    is the language the notebook writes in from here on (``analysis.vocabulary.current.use``).

    Raises
    ------
    analysis.inputs.findings.InputError
        If the tables must be computed and the data folder has an error.
    """
    from analysis.config import load_config
    from analysis.paths import SAMPLE_DATA
    from analysis.tables import default_window_start
    from analysis.vocabulary.current import use

    use(lang)
    config = Settings.model_validate(settings) if settings is not None else load_config(config_path)
    if out_dir:
        path = Path(out_dir) / CACHE_NAME
        if path.exists():
            with open(path, "rb") as handle:
                cached = pickle.load(handle)
            inputs = cached["inputs"]
            window = window_start or default_window_start(pd.Period(month, "M"), config)
            if cached["key"] == _key(month, window, data_dir or SAMPLE_DATA, config):
                return inputs
    return build_inputs(month, window_start, data_dir, config_path, config=config)
