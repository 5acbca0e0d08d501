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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import wording as words
from analysis.config import Settings
from analysis.coverage import coverage_warnings
from analysis.headline import select_headline
from analysis.nqsw_standard import FORTNIGHTLY_MONTHS, WEEKLY_DAYS

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
EMPLOYMENT_LABELS = {"permanent": "Permanent", "agency": "Agency"}


# --------------------------------------------------------------------------- formats
def _missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def percent_rounded(value: Any, dp: int = 1) -> Decimal:
    """A fraction as a percentage rounded half up, as a reader would (0.8235 -> 82.4, not the
    binary float's 82.3)."""
    exact = Decimal(repr(float(value))) * 100
    return exact.quantize(Decimal(1).scaleb(-dp), rounding=ROUND_HALF_UP)


def pct(value: Any, dp: int = 1) -> str:
    """A fraction as a percentage to ``dp`` places: 0.8235 -> ``82.4%``; blank -> ``–``."""
    if _missing(value):
        return DASH
    return f"{percent_rounded(value, dp)}%"


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

    def __add__(self, other: Fragment) -> Fragment:
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


def html_table(
    frame: pd.DataFrame,
    columns: Sequence[Column],
    caption: str,
    row_header: str | None = None,
    total_row: int | None = None,
    empty: str = "None this month.",
    note: str | None = None,
) -> str:
    """An accessible HTML table: a caption, ``<th scope="col">`` headers and, if ``row_header``
    names a column, ``<th scope="row">`` cells for it. Values are escaped and formatted here."""
    head = "".join(f'<th scope="col"{NUM if c.numeric else ""}>{esc(c.label)}</th>' for c in columns)
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
                cells.append(f"<td{NUM if c.numeric else ''}>{text}</td>")
        css = ' class="total"' if total_row is not None and number == (total_row % len(records)) else ""
        rows.append(f"<tr{css}>{''.join(cells)}</tr>")
    if not rows:
        rows.append(f'<tr><td colspan="{len(columns)}">{esc(empty)}</td></tr>')
    foot = f'<p class="note muted">{esc(note)}</p>' if note else ""
    return (
        f'<div class="table-wrap"><table><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>{foot}"
    )


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
    config: Settings
    tables: dict[str, pd.DataFrame]
    extract_date: pd.Timestamp | None
    generated_at: datetime
    version: str
    git_commit: str | None
    data: Any = field(default=None, repr=False)

    @property
    def authority(self) -> str:
        return self.config.report.authority

    @property
    def target(self) -> float:
        return self.config.target

    def table(self, name: str) -> pd.DataFrame:
        """A table by name; an empty frame if this version of the package does not make it."""
        return self.tables.get(name, pd.DataFrame())


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


def _key(month: Any, window_start: Any, data_dir: Any, config_path: Any) -> tuple:
    return (
        str(month),
        str(window_start) if window_start else None,
        str(Path(data_dir).resolve()),
        str(Path(config_path).resolve()) if config_path else None,
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
) -> ReportInputs:
    """Load the data and compute the month's tables (what a notebook does when run on its own).

    Raises
    ------
    analysis.findings.InputError
        If the data folder has an error.
    """
    from analysis import __version__
    from analysis.config import load_config
    from analysis.coverage import records_span
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
        month=month,
        window_start=window,
        data_dir=data_dir,
        config_path=Path(config_path) if config_path else None,
        config=config,
        tables=tables,
        extract_date=records_span(data).last,
        generated_at=datetime.now(UTC).replace(microsecond=0),
        version=__version__,
        git_commit=git_commit() if commit == "auto" else commit,
        data=None,
    )


STAFF_CASELOAD = "caseload_staff"


def write_cache(inputs: ReportInputs, out_dir: Path) -> Path:
    """Save the month's inputs where the notebooks of this run will find them (``load_report``)."""
    path = Path(out_dir) / CACHE_NAME
    key = _key(inputs.month, inputs.window_start, inputs.data_dir, inputs.config_path)
    with open(path, "wb") as handle:
        pickle.dump({"key": key, "inputs": inputs}, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def load_report(
    month: Any, window_start: Any = None, data_dir: Any = None, config_path: Any = None, out_dir: Any = None
) -> ReportInputs:
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
    period = (
        f"{month_name(inputs.month)}; trend from {month_name(inputs.window_start)}"
        if inputs.window_start != inputs.month
        else month_name(inputs.month)
    )
    commit = (inputs.git_commit or "not recorded")[:12]
    facts = [
        ("Report month", month_name(inputs.month)),
        ("Period covered", f"{month_name(inputs.window_start)} to {month_name(inputs.month)}"),
        (
            "Data extract",
            f"records up to {date_long(inputs.extract_date)}" if inputs.extract_date is not None else "not known",
        ),
        ("Generated", inputs.generated_at.strftime("%d %B %Y, %H:%M UTC").lstrip("0")),
        ("Code version", f"analysis {inputs.version}, commit {commit}"),
    ]
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts)
    warning = (
        (
            '<p class="restricted">Restricted: staff-level detail for team managers. '
            "Do not forward or include in the leadership email.</p>"
        )
        if restricted
        else ""
    )
    warning += "".join(
        f'<p class="restricted" role="note">{esc(w)}</p>' for w in coverage_warnings(inputs.table("coverage"))
    )
    body = (
        f'<header class="title-block"><p class="authority">{esc(inputs.authority)}</p>'
        f'<h1>{esc(report)}</h1><p class="period">{esc(period)}</p><dl>{rows}</dl></header>{warning}'
    )
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


# --------------------------------------------------------------------------- generic tables
RATE_WORDS = ("compliance", "rate", "share", "lower", "upper", "proportion", "percent", "bound")
COUNT_WORDS = (
    "staff",
    "due",
    "supervised",
    "in_scope",
    "near_miss",
    "count",
    "cases",
    "holders",
    "people",
    "missed",
    "months",
    "caseload",
    "gap",
    "number",
    "excluded",
    "not_",
)


def humanise(name: str) -> str:
    """``near_miss`` -> ``Near miss``; ``staff_id`` -> ``Staff ID``."""
    text = str(name).replace("_", " ").strip()
    text = text.replace("nqsw", "NQSW").replace("fte", "FTE").replace(" id", " ID")
    return text[:1].upper() + text[1:]


def guess_format(name: str, values: pd.Series):
    """A display format for a column from its name and dtype."""
    lowered = str(name).lower()
    if isinstance(values.dtype, pd.PeriodDtype) or lowered == "month":
        return month_name
    if (
        pd.api.types.is_datetime64_any_dtype(values)
        or lowered.endswith(("date", "_at", "ends"))
        or lowered in ("snapshot", "as_at")
    ):
        return date_long
    if pd.api.types.is_bool_dtype(values):
        return lambda v: "Yes" if v else "No"
    if pd.api.types.is_numeric_dtype(values):
        if any(w in lowered for w in RATE_WORDS):
            return pct
        if "mean" in lowered or "per_fte" in lowered or "median" in lowered:
            return caseload
        if pd.api.types.is_integer_dtype(values) or any(w in lowered for w in COUNT_WORDS):
            return count
        return lambda v: f"{float(v):,.2f}"
    return lambda v: LABELS.get(str(v), str(v))


