"""The command line's entry point: ``main``'s exit status, every line of output, exit handlers run."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib

from analysis.paths import PROJECT_ROOT


def test_the_script_and_python_m_both_enter_through_run():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["analysis"] == "analysis.cli:run"
    main_module = (PROJECT_ROOT / "src" / "analysis" / "__main__.py").read_text(encoding="utf-8")
    assert "from analysis.cli import run" in main_module and "\n    run()" in main_module


def test_run_exits_with_mains_status_after_the_output_and_the_exit_handlers(tmp_path):
    marker = tmp_path / "handler-ran"
    code = (
        "import atexit, logging, pathlib, sys\n"
        "import analysis.cli as cli\n"
        f"atexit.register(pathlib.Path({str(marker)!r}).write_text, 'yes')\n"
        "logging.basicConfig(stream=sys.stderr, level=logging.INFO, format='%(message)s')\n"
        "def fake_main():\n"
        "    for n in range(50000):\n"
        "        print(f'line {n}')\n"
        "    logging.getLogger('x').info('logged last')\n"
        "    return 3\n"
        "cli.main = fake_main\n"
        "cli.run()\n"
        "print('never reached')\n"
    )
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # output to a pipe is held
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=buffered)
    lines = done.stdout.splitlines()
    assert done.returncode == 3
    assert len(lines) == 50000 and lines[-1] == "line 49999"
    assert done.stderr.strip() == "logged last"
    assert marker.read_text() == "yes"


def test_run_exits_0_when_main_returns_nothing():
    code = "import analysis.cli as cli\ncli.main = lambda: None\ncli.run()\n"
    assert subprocess.run([sys.executable, "-c", code], timeout=120).returncode == 0


def test_run_falls_back_to_the_usual_exit_without_cpythons_exit_handler_runner(tmp_path):
    marker = tmp_path / "handler-ran"
    code = (
        "import atexit, pathlib\n"
        "import analysis.cli as cli\n"
        "del atexit._run_exitfuncs\n"
        f"atexit.register(pathlib.Path({str(marker)!r}).write_text, 'yes')\n"
        "cli.main = lambda: 4\n"
        "cli.run()\n"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=120).returncode == 4
    assert marker.read_text() == "yes"
