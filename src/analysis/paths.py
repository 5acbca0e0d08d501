"""Project paths, anchored on the project root, never on the working directory.

From a source checkout (or an editable install) the root is the repository. From an installed
wheel, the configuration, notebooks and sample authority ship inside the package
(``analysis/_shipped``, copied there at build time by ``setup.py``), and reports and a ``.env``
file belong to the working directory the analyst runs the command from.
"""

from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parents[2]
_SHIPPED = Path(__file__).resolve().parent / "_shipped"
IN_SOURCE_TREE = (_SOURCE_ROOT / "config" / "default.toml").is_file() and (_SOURCE_ROOT / "src" / "analysis").is_dir()

PROJECT_ROOT = _SOURCE_ROOT if IN_SOURCE_TREE else _SHIPPED
CONFIG_DIR = PROJECT_ROOT / "config"
DEFAULT_CONFIG = CONFIG_DIR / "default.toml"
DATA_DIR = PROJECT_ROOT / "data"
SAMPLE_DATA = DATA_DIR / "sample"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
# Where outputs and local settings go: the repository, or the working directory of an installed tool.
WORK_ROOT = _SOURCE_ROOT if IN_SOURCE_TREE else Path.cwd()
REPORTS_DIR = WORK_ROOT / "reports"

# Files of a month's folder that belong to the month, not to one build of its report (kept by a re-run).
SENT_FILE = "sent.json"  # who has had the month's email
MARKER_FILE = "email.sending"  # a send under way, or ended unrecorded
