"""The registry of tables: one name per table, and every figure a report prints found in its tables."""

from __future__ import annotations

import ast
import inspect
import json
import re
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest

from analysis.paths import NOTEBOOKS_DIR, PROJECT_ROOT
from analysis.tables import INTERMEDIATES, STARTING_POINTS, TABLES

REPORTS = ("supervision.ipynb", "caseload.ipynb", "team_detail.ipynb", "explore.ipynb")


def test_every_table_is_named_for_the_function_that_computes_it():
    for name, producer in TABLES.items():
        assert name == producer.__name__, name
    assert len({p.__module__ + "." + p.__name__ for p in TABLES.values()}) == len(TABLES)


def test_every_producer_input_is_a_table_an_intermediate_or_a_starting_point():
    known = {*TABLES, *INTERMEDIATES, *STARTING_POINTS}
    for name, producer in {**TABLES, **INTERMEDIATES}.items():
        for parameter in inspect.signature(producer).parameters.values():
            if parameter.default is inspect.Parameter.empty:
                assert parameter.name in known, f"{name} takes {parameter.name}, which nothing provides"


def test_no_second_function_shares_a_table_name():
    """Grep a table's name and land on one definition: the producer the reports use."""
    defined: dict[str, list[str]] = {}
    for path in (PROJECT_ROOT / "src" / "analysis").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name in TABLES:
                defined.setdefault(node.name, []).append(str(path.relative_to(PROJECT_ROOT)))
    assert {name: places for name, places in defined.items() if len(places) > 1} == {}
    assert set(defined) == set(TABLES)


@pytest.mark.parametrize("name", REPORTS)
def test_notebook_cells_read_tables_by_their_registry_names(name):
    cells = json.loads((NOTEBOOKS_DIR / name).read_text(encoding="utf-8"))["cells"]
    source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    named = set(re.findall(r"\bt\.([a-z_]+)", source))
    assert named and named <= set(TABLES), named - set(TABLES)
    assert ".table(" not in source and "tables[" not in source


# --- every figure a report prints is in its tables ------------------------------------------------


def _welsh_months(width: str) -> str:
    from babel.dates import get_month_names

    return "|".join(get_month_names(width, locale="cy_GB").values())


MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December|" + _welsh_months(
    "wide"
)
SHORT = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|" + _welsh_months("abbreviated")
# Dates, months, times and the code version are not figures.
NOT_FIGURES = re.compile(
    rf"\b\d{{1,2}} (?:{MONTHS}|{SHORT})(?: \d{{4}})?\b"
    rf"|\b(?:{MONTHS}|{SHORT}|Autumn|Spring|Summer|Winter|hydref|gwanwyn|haf|gaeaf) \d{{4}}\b"
    r"|\b\d{4}-\d{2}(?:-\d{2})?\b|\b\d{1,2}:\d{2}\b"
    r"|(?:commit|ymrwymiad) [0-9a-f]{7,40}(?:-dirty)?|analysis \d+\.\d+\.\d+"
    r"|(?:Figure|Ffigur) \d+"
)
NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(%?)")


