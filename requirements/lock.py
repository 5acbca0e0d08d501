"""Write the three pinned locks from the current environment: report, lab (adds to report), test (adds to lab).

``make lock`` runs it. Each lock holds the distributions its group needs (the top-level names
below and everything they require, as installed now) and not those of the groups before it, so
``make report`` on a fresh clone installs only what a report needs.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement

GROUPS = {
    "report": [
        "pandas",
        "numpy",
        "holidays",
        "python-dateutil",
        "openpyxl",
        "pydantic",
        "msal",
        "matplotlib",
        "scipy",
        "papermill",
        "nbconvert",
        "nbclient",
        "nbformat",
        "ipykernel",
        "python-docx",
        "babel",
        "xlsxwriter",
        "pyarrow",
        "pikepdf",
    ],
    "lab": ["jupyterlab", "ipywidgets", "seaborn"],
    "test": [
        "pytest",
        "hypothesis",
        "pytest-xdist",
        "aiosmtpd",
        "trustme",
        "playwright",
        "axe-playwright-python",
        "nbstripout",
        "pre-commit",
        "statsmodels",
        "ruff",
        "pillow",
        "pypdf",
        "duckdb",
        "mypy",
        "pdfua",
    ],
}
HERE = Path(__file__).resolve().parent


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def closure(names: list[str]) -> dict[str, str]:
    """name -> installed version, for ``names`` and everything they require (markers and extras evaluated)."""
    environment = default_environment()
    found: dict[str, str] = {}
    done: set[tuple[str, str]] = set()
    todo: list[tuple[str, str]] = [(n, "") for n in names]
    while todo:
        name, extra = todo.pop()
        name = canonical(name)
        if (name, extra) in done:
            continue
        done.add((name, extra))
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            sys.exit(f"{name} is not installed: install it before `make lock`")
        found[name] = f"{dist.metadata['Name']}=={dist.version}"
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({**environment, "extra": extra}):
                todo += [(requirement.name, "")] + [(requirement.name, e) for e in requirement.extras]
    return found


def main() -> None:
    seen: set[str] = set()
    for group, names in GROUPS.items():
        pins = {k: v for k, v in closure(names).items() if k not in seen}
        seen |= set(pins)
        header = f"# {group}: pinned by requirements/lock.py (make lock); installs after the groups before it.\n"
        text = header + "\n".join(sorted(pins.values(), key=str.lower)) + "\n"
        (HERE / f"{group}.lock").write_text(text, encoding="utf-8")
        print(f"{group}: {len(pins)} pins")


if __name__ == "__main__":
    main()
