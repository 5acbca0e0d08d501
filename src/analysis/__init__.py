"""Supervision and caseload analytics for children's social care.

Every figure in every report is computed by a function in this package; the notebooks only
call them. See ``docs/architecture.md`` for the map of modules.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("supervision-caseload")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+unknown"

import pandas as _pd

# Text columns hold Python strings whether or not pyarrow is installed (pyarrow reads the CSV
# files): the figures and the code paths must not depend on which string storage pandas picks,
# and every definition is written and tested for this one.
_pd.set_option("mode.string_storage", "python")
