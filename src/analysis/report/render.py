"""Notebooks to HTML in one process: Papermill parameters, warm IPC kernels, one reused exporter.

The command-line pipeline (``papermill`` then ``jupyter nbconvert --to html --no-input``, per
notebook) starts two Python processes and a kernel for every notebook. Here:

- parameters are injected with Papermill's own ``parameterize_notebook`` (the executed notebook
  looks exactly as Papermill would leave it, injected-parameters cell and all);
- notebooks execute through ``nbclient`` on a :class:`KernelPool` of long-lived kernels that talk
  over IPC sockets, started once per run and reused across notebooks and months; each kernel has
  imported ``analysis`` (pandas, matplotlib) before the first notebook, and its namespace is reset
  between notebooks so no state leaks from one to the next;
- notebooks run concurrently, one per kernel, on one asyncio loop;
- a single :class:`HTMLExporter` on the council template (no input, no prompts, no script, no
  external URL) converts every notebook.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

# nbformat validates with jsonschema, whose format checker builds a Lark grammar for IRI checks
# when the optional rfc3987_syntax is installed: about 0.8 s at import, in every process. The
# notebook schema has no IRI field, so the check is never used; jsonschema skips it when the
# import fails (it suppresses ImportError), which a None entry in sys.modules makes it do.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from analysis.report.kernels import KernelPool  # noqa: E402
from analysis.report.notebook_failure import KERNEL_NAME  # noqa: E402

if TYPE_CHECKING:
    from nbformat import NotebookNode

from analysis.presentation.page import TEMPLATES_DIR, council_css  # noqa: E402

log = logging.getLogger(__name__)


@dataclass
class Executed:
    """One executed notebook, its HTML and how long each step took."""

    name: str
    notebook: NotebookNode
    html: str
    seconds_execute: float
    seconds_export: float


# --------------------------------------------------------------------------- parameters
def read_notebook(path: Path) -> NotebookNode:
    import nbformat

    return nbformat.read(str(path), as_version=4)


def translate_narrative(nb: NotebookNode, lang: str) -> NotebookNode:
    """``nb`` with each markdown cell (but an HTML comment) in ``lang``, from the catalogues.

    Raises
    ------
    analysis.vocabulary.language.CatalogueError
        If the language's catalogue lacks a cell's text.
    """
    if lang == "en":
        return nb
    from analysis.vocabulary.language import language

    speaker = language(lang)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.strip() and not cell.source.lstrip().startswith("<!--"):
            cell.source = speaker._(cell.source)
    return nb


def parameterize(nb: NotebookNode, parameters: dict[str, Any]) -> NotebookNode:
    """The notebook with Papermill's injected-parameters cell after the ``parameters`` cell, its
    narrative (markdown cells) in the language of ``parameters["lang"]`` from the catalogues.

    Raises
    ------
    analysis.vocabulary.language.CatalogueError
        If the language's catalogue lacks a cell's text (never half English).
    """
    import nbformat
    from papermill.parameterize import parameterize_notebook

    nb = translate_narrative(nbformat.from_dict(nb), parameters.get("lang") or "en")  # a copy: reused
    nb.metadata.setdefault("papermill", {})
    for cell in nb.cells:  # as papermill.iorw.load_notebook_node does
        cell.metadata.setdefault("tags", [])
    nb.metadata.setdefault("kernelspec", {"name": KERNEL_NAME, "display_name": KERNEL_NAME, "language": "python"})
    return parameterize_notebook(nb, parameters, kernel_name=KERNEL_NAME, language="python")


# --------------------------------------------------------------------------- export
@lru_cache(maxsize=1)
def exporter():  # noqa: D401 - built once; see also warm_parent()
    """The HTML exporter on the council template, built once per process and reused."""
    from nbconvert import HTMLExporter

    ex = HTMLExporter(template_name="council", extra_template_basedirs=[str(TEMPLATES_DIR)])
    ex.exclude_input = True
    ex.exclude_input_prompt = True
    ex.exclude_output_prompt = True
    ex.exclude_raw = True
    ex.embed_images = True
    return ex


def warm_parent() -> None:
    """Import Papermill's parameteriser and build the exporter (run in a thread while kernels start).

    One small page is converted too: the first conversion compiles the templates and the
    exporter's CSS selectors (0.1 s), which would otherwise come after the first notebook.
    """
    import papermill.parameterize  # noqa: F401
    from nbformat.v4 import new_markdown_cell, new_notebook

    to_html(new_notebook(cells=[new_markdown_cell("warm-up")]), "warm-up")


def to_html(nb: NotebookNode, title: str, lang: str = "en") -> str:
    """The executed notebook as one self-contained HTML page (no input, no prompts, no script) in ``lang``."""
    from analysis import __version__

    resources = {"council": {"title": title, "css": council_css(), "version": __version__, "lang": lang}}
    html, _ = exporter().from_notebook_node(nb, resources=resources)
    return html


def notebook_title(nb: NotebookNode, fallback: str) -> str:
    """The page title a notebook sets in its outputs (``analysis.presentation.formats.TITLE_KEY``)."""
    from analysis.presentation.formats import TITLE_KEY

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            title = output.get("metadata", {}).get(TITLE_KEY)
            if title:
                return str(title)
    return fallback


# --------------------------------------------------------------------------- kernels


async def run_notebook(
    pool: KernelPool, source: Path, parameters: dict[str, Any], title: str, cwd: Path | None = None
) -> Executed:
    """Parameterise, execute and convert one notebook; raise :class:`NotebookFailed` on error."""
    nb = parameterize(read_notebook(source), parameters)
    started = time.perf_counter()
    nb = await pool.execute(nb, source.name, cwd=cwd)
    executed = time.perf_counter() - started
    started = time.perf_counter()
    html = to_html(nb, notebook_title(nb, title), parameters.get("lang") or "en")
    return Executed(source.name, nb, html, executed, time.perf_counter() - started)


# The plain path runs one notebook at a time: each starts its own kernel, as from the command line.
_PLAIN = threading.Lock()


def run_notebook_plain(source: Path, parameters: dict[str, Any], title: str, cwd: Path, kept: Path) -> Executed:
    """The same notebook as ``run_notebook``, the way ``papermill`` then ``jupyter nbconvert --to html
    --no-input`` run it: ``papermill.execute_notebook`` on a kernel of its own (the executed notebook
    written to ``kept``), then nbconvert's HTML exporter on the council template. No pool, no warm
    kernel: slower, and the reference the fast path is an optimisation of.

    Raises
    ------
    NotebookFailed
        If a cell raises.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from analysis.report.kernels import available_kernel
    from analysis.report.notebook_failure import NotebookFailed, failed_cell

    kept.parent.mkdir(parents=True, exist_ok=True)
    with _PLAIN:
        started = time.perf_counter()
        try:
            nb = papermill.execute_notebook(
                translate_narrative(read_notebook(source), parameters.get("lang") or "en"),
                kept,
                parameters=parameters,
                kernel_name=available_kernel(KERNEL_NAME),
                cwd=cwd,
                progress_bar=False,
                request_save_on_cell_execute=False,
            )
        except PapermillExecutionError as exc:
            executed_nb = read_notebook(kept) if kept.is_file() else None
            cell, error = failed_cell(executed_nb) if executed_nb is not None else (None, f"{exc.ename}: {exc.evalue}")
            raise NotebookFailed(source.name, cell, error, executed_nb) from None
        executed = time.perf_counter() - started
    started = time.perf_counter()
    html = to_html(nb, notebook_title(nb, title), parameters.get("lang") or "en")
    return Executed(source.name, nb, html, executed, time.perf_counter() - started)


def write_notebook(nb: NotebookNode, path: Path) -> None:
    import nbformat

    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