def page_text(page: str) -> str:
    """Everything a reader can read: the text, the charts' alternative text and table cells."""
    import html

    page = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
    alts = " ".join(re.findall(r'alt="([^"]*)"', page))
    page = re.sub(r'src="data:[^"]*"', " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + alts)


def shown_forms(value: float) -> set[str]:
    """How a value can be printed: whole, 1 or 2 decimal places (trailing zeros dropped), a percentage."""
    forms = set()
    exact = Decimal(repr(float(value)))
    for number in (exact, abs(exact)):
        for places in ("1", "0.1", "0.01"):
            for rounding in (ROUND_HALF_UP, ROUND_HALF_EVEN):
                text = str(number.quantize(Decimal(places), rounding=rounding))
                forms.add(text)
                forms.add(text.rstrip("0").rstrip(".") if "." in text else text)
        for places in ("1", "0.1"):
            for rounding in (ROUND_HALF_UP, ROUND_HALF_EVEN):
                forms.add(str((number * 100).quantize(Decimal(places), rounding=rounding)) + "%")
    return forms


def setting_numbers() -> set[str]:
    """Numbers a sentence reads from the settings (thresholds, limits, the target): not figures."""
    from analysis.config import load_config

    text = json.dumps(load_config().model_dump(mode="json"))
    numbers = set(re.findall(r"(?<![\w.])\d+(?:\.\d+)?", text))
    return numbers | {f"{float(n) * 100:g}%" for n in numbers if float(n) <= 1} | {"95%", "99.8%", "95", "99.8"}


def unexplained_numbers(page: str, tables: Path) -> list[str]:
    shown: set[str] = set()
    for csv in tables.glob("*.csv"):
        frame = pd.read_csv(csv)
        for column in frame.columns:
            for value in pd.to_numeric(frame[column], errors="coerce").dropna().unique():
                shown |= shown_forms(value)
    allowed = shown | setting_numbers()
    text = NOT_FIGURES.sub(" ", page_text(page))
    missing = []
    for match in NUMBER.finditer(text):
        token = match.group(1).replace(",", "") + (match.group(2) or "") + match.group(3)
        if token not in allowed:
            missing.append(f"{token!r} in …{' '.join(text[max(0, match.start() - 60) : match.end() + 10].split())}…")
    return missing


def test_a_number_in_no_table_is_found():
    page = "<p>In December 2019, 83.7% of staff due (82 of 98) were supervised; 7.64 fewer cases.</p>"
    tables = PROJECT_ROOT / "tests" / "data" / "figures_tables"
    assert [m.split(" in ")[0] for m in unexplained_numbers(page, tables)] == ["'7.64'"]


@pytest.mark.slow
@pytest.mark.xdist_group("rendered_report")
@pytest.mark.parametrize(
    "name",
    [
        "supervision.html",
        "caseload.html",
        "team_detail/index.html",
        "team_detail/assessment.html",
        "supervision.cy.html",
        "caseload.cy.html",
        "team_detail/index.cy.html",
        "team_detail/assessment.cy.html",
    ],
)
def test_every_number_in_the_sample_reports_is_in_their_tables(sample_report, name):
    page = (sample_report / name).read_text(encoding="utf-8")
    assert unexplained_numbers(page, sample_report / "tables") == []


@pytest.mark.parametrize("name", REPORTS)
def test_every_function_a_notebook_cell_calls_exists(name):
    """A section renamed or moved fails here, in seconds, not in a rendered report."""
    import importlib

    cells = json.loads((NOTEBOOKS_DIR / name).read_text(encoding="utf-8"))["cells"]
    source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    modules = {}
    for node in ast.walk(ast.parse("\n".join(line for line in source.splitlines() if not line.startswith("%")))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analysis"):
            for alias in node.names:
                target = importlib.import_module(node.module)
                value = getattr(target, alias.name, None)
                if value is None:
                    value = importlib.import_module(f"{node.module}.{alias.name}")
                modules[alias.asname or alias.name] = value
    calls = set(re.findall(r"\b([a-z_]+)\.([a-z_]+)\(", source))
    missing = [f"{m}.{f}" for m, f in calls if m in modules and not hasattr(modules[m], f)]
    assert missing == []


# --- two threads share the month's work ------------------------------------------------------------


def test_upstream_holds_every_input_however_far_back():
    from analysis.tables import UPSTREAM

    assert {"person_months", "window_person_months", "window_labels", "window"} <= UPSTREAM["supervision_monthly"]
    assert {"loads", "case_index", "dates", "autumn_dates", "month_end"} <= UPSTREAM["caseload_snapshots"]
    assert "case_index" not in UPSTREAM["supervision_monthly"]
    assert UPSTREAM["case_index"] == frozenset()


class _Tables:
    """What ``Plan`` reads of ``MonthTables``: the names being worked out, and ``value``."""

    apart = None

    def __init__(self, running=(), fail=None):
        self.running, self.done, self.fail = set(running), [], fail

    def busy(self):
        return set(self.running)

    def value(self, name):
        if name == self.fail:
            raise ValueError(f"{name} failed")
        self.done.append(name)


def test_a_thread_takes_first_what_waits_on_nothing_the_other_is_working_out():
    from analysis.tables import Plan

    tables = _Tables(running={"person_months"})
    plan = Plan(["person_months", "supervision_monthly", "case_index", "caseload_snapshots"], tables)
    assert plan.take() == "case_index"  # person_months is under way, and supervision_monthly waits on it
    tables.running = {"case_index"}
    assert plan.take() == "person_months"
    tables.running = {"case_index", "person_months"}
    assert plan.take() == "supervision_monthly"  # nothing is free: the first waiting, which will wait
    assert plan.take() == "caseload_snapshots"
    assert plan.take() is None


def test_a_failure_on_either_thread_is_raised_and_stops_the_other():
    import threading

    from analysis.tables import Plan

    tables = _Tables(fail="supervision_monthly")
    plan = Plan(["person_months", "supervision_monthly", "supervision_teams", "caseload_snapshots"], tables)
    with pytest.raises(ValueError, match="supervision_monthly failed"):
        try:
            plan.work()
        finally:
            plan.stop()
    assert tables.done == ["person_months"] and plan.take() is None
    # Work shared between two threads is each done once.
    names = list(TABLES)
    shared = _Tables()
    plan = Plan(names, shared)
    threads = [threading.Thread(target=plan.work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(shared.done) == sorted(names)


def test_a_large_history_works_out_person_months_and_the_allocation_index_one_at_a_time(monkeypatch, config):
    """Above APART_PERSON_MONTHS (staff rows x months), the two largest pieces of work never run
    at once, whichever threads ask for them; below it they may."""
    import threading
    import time

    import analysis.tables as tables_module
    from analysis.inputs.loading import load_valid_dataset
    from analysis.paths import SAMPLE_DATA
    from analysis.tables import APART, MonthTables, work_apart

    data = load_valid_dataset(SAMPLE_DATA, config)
    month = pd.Period("2019-12", "M")
    assert not work_apart(data, month, config)
    monkeypatch.setattr(tables_module, "APART_PERSON_MONTHS", len(data.staff))
    assert work_apart(data, month, config)

    at_once, running, guard = [], set(), threading.Lock()

    def slow(name):
        producer = tables_module.INTERMEDIATES[name]

        def run(**arguments):
            with guard:
                running.add(name)
                at_once.append(set(running))
            time.sleep(0.05)
            result = producer(**arguments)
            with guard:
                running.discard(name)
            return result

        run.__signature__ = inspect.signature(producer)
        return run

    for name in APART:
        monkeypatch.setitem(tables_module.INTERMEDIATES, name, slow(name))
    tables = MonthTables(data, month, config)
    threads = [threading.Thread(target=tables.value, args=(name,)) for name in APART]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(at_once) == 2 and all(len(names) == 1 for names in at_once)


def test_where_the_large_pieces_are_worked_out_apart_each_runs_alone():
    import threading

    from analysis.tables import Plan

    tables = _Tables(running={"case_index"})
    tables.apart = threading.Lock()
    tables.apart.acquire()  # the allocation index is being worked out
    plan = Plan(["supervision_monthly"], tables)
    taken = []
    thread = threading.Thread(target=lambda: taken.append(plan.take()))
    thread.start()
    thread.join(0.3)
    assert thread.is_alive() and taken == []  # waits, though supervision_monthly does not need the index
    tables.running.clear()
    tables.apart.release()
    thread.join(5)
    assert taken == ["supervision_monthly"]
    tables.apart = None  # worked out together: nothing waits
    assert Plan(["supervision_teams"], _Tables(running={"case_index"})).take() == "supervision_teams"


def test_a_table_that_fails_is_no_longer_counted_as_being_worked_out(monkeypatch, config):
    import analysis.tables as tables_module
    from analysis.inputs.loading import load_valid_dataset
    from analysis.paths import SAMPLE_DATA
    from analysis.tables import MonthTables

    def broken(month, window_start, config):
        raise ValueError("no window")

    monkeypatch.setitem(tables_module.INTERMEDIATES, "window", broken)
    tables = MonthTables(load_valid_dataset(SAMPLE_DATA, config), "2019-12", config)
    with pytest.raises(ValueError, match="no window"):
        tables.value("supervision_monthly")
    assert tables.busy() == set()


def test_the_data_dictionary_is_written_from_the_specs():
    from analysis.table_docs import DICTIONARY, render

    assert DICTIONARY.read_text(encoding="utf-8") == render(), "run `make tables-doc` and commit docs/tables.md"


def test_every_described_column_is_in_a_table_and_every_table_column_is_described():
    from analysis.columns import COLUMNS
    from analysis.tables import TABLE_SPECS

    used = {column for spec in TABLE_SPECS.values() for column in spec.columns}
    assert used == set(COLUMNS)


def test_a_spec_naming_an_undescribed_column_is_refused_where_it_is_declared():
    from analysis.table_spec import table

    with pytest.raises(KeyError, match="not_a_column"):
        table("T", "One row.", ("month", "not_a_column"))(lambda: None)
