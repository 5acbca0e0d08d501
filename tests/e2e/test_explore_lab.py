"""explore.ipynb in a real JupyterLab, in headless Chromium: run it, change a widget, the chart redraws."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from analysis.paths import NOTEBOOKS_DIR

pytestmark = [pytest.mark.slow, pytest.mark.browser]
TOKEN = "explore-test"


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
        ],
        env={**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(settings)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("JupyterLab did not start")
    yield url
    server.terminate()
    server.wait(timeout=20)


def test_explore_runs_in_jupyterlab_and_a_widget_redraws_the_chart(lab, chromium):
    context = chromium.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{lab}/lab/tree/explore.ipynb?token={TOKEN}", wait_until="domcontentloaded")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator, .jp-KernelStatus", timeout=60_000)
        time.sleep(2)  # the kernel connects
        page.get_by_text("Run", exact=True).first.click()
        page.get_by_text("Run All Cells", exact=True).first.click()
        select = page.locator(".widget-dropdown select").first
        select.wait_for(timeout=180_000)
        chart = page.locator(".widget-output img").first
        chart.wait_for(timeout=120_000)
        before = chart.get_attribute("src")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-InputArea-prompt')].every(p => !p.textContent.includes('*'))",
            timeout=180_000,
        )
        select.scroll_into_view_if_needed()
        select.select_option(label="Average caseload per qualified social worker")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.widget-output')].some(o =>"
            " o.innerText.includes('Average caseload per qualified social worker, every team')"
            " && o.querySelector('img'))",
            timeout=60_000,
        )
        after = page.locator(".widget-output img").first.get_attribute("src")
        assert after != before  # the chart was redrawn, not kept
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-InputArea-prompt')].every(p => !p.textContent.includes('*'))",
            timeout=180_000,
        )
        errors = page.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
        ).all_inner_texts()
        assert not [e for e in errors if "Traceback" in e or "Error" in e]
        assert page.locator(".jp-RenderedText:has-text('Traceback')").count() == 0
    finally:
        context.close()
