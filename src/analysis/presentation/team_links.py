"""The file name of each team's page in ``team_detail/`` (the index links to it): readable, safe on any
file system and unique; ``analysis.exports.team_names`` keeps the names given, so they never move."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from analysis.inputs.same_facts import team_key

RESERVED = {"index"}  # team_detail/index.html is the list of teams


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
