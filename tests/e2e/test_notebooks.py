"""The notebooks stay thin (parameters, narrative, calls) and run on their own as well as under
``report``: the report notebooks compute their tables when no cache is given, and explore.ipynb
runs for the analyst's choice of months."""

from __future__ import annotations

import ast
import asyncio
import json
import re

import pytest

from analysis.paths import NOTEBOOKS_DIR, PROJECT_ROOT, SAMPLE_DATA
from analysis.report import kernel_client, kernels, notebook_failure, render
from analysis.report.kernel_client import SlicedKernelClient

REPORT_NOTEBOOKS = ("supervision.ipynb", "caseload.ipynb", "team_detail.ipynb")
ALL_NOTEBOOKS = (*REPORT_NOTEBOOKS, "explore.ipynb")
ALLOWED_IMPORTS = {"analysis", "pandas"}


def _cells(name: str) -> list[dict]:
    return json.loads((NOTEBOOKS_DIR / name).read_text(encoding="utf-8"))["cells"]


def _code(cell: dict) -> str:
    source = "".join(cell["source"])
    return "\n".join(line for line in source.splitlines() if not line.startswith("%"))


@pytest.mark.parametrize("name", ALL_NOTEBOOKS)
def test_the_notebook_uses_the_project_kernel(name):
    notebook = json.loads((NOTEBOOKS_DIR / name).read_text(encoding="utf-8"))
    assert notebook["metadata"]["kernelspec"]["name"] == notebook_failure.KERNEL_NAME


@pytest.mark.parametrize("name", ALL_NOTEBOOKS)
def test_the_notebook_holds_no_logic(name):
    for cell in _cells(name):
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse(_code(cell))
        for node in ast.walk(tree):
            assert not isinstance(
                node,
                (
                    ast.FunctionDef,
                    ast.AsyncFunctionDef,
                    ast.ClassDef,
                    ast.For,
                    ast.While,
                    ast.Lambda,
                    ast.Try,
                    ast.With,
                ),
            ), f"{name}: {ast.dump(node)[:60]}"
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                assert module.split(".")[0] in ALLOWED_IMPORTS, module
        if "parameters" not in cell.get("metadata", {}).get("tags", []):  # the parameters: declarations alone
            assert len(_code(cell).splitlines()) <= 6, f"{name}: a long cell belongs in analysis.presentation.sections"


@pytest.mark.parametrize("name", REPORT_NOTEBOOKS)
def test_the_report_notebook_reads_like_a_report(name):
    cells = _cells(name)
    markdown = [c for c in cells if c["cell_type"] == "markdown"]
    headings = re.findall(r"^(#+) ", "\n".join("".join(c["source"]) for c in markdown), flags=re.M)
    assert len(headings) >= 3 and set(headings) == {"##"}  # the title block is the only h1
    sources = "\n".join("".join(c["source"]) for c in cells)
    assert "front_matter.title_block(t.coverage, r," in sources and "front_matter.colophon(r)" in sources
    assert (
        "r = load_report(month, window_start, data_dir, config_path, out_dir, settings, lang)\nt = r.tables" in sources
    )


def test_nbstripout_runs_as_a_local_pre_commit_hook():
    config = (PROJECT_ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "repo: local" in config and "nbstripout" in config and "https://" not in config


async def _execute(name: str, parameters: dict) -> render.Executed:
    async with kernels.KernelPool(1, cwd=NOTEBOOKS_DIR) as pool:
        return await render.run_notebook(pool, NOTEBOOKS_DIR / name, parameters, title=name, cwd=NOTEBOOKS_DIR)


@pytest.mark.slow
@pytest.mark.xdist_group("notebooks")
@pytest.mark.skipif(not (SAMPLE_DATA / "staff.csv").exists(), reason="data/sample not made yet")
def test_a_report_notebook_runs_on_its_own_without_the_cache(tmp_path):
    done = asyncio.run(
        _execute(
            "caseload.ipynb",
            {
                "month": "2019-12",
                "window_start": None,
                "data_dir": str(SAMPLE_DATA),
                "config_path": None,
                "out_dir": str(tmp_path),
            },
        )
    )
    assert "16.16" in done.html and "23.8" in done.html
    assert done.html.count("<h1>") == 1


@pytest.mark.slow
@pytest.mark.xdist_group("notebooks")
@pytest.mark.skipif(not (SAMPLE_DATA / "staff.csv").exists(), reason="data/sample not made yet")
def test_explore_runs_for_a_chosen_range_of_months():
    done = asyncio.run(
        _execute(
            "explore.ipynb",
            {"month": "2019-12", "window_start": "2019-06", "data_dir": None, "config_path": None, "out_dir": None},
        )
    )
    assert "June 2019" in done.html and "December 2019" in done.html
    outputs = [o for c in done.notebook.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]


async def _two_on_one_kernel(first, second):
    async with kernels.KernelPool(1, cwd=NOTEBOOKS_DIR) as pool:
        await pool.execute(first, "first.ipynb")
        return await pool.execute(second, "second.ipynb")


@pytest.mark.slow
@pytest.mark.xdist_group("notebooks")
def test_a_kernel_forgets_the_last_notebook_before_the_next(tmp_path):
    from nbformat.v4 import new_code_cell, new_notebook

    first = new_notebook(
        cells=[
            new_code_cell("import matplotlib.pyplot as plt\nleaked, _private = 1, 2\nfig = plt.figure()\nfig.number"),
            new_code_cell("'first'"),
        ]
    )
    second = new_notebook(
        cells=[
            new_code_cell(
                "import matplotlib.pyplot as plt\n"
                "[n for n in ('leaked', '_private', 'fig') if n in globals()], plt.get_fignums(), len(Out)"
            )
        ]
    )
    done = asyncio.run(_two_on_one_kernel(first, second))
    cell = done.cells[0]
    assert cell.execution_count == 1
    assert cell.outputs[0]["data"]["text/plain"] == "([], [], 0)"


async def _pool_processes():
    async with kernels.KernelPool(2) as pool:
        await pool.ready()
        processes = [k.km.provisioner.process for k in pool._kernels]
        assert all(isinstance(k.kc, SlicedKernelClient) for k in pool._kernels)  # no wait misses a wake-up
        runtime = pool._runtime
    return processes, runtime


@pytest.mark.slow
@pytest.mark.xdist_group("notebooks")
def test_the_pool_leaves_no_kernel_running_and_no_socket_behind():
    processes, runtime = asyncio.run(_pool_processes())
    assert len(processes) == 2
    assert [p.poll() is not None for p in processes] == [True, True]  # killed and reaped
    assert not runtime.exists()


class _SilentKernel:
    """A client whose kernel never answers, then dies: ``until_ready`` must not wait forever."""

    def __init__(self, alive_checks: int):
        self.alive_checks = alive_checks
        self.asked = 0
        self.shell_channel = self.iopub_channel = self

    def kernel_info(self):
        self.asked += 1

    async def get_msg(self, timeout=None):
        from queue import Empty

        raise Empty

    async def is_alive(self):
        self.alive_checks -= 1
        return self.alive_checks > 0


def test_until_ready_gives_up_on_a_dead_or_silent_kernel(monkeypatch):
    dead = _SilentKernel(alive_checks=2)
    with pytest.raises(RuntimeError, match="died before it answered"):
        asyncio.run(kernel_client.until_ready(dead, timeout=60))
    assert dead.asked == 2
    with pytest.raises(RuntimeError, match="did not answer within 0 s"):
        asyncio.run(kernel_client.until_ready(_SilentKernel(alive_checks=10**6), timeout=0))
