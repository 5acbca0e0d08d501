"""The folder and file rules: which files a data folder holds, and a file that cannot be read, in one sentence."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.inputs.findings import Finding
from analysis.inputs.reading import SheetNotFound
from analysis.inputs.rule_kit import file_finding, rule

# --- folder rules --------------------------------------------------------------------------------


@rule("missing_file", "error", "there is no {file}: expected {expected} in the data folder", kind="folder")
def missing_file(found: list[Path], name: str) -> Finding | None:
    """No file holds table ``name``."""
    if found:
        return None
    expected = " or ".join(f"{stem}.csv or {stem}.xlsx" for stem in _stems(name))
    return file_finding("missing_file", f"{name}.csv", expected=expected)


@rule(
    "two_sources",
    "error",
    "{file} and {other} both hold the {table} table: expected one of them only in the data folder",
    kind="folder",
)
def two_sources(found: list[Path], name: str) -> Finding | None:
    """More than one file could hold table ``name`` (CSV and XLSX, or allocations and ssd_involvements)."""
    if len(found) < 2:
        return None
    return file_finding("two_sources", found[0].name, other=found[1].name, table=name)


def _stems(name: str) -> tuple[str, ...]:
    return ("allocations", "ssd_involvements") if name == "allocations" else (name,)


# --- file rules ----------------------------------------------------------------------------------


# SheetNotFound (a workbook has several sheets and none is named like the table) is raised by
# the reader, analysis.inputs.reading.


@rule("empty_file", "error", "{file} is empty: expected a header row naming the columns", kind="file")
def empty_file(exc: Exception) -> bool:
    return isinstance(exc, pd.errors.EmptyDataError)


@rule(
    "not_utf8",
    "error",
    "{file} is not UTF-8 text (byte {position} cannot be read): expected UTF-8; in Excel use "
    "Save As, 'CSV UTF-8 (Comma delimited)'",
    kind="file",
)
def not_utf8(exc: Exception) -> bool:
    return isinstance(exc, UnicodeDecodeError)


@rule(
    "malformed_csv",
    "error",
    "{file} is not a well-formed CSV file ({detail}): expected the same number of comma-separated "
    "fields on every line and every quote closed",
    kind="file",
)
def malformed_csv(exc: Exception) -> bool:
    return isinstance(exc, pd.errors.ParserError)


@rule(
    "wrong_sheet",
    "error",
    "{file} has sheets {sheets} and not exactly one visible sheet named {table}: expected one visible "
    "sheet named {table} (a hidden sheet is never read in its place), or a workbook with only one sheet",
    kind="file",
)
@rule(
    "not_xlsx",
    "error",
    "{file} is not an Excel workbook that can be read: expected an .xlsx file saved from Excel "
    "(or save it as CSV UTF-8)",
    kind="file",
)
def not_xlsx(exc: Exception) -> bool:
    return True


@rule("unreadable_file", "error", "{file} cannot be read ({detail}): expected a CSV UTF-8 or .xlsx file", kind="file")
def unreadable_file(exc: Exception) -> bool:
    return True


def read_failure(path: Path, table: str, exc: Exception) -> Finding:
    """One clear sentence for a file that could not be read, whatever went wrong."""
    file = path.name
    if empty_file(exc):
        return file_finding("empty_file", file)
    if not_utf8(exc):
        return file_finding("not_utf8", file, position=first_bad_byte(path, exc))
    if isinstance(exc, SheetNotFound):
        return file_finding("wrong_sheet", file, sheets=", ".join(exc.sheets), table=table)
    if path.suffix.lower() == ".xlsx":
        return file_finding("not_xlsx", file)
    if malformed_csv(exc):
        return file_finding("malformed_csv", file, detail=_one_line(exc))
    return file_finding("unreadable_file", file, detail=_one_line(exc))


def first_bad_byte(path: Path, exc: Exception) -> int:
    """The position (from 1) of the first byte of ``path`` that is not UTF-8.

    A reader decodes in pieces, so its error's offset may be within a piece, not the file: the
    file is decoded whole here, once, on this failing path.
    """
    try:
        path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as whole:
        bom = 3 if path.read_bytes()[:3] == b"\xef\xbb\xbf" else 0
        return whole.start + bom + 1
    except OSError:
        pass
    return getattr(exc, "start", 0) + 1


def _printable(text: str) -> str:
    """A header as one line: a line break or other control character in it shown as its escape (``\\n``)."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split()).rstrip(".")
    return text[:200] or type(exc).__name__


@rule("missing_column", "error", "{file} has no {column} column: expected it in the header row{hint}", kind="file")
def missing_columns(
    file: str, table: str, present: list[str], required: list[str], headers: list[str]
) -> list[Finding]:
    """One error for each required column the file lacks, after the column map."""
    shown = ", ".join(_printable(h) for h in headers[:12]) + (", ..." if len(headers) > 12 else "")
    hint = f" (its header is {shown}; map an extract's own header in [columns.{table}] of the config)"
    if len(headers) == 1 and any(sep in headers[0] for sep in ";\t|"):
        hint = " (its header looks separated by something other than commas: save it as CSV UTF-8)"
    return [file_finding("missing_column", file, column=c, hint=hint) for c in required if c not in present]


@rule(
    "repeated_column",
    "error",
    "{file} has more than one column that means {column} ({headers}): expected one",
    kind="file",
)
def repeated_columns(file: str, mapped: dict[str, list[str]]) -> list[Finding]:
    """One error for each canonical column that several headers map onto."""
    return [
        file_finding("repeated_column", file, column=c, headers=", ".join(h)) for c, h in mapped.items() if len(h) > 1
    ]
