"""The HTML kit of the reports: fragments, accessible tables, paragraphs and lists."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.presentation.formats import NUM, TITLE_KEY, _missing, caseload, count, esc, pct
from analysis.vocabulary.current import _


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
    href: Any = None  # value -> URL: the cell links there (e.g. a team's own page)


def html_table(
    frame: pd.DataFrame,
    columns: Sequence[Column],
    caption: str,
    row_header: str | None = None,
    total_row: int | None = None,
    empty: str | None = None,
    note: str | None = None,
) -> str:
    """An accessible HTML table: a caption, ``<th scope="col">`` headers and, if ``row_header``
    names a column, ``<th scope="row">`` cells for it. Values are escaped and formatted here."""
    empty = empty if empty is not None else _("None this month.")
    head = "".join(f'<th scope="col"{NUM if c.numeric else ""}>{esc(c.label)}</th>' for c in columns)
    rows = []
    n = len(frame)
    # Column by column (tolist) rather than record by record (to_dict): the same values, far faster
    # for the thousands of small tables of the team pages.
    values = {c.key: frame[c.key].tolist() if c.key in frame.columns else [None] * n for c in columns}
    for number in range(n):
        cells = []
        for c in columns:
            value = values[c.key][number]
            text = esc(c.format(value)) if not _missing(value) or c.format in (pct, count, caseload) else ""
            if c.href is not None and text:
                text = f'<a href="{esc(c.href(value))}">{text}</a>'
            if c.key == row_header:
                cells.append(f'<th scope="row">{text}</th>')
            else:
                cells.append(f"<td{NUM if c.numeric else ''}>{text}</td>")
        css = ' class="total"' if total_row is not None and number == (total_row % n) else ""
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


def folded(body: str, summary: str) -> str:
    """``body`` behind a summary the reader opens when wanted (a chart's long data table); printed open."""
    return f'<details class="chart-data"><summary>{esc(summary)}</summary>{body}</details>'


def bullets(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"
