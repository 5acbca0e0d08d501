"""What each table is, declared once, above the function that makes it: ``@table(title, description, columns)``.

The CSV writer (decimals, whole numbers), the workbook (titles, descriptions, notes), the reports
and the data dictionary (``docs/tables.md``, ``python -m analysis.table_docs``) read a table's spec;
a column's meaning, unit and decimals come from ``analysis.columns`` unless the table says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from analysis.columns import COLUMNS, Column

Producer = TypeVar("Producer", bound=Callable[..., Any])


@dataclass(frozen=True)
class TableSpec:
    """A table: its title, what a row is, its columns in order, the notes its title refers to, and
    whether the design fixes its columns (other tools read them)."""

    name: str
    title: str
    description: str
    columns: tuple[str, ...]
    notes: tuple[int, ...] = ()
    fixed: bool = False
    staff_level: bool = False  # lists people by staff ID: for team managers, never emailed
    meanings: Mapping[str, str] = field(default_factory=dict)

    def column(self, name: str) -> Column:
        """The column's entry in ``analysis.columns``, with this table's meaning where it gives one."""
        general = COLUMNS[name]
        meaning = self.meanings.get(name)
        return general if meaning is None else Column(meaning, general.unit, general.decimals)


SPECS: dict[str, TableSpec] = {}


def N_(text: str) -> str:
    """Marks a table's title or description for the message catalogues; translated where shown."""
    return text


def table(
    title: str,
    description: str,
    columns: Sequence[str],
    *,
    notes: Sequence[int] = (),
    fixed: bool = False,
    staff_level: bool = False,
    meanings: Mapping[str, str] | None = None,
) -> Callable[[Producer], Producer]:
    """Declare the table the decorated function makes (its name is the function's).

    Raises
    ------
    KeyError
        If a column has no entry in ``analysis.columns`` and the table gives it no meaning, or a
        meaning is given for a column the table does not have.
    """

    def declare(producer: Producer) -> Producer:
        name = producer.__name__
        unknown = [c for c in columns if c not in COLUMNS]
        stray = [c for c in (meanings or {}) if c not in columns]
        if unknown or stray:
            raise KeyError(f"table {name}: columns {unknown or stray} are not described in analysis.columns")
        SPECS[name] = TableSpec(
            name, title, description, tuple(columns), tuple(notes), fixed, staff_level, dict(meanings or {})
        )
        return producer

    return declare
