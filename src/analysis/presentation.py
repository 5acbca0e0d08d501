"""Display-ready pieces for the report notebooks: the month's inputs, number formats, HTML tables,
headline sentences and report sections.

Notebooks call these and nothing else computes: every sentence a reader sees is built (and
tested) here from the tables of ``analysis.tables.compute_tables``. Each section function returns
a :class:`Fragment`, which a notebook shows as the last expression of a cell.

Formats: percentages to 1 decimal place (``82.4%``), counts as whole numbers, caseloads as the
council quotes them (``16.16``; ``23.8``: two decimal places with trailing zeros dropped).
"""

from __future__ import annotations

import html
import pickle
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

TITLE_KEY = "council_title"
CACHE_NAME = ".tables.pickle"
DASH = "–"
NUM = ' class="num"'

CATEGORY_LABELS = {"all": "All", "qualified": "Qualified", "nqsw": "Newly qualified (NQSW)", "agency": "Agency"}
CATEGORY_SHORT = {"all": "All", "qualified": "Qualified", "nqsw": "NQSW", "agency": "Agency"}
ROLE_LABELS = {
    "social_worker": "Social worker",
    "senior_social_worker": "Senior social worker",
    "principal_social_worker": "Principal social worker",
    "team_manager": "Team manager",
    "headline": "Qualified social workers (headline)",
}
REASON_LABELS = {
    "not_in_post": "Not in post (started or left in the month)",
    "maternity": "Maternity, adoption or parental leave",
    "sickness": "Sickness",
    "annual_leave": "Annual leave",
    "other": "Other leave",
}
BAND_LABELS = {
    "non_case_holding": "Holding no cases",
    "months_0_6": "First six months since qualifying",
    "months_6_12": "Six to twelve months since qualifying",
}
RULE_LABELS = {
    "team_manager_holds_cases": "Team manager holding cases",
    "nqsw_over_band_limit": "Newly qualified worker above the limit for their stage",
    "nqsw_complex_case_first_6_months": "Newly qualified worker (first six months) holding a complex case",
    "over_max_caseload": "Caseload above the maximum",
}
EMPLOYMENT_LABELS = {"permanent": "Permanent", "agency": "Agency"}


# --------------------------------------------------------------------------- formats
def _missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def pct(value: Any, dp: int = 1) -> str:
    """A fraction as a percentage to ``dp`` places: 0.8235 -> ``82.4%``; blank -> ``–``."""
    if _missing(value):
        return DASH
    return f"{float(value) * 100:.{dp}f}%"


def count(value: Any) -> str:
    """A count as a whole number with thousands separators: ``1,204``; blank -> ``–``."""
    if _missing(value):
        return DASH
    return f"{int(round(float(value))):,}"


def caseload(value: Any) -> str:
    """A mean caseload as the council quotes it: two places, trailing zeros dropped.

    16.16 -> ``16.16``, 23.80 -> ``23.8``, 8.0 -> ``8``.
    """
    if _missing(value):
        return DASH
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def points(delta: Any) -> str:
    """A change in a rate as percentage points: 0.021 -> ``2.1 percentage points``."""
    if _missing(delta):
        return DASH
    return f"{abs(float(delta)) * 100:.1f} percentage points"


def month_name(month: Any) -> str:
    """``2019-12`` -> ``December 2019``."""
    return pd.Period(month, "M").strftime("%B %Y")


def month_short(month: Any) -> str:
    """``2019-12`` -> ``Dec 2019``."""
    return pd.Period(month, "M").strftime("%b %Y")


def date_long(value: Any) -> str:
    """A date as ``30 September 2019``."""
    if _missing(value):
        return DASH
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp.strftime('%B %Y')}"


def plural(n: Any, one: str, many: str | None = None) -> str:
    """``1 worker``, ``3 workers``."""
    n = int(n)
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


# --------------------------------------------------------------------------- fragments
class Fragment:
    """A piece of report HTML a notebook displays; optionally sets the page title."""

    def __init__(self, body: str, title: str | None = None):
        self.body = body
        self.title = title

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"text/html": self.body, "text/plain": f"<report fragment: {len(self.body)} characters>"}
        metadata = {TITLE_KEY: self.title} if self.title else {}
        return data, metadata

    def __add__(self, other: "Fragment") -> "Fragment":
        return Fragment(self.body + "\n" + other.body, self.title or other.title)

    def __str__(self) -> str:
        return self.body


