"""The file name of each team's page in ``team_detail/``: readable, safe on any file system, unique,
and the team's for good.

A manager is sent their team's page by its file name, so a name never moves: the names given are
kept with the reports (``REGISTRY_FILE`` in the reports folder), a team keeps its name on every
later run (matched ignoring letter case and spaces), and a name once given is never handed to
another team, even after the first team has gone.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

from analysis.inputs.same_facts import team_key
from analysis.report.output_folder import OutputError

RESERVED = {"index"}  # team_detail/index.html is the list of teams
REGISTRY_FILE = "team_pages.json"


def team_slugs(teams: Iterable[str], given: Mapping[str, str] | None = None) -> dict[str, str]:
    """Each team's page name (without ``.html``).

    ``given`` maps a team's key (``team_key``) to the name it was given before: it keeps that name,
    and no other team takes it. A new team's name is its own: ``Child Protection North`` ->
    ``child-protection-north``; ``Tîm Gogledd`` -> ``tim-gogledd``. Letters outside a-z and digits
    become hyphens; a name that leaves nothing is ``team``; a name taken already (given before, two
    teams differing only in punctuation, or ``index``) gets ``-2``, ``-3``, ... in the order of the
    teams' own names.
    """
    given = dict(given or {})
    out: dict[str, str] = {}
    used = set(RESERVED) | set(given.values())
    for team in sorted({str(t) for t in teams}):
        key = team_key(team)
        if key in given and given[key] not in out.values():
            out[team] = given[key]
            continue
        plain = unicodedata.normalize("NFKD", team).encode("ascii", "ignore").decode("ascii")
        base = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60].strip("-") or "team"
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        out[team] = slug
    return out


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
