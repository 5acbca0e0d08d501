"""What Chromium's tagged PDF lacks for PDF/UA, added with pikepdf: XMP metadata (title, language,
``pdfuaid:part`` 1) and list items whose body is tagged ``LBody``.

Chromium tags a list item ``LI`` holding ``Lbl`` (the bullet) and ``NonStruct`` (its text); PDF/UA
asks for ``LI`` to hold ``Lbl`` and ``LBody``. The ``NonStruct`` child of each ``LI`` is renamed
``LBody``: the same content, the structure a screen reader expects.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pikepdf

from analysis import __version__


def finish_pdf(path: Path, title: str, language: str, author: str, created: datetime) -> None:
    """Add the XMP metadata and ``LBody`` tags to the PDF at ``path``, in place."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = title
            meta["dc:language"] = [language]
            meta["dc:creator"] = [author]
            meta["pdfuaid:part"] = "1"
            meta["xmp:CreatorTool"] = f"supervision-caseload {__version__} (Chromium)"
            meta["xmp:CreateDate"] = created.isoformat()
        pdf.docinfo["/Title"] = title
        pdf.docinfo["/Author"] = author
        pdf.Root.Lang = language
        pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        root = pdf.Root.get("/StructTreeRoot")
        if root is not None:
            _list_bodies(root)
        pdf.save(path)


def _kids(element: Any) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _list_bodies(root: Any) -> None:
    """Rename each ``NonStruct`` child of an ``LI`` to ``LBody`` (the tree walked without recursion)."""
    waiting = list(_kids(root))
    while waiting:
        element = waiting.pop()
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            continue  # a marked-content reference or an object reference: no structure below
        if element.S == "/LI":
            for kid in _kids(element):
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") == "/NonStruct":
                    kid.S = pikepdf.Name.LBody
        waiting.extend(_kids(element))