def generic_table(
    frame: pd.DataFrame,
    caption: str,
    columns: Sequence[str] | None = None,
    labels: dict[str, str] | None = None,
    row_header: str | None = None,
    empty: str = "None.",
) -> str:
    """Any tidy table as an accessible HTML table, each column formatted by its name and type."""
    columns = [c for c in (columns or list(frame.columns)) if c in frame.columns]
    labels = labels or {}
    spec = []
    for c in columns:
        fmt = guess_format(c, frame[c])
        spec.append(Column(c, labels.get(c, humanise(c)), fmt, fmt in (pct, count, caseload)))
    return html_table(
        frame,
        spec,
        caption,
        row_header=row_header if row_header in columns else (columns[0] if columns else None),
        empty=empty,
    )


LABELS = {**CATEGORY_LABELS, **ROLE_LABELS, **REASON_LABELS, **EMPLOYMENT_LABELS}


def has(frame: pd.DataFrame | None, *columns: str) -> bool:
    return frame is not None and len(frame.columns) > 0 and all(c in frame.columns for c in columns)


# --------------------------------------------------------------------------- supervision
def monthly(inputs: ReportInputs) -> pd.DataFrame:
    """``supervision_monthly`` with ``month`` as text, sorted, for display."""
    frame = inputs.table("supervision_monthly").copy()
    if frame.empty:
        return frame
    frame["month"] = frame["month"].astype(str)
    return frame.sort_values(["month", "category"]).reset_index(drop=True)


def month_row(frame: pd.DataFrame, month: Any, category: str = "all") -> pd.Series | None:
    rows = frame.loc[(frame["month"].astype(str) == str(month)) & (frame["category"] == category)]
    return rows.iloc[0] if len(rows) else None


def direction(now: Any, before: Any) -> str:
    """``up 1.4 percentage points``, ``down 0.3 percentage points`` or ``unchanged``."""
    if _missing(now) or _missing(before):
        return ""
    delta = percent_rounded(now) - percent_rounded(before)  # the change between the figures shown
    if delta == 0:
        return "unchanged"
    return f"{'up' if delta > 0 else 'down'} {abs(delta)} percentage points"


def compliance_sentence(frame: pd.DataFrame, month: Any, target: float) -> str:
    """The headline: the month's All compliance against the target and the direction of travel."""
    now = month_row(frame, month)
    if now is None or _missing(now["compliance"]):
        return f"No staff were due formal supervision in {month_name(month)}."
    status = "meeting" if float(now["compliance"]) >= target else "below"
    text = (
        f"In {month_name(month)}, {pct(now['compliance'])} of staff due formal supervision received it "
        f"({count(now['supervised'])} of {count(now['due'])}), {status} the {pct(target, 0)} target"
    )
    before = month_row(frame, pd.Period(str(month), "M") - 1)
    if before is not None and not _missing(before["compliance"]):
        text += (
            f"; {direction(now['compliance'], before['compliance'])} on "
            f"{month_name(before['month'])} ({pct(before['compliance'])})"
        )
    return text + "."


def window_sentence(frame: pd.DataFrame, window_start: Any, month: Any) -> str:
    """The range over the window, as the council put it ("ranged between 80% and 85%")."""
    rows = frame.loc[frame["category"] == "all"].dropna(subset=["compliance"])
    if len(rows) < 2:
        return ""
    lo, hi = rows["compliance"].min(), rows["compliance"].max()
    due = rows.sort_values("month")["due"].to_numpy()
    rising = (
        " The number of staff due rose every month as staff were appointed."
        if len(due) > 1 and bool(np.all(np.diff(due) > 0))
        else ""
    )
    return (
        f"From {month_name(window_start)} to {month_name(month)}, compliance ranged between "
        f"{pct(lo)} and {pct(hi)}.{rising}"
    )


def supervision_headline(inputs: ReportInputs) -> Fragment:
    """The headline box and the key figures of the month."""
    frame = monthly(inputs)
    now = month_row(frame, inputs.month) if not frame.empty else None
    sentences = (
        [compliance_sentence(frame, inputs.month, inputs.target)]
        if not frame.empty
        else ["No supervision figures are available for this month."]
    )
    if not frame.empty:
        extra = window_sentence(frame, inputs.window_start, inputs.month)
        if extra:
            sentences.append(extra)
    box = '<div class="headline">' + "".join(f"<p>{esc(s)}</p>" for s in sentences) + "</div>"
    if now is None:
        return Fragment(box)
    status = "status-met" if not _missing(now["compliance"]) and now["compliance"] >= inputs.target else "status-below"
    figures = [
        (pct(now["compliance"]), f"supervised (target {pct(inputs.target, 0)})", status),
        (count(now["due"]), "staff due supervision", ""),
        (count(now["supervised"]), "supervised in the month", ""),
        (count(now["due"] - now["supervised"]), "not supervised", ""),
        (count(now["near_miss"]), f"near misses (supervised {words.grace(inputs.config)} after)", ""),
        (count(now["in_scope"] - now["due"]), f"not due ({words.not_due_rule(inputs.config)})", ""),
    ]
    items = "".join(
        f'<li><span class="figure {css}">{esc(v)}</span><span class="label">{esc(k)}</span></li>'
        for v, k, css in figures
    )
    return Fragment(
        box + f'<ul class="key-figures" aria-label="Key figures for {esc(month_name(inputs.month))}">{items}</ul>'
    )


MONTHLY_COLUMNS = [
    Column("month", "Month", month_name),
    Column("in_scope", "Staff in post", count, True),
    Column("not_due", "Not due", count, True),
    Column("due", "Due", count, True),
    Column("supervised", "Supervised", count, True),
    Column("not_supervised", "Not supervised", count, True),
    Column("compliance", "Compliance", pct, True),
    Column("near_miss", "Near misses", count, True),
]


def category_table(frame: pd.DataFrame, category: str) -> str:
    """One category's months as the council tabulates them."""
    rows = frame.loc[frame["category"] == category].copy()
    rows["not_due"] = rows["in_scope"] - rows["due"]
    rows["not_supervised"] = rows["due"] - rows["supervised"]
    label = CATEGORY_LABELS[category]
    caption = (
        ("All staff (qualified, newly qualified and agency social workers and managers): formal supervision by month")
        if category == "all"
        else f"{label}: formal supervision by month"
    )
    return html_table(rows, MONTHLY_COLUMNS, caption, row_header="month")


def comparative_tables(inputs: ReportInputs) -> Fragment:
    """The council's comparative tables: All, then Qualified, NQSW and Agency."""
    frame = monthly(inputs)
    if frame.empty:
        return Fragment(paragraph("No supervision figures are available."))
    parts = [category_table(frame, "all"), "<h3>Breakdown: qualified, newly qualified and agency</h3>"]
    parts += [category_table(frame, c) for c in ("qualified", "nqsw", "agency")]
    return join(*parts)


