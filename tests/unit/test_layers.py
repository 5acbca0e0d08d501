"""The package's layers: every import runs down (or across), never up."""

from __future__ import annotations

import ast

from analysis.paths import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "src" / "analysis"
# Lowest first. A module may import its own layer and those below it, never one above.
LAYERS = [
    ["analysis.paths", "analysis.measures", "analysis.columns"],
    ["analysis.table_spec", "analysis.inputs.findings", "analysis.inputs.dataset"],
    ["analysis.config_file"],
    ["analysis.config"],
    ["analysis.core"],
    ["analysis.inputs"],
    ["analysis.supervision", "analysis.caseload"],
    ["analysis.trends", "analysis.forecast"],
    ["analysis.intermediates", "analysis.tables", "analysis.head_start", "analysis.table_docs"],
    ["analysis.vocabulary"],
    ["analysis.presentation"],
    ["analysis.exports"],
    ["analysis.report"],
    ["analysis.delivery", "analysis.synth", "analysis.answer"],
    ["analysis.cli", "analysis.__main__"],
]


def layer(module: str) -> int:
    """The layer of a module: the most specific prefix listed wins."""
    best, depth = None, -1
    for level, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and prefix.count(".") > depth:
                best, depth = level, prefix.count(".")
    assert best is not None, f"{module} is in no layer"
    return best


def imports(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analysis"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if (PACKAGE / (candidate[9:].replace(".", "/") + ".py")).exists() else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("analysis")}
    return {m for m in found if m != "analysis"}


def module_name(path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_import_runs_upward():
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "_shipped" in path.parts:
            continue
        here = module_name(path)
        for target in imports(path):
            if layer(target) > layer(here):
                upward.append(f"{here} imports {target}")
    assert upward == []


def test_the_layers_know_every_subpackage():
    for folder in PACKAGE.iterdir():
        if folder.is_dir() and (folder / "__init__.py").exists():
            layer(f"analysis.{folder.name}")


def test_a_module_above_its_layer_is_caught():
    assert layer("analysis.report.build") > layer("analysis.tables") > layer("analysis.supervision.compliance")
    assert layer("analysis.inputs.dataset") < layer("analysis.config") < layer("analysis.inputs.loading")


def test_the_report_process_itself_draws_nothing():
    """Charts are drawn in the kernels: the process that writes the tables, the workbook and the
    team pages never imports matplotlib (0.3 s of a core while the kernels start)."""
    import subprocess
    import sys

    parent = (
        "report.build",
        "report.month_build",
        "exports.team_pages",
        "exports.workbook",
        "exports.table_files",
        "report.render",
    )
    code = (
        f"import sys; import {', '.join('analysis.' + m for m in parent)}; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'seaborn'}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_kernels_start_before_the_notebook_machinery_is_imported():
    """``report`` starts its kernels as soon as ``analysis.report.build`` is loaded; nbformat and
    nbclient (0.06 s) load while the kernels start."""
    import subprocess
    import sys

    code = "import sys, analysis.report.build; print(sorted({'nbformat', 'nbclient', 'nbconvert'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def module_level_imports(path) -> set[str]:
    """The package's modules ``path`` imports as it loads (imports inside functions left out)."""
    top = ast.Module(body=[n for n in ast.parse(path.read_text(encoding="utf-8")).body], type_ignores=[])
    found = set()
    for node in top.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analysis"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                exists = (PACKAGE / (candidate[9:].replace(".", "/") + ".py")).exists()
                found.add(candidate if exists else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("analysis")}
    return {m for m in found if m != "analysis"}


def test_no_module_imports_itself_round_a_circle():
    graph = {
        module_name(path): module_level_imports(path)
        for path in sorted(PACKAGE.rglob("*.py"))
        if "_shipped" not in path.parts
    }
    circles = []

    def visit(module: str, path: tuple[str, ...]) -> None:
        for target in sorted(graph.get(module, ())):
            if target in path:
                circles.append(" -> ".join(path[path.index(target) :] + (target,)))
            elif target not in done:
                visit(target, path + (target,))
        done.add(module)

    done: set[str] = set()
    for module in graph:
        if module not in done:
            visit(module, (module,))
    assert circles == []


def test_the_answer_and_the_email_use_presentation_and_exports_never_the_runner():
    """``answer`` and ``email`` quote the reports' words and write files as the reports do, but
    neither runs notebooks: nothing of theirs imports ``analysis.report``."""
    borrowed = [
        f"{module_name(path)} imports {target}"
        for folder in ("answer", "delivery")
        for path in sorted((PACKAGE / folder).rglob("*.py"))
        for target in imports(path)
        if target == "analysis.report" or target.startswith("analysis.report.")
    ]
    assert borrowed == []
