"""The paper as Word (python-docx): real headings, tables with marked header rows and captions, the language set.

The portfolio holder's office edits this file before the meeting, so it uses Word's own styles
(Heading 1-3, List Bullet, Caption, Table Grid) rather than direct formatting.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from analysis import __version__
from analysis.answer.document import Bullets, Document, Fields, Heading, PageBreak, Paragraph, Table

WORD_LANGUAGES = {"en": "en-GB", "cy": "cy-GB", "cy-en": "cy-GB"}


def _set_language(element, tag: str) -> None:
    """``w:lang`` on a style's or a run's properties, so Word checks spelling in the right language."""
    properties = element.get_or_add_rPr()
    lang = properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        properties.append(lang)
    lang.set(qn("w:val"), tag)


def _header_row(row) -> None:
    """Mark a table row as its header: screen readers announce it, Word repeats it on each page."""
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def _table_caption(table, caption: str) -> None:
    """The table's title as its alternative text (``w:tblCaption``), as Word's Alt Text pane sets it."""
    properties = table._tbl.tblPr
    element = OxmlElement("w:tblCaption")
    element.set(qn("w:val"), caption)
    properties.append(element)


# The width of the page's text (A4 less 20 mm margins) and of a character of the tables' text
# (Calibri 11 pt, bold: about 2.1 mm at most, Welsh letters included), with a cell's padding.
TEXT_WIDTH_MM = 170.0
CHARACTER_MM = 2.1
PADDING_MM = 2.6


def column_widths(block: Table) -> list[float]:
    """Each column's width in mm: at least its longest word, so no word breaks ("Cydymffurfiaeth"
    whole), and what is left shared by the length of each column's longest text."""
    columns = list(zip(block.header, *block.rows))
    words = [max(len(word) for text in column for word in (str(text).split() or [""])) for column in columns]
    least = [w * CHARACTER_MM + PADDING_MM for w in words]
    longest = [max(len(str(text)) for text in column) * CHARACTER_MM + PADDING_MM for column in columns]
    spare = TEXT_WIDTH_MM - sum(least)
    if spare <= 0:
        return least
    wants = [max(long - low, 0.0) for long, low in zip(longest, least)]
    share = min(1.0, spare / sum(wants)) if sum(wants) else 0.0
    return [low + want * share for low, want in zip(least, wants)]


def _add_table(docx, block: Table, lang: str) -> None:
    caption = docx.add_paragraph(block.caption, style="Caption")
    caption.paragraph_format.keep_with_next = True  # never a caption at a page's foot, its table over the page
    _runs_language(caption, lang)
    table = docx.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, column_widths(block)):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
    _table_caption(table, block.caption)
    last = len(block.rows)
    for r, values in enumerate((block.header, *block.rows)):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = value
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.keep_with_next = r < last  # the table stays on one page where it fits
            if block.numeric[c] and r > 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for run in paragraph.runs:
                run.bold = r == 0 or c == 0
            _runs_language(paragraph, lang)
    _header_row(table.rows[0])


def _runs_language(paragraph, lang: str) -> None:
    for run in paragraph.runs:
        _set_language(run._r, WORD_LANGUAGES[lang])


def write_docx(doc: Document, path: Path, author: str, created: datetime) -> None:
    """Write ``doc`` as an A4 Word file at ``path``; its properties say what it is, who made it and when
    (not python-docx's template's)."""
    docx = new_docx()
    section = docx.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    properties = docx.core_properties
    properties.title = doc.title
    properties.language = WORD_LANGUAGES[doc.lang]
    properties.author = properties.last_modified_by = author
    properties.created = properties.modified = created.replace(tzinfo=None)
    properties.revision = 1
    properties.comments = f"Made by supervision-caseload {__version__}"
    properties.keywords = "supervision, caseload, children's social care"
    _set_language(docx.styles["Normal"].element, WORD_LANGUAGES[doc.lang])
    lang = doc.lang.split("-")[0]
    for block in doc.blocks:
        if isinstance(block, Heading):
            paragraph = docx.add_heading(block.text, level=block.level)
        elif isinstance(block, Fields):
            for label, value in block.items:
                paragraph = docx.add_paragraph()
                paragraph.add_run(f"{label}: ").bold = True
                paragraph.add_run(value)
                _runs_language(paragraph, lang)
            continue
        elif isinstance(block, Paragraph):
            paragraph = docx.add_paragraph(block.text)
        elif isinstance(block, Bullets):
            for item in block.items:
                _runs_language(docx.add_paragraph(item, style="List Bullet"), lang)
            continue
        elif isinstance(block, Table):
            _add_table(docx, block, lang)
            continue
        elif isinstance(block, PageBreak):
            docx.add_page_break()
            lang = block.lang
            continue
        _runs_language(paragraph, lang)
    docx.save(str(path))