def category_sentence(frame: pd.DataFrame, month: Any) -> str:
    """Which groups had the highest and the lowest compliance this month; ties and lone groups said as such."""
    rows = frame.loc[(frame["month"] == str(month)) & (frame["category"] != "all")].dropna(subset=["compliance"])
    if rows.empty:
        return ""

    names = {"qualified": "qualified", "nqsw": "newly qualified", "agency": "agency"}

    def who(part: pd.DataFrame) -> str:
        return words.listed([names[c] for c in part["category"]]) + " staff"

    def figures(part: pd.DataFrame) -> str:
        counts = words.listed([f"{count(n)} of {count(d)}" for n, d in zip(part["supervised"], part["due"])])
        return f"{pct(part['compliance'].iloc[0])}, {counts}"

    # Equal fractions divide to the same float, so == finds ties exactly.
    high = rows.loc[rows["compliance"] == rows["compliance"].max()]
    low = rows.loc[rows["compliance"] == rows["compliance"].min()]
    none_due = [names[c] for c in names if c not in set(rows["category"])]
    unsaid = f"; no {words.listed(none_due, 'or')} staff were due" if none_due else ""
    if len(rows) == 1:
        return f"In {month_name(month)}, compliance for {who(rows)} was {figures(rows)}{unsaid}."
    if len(high) == len(rows):
        return f"In {month_name(month)}, compliance was the same for {who(rows)}: {figures(rows)}{unsaid}."
    return (
        f"In {month_name(month)}, compliance was highest for {who(high)} ({figures(high)}) and lowest for "
        f"{who(low)} ({figures(low)}){unsaid}."
    )


# --------------------------------------------------------------------------- caseload
def headline_snapshots(inputs: ReportInputs) -> tuple[pd.Series | None, pd.Series | None]:
    """The headline rows of ``caseload_snapshots`` that ``select_headline`` chose: this Autumn, last Autumn."""
    snaps = inputs.table("caseload_snapshots")
    if not has(snaps, "group", "snapshot"):
        return None, None
    chosen = (
        select_headline(inputs.tables, inputs.month, inputs.target)
        if has(inputs.table("supervision_monthly"), "month", "category")
        else None
    )
    head = snaps.loc[snaps["group"] == "headline"].assign(snapshot=lambda f: pd.to_datetime(f["snapshot"]))

    def row(date: pd.Timestamp | None) -> pd.Series | None:
        match = head.loc[head["snapshot"] == date] if date is not None else head.iloc[:0]
        return match.iloc[0] if len(match) else None

    if chosen is None:
        return None, None
    return row(chosen.snapshot), row(chosen.snapshot_last_year)


def autumn(value: Any) -> str:
    """A snapshot date as the council names it (``Autumn 2019`` for 30 September 2019)."""
    return words.snapshot_label(value)


def caseload_sentences(inputs: ReportInputs) -> list[str]:
    """The council's sentences: "In Autumn 2019 the average caseload ... was 16.16." and last year's."""
    latest, earlier = headline_snapshots(inputs)
    out = []
    for row in (latest, earlier):
        if row is None:
            continue
        out.append(
            f"In {autumn(row['snapshot'])} ({date_long(row['snapshot'])}) the average caseload for "
            f"qualified social workers was {caseload(row['mean_caseload'])} "
            f"({count(row['cases'])} cases held by {count(row['case_holders'])} social workers)."
        )
    if (
        latest is not None
        and earlier is not None
        and not _missing(latest["mean_caseload"])
        and not _missing(earlier["mean_caseload"])
    ):
        delta = float(latest["mean_caseload"]) - float(earlier["mean_caseload"])
        if abs(delta) >= 0.005:
            word = "fewer" if delta < 0 else "more"
            out.append(f"That is {caseload(abs(delta))} {word} cases per qualified social worker than a year earlier.")
        else:
            out.append("That is the same as a year earlier.")
    return out


def caseload_headline(inputs: ReportInputs) -> Fragment:
    latest, earlier = headline_snapshots(inputs)
    if latest is None:
        return Fragment(paragraph("No caseload snapshot is available for this report."))
    box = '<div class="headline">' + "".join(f"<p>{esc(s)}</p>" for s in caseload_sentences(inputs)) + "</div>"
    figures = [(caseload(latest["mean_caseload"]), f"average caseload, {autumn(latest['snapshot'])}")]
    if earlier is not None:
        figures.append((caseload(earlier["mean_caseload"]), f"average caseload, {autumn(earlier['snapshot'])}"))
    figures.append((caseload(latest["cases_per_fte"]), f"cases per FTE, {autumn(latest['snapshot'])}"))
    figures.append(
        (count(latest["case_holders"]), f"qualified social workers holding cases, {autumn(latest['snapshot'])}")
    )
    items = "".join(
        f'<li><span class="figure">{esc(v)}</span><span class="label">{esc(k)}</span></li>' for v, k in figures
    )
    return Fragment(box + f'<ul class="key-figures" aria-label="Key caseload figures">{items}</ul>')


def snapshot_table(inputs: ReportInputs) -> Fragment:
    """Autumn against Autumn: the headline and each role, mean caseload and cases per FTE."""
    snaps = inputs.table("caseload_snapshots")
    if not has(snaps, "snapshot", "group", "mean_caseload"):
        return Fragment("")
    snaps = snaps.assign(snapshot=pd.to_datetime(snaps["snapshot"]))
    dates = sorted(snaps["snapshot"].unique(), reverse=True)[:2]
    groups = list(dict.fromkeys(snaps["group"]))
    frame = pd.DataFrame({"group": groups})
    columns = [Column("group", "Group")]
    for d in reversed(dates):
        part = snaps.loc[snaps["snapshot"] == d].set_index("group").reindex(groups)
        y = pd.Timestamp(d).year
        frame[f"holders_{y}"] = part["case_holders"].to_numpy()
        frame[f"mean_{y}"] = part["mean_caseload"].to_numpy()
        frame[f"fte_{y}"] = part["cases_per_fte"].to_numpy()
        columns += [
            Column(f"holders_{y}", f"Case holders {autumn(d)}", count, True),
            Column(f"mean_{y}", f"Average caseload {autumn(d)}", caseload, True),
            Column(f"fte_{y}", f"Cases per FTE {autumn(d)}", caseload, True),
        ]
    frame["group"] = frame["group"].map(lambda g: ROLE_LABELS.get(g, humanise(g)))
    season = words.season(snaps["snapshot"].iloc[0]) if len(snaps) else "Autumn"
    return Fragment(
        html_table(
            frame,
            columns,
            f"Average caseload of case holders, {season} against {season} (first row: the headline measure)",
            row_header="group",
            note="Average caseload is the mean over people holding at least one case. "
            "Cases per FTE divides the cases by the case holders' full-time equivalents, "
            "the national workforce census's basis.",
        )
    )


