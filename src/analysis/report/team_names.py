"""The file name of each team's page in ``team_detail/``: readable, safe on any file system, unique."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

RESERVED = {"index"}  # team_detail/index.html is the list of teams


def team_slugs(teams: Iterable[str]) -> dict[str, str]:
    """Each team's page name (without ``.html``), the same for the same set of teams on every run.

    ``Child Protection North`` -> ``child-protection-north``; ``Tîm Gogledd`` -> ``tim-gogledd``.
    Letters outside a-z and digits become hyphens; a name that leaves nothing is ``team``; a name
    taken already (two teams differing only in punctuation, or ``index``) gets ``-2``, ``-3``, ...
    in the order of the teams' own names.
    """
    out: dict[str, str] = {}
    used = set(RESERVED)
    for team in sorted({str(t) for t in teams}):
        plain = unicodedata.normalize("NFKD", team).encode("ascii", "ignore").decode("ascii")
        base = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60].strip("-") or "team"
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        out[team] = slug
    return out
