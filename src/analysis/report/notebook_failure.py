"""What a failed notebook reports: which cell, and why; and the kernel and cell time limit every run uses."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nbformat import NotebookNode

KERNEL_NAME = "supervision-caseload"


CELL_TIMEOUT = 600


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