def category_caseloads(inputs: ReportInputs) -> Fragment:
    """Social workers and senior social workers by category: qualified, agency, NQSW."""
    table = inputs.table("caseload_by_role_category")
    if not has(table, "dimension", "group", "snapshot"):
        return Fragment("")
    rows = table.loc[table["dimension"] == "category"].copy()
    rows["snapshot"] = pd.to_datetime(rows["snapshot"])
    rows = rows.sort_values(["snapshot", "group"], ascending=[False, True])
    rows["label"] = rows["group"].map(lambda g: CATEGORY_LABELS.get(g, g)) + ", " + rows["snapshot"].map(autumn)
    return Fragment(
        html_table(
            rows,
            [
                Column("label", "Category and snapshot"),
                Column("staff", "Staff", count, True),
                Column("case_holders", "Case holders", count, True),
                Column("cases", "Cases", count, True),
                Column("mean_caseload", "Average caseload", caseload, True),
                Column("median_caseload", "Median", caseload, True),
                Column("max_caseload", "Largest", count, True),
            ],
            "Social workers and senior social workers by category",
            row_header="label",
        )
    )


def role_sentences(inputs: ReportInputs) -> list[str]:
    """Who holds cases: principals fewer and more complex; team managers none (or how many)."""
    out = []
    pc = inputs.table("principal_complexity")
    if has(pc, "as_at", "role", "mean_caseload", "complex_share"):
        pc = pc.assign(as_at=pd.to_datetime(pc["as_at"]))
        last = pc.loc[pc["as_at"] == pc["as_at"].max()].set_index("role")
        if "principal_social_worker" in last.index and "social_worker" in last.index:
            p, w = last.loc["principal_social_worker"], last.loc["social_worker"]
            out.append(
                f"On {date_long(pc['as_at'].max())}, principal social workers held on average "
                f"{caseload(p['mean_caseload'])} cases, of which {pct(p['complex_share'])} were complex, "
                f"against {caseload(w['mean_caseload'])} cases ({pct(w['complex_share'])} complex) "
                "for social workers."
            )
    counts = inputs.table("caseload_flag_counts")
    if has(counts, "rule", "count"):
        tm = counts.loc[counts["rule"].str.startswith("team_manager"), "count"].sum()
        out.append(
            "Team managers held no cases."
            if tm == 0
            else f"{plural(tm, 'team manager')} held cases, which the policy does not expect."
        )
    return out


def nqsw_sentence(nqsw: pd.DataFrame, as_at: Any, config: Settings, ends: pd.DataFrame | None = None) -> str:
    """The council's NQSW breakdown as one sentence."""
    bands = words.band_words(config)
    rows = nqsw.set_index("band")
    total = int(rows["staff"].sum()) if len(rows) else 0
    if total == 0:
        return f"There were no newly qualified social workers on {date_long(as_at)}."

    def n(band: str) -> int:
        return int(rows.loc[band, "staff"]) if band in rows.index else 0

    def mean(band: str) -> str:
        return caseload(rows.loc[band, "mean_caseload"]) if band in rows.index else DASH

    parts = [f"{n('non_case_holding')} holding no cases"]
    if n("months_0_6"):
        parts.append(
            f"{n('months_0_6')} in their {bands['months_0_6']} with an average caseload of {mean('months_0_6')}"
        )
    else:
        parts.append(f"none holding cases in their {bands['months_0_6']}")
    late = f"{n('months_6_12')} in months {bands['months_6_12'].removesuffix(' months')}"
    if ends is not None and has(ends, "band", "status_ends_first", "status_ends_last"):
        e = ends.set_index("band")
        if "months_6_12" in e.index and not _missing(e.loc["months_6_12", "status_ends_first"]):
            first = pd.Timestamp(e.loc["months_6_12", "status_ends_first"]).strftime("%B %Y")
            last = pd.Timestamp(e.loc["months_6_12", "status_ends_last"]).strftime("%B %Y")
            late += f" (newly qualified status ending {first if first == last else first + ' to ' + last})"
    if n("months_6_12"):
        late += f" with an average caseload of {mean('months_6_12')}"
    parts.append(late)
    return f"Of the {plural(total, 'newly qualified social worker')} on {date_long(as_at)}: " + "; ".join(parts) + "."


def nqsw_section(inputs: ReportInputs) -> Fragment:
    nqsw = inputs.table("nqsw_caseload")
    if not has(nqsw, "band", "staff", "mean_caseload"):
        return Fragment(paragraph("No newly qualified breakdown is available."))
    as_at = nqsw["as_at"].iloc[0] if len(nqsw) else inputs.month.end_time
    ends = inputs.table("nqsw_status_ends")
    items = []
    rows = nqsw.set_index("band")
    e = ends.set_index("band") if has(ends, "band", "status_ends_first") else None
    bands, labels = words.band_words(inputs.config), words.band_labels(inputs.config)
    for band in labels:
        if band not in rows.index:
            continue
        staff_n = int(rows.loc[band, "staff"])
        text = (
            f"{staff_n} "
            + {
                "non_case_holding": "are non-case holding.",
                "months_0_6": f"are in their {bands['months_0_6']} after qualifying",
                "months_6_12": f"are {bands['months_6_12']} after qualifying",
            }[band]
        )
        if band != "non_case_holding":
            if e is not None and band in e.index and not _missing(e.loc[band, "status_ends_first"]):
                text += f" (status ending {pd.Timestamp(e.loc[band, 'status_ends_first']).strftime('%B %Y')}"
                last = pd.Timestamp(e.loc[band, "status_ends_last"]).strftime("%B %Y")
                first = pd.Timestamp(e.loc[band, "status_ends_first"]).strftime("%B %Y")
                text += ")" if last == first else f" to {last})"
            text += (
                f" and they have an average caseload of {caseload(rows.loc[band, 'mean_caseload'])}."
                if staff_n
                else "."
            )
        items.append(text)
    total = int(rows["staff"].sum())
    intro = paragraph(
        f"Of the {plural(total, 'newly qualified social worker')} (NQSW) in the service on {date_long(as_at)}:"
    )
    shown = nqsw.set_index("band").reindex(list(labels)).reset_index()
    shown.loc[shown["band"] == "non_case_holding", "mean_caseload"] = np.nan
    table = html_table(
        shown,
        [
            Column("band", "Stage", lambda b: labels.get(b, b)),
            Column("staff", "NQSWs", count, True),
            Column("mean_caseload", "Average caseload", caseload, True),
        ],
        f"Newly qualified social workers on {date_long(as_at)}",
        row_header="band",
    )
    return join(intro, bullets(items), table)


