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

import asyncio
import atexit
import logging
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

# nbformat validates with jsonschema, whose format checker builds a Lark grammar for IRI checks
# when the optional rfc3987_syntax is installed: about 0.8 s at import, in every process. The
# notebook schema has no IRI field, so the check is never used; jsonschema skips it when the
# import fails (it suppresses ImportError), which a None entry in sys.modules makes it do.
sys.modules.setdefault("rfc3987_syntax", None)

import nbformat  # noqa: E402
from jupyter_client.manager import AsyncKernelManager  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError  # noqa: E402
from nbformat import NotebookNode  # noqa: E402

KERNEL_NAME = "supervision-caseload"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
CSS_FILE = TEMPLATES_DIR / "council.css"
CELL_TIMEOUT = 600

# Run once in every new kernel: the imports every notebook needs, so no notebook pays for them.
WARM_UP = """
import importlib as _importlib, warnings as _warnings
_warnings.filterwarnings("ignore", category=DeprecationWarning)
import matplotlib as _mpl
_mpl.use("Agg")
for _name in ("pandas", "numpy", "matplotlib.pyplot", "analysis.report.month_inputs", "analysis.report.charts.base"):
    try:
        _importlib.import_module(_name)
    except ImportError:
        pass
del _importlib, _warnings, _mpl, _name
try:  # draw and encode one small chart now, so the first report chart finds the fonts loaded
    import io as _io
    import matplotlib.pyplot as _plt
    import analysis.report.charts.base as _charts
    _fig, _ax = _plt.subplots(figsize=(2, 1))
    _ax.plot([0, 1], [0, 1], marker="o")
    _ax.set_title("warm-up")
    _charts.png_base64(_fig)
    del _io, _plt, _charts, _fig, _ax
except Exception:
    pass
"""
# Run between two notebooks on the same kernel: forget the last notebook's names and figures.
RESET = """
get_ipython().run_line_magic("reset", "-f")
import matplotlib.pyplot as _plt
_plt.close("all")
del _plt
get_ipython().execution_count = 1
"""

log = logging.getLogger(__name__)


class NotebookFailed(Exception):
    """A notebook cell raised: names the notebook, the cell and the error, and where the
    executed notebook was kept."""

    def __init__(self, notebook: str, cell: int | None, error: str, executed: NotebookNode | None = None):
        self.notebook = notebook
        self.cell = cell
        self.error = error
        self.executed = executed
        self.kept_at: Path | None = None
        super().__init__(self.describe())

    def describe(self) -> str:
        where = f"cell {self.cell}" if self.cell is not None else "start-up"
        text = f"notebook {self.notebook} failed at {where}: {self.error}"
        if self.kept_at is not None:
            text += f" (executed notebook kept at {self.kept_at})"
        return text


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
    return nbformat.read(str(path), as_version=4)


def parameterize(nb: NotebookNode, parameters: dict[str, Any]) -> NotebookNode:
    """The notebook with Papermill's injected-parameters cell after the ``parameters`` cell."""
    from papermill.parameterize import parameterize_notebook

    nb = nbformat.from_dict(nb)  # a copy: the template notebook is reused across months
    nb.metadata.setdefault("papermill", {})
    for cell in nb.cells:  # as papermill.iorw.load_notebook_node does
        cell.metadata.setdefault("tags", [])
    nb.metadata.setdefault("kernelspec", {"name": KERNEL_NAME, "display_name": KERNEL_NAME, "language": "python"})
    return parameterize_notebook(nb, parameters, kernel_name=KERNEL_NAME, language="python")


def failed_cell(nb: NotebookNode) -> tuple[int | None, str]:
    """Where the executed notebook failed: its (1-based) cell number, and the error with the
    first line of the cell's source."""
    for number, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
                first = first if len(first) <= 60 else first[:57] + "..."
                return number, f"{output.get('ename')}: {output.get('evalue')} (in `{first}`)"
    return None, "unknown error"


# --------------------------------------------------------------------------- export
@lru_cache(maxsize=1)
def council_css() -> str:
    return CSS_FILE.read_text(encoding="utf-8")


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
    """Import Papermill's parameteriser and build the exporter (run in a thread while kernels start)."""
    import papermill.parameterize  # noqa: F401

    exporter()
    council_css()


def to_html(nb: NotebookNode, title: str) -> str:
    """The executed notebook as one self-contained HTML page (no input, no prompts, no script)."""
    from analysis import __version__

    resources = {"council": {"title": title, "css": council_css(), "version": __version__}}
    html, _ = exporter().from_notebook_node(nb, resources=resources)
    return html


def notebook_title(nb: NotebookNode, fallback: str) -> str:
    """The page title a notebook sets in its outputs (``analysis.report.formats.TITLE_KEY``)."""
    from analysis.report.formats import TITLE_KEY

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            title = output.get("metadata", {}).get(TITLE_KEY)
            if title:
                return str(title)
    return fallback


# --------------------------------------------------------------------------- kernels
@dataclass
class _Kernel:
    km: Any
    kc: Any
    runs: int = 0


