"""The file names of the teams' pages (``team_slugs``), kept with the reports so that they are the
teams' for good.

A manager is sent their team's page by its file name, so a name never moves: the names given are
kept with the reports (``REGISTRY_FILE`` in the reports folder), a team keeps its name on every
later run (matched ignoring letter case and spaces), and a name once given is never handed to
another team, even after the first team has gone.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from analysis.exports.output_folder import OutputError
from analysis.inputs.same_facts import team_key
from analysis.presentation.team_links import team_slugs

REGISTRY_FILE = "team_pages.json"


class RegistryError(OutputError):
    """The kept page names cannot be read: an output folder problem (exit 2, nothing written)."""


def remember_team_pages(reports_dir: Path, teams: Iterable[str]) -> dict[str, str]:
    """The page name of every team ever reported into ``reports_dir`` (by ``team_key``), with names for
    ``teams`` not seen before added and kept in ``reports_dir/REGISTRY_FILE``.

    Raises
    ------
    RegistryError
        If the kept names exist but cannot be read (they are never overwritten blindly).
    """
    path = Path(reports_dir) / REGISTRY_FILE
    given: dict[str, str] = {}
    if path.exists():
        try:
            given = json.loads(path.read_text(encoding="utf-8"))["teams"]
            if not isinstance(given, dict) or not all(isinstance(v, str) for v in given.values()):
                raise TypeError
        except (OSError, ValueError, KeyError, TypeError):
            raise RegistryError(
                f"{path} holds the team pages' file names but cannot be read: expected the file this tool "
                "wrote; restore it (or remove it, and the names may move)"
            ) from None
    names = team_slugs(teams, given)
    added = {team_key(t): slug for t, slug in names.items() if team_key(t) not in given}
    if added:
        given.update(added)
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(f".{REGISTRY_FILE}.{os.getpid()}")
        staging.write_text(json.dumps({"teams": dict(sorted(given.items()))}, indent=1) + "\n", encoding="utf-8")
        os.replace(staging, path)
    return given