def flags_section(inputs: ReportInputs) -> Fragment:
    """Appropriate work: people flagged, counted by rule (staff-level detail is in team detail)."""
    counts = inputs.table("caseload_flag_counts")
    if not has(counts, "rule", "count"):
        return Fragment(paragraph("No caseload checks are available."))
    as_at = counts["as_at"].iloc[0] if len(counts) else inputs.month.end_time
    total = int(counts["count"].sum())
    limits, early = inputs.config.nqsw_max_caseload, words.band_words(inputs.config)["months_0_6"]
    rules_text = {
        "team_manager_holding_cases": f"A {words.role(inputs.config.non_case_holding_roles)} holds any case",
        "nqsw_over_band_limit": f"An NQSW holds more than {limits[0]} cases in the {early}, or more than "
        f"{limits[1]} later",
        "nqsw_early_complex_case": f"An NQSW in the {early} holds a complex case",
        "over_max_caseload": f"Anyone holds more than {inputs.config.max_caseload} cases",
    }
    frame = counts.assign(check=counts["rule"].map(lambda r: rules_text.get(r, humanise(r))))
    sentence = (
        f"On {date_long(as_at)}, no caseload broke the appropriate-work checks."
        if total == 0
        else f"On {date_long(as_at)}, {plural(total, 'caseload')} broke one of the appropriate-work checks "
        "below; team managers have the names in the team detail report."
    )
    table = html_table(
        frame,
        [Column("check", "Check"), Column("count", "People flagged", count, True)],
        f"Caseloads flagged on {date_long(as_at)}, by check",
        row_header="check",
    )
    return join(paragraph(sentence), table)


# --------------------------------------------------------------------------- notebook prose
# Paragraphs of the notebooks that state a setting: here, so that they read it.
def not_due_intro(inputs: ReportInputs) -> Fragment:
    """Who is not due, in the words of the council's report, with this run's threshold."""
    rule = words.working_days(inputs.config.absence_threshold_days)
    return Fragment(
        paragraph(
            f"Supervision is not due when a member of staff is unavailable for {rule} or more in the month "
            "(annual leave, sickness, maternity leave, or starting or leaving part-way through). They are not "
            f"included in the figures. Staff unavailable for fewer than {inputs.config.absence_threshold_days} working "
            "days are included."
        )
    )


def caseload_intro(inputs: ReportInputs) -> Fragment:
    """What the caseload comparison compares: the snapshot date and its name, from the settings."""
    month, day = inputs.config.snapshot_month_day
    stamp = pd.Timestamp(2019 if (month, day) != (2, 29) else 2020, month, day)
    census = " (the national workforce census date)" if (month, day) == (9, 30) else ""
    return Fragment(
        paragraph(
            f"The average caseload is compared on {stamp.day} {stamp:%B}{census}, called "
            f"\u201c{words.season(stamp)}\u201d here, this year against last year."
        )
    )


def snapshot_heading(inputs: ReportInputs) -> Fragment:
    month, day = inputs.config.snapshot_month_day
    season = words.season(pd.Timestamp(2020, month, day))
    return Fragment(f"<h2>{esc(season)} against {esc(season)}</h2>")


def nqsw_intro(inputs: ReportInputs) -> Fragment:
    months = inputs.config.nqsw_months
    span = "first year" if months == 12 else f"first {words.number(months)} months"
    return Fragment(
        paragraph(f"A newly qualified social worker's caseload should grow through their {span} of practice.")
    )


def team_detail_guide(inputs: ReportInputs) -> Fragment:
    """How to read the team detail lists, with this run's near-miss window."""
    return Fragment(
        paragraph(
            "Staff are shown by their pseudonymous staff ID. Supervision is this month's status: supervised, overdue "
            f"(due and not supervised; near miss if a supervision followed {words.grace(inputs.config)}), or not due "
            "with the reason. Months missed in a row counts consecutive months due and not supervised, ending this "
            "month. Caseload is the number of cases held at the end of the month."
        )
    )


def caveats(inputs: ReportInputs, which: str = "supervision") -> Fragment:
    """The caveats the council's report gives, in plain words."""
    days = inputs.config.absence_threshold_days
    items = [
        "The numbers are people (headcount), not full-time equivalents (FTE).",
        f"Staff who were unavailable for {words.working_days(days)} or more in the month, through leave, "
        "sickness, maternity leave, or starting or leaving part-way through, are not due supervision and are left "
        "out of the figures; staff absent for less are included.",
        "Annual leave and sickness are not recorded for agency staff, so some agency workers counted as due "
        "may in fact have been absent: the agency figures are a lower bound.",
    ]
    if which == "supervision":
        others = words.uncounted_supervision(inputs.config)
        items.append(
            f"Only {words.counted_supervision(inputs.config)} counts"
            + (f"; {others} does not. " if others else ". ")
            + f"A supervision {words.grace(inputs.config)} after the month ends is "
            "shown as a near miss, not as supervised."
        )
    else:
        items.append(
            "A caseload counts the distinct cases allocated to a worker on the day; co-worked cases "
            "count for each worker. The average is over workers holding at least one case."
        )
        items.append(
            "The headline covers social workers and senior social workers who are not newly qualified, "
            "permanent and agency alike."
        )
    return Fragment('<div class="caveats">' + bullets(items) + "</div>")


# --------------------------------------------------------------------------- supervision detail
def _this_month(frame: pd.DataFrame, month: Any) -> pd.DataFrame:
    if "month" in frame.columns:
        return frame.loc[frame["month"].astype(str) == str(month)]
    return frame


def exclusions_section(inputs: ReportInputs) -> tuple[Fragment, pd.DataFrame]:
    """Who was not due, by reason, and the near misses; returns the reasons for the chart too."""
    table = inputs.table("supervision_exclusions")
    frame = monthly(inputs)
    now = month_row(frame, inputs.month) if not frame.empty else None
    parts: list[str] = []
    reasons = pd.DataFrame(columns=["reason", "staff"])
    if not table.empty:
        this = _this_month(table, inputs.month)
        if "category" in this.columns:
            this = this.loc[this["category"] == "all"]
        reasons = this.groupby("reason", as_index=False)["staff"].sum()
        reasons = reasons.loc[reasons["staff"] > 0]
    if now is not None:
        not_due = int(now["in_scope"] - now["due"])
        parts.append(
            paragraph(
                f"In {month_name(inputs.month)}, {plural(now['in_scope'], 'member')} of staff were in post in a "
                f"supervision role; {count(not_due)} of them were not due supervision because they were unavailable "
                f"for {words.working_days(inputs.config.absence_threshold_days)} or more, and are left out of the "
                "figures."
            )
        )
    if len(reasons):
        order = {r: n for n, r in enumerate(REASON_LABELS)}
        reasons = reasons.assign(_o=reasons["reason"].map(order)).sort_values("_o").drop(columns="_o")
        parts.append(
            html_table(
                reasons,
                [
                    Column("reason", "Reason", lambda r: REASON_LABELS.get(r, humanise(r))),
                    Column("staff", "Staff not due", count, True),
                ],
                f"Staff not due supervision in {month_name(inputs.month)}, by reason",
                row_header="reason",
            )
        )
    if now is not None:
        missed = int(now["due"] - now["supervised"])
        near = int(now["near_miss"])
        parts.append("<h3>Near misses</h3>")
        parts.append(
            paragraph(
                f"Of the {plural(missed, 'member')} of staff due but not supervised in {month_name(inputs.month)}, "
                f"{count(near)} had a formal supervision {words.grace(inputs.config)} after the "
                "month ended: a session rescheduled by a few days that missed the cut-off for reporting. "
                + (
                    f"Counting them, compliance would have been {pct((now['supervised'] + near) / now['due'])}."
                    if now["due"]
                    else ""
                )
            )
        )
        rows = frame.loc[frame["category"] == "all"].assign(
            missed=lambda f: f["due"] - f["supervised"],
            with_near=lambda f: (f["supervised"] + f["near_miss"]) / f["due"].where(f["due"] > 0),
        )
        parts.append(
            html_table(
                rows,
                [
                    Column("month", "Month", month_name),
                    Column("missed", "Due, not supervised", count, True),
                    Column("near_miss", "Near misses", count, True),
                    Column("compliance", "Compliance", pct, True),
                    Column("with_near", "Compliance counting near misses", pct, True),
                ],
                "Near misses by month, all staff",
                row_header="month",
            )
        )
    return join(*parts), reasons


