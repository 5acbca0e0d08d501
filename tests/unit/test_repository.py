"""House rules that keep the project reproducible: checked on every test run."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from analysis.paths import NOTEBOOKS_DIR, PROJECT_ROOT

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
PARAMETERS = {"month", "window_start", "data_dir", "config_path", "out_dir", "settings", "lang"}


def _tracked(pattern: str = "") -> list[str]:
    done = subprocess.run(
        ["git", "ls-files", pattern] if pattern else ["git", "ls-files"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip("not a git checkout")
    return done.stdout.split()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name} has outputs: run `make strip`"
            assert cell.get("execution_count") is None, f"{path.name} has execution counts"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_the_parameters_cell(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    tagged = [c for c in notebook["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name} needs exactly one cell tagged `parameters`"
    source = "".join(tagged[0]["source"])
    names = set(re.findall(r"^(\w+)\s*=", source, flags=re.M))
    assert names == PARAMETERS


def test_every_make_target_is_documented_and_phony():
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    targets = re.findall(r"^([a-z][a-z-]*):(?!=)", makefile, flags=re.M)
    phony = set(re.findall(r"^\.PHONY: (\S+)$", makefile, flags=re.M))
    documented = set(re.findall(r"^([a-z][a-z-]*):.*## ", makefile, flags=re.M))
    assert set(targets) == phony == documented
    for needed in ("help", "setup", "test", "report", "email", "lab", "bench"):
        assert needed in phony


def test_no_row_by_row_pandas_on_the_data_path():
    offenders = []
    for path in (PROJECT_ROOT / "src").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\.iterrows\(|\.itertuples\(|\.apply\(.*axis\s*=\s*1", line):
                offenders.append(f"{path.name}:{number}")
    assert offenders == []


def test_only_synthetic_data_is_committed():
    data_files = [p for p in _tracked() if re.search(r"\.(csv|xlsx|parquet|eml)$", p)]
    assert [p for p in data_files if not p.startswith(("data/sample/", "tests/"))] == []


def test_outputs_and_secrets_are_ignored():
    ignored = (PROJECT_ROOT / ".gitignore").read_text().splitlines()
    for entry in ("reports/", ".env", ".venv/", "data/raw/*"):
        assert entry in ignored


@pytest.mark.parametrize("target", ["report", "tables", "validate"])
def test_the_makefile_passes_paths_with_spaces_intact(target):
    run = subprocess.run(
        [
            "make",
            "-n",
            target,
            "MONTH=2019-12",
            "DATA=/data/my extracts",
            "CONFIG=/config/our council.toml",
            "OUT=/out/the reports",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    command = next(line for line in run.stdout.splitlines() if "-m analysis" in line)
    assert '--data "/data/my extracts"' in command and '--config "/config/our council.toml"' in command
    if target != "validate":
        assert '"/out/the reports' in command
