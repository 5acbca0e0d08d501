"""The package installed as a wheel (not editable) runs a report from any folder."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from analysis.paths import PROJECT_ROOT

from conftest import chromium_path


@pytest.mark.slow
def test_a_wheel_installed_elsewhere_reports_from_another_folder(tmp_path):
    wheels, target, work = tmp_path / "wheels", tmp_path / "installed", tmp_path / "work"
    work.mkdir()
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(PROJECT_ROOT)], check=True, timeout=600)
    [wheel] = wheels.glob("*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run(
        [sys.executable, "-c", "import analysis.paths as p; print(p.DEFAULT_CONFIG)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert where.startswith(str(target)) and where.endswith("_shipped/config/default.toml")
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "report", "--month", "2019-12"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    folder = work / "reports" / "2019-12"
    assert (folder / "supervision.html").is_file() and (folder / "tables" / "spc.csv").is_file()
    assert "83.7%" in (folder / "supervision.html").read_text(encoding="utf-8")
    # The committee answer from the wheel: its message catalogues and sample question ship inside it.
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "answer", "--month", "2019-12", "--lang", "cy"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if chromium_path() is None:
        assert done.returncode == 2 and "none was found" in done.stderr
    else:
        assert done.returncode == 0, done.stderr[-2000:]
        assert (folder / "answer" / "answer.cy.docx").is_file() and (folder / "answer" / "answer.cy.pdf").is_file()
        from pdfua import validate

        assert list(validate(str(folder / "answer" / "answer.cy.pdf")).findings) == []