def data_gap_section(inputs: ReportInputs) -> Fragment:
    """The agency absence data gap and the compliance upper bound, month by month."""
    table = inputs.table("supervision_data_gap")
    if not has(table, "month", "with_absence_gap", "compliance_upper_bound"):
        return Fragment(paragraph("Absence is not recorded for agency staff; no further detail is available."))
    table = table.assign(month=table["month"].astype(str)).sort_values("month")
    now = table.loc[table["month"] == str(inputs.month)]
    text = (
        "Annual leave and sickness are not recorded for agency staff, so an agency worker who was away may be "
        "counted as due. "
    )
    if len(now):
        row = now.iloc[0]
        text += (
            f"In {month_name(inputs.month)}, {count(row['with_absence_gap'])} of the "
            f"{plural(row['due_unsupervised'], 'member')} of staff due and not supervised were agency workers "
            "with no absence record at all. If every one of them had in fact been "
            f"{words.not_due_rule(inputs.config)}, compliance would have been "
            f"{pct(row['compliance_upper_bound'])} rather than "
            f"{pct(row['compliance'])}: the true figure lies between the two."
        )
    return join(
        paragraph(text),
        html_table(
            table,
            [
                Column("month", "Month", month_name),
                Column("due_unsupervised", "Due, not supervised", count, True),
                Column("with_absence_gap", "Of whom agency, no absence record", count, True),
                Column("compliance", "Compliance", pct, True),
                Column("compliance_upper_bound", "Upper bound", pct, True),
            ],
            "Agency absence data gap by month, all staff",
            row_header="month",
        ),
    )


def overall_compliance(inputs: ReportInputs) -> float | None:
    """The month's All compliance (None when nobody was due)."""
    frame = monthly(inputs)
    row = month_row(frame, inputs.month) if not frame.empty else None
    return None if row is None or _missing(row["compliance"]) else float(row["compliance"])


def teams_frame(inputs: ReportInputs) -> pd.DataFrame:
    """The month's teams: ``team, due, supervised, compliance`` plus any interval columns."""
    teams = _this_month(inputs.table("supervision_teams"), inputs.month)
    if not has(teams, "team", "due", "supervised"):
        return pd.DataFrame(columns=["team", "due", "supervised", "compliance"])
    teams = teams.copy()
    if "compliance" not in teams.columns:
        teams["compliance"] = teams["supervised"] / teams["due"].where(teams["due"] > 0)
    return teams.sort_values("team").reset_index(drop=True)


def comparison_table(frame: pd.DataFrame, key: str, label: str, caption: str) -> str:
    """Groups compared fairly: due, supervised, compliance, Wilson 95% interval, funnel position."""
    low, high = "wilson_low", "wilson_high"
    columns = [
        Column(key, label, lambda v: ROLE_LABELS.get(v, str(v))),
        Column("due", "Due", count, True),
        Column("supervised", "Supervised", count, True),
        Column("compliance", "Compliance", pct, True),
    ]
    if has(frame, low, high):
        frame = frame.assign(
            _interval=[f"{pct(a)} to {pct(b)}" if not _missing(a) else DASH for a, b in zip(frame[low], frame[high])]
        )
        columns.append(Column("_interval", "95% interval (Wilson)", str, True))
    if "outside" in frame.columns:
        words = {
            "within": "Within limits",
            "below_95": "Below 95% limit",
            "below_99.8": "Below 99.8% limit",
            "above_95": "Above 95% limit",
            "above_99.8": "Above 99.8% limit",
        }
        frame = frame.assign(_where=frame["outside"].map(lambda o: words.get(o, DASH) if isinstance(o, str) else DASH))
        columns.append(Column("_where", "Against the funnel limits"))
    return html_table(frame, columns, caption, row_header=key)


def teams_table(inputs: ReportInputs) -> str:
    return comparison_table(teams_frame(inputs), "team", "Team", f"Supervision by team, {month_name(inputs.month)}")


def teams_sentence(teams: pd.DataFrame, status: list[str]) -> str:
    """What the funnel plot shows, in words; ``status`` per row of ``teams`` (charts.classify_teams)."""
    below = [t for t, s in zip(teams["team"], status) if s == "below"]
    if not below:
        return (
            "Allowing for team size, no team's compliance is lower than chance variation around the service "
            "rate would explain: no particular team stands out as not receiving supervision."
        )
    return (
        f"Allowing for team size, {', '.join(map(str, below))} "
        f"{'is' if len(below) == 1 else 'are'} below the 95% limit: lower than chance alone would explain."
    )


def posts_section(inputs: ReportInputs) -> Fragment:
    """Supervision by type of post (role), compared fairly like the teams."""
    posts = _this_month(inputs.table("supervision_posts"), inputs.month)
    if not has(posts, "role", "due", "supervised"):
        return Fragment(paragraph("No breakdown by type of post is available."))
    posts = posts.assign(_o=posts["role"].map({r: n for n, r in enumerate(ROLE_LABELS)})).sort_values("_o")
    status = ["below" if str(o).startswith("below") else "" for o in posts.get("outside", [""] * len(posts))]
    below = [ROLE_LABELS.get(r, r).lower() + "s" for r, s_ in zip(posts["role"], status) if s_]
    sentence = (
        "No type of post is below the 95% limit: no type of post holder stands out as not receiving supervision."
        if not below
        else f"Below the 95% limit: {', '.join(below)}."
    )
    return join(
        paragraph(sentence),
        comparison_table(posts, "role", "Post", f"Supervision by type of post, {month_name(inputs.month)}"),
    )


def watch_frame(inputs: ReportInputs) -> pd.DataFrame:
    watch = inputs.table("watch_next_month")
    if not has(watch, "staff_id", "team"):
        return pd.DataFrame(columns=["team", "staff_id"])
    return watch


def _flag(watch: pd.DataFrame, column: str) -> pd.Series:
    if column not in watch.columns:
        return pd.Series(False, index=watch.index)
    values = watch[column]
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
        return values.fillna(0).astype(bool)
    return values.notna() & (values.astype(str) != "")