def join(*parts: Fragment | str | None) -> Fragment:
    """Several fragments (or HTML strings) as one; ``None`` parts are skipped."""
    title = next((p.title for p in parts if isinstance(p, Fragment) and p.title), None)
    return Fragment("\n".join(str(p) for p in parts if p is not None), title)


@dataclass
class Column:
    """How one column of an HTML table is shown."""

    key: str
    label: str
    format: Any = str
    numeric: bool = False


def html_table(frame: pd.DataFrame, columns: Sequence[Column], caption: str, row_header: str | None = None,
               total_row: int | None = None, empty: str = "None this month.", note: str | None = None) -> str:
    """An accessible HTML table: a caption, ``<th scope="col">`` headers and, if ``row_header``
    names a column, ``<th scope="row">`` cells for it. Values are escaped and formatted here."""
    head = "".join(
        f'<th scope="col"{NUM if c.numeric else ""}>{esc(c.label)}</th>' for c in columns
    )
    rows = []
    records = frame.to_dict("records")
    for number, record in enumerate(records):
        cells = []
        for c in columns:
            value = record.get(c.key)
            text = esc(c.format(value)) if not _missing(value) or c.format in (pct, count, caseload) else ""
            if c.key == row_header:
                cells.append(f'<th scope="row">{text}</th>')
            else:
                cells.append(f'<td{NUM if c.numeric else ""}>{text}</td>')
        css = ' class="total"' if total_row is not None and number == (total_row % len(records)) else ""
        rows.append(f"<tr{css}>{''.join(cells)}</tr>")
    if not rows:
        rows.append(f'<tr><td colspan="{len(columns)}">{esc(empty)}</td></tr>')
    foot = f'<p class="note muted">{esc(note)}</p>' if note else ""
    return (f'<div class="table-wrap"><table><caption>{esc(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>{foot}")


def section(heading: str, *parts: Fragment | str | None, level: int = 2) -> Fragment:
    """A heading and what follows it."""
    return join(f"<h{level}>{esc(heading)}</h{level}>", *parts)


def paragraph(text: str, css: str | None = None) -> str:
    attr = f' class="{esc(css)}"' if css else ""
    return f"<p{attr}>{esc(text)}</p>"


def bullets(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


# --------------------------------------------------------------------------- inputs
@dataclass
class ReportInputs:
    """Everything a report notebook shows for one month: the tables and the title-block facts."""

    month: pd.Period
    window_start: pd.Period
    data_dir: Path
    config_path: Path | None
    config: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    extract_date: pd.Timestamp | None
    generated_at: datetime
    version: str
    git_commit: str | None
    data: Any = field(default=None, repr=False)

    @property
    def authority(self) -> str:
        return str(self.config.get("report", {}).get("authority", "Children's Services"))

    @property
    def target(self) -> float:
        return float(self.config.get("target", 0.9))

    def table(self, name: str) -> pd.DataFrame:
        """A table by name; an empty frame if this version of the package does not make it."""
        return self.tables.get(name, pd.DataFrame())


def git_commit() -> str | None:
    """The project's git commit (with ``-dirty`` if the tree has changes), or None outside git."""
    from analysis.paths import PROJECT_ROOT

    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                              text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    if head.returncode != 0:
        return None
    return head.stdout.strip() or None


def _key(month: Any, window_start: Any, data_dir: Any, config_path: Any) -> tuple:
    return (str(month), str(window_start) if window_start else None,
            str(Path(data_dir).resolve()), str(Path(config_path).resolve()) if config_path else None)


def build_inputs(month: Any, window_start: Any = None, data_dir: Any = None, config_path: Any = None,
                 data: Any = None, config: dict[str, Any] | None = None,
                 tables: dict[str, pd.DataFrame] | None = None, commit: str | None = "auto") -> ReportInputs:
    """Load the data and compute the month's tables (what a notebook does when run on its own).

    Raises
    ------
    analysis.findings.InputError
        If the data folder has an error.
    """
    from analysis import __version__
    from analysis.config import load_config
    from analysis.loading import load_valid_dataset
    from analysis.paths import SAMPLE_DATA
    from analysis.tables import compute_tables, default_window_start

    month = pd.Period(month, "M")
    config = config if config is not None else load_config(config_path)
    window = pd.Period(window_start, "M") if window_start else default_window_start(month, config)
    data_dir = Path(data_dir) if data_dir else SAMPLE_DATA
    if data is None:
        data = load_valid_dataset(data_dir, config)
    if tables is None:
        tables = compute_tables(data, month, window, config)
    return ReportInputs(
        month=month, window_start=window, data_dir=data_dir,
        config_path=Path(config_path) if config_path else None, config=config, tables=tables,
        extract_date=data.extract_date, generated_at=datetime.now(timezone.utc).replace(microsecond=0),
        version=__version__, git_commit=git_commit() if commit == "auto" else commit, data=None,
    )


def write_cache(inputs: ReportInputs, out_dir: Path) -> Path:
    """Save the month's inputs where the notebooks of this run will find them (``load_report``)."""
    path = Path(out_dir) / CACHE_NAME
    key = _key(inputs.month, inputs.window_start, inputs.data_dir, inputs.config_path)
    with open(path, "wb") as handle:
        pickle.dump({"key": key, "inputs": inputs}, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def load_report(month: Any, window_start: Any = None, data_dir: Any = None, config_path: Any = None,
                out_dir: Any = None) -> ReportInputs:
    """The month's inputs for a notebook: the tables ``report`` computed once for this month
    (a cache in ``out_dir``), or, when the notebook runs on its own, computed here.

    Raises
    ------
    analysis.findings.InputError
        If the tables must be computed and the data folder has an error.
    """
    from analysis.paths import SAMPLE_DATA
    from analysis.tables import default_window_start

    if out_dir:
        path = Path(out_dir) / CACHE_NAME
        if path.exists():
            with open(path, "rb") as handle:
                cached = pickle.load(handle)
            inputs = cached["inputs"]
            window = window_start or default_window_start(pd.Period(month, "M"), inputs.config)
            if cached["key"] == _key(month, window, data_dir or SAMPLE_DATA, config_path):
                return inputs
    return build_inputs(month, window_start, data_dir, config_path)


# --------------------------------------------------------------------------- title block
def title_block(inputs: ReportInputs, report: str, restricted: bool = False) -> Fragment:
    """The report's title block: authority, title, period, data extract, generated, version."""
    period = (f"{month_name(inputs.month)}; trend from {month_name(inputs.window_start)}"
              if inputs.window_start != inputs.month else month_name(inputs.month))
    commit = (inputs.git_commit or "not recorded")[:12]
    facts = [
        ("Report month", month_name(inputs.month)),
        ("Period covered", f"{month_name(inputs.window_start)} to {month_name(inputs.month)}"),
        ("Data extract", f"records up to {date_long(inputs.extract_date)}" if inputs.extract_date is not None
         else "not known"),
        ("Generated", inputs.generated_at.strftime("%d %B %Y, %H:%M UTC").lstrip("0")),
        ("Code version", f"analysis {inputs.version}, commit {commit}"),
    ]
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts)
    warning = ('<p class="restricted">Restricted: staff-level detail for team managers. '
               "Do not forward or include in the leadership email.</p>") if restricted else ""
    body = (f'<header class="title-block"><p class="authority">{esc(inputs.authority)}</p>'
            f"<h1>{esc(report)}</h1><p class=\"period\">{esc(period)}</p><dl>{rows}</dl></header>{warning}")
    return Fragment(body, title=f"{report}: {month_name(inputs.month)} ({inputs.authority})")


def colophon(inputs: ReportInputs) -> Fragment:
    """The closing note: how the report was made and where its tables are."""
    return Fragment(
        '<footer class="colophon"><p>Produced by the supervision and caseload analysis '
        f"(analysis {esc(inputs.version)}, commit {esc((inputs.git_commit or 'not recorded')[:12])}) "
        f"from the HR and case management extracts in {esc(Path(inputs.data_dir).name)}. "
        "Every figure is in the tables folder and tables.xlsx that accompany this report; "
        "counts are people (headcount), not full-time equivalents.</p></footer>"
    )
