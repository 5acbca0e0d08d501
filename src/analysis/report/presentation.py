"""Display-ready pieces for the report notebooks: the month's inputs, number formats, HTML tables,
headline sentences and report sections.

Notebooks call these and nothing else computes: every sentence a reader sees is built (and
tested) here from the tables of ``analysis.tables.compute_tables``. Each section function returns
a :class:`Fragment`, which a notebook shows as the last expression of a cell.

Formats: percentages to 1 decimal place (``82.4%``), counts as whole numbers, caseloads as the
council quotes them (``16.16``; ``23.8``: two decimal places with trailing zeros dropped).

The pieces live in ``analysis.sections``, a module by concern; this module gathers them under one
name for the notebooks and charts (``from analysis import presentation as pres``).
"""

from analysis.report.formats import *  # noqa: F403
from analysis.report.formats import _missing  # noqa: F401
from analysis.report.html_kit import *  # noqa: F403
from analysis.report.month_inputs import *  # noqa: F403
from analysis.report.sections.caseload import *  # noqa: F403
from analysis.report.sections.generic_tables import *  # noqa: F403
from analysis.report.sections.prose import *  # noqa: F403
from analysis.report.sections.supervision import *  # noqa: F403
from analysis.report.sections.supervision_detail import *  # noqa: F403
from analysis.report.sections.team_detail import *  # noqa: F403
from analysis.report.sections.watch import *  # noqa: F403
