"""Supervision and caseload analytics for children's social care.

Every figure in every report is computed by a function in this package; the notebooks only
call them. See ``docs/architecture.md`` for the map of modules.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("supervision-caseload")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+unknown"
