"""The message catalogues: every message the package's code asks for, and ``make messages`` to update the ``.po`` files.

``python -m analysis.vocabulary.messages`` extracts the messages from the whole package (Babel's
extractor: ``_(...)`` and ``n_(...)`` calls) into ``locale/analysis.pot`` and merges them into each
``locale/LANG/LC_MESSAGES/analysis.po``, keeping every translation already there; a new message
arrives with an empty translation for the translator (English: a copy of the message). Welsh
takes the six plural forms of CLDR and gettext's usual rule (zero, one, two, few, many, other).
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from analysis.vocabulary.language import DOMAIN, LOCALE_DIR, LOCALES, catalogue_path

SOURCE_DIR = LOCALE_DIR.parent.parent
KEYWORDS = {"_": None, "n_": (1, 2), "N_": None}
HEADER = {
    "en": "English messages. The English text is the message itself; edit a msgstr to reword.",
    "cy": "Welsh messages (drafted by the developers): to be reviewed by the council's translator, who "
    "corrects each msgstr here without touching code.",
}
# Welsh: 0 zero, 1 one, 2 two, 3 few, 6 many, anything else other (CLDR; the usual gettext rule).
PLURALS = {"cy": (6, "(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 : (n==6) ? 4 : 5")}


def code_messages() -> Catalog:
    """Every message the answer's code can ask for, with where it is asked."""
    catalogue = Catalog(domain=DOMAIN, project="supervision-caseload", charset="utf-8")
    found = extract_from_dir(str(SOURCE_DIR), method_map=[("**.py", "python")], keywords=KEYWORDS)
    # (paths are relative to the package: answer/paper.py, presentation/sections/supervision.py, ...)
    for filename, lineno, message, _comments, _context in found:
        catalogue.add(message, locations=[(filename, lineno)])
    for path, number, text in notebook_texts():
        catalogue.add(text, locations=[(f"notebooks/{path.name}", number)])
    return catalogue


def notebook_texts() -> list[tuple[Path, int, str]]:
    """The narrative of the report notebooks (each markdown cell, but a cell holding only an HTML
    comment): a message each, translated where the report is written in another language
    (``analysis.report.render.parameterize``)."""
    import json

    from analysis.paths import NOTEBOOKS_DIR

    out = []
    for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for number, cell in enumerate(cells, 1):
            text = "".join(cell["source"])
            if cell["cell_type"] == "markdown" and text.strip() and not text.lstrip().startswith("<!--"):
                out.append((path, number, text))
    return out


def read_catalogue(lang: str) -> Catalog:
    with catalogue_path(lang).open("rb") as handle:
        return read_po(handle, locale=LOCALES[lang], domain=DOMAIN)


def update(lang: str, template: Catalog) -> list[str]:
    """Merge ``template`` into the language's ``.po``; the messages still to translate."""
    path = catalogue_path(lang)
    catalogue = read_catalogue(lang) if path.exists() else Catalog(locale=LOCALES[lang], domain=DOMAIN)
    if lang in PLURALS:
        catalogue._num_plurals, catalogue._plural_expr = PLURALS[lang]  # type: ignore[assignment]  # noqa: SLF001
    catalogue.update(copy.deepcopy(template), no_fuzzy_matching=True)  # update shares the template's entries
    catalogue.header_comment = "# " + HEADER[lang]
    catalogue.project, catalogue.fuzzy = "supervision-caseload", False
    todo = []
    for message in catalogue:
        if not message.id:
            continue
        if lang == "en" and not _translated(message.string):
            message.string = message.id if isinstance(message.id, str) else (message.id[0], message.id[1])
        if not _translated(message.string):
            todo.append(message.id if isinstance(message.id, str) else message.id[0])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=100, sort_output=True, ignore_obsolete=True, include_previous=False)
    return todo


def _translated(string) -> bool:
    """A translation, or every plural form of one, is filled in."""
    return all(string) if isinstance(string, tuple | list) else bool(string)


def main() -> int:
    template = code_messages()
    with (LOCALE_DIR / f"{DOMAIN}.pot").open("wb") as handle:
        write_po(handle, template, width=100, sort_output=True)
    missing = 0
    for lang in LOCALES:
        todo = update(lang, template)
        missing += len(todo)
        for message in todo:
            print(f"{catalogue_path(lang)}: to translate: {message!r}", file=sys.stderr)
    print(f"{len(template)} messages; {missing} still to translate", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
