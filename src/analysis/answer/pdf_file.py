"""The paper as tagged, accessible PDF: semantic HTML printed by headless Chromium (A4).

Chromium writes a tagged PDF (headings, lists and table headers in its structure tree) with the
document language from ``<html lang>`` and the title from ``<title>``, shown as the window title.
It is the browser the tests already use; it installs from the system's packages (Debian:
``apt install chromium``) and needs no network. ``CHROMIUM`` names another binary.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

from analysis.answer.document import Bullets, Document, Fields, Heading, PageBreak, Paragraph, Table
from analysis.answer.pdf_finish import finish_pdf

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
HTML_LANGUAGES = {"en": "en-GB", "cy": "cy-GB", "cy-en": "cy-GB"}
CSS = """
@page { size: A4; margin: 20mm 18mm; }
body { font-family: Arial, "Liberation Sans", Helvetica, sans-serif; font-size: 11pt; line-height: 1.4;
       color: #0b0c0c; }
h1 { font-size: 18pt; color: #12436D; margin: 0 0 6pt; }
h2 { font-size: 14pt; color: #12436D; margin: 16pt 0 6pt; }
h3 { font-size: 12pt; margin: 14pt 0 6pt; }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: 2pt 10pt; margin: 0 0 10pt; }
dl.fields dt { font-weight: bold; } dl.fields dd { margin: 0; }
table { border-collapse: collapse; margin: 6pt 0 12pt; font-size: 10pt; page-break-inside: avoid; width: 100%; }
tbody th { text-align: left; white-space: nowrap; }
caption { text-align: left; font-weight: bold; padding-bottom: 4pt; }
th, td { border: 1px solid #3D3D3D; padding: 3pt 6pt; vertical-align: top; }
thead th { background: #12436D; color: #ffffff; text-align: left; }
td.num, th.num { text-align: right; }
section.language { break-before: page; }
"""


class BrowserMissing(Exception):
    """No Chromium or Chrome to print the PDF with."""


def find_browser() -> str:
    """The Chromium (or Chrome) binary: ``$CHROMIUM``, then the usual names on the PATH.

    Raises
    ------
    BrowserMissing
        If none is found.
    """
    named = os.environ.get("CHROMIUM")
    if named:
        path = shutil.which(named)
        if path:
            return path
        raise BrowserMissing(f"CHROMIUM={named} is not an executable file")
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserMissing(
        "the PDF is printed with headless Chromium, and none was found: install it (Debian or Ubuntu: "
        "apt install chromium) or set CHROMIUM to the browser's path"
    )


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _table(block: Table) -> str:
    head = "".join(
        f'<th scope="col"{" class=num" if block.numeric[c] else ""}>{_e(h)}</th>' for c, h in enumerate(block.header)
    )
    rows = []
    for values in block.rows:
        cells = [f'<th scope="row">{_e(values[0])}</th>']
        cells += [f"<td{' class=num' if block.numeric[c] else ''}>{_e(v)}</td>" for c, v in enumerate(values) if c]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f"<table><caption>{_e(block.caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _block(block) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level}>{_e(block.text)}</h{block.level}>"
    if isinstance(block, Fields):
        items = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in block.items)
        return f'<dl class="fields">{items}</dl>'
    if isinstance(block, Paragraph):
        return f"<p>{_e(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{_e(i)}</li>" for i in block.items) + "</ul>"
    return _table(block)


def to_html(doc: Document) -> str:
    """The paper as one self-contained HTML page (no script, nothing fetched), every text escaped.

    A bilingual paper's second language is a section of its own, marked with its ``lang``, on a new page.
    """
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    for block in doc.blocks:
        if isinstance(block, PageBreak):
            sections.append((block.lang, []))
        else:
            sections[-1][1].append(_block(block))
    body = "".join(
        "".join(parts)
        if lang is None
        else f'<section class="language" lang="{HTML_LANGUAGES[lang]}">{"".join(parts)}</section>'
        for lang, parts in sections
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{HTML_LANGUAGES[doc.lang]}"><head><meta charset="utf-8">'
        f"<title>{_e(doc.title)}</title><style>{CSS}</style></head><body><main>{body}</main></body></html>\n"
    )


def write_pdf(doc: Document, path: Path, browser: str, author: str, created: datetime) -> None:
    """Print ``doc`` to ``path`` as tagged A4 PDF with ``browser``, then add what PDF/UA asks and
    Chromium leaves out (``pdf_finish``: XMP metadata, list bodies).

    Raises
    ------
    RuntimeError
        If the browser fails or writes no PDF.
    """
    with tempfile.TemporaryDirectory(prefix="answer-pdf-") as work:
        page = Path(work) / "answer.html"
        page.write_text(to_html(doc), encoding="utf-8")
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            "--generate-pdf-document-outline",
            f"--user-data-dir={Path(work) / 'profile'}",
            f"--print-to-pdf={path}",
            page.as_uri(),
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode != 0 or not Path(path).exists() or Path(path).stat().st_size == 0:
            raise RuntimeError(
                f"{Path(browser).name} could not print {Path(path).name}: {result.stderr.strip()[-400:]}"
            )
    finish_pdf(Path(path), doc.title, HTML_LANGUAGES[doc.lang], author, created)