@dataclass
class KernelPool:
    """Long-lived kernels on IPC sockets, warmed with the package imports, reused by notebook.

    Use as ``async with KernelPool(2) as pool: await pool.run(nb, name)``.
    """

    size: int = 2
    kernel_name: str = KERNEL_NAME
    cwd: Path | None = None
    _free: asyncio.Queue | None = field(default=None, init=False, repr=False)
    _kernels: list = field(default_factory=list, init=False, repr=False)
    _runtime: Path | None = field(default=None, init=False, repr=False)
    _starting: Any = field(default=None, init=False, repr=False)

    async def __aenter__(self) -> KernelPool:
        """Start the kernels in the background: the caller can load data meanwhile."""
        self._free = asyncio.Queue()
        # Unix sockets need a short path: a private folder in the system temp dir.
        self._runtime = Path(tempfile.mkdtemp(prefix="kern-"))
        self.kernel_name = available_kernel(self.kernel_name)
        self._starting = asyncio.create_task(self._start_all())
        return self

    async def _start_all(self) -> None:
        started = await asyncio.gather(*(self._start(i) for i in range(self.size)), return_exceptions=True)
        failures = [k for k in started if isinstance(k, BaseException)]
        for kernel in started:
            if not isinstance(kernel, BaseException):
                self._kernels.append(kernel)
                self._free.put_nowait(kernel)
        if failures and not self._kernels:
            raise failures[0]

    async def ready(self) -> None:
        """Wait until the kernels have started (raises if none could)."""
        await self._starting

    async def __aexit__(self, *exc) -> None:
        try:
            await self._starting
        except BaseException:  # noqa: BLE001 - whatever started is stopped below
            pass
        await asyncio.gather(*(self._stop(k) for k in self._kernels), return_exceptions=True)
        self._kernels.clear()
        if self._runtime is not None:
            shutil.rmtree(self._runtime, ignore_errors=True)

    async def _start(self, number: int) -> _Kernel:
        km = AsyncKernelManager(kernel_name=self.kernel_name, transport="ipc", ip=str(self._runtime / f"k{number}"))
        km.connection_file = str(self._runtime / f"k{number}.json")
        env = dict(os.environ, MPLBACKEND="Agg", PYDEVD_DISABLE_FILE_VALIDATION="1")
        await km.start_kernel(cwd=str(self.cwd) if self.cwd else None, env=env)
        kc = km.client()
        kc.start_channels()
        await kc.wait_for_ready(timeout=120)
        kernel = _Kernel(km, kc)
        await self._run_code(kernel, WARM_UP)
        return kernel

    async def _stop(self, kernel: _Kernel) -> None:
        try:
            kernel.kc.stop_channels()
        finally:
            await kernel.km.shutdown_kernel(now=True)

    async def _run_code(self, kernel: _Kernel, code: str) -> None:
        reply = await kernel.kc.execute_interactive(
            code, store_history=False, timeout=CELL_TIMEOUT, output_hook=lambda msg: None
        )
        if reply["content"].get("status") != "ok":
            content = reply["content"]
            raise RuntimeError(f"kernel set-up failed: {content.get('ename')}: {content.get('evalue')}")

    async def execute(self, nb: NotebookNode, name: str, cwd: Path | None = None) -> NotebookNode:
        """Execute ``nb`` on a free kernel; raise :class:`NotebookFailed` if a cell raises."""
        await self.ready()
        kernel = await self._free.get()
        try:
            if kernel.runs:
                await self._run_code(kernel, RESET)
            if cwd is not None:
                await self._run_code(kernel, f"import os; os.chdir({str(cwd)!r})")
            kernel.runs += 1
            client = NotebookClient(
                nb,
                km=kernel.km,
                kernel_name=self.kernel_name,
                timeout=CELL_TIMEOUT,
                allow_errors=False,
                record_timing=False,
            )
            client.kc = kernel.kc
            try:
                await client.async_execute()
            except (CellExecutionError, CellTimeoutError) as exc:
                cell, error = failed_cell(nb)
                if cell is None:
                    error = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
                raise NotebookFailed(name, cell, error, nb) from exc
            except DeadKernelError as exc:
                kernel = await self._replace(kernel)
                raise NotebookFailed(name, None, f"the kernel died: {exc}", nb) from exc
            finally:
                atexit.unregister(client._cleanup_kernel)
            return nb
        finally:
            self._free.put_nowait(kernel)

    async def _replace(self, kernel: _Kernel) -> _Kernel:
        """A fresh kernel in place of a dead one."""
        number = self._kernels.index(kernel)
        await asyncio.gather(self._stop(kernel), return_exceptions=True)
        fresh = await self._start(number + 100)
        self._kernels[number] = fresh
        return fresh


async def run_notebook(
    pool: KernelPool, source: Path, parameters: dict[str, Any], title: str, cwd: Path | None = None
) -> Executed:
    """Parameterise, execute and convert one notebook; raise :class:`NotebookFailed` on error."""
    nb = parameterize(read_notebook(source), parameters)
    started = time.perf_counter()
    nb = await pool.execute(nb, source.name, cwd=cwd)
    executed = time.perf_counter() - started
    started = time.perf_counter()
    html = to_html(nb, notebook_title(nb, title))
    return Executed(source.name, nb, html, executed, time.perf_counter() - started)


def write_notebook(nb: NotebookNode, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))


def available_kernel(name: str) -> str:
    """``name`` if that kernel is registered (``make setup`` registers it), else ``python3``: the
    running interpreter's own ipykernel, which has the same packages."""
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    if name in specs:
        return name
    log.warning("kernel %s is not registered (run `make setup`); using python3", name)
    return "python3"


def default_pool_size() -> int:
    """Kernels to run at once: three (a month's three notebooks run together), fewer only on a
    single core. The parent's own work (tables, HTML, files) fills the gaps between cells."""
    return 3 if (os.cpu_count() or 1) >= 2 else 2
