"""Fixtures shared by every test module: the default config and a way to write a data folder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.config import load_config
from analysis.paths import SAMPLE_DATA
from analysis.report.build import report_command


@pytest.fixture(scope="session")
def config() -> dict:
    """The default configuration (``config/default.toml``)."""
    return load_config()


def write_tables(folder: Path, **tables: pd.DataFrame | str | bytes) -> Path:
    """Write each table into ``folder`` as ``NAME.csv`` and return the folder.

    A DataFrame is written as UTF-8 CSV without its index; a ``str`` or ``bytes`` value is
    written as the file's exact content, so a test can plant any malformation. A name with a
    suffix (``staff.xlsx``) is written under that name.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in tables.items():
        path = folder / (name if "." in name else f"{name}.csv")
        if isinstance(content, pd.DataFrame):
            content.to_csv(path, index=False, encoding="utf-8")
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return folder


def good_frames() -> dict[str, pd.DataFrame]:
    """A small valid data folder's tables, with canonical headers: two teams, four people."""
    staff = pd.DataFrame(
        {
            "staff_id": ["S1", "S2", "S2", "S3", "S4"],
            "team": ["North", "North", "South", "South", "South"],
            "role": ["social_worker", "social_worker", "senior_social_worker", "team_manager", "social_worker"],
            "employment": ["permanent", "permanent", "permanent", "permanent", "agency"],
            "start_date": ["2018-01-01", "2017-05-01", "2019-06-01", "2015-01-01", "2019-10-14"],
            "end_date": ["", "2019-05-31", "", "", "2019-12-20"],
            "qualified_date": ["2018-11-30", "2016-07-01", "2016-07-01", "", "2019-06-01"],
            "fte": ["1", "0.5", "", "1", "1"],
        }
    )
    absences = pd.DataFrame(
        {
            "staff_id": ["S1", "S2"],
            "absence_type": ["annual_leave", "sickness"],
            "start_date": ["2019-09-09", "2019-10-01"],
            "end_date": ["2019-09-20", "2019-10-02"],
        }
    )
    supervisions = pd.DataFrame(
        {
            "staff_id": ["S1", "S2", "S3", "S4"],
            "supervision_date": ["2019-10-15", "2019-10-16", "2019-11-07", "2019-11-01"],
            "supervision_type": ["formal", "formal", "group", "formal"],
        }
    )
    allocations = pd.DataFrame(
        {
            "case_id": ["C1", "C2", "C3", "C1"],
            "staff_id": ["S1", "S1", "S2", "S4"],
            "start_date": ["2019-01-01", "2019-09-30", "2019-06-01", "2019-10-14"],
            "end_date": ["2019-09-30", "", "", "2019-12-20"],
            "case_type": ["child_in_need", "child_protection", "", "child_in_need"],
        }
    )
    return {"staff": staff, "absences": absences, "supervisions": supervisions, "allocations": allocations}


@pytest.fixture
def good_dir(tmp_path: Path) -> Path:
    """A data folder holding ``good_frames()`` as CSV."""
    return write_tables(tmp_path / "data", **good_frames())


CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    import shutil

    return next((p for p in CHROMIUM_PATHS if Path(p).exists()), None) or shutil.which("chromium")


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium through Playwright. Missing: a skip on a developer's machine, a failure in CI.

    Module-scoped: Playwright's sync API holds an event loop while it runs, and other tests in
    the same worker need to start their own (papermill, the report command).
    """
    import os

    path = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if path is None or sync_playwright is None:
        missing = "Debian's chromium" if path is None else "playwright"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{missing} is not installed, and CI must run the browser tests (.ci/run installs it)")
        pytest.skip(f"{missing} is not installed (.ci/run installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# --- the sample's December 2019 reports, rendered once -------------------------------------------
_RENDERED: dict[str, Path] = {}


def render_sample(root: Path) -> Path:
    """``report --month 2019-12 --lang both`` on the sample into ``root``; the month's folder."""
    code = report_command(
        [pd.Period("2019-12", "M")], None, SAMPLE_DATA, root, None, progress=False, languages=("en", "cy")
    )
    assert code == 0, "the sample report failed"
    return root / "2019-12"


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory) -> Path:
    """The sample's 2019-12 report folder, rendered once per session (shared with test_browser)."""
    if "folder" not in _RENDERED:
        _RENDERED["folder"] = render_sample(tmp_path_factory.mktemp("reports"))
    return _RENDERED["folder"]
