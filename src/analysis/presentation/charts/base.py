"""The charts' common ground: Analysis Function colours, the style, the figure with its text and data.

Every chart function takes a tidy table, draws it, and returns an
:class:`analysis.presentation.html_kit.Fragment`: a ``<figure>`` holding the chart as an embedded PNG with
a text alternative that states the finding, a caption, and the chart's data as an accessible
table beside it. Colour never carries meaning alone: series also differ by marker, line style or
hatching, and are labelled directly on the chart (no legend-only keys).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from cycler import cycler  # noqa: E402

from analysis.presentation.formats import esc, month_short, pct  # noqa: E402
from analysis.presentation.html_kit import Fragment  # noqa: E402
from analysis.vocabulary.current import _, current  # noqa: E402

# Government Analysis Function categorical palette (accessible order).
DARK_BLUE = "#12436D"
TURQUOISE = "#28A197"
DARK_PINK = "#801650"
ORANGE = "#F46A25"
DARK_GREY = "#3D3D3D"
LIGHT_PURPLE = "#A285D1"
PALETTE = (DARK_BLUE, TURQUOISE, DARK_PINK, ORANGE, DARK_GREY, LIGHT_PURPLE)
CATEGORY_STYLE = {  # colour, marker, line style: "all" is the strongest line
    "all": (DARK_BLUE, "o", "-"),
    "qualified": (TURQUOISE, "s", "--"),
    "nqsw": (DARK_PINK, "^", "-."),
    "agency": (ORANGE, "D", ":"),
}
FONT = ["Liberation Sans", "DejaVu Sans"]
LABEL_ALL_TEAMS = 12  # above this many teams, the funnel plot names only those outside the limits
DPI = 110


def style() -> None:
    """Matplotlib settings for every chart: a Debian font, quiet axes, the palette."""
    matplotlib.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": FONT,
            "font.size": 10,
            "axes.titlesize": 11,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.labelcolor": DARK_GREY,
            "axes.edgecolor": DARK_GREY,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "axes.grid.axis": "y",
            "axes.axisbelow": True,
            "grid.color": "#d9d9d9",
            "grid.linewidth": 0.6,
            "axes.prop_cycle": cycler(color=PALETTE),
            "xtick.color": DARK_GREY,
            "ytick.color": DARK_GREY,
            "legend.frameon": False,
            "svg.fonttype": "none",
            # Labels come from the data (team names): "$" is a dollar sign, never mathtext.
            "text.parse_math": False,
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
        }
    )


style()


_MEMO: dict[tuple, Fragment] = {}
_MEMO_SIZE = 32


def memoised(function):
    """Remember a chart of identical data: a warm kernel rendering month after month of a batch
    draws the Autumn charts (which change once a year) once, not every month."""
    import functools

    @functools.wraps(function)
    def wrapper(frame: pd.DataFrame, *args):
        try:
            key = (
                function.__name__,
                current().code,  # the same data drawn in another language is another chart
                tuple(frame.columns),
                tuple(map(str, frame.dtypes)),
                int(pd.util.hash_pandas_object(frame, index=False).sum()),
                len(frame),
                args,
            )
        except TypeError:
            return function(frame, *args)
        if key not in _MEMO:
            if len(_MEMO) >= _MEMO_SIZE:
                _MEMO.pop(next(iter(_MEMO)))
            _MEMO[key] = function(frame, *args)
        return _MEMO[key]

    return wrapper


def png_base64(fig: plt.Figure) -> str:
    """The figure as base64 PNG (the figure is closed)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", facecolor="white", metadata={"Software": None})
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def figure(fig: plt.Figure, alt: str, caption: str, data_table: str = "") -> Fragment:
    """A chart as report HTML: the image with its text alternative, a caption, its data table."""
    image = png_base64(fig)
    return Fragment(
        '<figure class="chart">'
        f'<img src="data:image/png;base64,{image}" alt="{esc(alt)}">'
        f"<figcaption><strong>{esc(caption)}</strong> {esc(alt)}</figcaption>"
        f"</figure>{data_table}"
    )


def _percent_axis(ax, low: float = 0.0, high: float = 1.0) -> None:
    ax.set_ylim(low, high)
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))


# At most this many month labels on a time axis (every month keeps its tick), written level: a
# label is about an inch wide, so six fit any chart the reports draw, whatever the window.
MONTH_LABELS = 6


def month_ticks(ax: Any, months: Sequence[str]) -> None:
    """A tick every month, labelled (``Dec 2019``) every ``ceil(n / MONTH_LABELS)`` months, ending on
    the last month."""
    step = -(-len(months) // MONTH_LABELS)
    last = len(months) - 1
    ax.set_xticks(range(len(months)))
    ax.set_xticklabels([month_short(m) if (last - i) % step == 0 else "" for i, m in enumerate(months)], fontsize=8)


def spread_labels(given: Sequence[float] | np.ndarray, gap: float) -> np.ndarray:
    """Label positions near ``given`` values but at least ``gap`` apart (order kept)."""
    values = np.asarray(given, dtype=float)
    order = np.argsort(values)
    placed = values[order].copy()
    for i in range(1, len(placed)):
        placed[i] = max(placed[i], placed[i - 1] + gap)
    shift = max(0.0, (placed[-1] - values[order][-1]) / 2) if len(placed) else 0.0
    placed -= shift
    for i in range(1, len(placed)):
        placed[i] = max(placed[i], placed[i - 1] + gap)
    out = np.empty_like(placed)
    out[order] = placed
    return out


# A white ground behind a label drawn over lines.
GROUND = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"}


def target_line(
    ax: Any,
    target: float,
    colour: str,
    line: dict[str, Any],
    at: tuple[float, float],
    vertical: bool = False,
    **text: Any,
) -> None:
    """The target as a line across the chart (``vertical`` for a horizontal value axis), labelled
    "Target 90%" at ``at`` on a white ground."""
    (ax.axvline if vertical else ax.axhline)(target, color=colour, **line)
    ax.text(*at, _("Target {target}", target=pct(target, 0)), color=colour, bbox=GROUND, **text)
