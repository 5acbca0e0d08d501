"""The answer as a list of blocks, the same for Word and for PDF: headings, fields, paragraphs, lists, tables."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1 is the document's title


@dataclass(frozen=True)
class Fields:
    """The paper's heading facts: label and value pairs (``Report author: ...``)."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table with one header row; the first column names each row; ``numeric`` columns align right."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]


@dataclass(frozen=True)
class PageBreak:
    """Between the Welsh and the English of a bilingual paper: what follows is in ``lang``."""

    lang: str


Block = Heading | Fields | Paragraph | Bullets | Table | PageBreak


@dataclass
class Document:
    """One paper: its language (``en``, ``cy``, or ``cy-en`` for both), title and blocks."""

    lang: str
    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block | None) -> None:
        self.blocks.extend(b for b in blocks if b is not None)

    def text(self) -> str:
        """Every word of the paper, for tests and search: headings, fields, paragraphs, lists and cells."""
        out: list[str] = []
        for block in self.blocks:
            if isinstance(block, Heading | Paragraph):
                out.append(block.text)
            elif isinstance(block, Fields):
                out += [f"{k}: {v}" for k, v in block.items]
            elif isinstance(block, Bullets):
                out += list(block.items)
            elif isinstance(block, Table):
                out.append(block.caption)
                out += [" ".join(r) for r in (block.header, *block.rows)]
        return "\n".join(out)