def watch_summary(watch: pd.DataFrame) -> pd.DataFrame:
    """Per team: people on next month's watch list, and why (a person may have several reasons)."""
    frame = pd.DataFrame(
        {
            "team": watch["team"],
            "on_list": 1,
            "missed": _flag(watch, "missed_this_month").astype(int),
            "overdue": _flag(watch, "supervision_overdue").astype(int),
            "absence": _flag(watch, "absence_type").astype(int),
        }
    )
    return frame.groupby("team", as_index=False).sum()


def watch_section(inputs: ReportInputs) -> Fragment:
    """Next month: who is already behind, and absences known to be coming (counts only)."""
    watch = watch_frame(inputs)
    nxt = month_name(inputs.month + 1)
    if watch.empty:
        return Fragment(paragraph(f"Nobody is flagged to watch in {nxt}."))
    summary = watch_summary(watch)
    total = summary[["on_list", "missed", "overdue", "absence"]].sum()
    items = [
        f"{plural(total['missed'], 'member')} of staff missed supervision in {month_name(inputs.month)} and will "
        f"be due again in {nxt}.",
        f"{plural(total['overdue'], 'member')} of staff had no formal supervision in {month_name(inputs.month)} "
        "or before it for over a month.",
        f"{plural(total['absence'], 'member')} of staff have an absence already booked to start in {nxt}: "
        "supervision may need to be brought forward.",
    ]
    table = html_table(
        summary,
        [
            Column("team", "Team"),
            Column("on_list", "On the watch list", count, True),
            Column("missed", f"Missed in {month_short(inputs.month)}", count, True),
            Column("overdue", "Over a month since supervision", count, True),
            Column("absence", f"Absence starting in {month_short(inputs.month + 1)}", count, True),
        ],
        f"To watch in {nxt}, by team (names are in the team detail report)",
        row_header="team",
    )
    return join(
        paragraph(f"{plural(total['on_list'], 'member')} of staff are on the watch list for {nxt}:"),
        bullets(items),
        table,
    )


def date_short(value: Any) -> str:
    """A date as ``2 Jan 2020``."""
    if _missing(value):
        return DASH
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp.strftime('%b %Y')}"


def watch_detail_table(inputs: ReportInputs) -> Fragment:
    """Next month's watch list, person by person (team detail only)."""
    watch = watch_frame(inputs)
    if watch.empty:
        return Fragment(paragraph("Nobody is on next month's watch list."))
    reasons = pd.Series("", index=watch.index)
    if "missed_this_month" in watch:
        reasons = reasons.where(~_flag(watch, "missed_this_month"), f"missed in {month_short(inputs.month)}")
    if "supervision_overdue" in watch:
        overdue = _flag(watch, "supervision_overdue")
        reasons = reasons.where(
            ~overdue,
            reasons.str.cat(pd.Series("over a month since supervision", index=watch.index), sep="; ").str.strip("; "),
        )
    absence = pd.Series("", index=watch.index)
    if has(watch, "absence_type", "absence_start", "absence_end"):
        booked = _flag(watch, "absence_type")
        start, end = watch["absence_start"].map(date_short), watch["absence_end"].map(date_short)
        text = (
            watch["absence_type"].map(lambda a: REASON_LABELS.get(a, humanise(a)) if isinstance(a, str) else "")
            + " "
            + start.where(start == end, start + " to " + end)
        )
        if "absence_working_days_next_month" in watch:
            days = watch["absence_working_days_next_month"]
            text += " (" + days.map(lambda d: plural(d, "working day") if not _missing(d) else DASH) + " next month)"
        absence = absence.where(~booked, text)
    frame = pd.DataFrame(
        {
            "staff_id": watch["staff_id"],
            "team": watch["team"],
            "role": watch.get("role", pd.Series("", index=watch.index)),
            "why": reasons.str[:1].str.upper() + reasons.str[1:],
            "last": watch.get("last_formal_supervision", pd.Series(pd.NaT, index=watch.index)),
            "absence": absence,
        }
    )
    return Fragment(
        html_table(
            frame,
            [
                Column("staff_id", "Staff ID"),
                Column("team", "Team"),
                Column("role", "Role", lambda r: ROLE_LABELS.get(r, humanise(r))),
                Column("why", "Behind on supervision"),
                Column("last", "Last formal supervision", date_short),
                Column("absence", "Absence booked"),
            ],
            f"Staff to watch in {month_name(inputs.month + 1)}",
            row_header="staff_id",
        )
    )


def nqsw_standard_section(inputs: ReportInputs) -> Fragment:
    """The newly qualified supervision standard (weekly, fortnightly, then monthly), by month."""
    table = inputs.table("nqsw_supervision")
    if not has(table, "month", "nqsw_due", "met_standard", "proportion_met"):
        return Fragment(paragraph("No newly qualified standard figures are available."))
    table = table.assign(month=table["month"].astype(str)).sort_values("month")
    now = table.loc[table["month"] == str(inputs.month)]
    text = (
        f"Newly qualified social workers should be supervised weekly for their first "
        f"{words.number(WEEKLY_DAYS // 7)} weeks, then fortnightly to {words.number(FORTNIGHTLY_MONTHS)} months, "
        "then monthly. "
    )
    if len(now) and now.iloc[0]["nqsw_due"] > 0:
        row = now.iloc[0]
        text += (
            f"In {month_name(inputs.month)}, {count(row['met_standard'])} of the {count(row['nqsw_due'])} "
            f"NQSWs due supervision had as many formal supervisions as the standard expects "
            f"({pct(row['proportion_met'])})."
        )
    return join(
        paragraph(text),
        html_table(
            table,
            [
                Column("month", "Month", month_name),
                Column("nqsw_due", "NQSWs due", count, True),
                Column("met_standard", "Met the standard", count, True),
                Column("proportion_met", "Proportion", pct, True),
            ],
            "Newly qualified social workers meeting the supervision standard",
            row_header="month",
        ),
    )


