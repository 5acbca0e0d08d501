"""Warm IPC kernels for rendering many notebooks in one process: a pool started once, reset between notebooks."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import zmq
from jupyter_client.manager import AsyncKernelManager

from analysis.report.kernel_client import SlicedKernelClient, run_quietly, until_ready
from analysis.report.notebook_failure import CELL_TIMEOUT, KERNEL_NAME, NotebookFailed, failed_cell

if TYPE_CHECKING:
    from nbformat import NotebookNode

# Run once in every new kernel: the imports every notebook needs, so no notebook pays for them.
WARM_UP = """
import importlib as _importlib, warnings as _warnings
_warnings.filterwarnings("ignore", category=DeprecationWarning)
import matplotlib as _mpl
_mpl.use("Agg")
for _name in (
    "pandas", "numpy", "matplotlib.pyplot", "analysis.report.month_inputs", "analysis.presentation.charts.base"
):
    try:
        _importlib.import_module(_name)
    except ImportError:
        pass
del _importlib, _warnings, _mpl, _name
try:  # draw and encode one small chart now, so the first report chart finds the fonts loaded
    import io as _io
    import matplotlib.pyplot as _plt
    import analysis.presentation.charts.base as _charts
    _fig, _ax = _plt.subplots(figsize=(2, 1))
    _ax.plot([0, 1], [0, 1], marker="o")
    _ax.set_title("warm-up")
    _charts.png_base64(_fig)
    del _io, _plt, _charts, _fig, _ax
except Exception:
    pass
"""

log = logging.getLogger(__name__)

READY_SECONDS = 120  # a kernel not answering by then has failed to start
STOP_SECONDS = 5  # a killed kernel has gone within milliseconds; past this, jupyter_client takes over


# Run between two notebooks on the same kernel: forget the last notebook's names and figures.
# ``%reset`` runs two full garbage collections (0.1 s a notebook, the kernel holding pandas and
# matplotlib); they are skipped here, and Python's own collector frees any cycles later.
RESET = """
def _forget_last_notebook():
    import gc
    collect = gc.collect
    gc.collect = lambda *args, **kwargs: 0
    try:
        get_ipython().run_line_magic("reset", "-f")
    finally:
        gc.collect = collect
    import matplotlib.pyplot as plt
    plt.close("all")
    get_ipython().execution_count = 1
_forget_last_notebook()
"""


@dataclass
class _Kernel:
    km: Any
    kc: Any
    runs: int = 0


TRANSPORTS = ("ipc", "tcp")


def kernel_transport() -> str:
    """How the pool talks to its kernels: ``ANALYSIS_KERNEL_TRANSPORT`` (``ipc`` or ``tcp``), else Unix
    sockets where ZeroMQ has them (POSIX) and TCP on the loopback address where it has not (Windows).

    Raises
    ------
    ValueError
        If ``ANALYSIS_KERNEL_TRANSPORT`` is set to anything else, or to ``ipc`` where it is not available.
    """
    chosen = os.environ.get("ANALYSIS_KERNEL_TRANSPORT", "").strip().lower()
    if chosen and chosen not in TRANSPORTS:
        raise ValueError(f"ANALYSIS_KERNEL_TRANSPORT={chosen!r}: expected ipc or tcp")
    if chosen == "ipc" and not zmq.has("ipc"):
        raise ValueError("ANALYSIS_KERNEL_TRANSPORT=ipc: this system's ZeroMQ has no Unix sockets; expected tcp")
    return chosen or ("ipc" if zmq.has("ipc") else "tcp")


@dataclass
class KernelPool:
    """Long-lived kernels on IPC sockets, warmed with the package imports, reused by notebook.

    Use as ``async with KernelPool(2) as pool: await pool.run(nb, name)``.
    """

    size: int = 2
    kernel_name: str = KERNEL_NAME
    cwd: Path | None = None
    transport: str | None = None  # "ipc" or "tcp"; None: ``kernel_transport()``
    _free: asyncio.Queue | None = field(default=None, init=False, repr=False)
    _kernels: list = field(default_factory=list, init=False, repr=False)
    _runtime: Path | None = field(default=None, init=False, repr=False)
    _starting: Any = field(default=None, init=False, repr=False)

    @property
    def free(self) -> asyncio.Queue[Any]:
        """The kernels waiting for work (once the pool is entered)."""
        if self._free is None:
            raise RuntimeError("the kernel pool is used before it is started")
        return self._free

    @property
    def runtime(self) -> Path:
        """The private folder of the kernels' sockets and connection files (once the pool is entered)."""
        if self._runtime is None:
            raise RuntimeError("the kernel pool is used before it is started")
        return self._runtime

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
                self.free.put_nowait(kernel)
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
        transport = self.transport or kernel_transport()
        km = AsyncKernelManager(
            kernel_name=self.kernel_name,
            transport=transport,
            ip=str(self.runtime / f"k{number}") if transport == "ipc" else "127.0.0.1",
            client_factory=SlicedKernelClient,
        )
        km.connection_file = str(self.runtime / f"k{number}.json")
        env = dict(os.environ, MPLBACKEND="Agg", PYDEVD_DISABLE_FILE_VALIDATION="1")
        # No command history: a batch run needs none, and IPython's history database is shared by
        # every kernel of the user, so two runs at once would wait on its lock.
        await km.start_kernel(
            cwd=str(self.cwd) if self.cwd else None, env=env, extra_arguments=["--HistoryManager.enabled=False"]
        )
        kc = km.client()
        kc.start_channels()
        await until_ready(kc, READY_SECONDS)
        kernel = _Kernel(km, kc)
        await self._run_code(kernel, WARM_UP)
        return kernel

    async def _stop(self, kernel: _Kernel) -> None:
        try:
            kernel.kc.stop_channels()
        finally:
            # jupyter_client looks every 0.1 s whether a killed kernel has gone; waiting on the
            # process itself ends as soon as it has. The shutdown then finds it gone and tidies up.
            process = getattr(kernel.km.provisioner, "process", None)
            if process is not None:
                await kernel.km.provisioner.kill()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    await asyncio.to_thread(process.wait, STOP_SECONDS)
            await kernel.km.shutdown_kernel(now=True)

    async def _run_code(self, kernel: _Kernel, code: str) -> None:
        reply = await run_quietly(kernel.kc, code, CELL_TIMEOUT)
        if reply["content"].get("status") != "ok":
            content = reply["content"]
            raise RuntimeError(f"kernel set-up failed: {content.get('ename')}: {content.get('evalue')}")

    async def execute(self, nb: NotebookNode, name: str, cwd: Path | None = None) -> NotebookNode:
        """Execute ``nb`` on a free kernel; raise :class:`NotebookFailed` if a cell raises."""
        # Imported here, not with the module: the kernels start before the notebook machinery loads.
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

        await self.ready()
        kernel = await self.free.get()
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
            self.free.put_nowait(kernel)

    async def _replace(self, kernel: _Kernel) -> _Kernel:
        """A fresh kernel in place of a dead one."""
        number = self._kernels.index(kernel)
        await asyncio.gather(self._stop(kernel), return_exceptions=True)
        fresh = await self._start(number + 100)
        self._kernels[number] = fresh
        return fresh


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
    """Kernels to run at once: one a core, two to three. Each kernel costs a core-second to start;
    on two cores a third one (for a month's third notebook) costs more than it saves, measured
    on the sample's one month and twelve months alike. The parent's own work (tables, HTML,
    files) fills the gaps between cells."""
    return min(3, max(2, os.cpu_count() or 1))
