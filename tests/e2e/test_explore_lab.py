"""explore.ipynb in a real JupyterLab, in headless Chromium: run it, change a widget, the chart redraws."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from analysis.paths import NOTEBOOKS_DIR

pytestmark = [pytest.mark.slow, pytest.mark.browser]
TOKEN = f"explore-test-{secrets.token_hex(8)}"  # a server on a reused port is never taken for this one's


def own_jupyter_folders(root: Path) -> dict[str, str]:
    """Environment giving a JupyterLab server and its kernels folders of their own: settings,
    workspaces, runtime files, IPython's history database and matplotlib's cache are otherwise
    shared by every test run on the machine (two runs at once restored each other's workspace)."""
    folders = {
        "JUPYTER_CONFIG_DIR": root / "config",
        "JUPYTER_RUNTIME_DIR": root / "runtime",
        "JUPYTERLAB_WORKSPACES_DIR": root / "workspaces",
        "IPYTHONDIR": root / "ipython",
        "MPLCONFIGDIR": root / "matplotlib",
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {name: str(folder) for name, folder in folders.items()}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on loopback serving a copy of the notebooks (so nothing is saved into the repository)."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copy(NOTEBOOKS_DIR / "explore.ipynb", root / "explore.ipynb")
    settings = tmp_path_factory.mktemp("lab-settings")
    # Render every cell (no virtual scrolling, so the widget stays in the page) and ask for no news.
    for extension, name, value in (
        ("notebook-extension", "tracker", '{"windowingMode": "none"}'),
        ("apputils-extension", "notification", '{"fetchNews": "false"}'),
    ):
        folder = settings / "@jupyterlab" / extension
        folder.mkdir(parents=True)
        (folder / f"{name}.jupyterlab-settings").write_text(value, encoding="utf-8")
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            "--LabApp.extension_manager=readonly",
            f"--port={port}",
            "--ip=127.0.0.1",
            f"--IdentityProvider.token={TOKEN}",
            f"--ServerApp.root_dir={root}",
            "--ServerApp.disable_check_xsrf=True",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--ServerApp.port_retries=0",
        ],
        env={
            **os.environ,
            **own_jupyter_folders(tmp_path_factory.mktemp("jupyter")),
            "JUPYTERLAB_SETTINGS_DIR": str(settings),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=1)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"JupyterLab did not start on port {port} (exit status {server.poll()})")
            time.sleep(0.5)
    yield url
    server.terminate()
    server.wait(timeout=20)


class Steps:
    """The step a browser test is on: a failure names it and leaves a screenshot beside the test's files."""

    def __init__(self, page, shots: Path):
        self.page, self.shots, self.name = page, shots, "opening the notebook"

    @contextlib.contextmanager
    def step(self, name: str):
        self.name = name
        try:
            yield
        except Exception as exc:
            shot = self.shots / "failure.png"
            with contextlib.suppress(Exception):
                self.page.screenshot(path=str(shot), full_page=True)
            pytest.fail(f"explore.ipynb in JupyterLab, step '{name}': {type(exc).__name__}: {exc} (screenshot {shot})")


KERNEL_IDLE = "() => document.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status === 'idle'"
ALL_RUN = "() => [...document.querySelectorAll('.jp-InputArea-prompt')].every(p => !p.textContent.includes('*'))"


def session_kernel(lab: str) -> dict:
    """The server's kernel for explore.ipynb (name and execution state), or {} while there is none."""
    with urllib.request.urlopen(f"{lab}/api/sessions?token={TOKEN}", timeout=5) as answer:
        sessions = json.load(answer)
    return next((s["kernel"] for s in sessions if s.get("path", "").endswith("explore.ipynb")), {})


def start_the_notebooks_kernel(page, lab: str, seconds: float) -> None:
    """Wait until the notebook's own kernel runs on the server and the page shows it idle, choosing
    it where JupyterLab asks.

    A lab without a saved workspace may ask which kernel to start ("Select Kernel", the notebook's
    kernel chosen): left open, that dialog swallows every click after it. Runs that shared one
    workspace folder did not ask, which is why the test passed alone and failed beside another run.
    The page can show the notebook's kernel name before the kernel exists, so the server is asked.
    """
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    deadline = time.monotonic() + seconds
    while True:
        if dialog.count() and dialog.first.is_visible():
            dialog.first.get_by_role("button", name="Select").click()
        kernel = session_kernel(lab)
        if kernel.get("name") == "supervision-caseload" and kernel.get("execution_state") == "idle":
            if page.evaluate(KERNEL_IDLE):
                return
        if time.monotonic() > deadline:
            raise TimeoutError(f"the project's kernel was not idle after {seconds} s (server: {kernel})")
        time.sleep(0.25)


def run_all_cells(page, lab: str, attempts: int = 3) -> None:
    """Run All Cells, and see the first cells start; a click the page took before its kernel was
    connected runs nothing, so it is made again (running every cell again is harmless)."""
    started = "() => [...document.querySelectorAll('.jp-InputArea-prompt')].some(p => /[*0-9]/.test(p.textContent))"
    for attempt in range(attempts):
        page.get_by_text("Run", exact=True).first.click()
        page.get_by_text("Run All Cells", exact=True).first.click()
        try:
            page.wait_for_function(started, timeout=60_000)
            return
        except Exception:  # noqa: BLE001 - nothing started: make sure of the kernel, then click again
            if attempt == attempts - 1:
                raise
            start_the_notebooks_kernel(page, lab, 120)


def test_explore_runs_in_jupyterlab_and_a_widget_redraws_the_chart(lab, chromium, tmp_path):
    context = chromium.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    steps = Steps(page, tmp_path)
    try:
        with steps.step("opening the notebook"):
            page.goto(f"{lab}/lab/tree/explore.ipynb?token={TOKEN}", wait_until="domcontentloaded")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
        with steps.step("starting the notebook's kernel"):
            start_the_notebooks_kernel(page, lab, 180)
        with steps.step("running all cells"):
            run_all_cells(page, lab)
        with steps.step("waiting for the Measure dropdown"):
            select = page.locator(".widget-dropdown select").first
            select.wait_for(timeout=180_000)
        with steps.step("waiting for the first chart"):
            chart = page.locator(".widget-output img").first
            chart.wait_for(timeout=120_000)
            before = chart.get_attribute("src")
        with steps.step("waiting for every cell to finish"):
            page.wait_for_function(ALL_RUN, timeout=180_000)
        with steps.step("choosing another measure"):
            select.scroll_into_view_if_needed()
            select.select_option(label="Average caseload per qualified social worker")
            page.wait_for_function(
                "() => [...document.querySelectorAll('.widget-output')].some(o =>"
                " o.innerText.includes('Average caseload per qualified social worker, every team')"
                " && o.querySelector('img'))",
                timeout=120_000,
            )
            after = page.locator(".widget-output img").first.get_attribute("src")
        assert after != before  # the chart was redrawn, not kept
        with steps.step("waiting for the redraw to finish"):
            page.wait_for_function(ALL_RUN, timeout=180_000)
        errors = page.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
        ).all_inner_texts()
        assert not [e for e in errors if "Traceback" in e or "Error" in e]
        assert page.locator(".jp-RenderedText:has-text('Traceback')").count() == 0
    finally:
        context.close()
