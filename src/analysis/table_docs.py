"""The data dictionary, ``docs/tables.md``, written from the tables' specs, the columns and the measures.

``python -m analysis.table_docs`` (``make tables-doc``) writes it; a test checks the file matches
the code, so the dictionary never drifts from what the CSVs hold.
"""

from __future__ import annotations

import sys

from analysis.measures import MEASURES
from analysis.paths import PROJECT_ROOT
from analysis.tables import TABLE_SPECS

DICTIONARY = PROJECT_ROOT / "docs" / "tables.md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render() -> str:
    """The dictionary's Markdown."""
    lines = [
        "# The tables: a data dictionary",
        "",
        "<!-- Written by `make tables-doc` from the tables' specs (`@table` above each producer), "
        "`src/analysis/columns.py` and `src/analysis/measures.py`; edit those, not this file. -->",
        "",
        "Each month's report folder holds one CSV per table (`tables/<name>.csv`) and the same tables as the "
        "sheets of `tables.xlsx`. A notebook reads a table as `r.tables.<name>`; the function that makes it "
        "has the table's name. CSVs are UTF-8 with a header row; months are `YYYY-MM`, dates `YYYY-MM-DD`, "
        "rates fractions (0.9 is 90%), and a blank means there was nothing to count or divide by.",
        "",
        "Units: count (whole numbers), rate (a fraction), cases (a number of cases), number, month, date, "
        "code (one of a fixed list), text, id (a pseudonymous staff ID) and flag (True or False).",
        "",
        "## Contents",
        "",
    ]
    lines += [f"- [`{name}`](#{name}): {spec.title}" for name, spec in TABLE_SPECS.items()]
    for name, spec in TABLE_SPECS.items():
        lines += ["", f"## {name}", "", f"**{spec.title}.** {spec.description}", ""]
        said = []
        if spec.fixed:
            said.append("Its columns are fixed: other tools read them, and a run that would change them stops.")
        if spec.staff_level:
            said.append("It lists staff by ID: for team managers, never emailed.")
        if spec.notes:
            said.append("Notes " + ", ".join(str(n) for n in spec.notes) + " of the workbook apply.")
        if said:
            lines += [" ".join(said), ""]
        lines += ["| Column | Unit | Meaning |", "|---|---|---|"]
        for column in spec.columns:
            about = spec.column(column)
            unit = about.unit + (f", {about.decimals} decimal places" if about.decimals is not None else "")
            lines.append(f"| `{column}` | {unit} | {_cell(about.meaning)} |")
    lines += [
        "",
        "## Measures",
        "",
        "The measures charted over time (Making Data Count), in the `measure` column of `spc` and `spc_summary`.",
        "",
        "| Measure | Unit | What it is | Target | Improvement |",
        "|---|---|---|---|---|",
    ]
    for measure in MEASURES.values():
        target = f"the `{measure.target_setting}` setting" if measure.target_setting else "none"
        lines.append(f"| `{measure.name}` | {measure.unit} | {measure.label} | {target} | {measure.improvement} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    DICTIONARY.write_text(render(), encoding="utf-8")
    print(f"Wrote {DICTIONARY.relative_to(PROJECT_ROOT)} ({len(TABLE_SPECS)} tables)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
