"""The reports' look: the council stylesheet and nbconvert template, and the shell of a page made
without a notebook (the team pages)."""

from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path

from analysis import __version__
from analysis.vocabulary.current import current

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
CSS_FILE = TEMPLATES_DIR / "council.css"


@lru_cache(maxsize=1)
def council_css() -> str:
    return CSS_FILE.read_text(encoding="utf-8")


def page_suffix(code: str | None = None) -> str:
    """What a page's file name carries for its language: nothing for English, ``.cy`` for Welsh
    (``supervision.cy.html``, ``team_detail/index.cy.html``)."""
    code = code or current().code
    return "" if code == "en" else f".{code}"


def page(title: str, body: str) -> str:
    """A self-contained page in the reports' look, in the language being written: no script, nothing fetched."""
    return (
        f'<!DOCTYPE html>\n<html lang="{current().code}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="analysis {html.escape(__version__)}">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{council_css()}\n</style>\n</head>\n"
        f'<body>\n<main class="report">\n{body}\n</main>\n</body>\n</html>\n'
    )