# --------------------------------------------------------------------------- team detail
def staff_detail(inputs: ReportInputs) -> pd.DataFrame:
    """One row per person in post at the month end or in the supervision figures of the month:
    team, staff_id, role, category, caseload, this month's supervision, months missed in a row,
    caseload flags."""
    loads = inputs.table(STAFF_CASELOAD)
    sup = inputs.table("supervision_staff")
    frames = []
    if has(loads, "staff_id"):
        frames.append(loads[[c for c in ("staff_id", "team", "role", "category", "caseload") if c in loads]])
    out = frames[0] if frames else pd.DataFrame(columns=["staff_id", "team", "role", "category", "caseload"])
    if has(sup, "staff_id"):
        this = _this_month(sup, inputs.month)
        status = pd.Series("Not due", index=this.index)
        if "due" in this:
            status = status.where(~this["due"].astype(bool), "Supervised")
            if "supervised" in this:
                missed = this["due"].astype(bool) & ~this["supervised"].fillna(False).astype(bool)
                status = status.where(~missed, "Overdue")
                if "near_miss" in this:
                    status = status.where(
                        ~(missed & this["near_miss"].fillna(False).astype(bool)), "Overdue (near miss)"
                    )
        if "exclusion_reason" in this:
            reason = this["exclusion_reason"].map(lambda r: REASON_LABELS.get(r, r) if isinstance(r, str) else None)
            status = status.where(
                status != "Not due", "Not due: " + reason.fillna("").str.lower().str.split(" \\(").str[0]
            )
        extra = pd.DataFrame(
            {
                "staff_id": this["staff_id"].to_numpy(),
                "supervision": status.to_numpy(),
                "missed_in_a_row": this["consecutive_misses"].to_numpy(),
            }
        )
        for c in ("team", "role", "category"):
            if c in this:
                extra[f"{c}_s"] = this[c].to_numpy()
        out = out.merge(extra, on="staff_id", how="outer")
        for c in ("team", "role", "category"):
            if f"{c}_s" in out:
                out[c] = out[c].fillna(out[f"{c}_s"]) if c in out else out[f"{c}_s"]
                out = out.drop(columns=f"{c}_s")
    flags = inputs.table("caseload_flags")
    if has(flags, "staff_id", "rule"):
        short = flag_short(inputs.config)
        text = flags.groupby("staff_id")["rule"].agg(lambda r: "; ".join(short.get(x, humanise(x)) for x in r))
        out["flags"] = out["staff_id"].map(text).fillna("")
    else:
        out["flags"] = ""
    for c in ("supervision", "missed_in_a_row", "caseload"):
        if c not in out:
            out[c] = np.nan
    out["supervision"] = out["supervision"].fillna("Not in supervision figures")
    return out.sort_values(["team", "staff_id"]).reset_index(drop=True)


DETAIL_LIMIT = 2000  # staff rows above which team detail lists only those needing attention (size < 2 MB)


def flag_short(config: Settings) -> dict[str, str]:
    """Each caseload flag in a few words, for the team detail lists."""
    return {
        "team_manager_holding_cases": f"{words.role(config.non_case_holding_roles)} holding cases",
        "nqsw_over_band_limit": "NQSW above limit",
        "nqsw_early_complex_case": f"NQSW ({words.band_words(config)['months_0_6']}) with complex case",
        "over_max_caseload": f"above maximum caseload ({config.max_caseload})",
    }


def team_detail_sections(inputs: ReportInputs) -> Fragment:
    """A section per team: staff by pseudonymous id, caseload, category, supervision, flags."""
    detail = staff_detail(inputs)
    if detail.empty:
        return Fragment(paragraph("No staff are in post this month."))
    parts = []
    summary = (
        detail.groupby("team")
        .agg(
            staff=("staff_id", "size"),
            overdue=("supervision", lambda s: int(s.str.startswith("Overdue").sum())),
            repeat=("missed_in_a_row", lambda s: int((pd.to_numeric(s, errors="coerce") >= 2).sum())),
            flagged=("flags", lambda s: int((s != "").sum())),
        )
        .reset_index()
    )
    parts.append(
        html_table(
            summary,
            [
                Column("team", "Team"),
                Column("staff", "Staff", count, True),
                Column("overdue", "Overdue supervision", count, True),
                Column("repeat", "Missed 2+ months in a row", count, True),
                Column("flagged", "Caseload flags", count, True),
            ],
            f"Summary by team, {month_name(inputs.month)}",
            row_header="team",
        )
    )
    if len(detail) > DETAIL_LIMIT:
        attention = (
            detail["supervision"].str.startswith("Overdue")
            | (detail["flags"] != "")
            | (pd.to_numeric(detail["missed_in_a_row"], errors="coerce") >= 2)
        )
        parts.append(
            paragraph(
                f"With {count(len(detail))} staff, the lists below show only the "
                f"{count(attention.sum())} who need attention (overdue supervision, two or more "
                "months missed in a row, or a caseload flag); every person is in "
                "tables/supervision_staff.csv."
            )
        )
        detail = detail.loc[attention]
    columns = [
        Column("staff_id", "Staff ID"),
        Column("role", "Role", lambda r: ROLE_LABELS.get(r, humanise(r))),
        Column("category", "Category", lambda c: CATEGORY_SHORT.get(c, humanise(c))),
        Column("caseload", "Caseload", count, True),
        Column("supervision", f"Supervision in {month_short(inputs.month)}"),
        Column("missed_in_a_row", "Months missed in a row", count, True),
        Column("flags", "Caseload flags"),
    ]
    for team, rows in detail.groupby("team", sort=True):
        overdue = int(rows["supervision"].str.startswith("Overdue").sum())
        parts.append(f'<section class="team-section"><h2>{esc(team)}</h2>')
        parts.append(
            paragraph(
                f"{plural(len(rows), 'member')} of staff; {count(overdue)} overdue for supervision; "
                f"{count((rows['flags'] != '').sum())} with a caseload flag."
            )
        )
        parts.append(
            html_table(rows, columns, f"{team}: staff on {date_long(inputs.month.end_time)}", row_header="staff_id")
        )
        parts.append("</section>")
    return join(*parts)


def nqsw_detail_table(inputs: ReportInputs) -> Fragment:
    detail = inputs.table("nqsw_detail")
    if detail.empty:
        return Fragment(paragraph("There are no newly qualified social workers this month."))
    return Fragment(
        generic_table(
            detail,
            f"Newly qualified social workers on {date_long(inputs.month.end_time)}",
            columns=[
                "staff_id",
                "team",
                "qualified_date",
                "months_since_qualified",
                "band",
                "nqsw_status_ends",
                "caseload",
                "complex_cases",
                "band_limit",
            ],
            labels={
                "band": "Stage",
                "months_since_qualified": "Months since qualifying",
                "nqsw_status_ends": "NQSW status ends",
                "band_limit": "Caseload limit",
            },
            row_header="staff_id",
        )
    )


def flags_detail_table(inputs: ReportInputs) -> Fragment:
    flags = inputs.table("caseload_flags")
    if flags.empty:
        return Fragment(paragraph("No caseload broke an appropriate-work check."))
    short = flag_short(inputs.config)
    frame = flags.assign(rule=flags["rule"].map(lambda r: short.get(r, humanise(r))))
    return Fragment(
        generic_table(
            frame,
            f"Caseload flags on {date_long(inputs.month.end_time)}",
            columns=["staff_id", "team", "role", "caseload", "complex_cases", "rule", "detail"],
            labels={"rule": "Check", "complex_cases": "Complex cases"},
            row_header="staff_id",
        )
    )


def data_quality_section(inputs: ReportInputs) -> Fragment:
    """Queries found in the extracts (the run went on using the records as they stand)."""
    dq = inputs.table("data_quality")
    if dq.empty:
        return Fragment(paragraph("The extracts passed every data check: no queries."))
    counts = dq.groupby(["severity", "code", "file"]).size().rename("records").reset_index()
    return join(
        paragraph(
            f"The extracts raised {plural(len(dq), 'query', 'queries')}; the figures use the records "
            "as they stand. The codes are explained by the validate command."
        ),
        generic_table(
            counts, "Data queries by check and file", columns=["code", "file", "records"], labels={"code": "Check"}
        ),
    )
