"""The report command end to end on the sample authority: figures in the HTML, self-contained
pages, the folder and manifest, the failure behaviour.

Rendering is slow, so one report for 2019-12 is rendered per test session (``sample_report``)
and shared (``conftest.sample_report``) with the browser and figure tests; every test using it runs in one xdist worker.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from analysis.cli import main as cli_main
from analysis.config import load_config, settings_digest
from analysis.inputs.findings import InputError
from analysis.paths import DEFAULT_CONFIG, NOTEBOOKS_DIR, PROJECT_ROOT, SAMPLE_DATA
from analysis.presentation.formats import caseload, esc, month_name, pct
from analysis.presentation.sections.supervision import compliance_sentence
from analysis.report.build import report_command
from analysis.report.month_inputs import CACHE_NAME

# The leadership reports, the team detail index and one team's page (every team has one).
REPORT_HTML = ("supervision.html", "caseload.html", "team_detail/index.html", "team_detail/assessment.html")
WELSH_HTML = tuple(name.replace(".html", ".cy.html") for name in REPORT_HTML)
MANIFEST_KEYS = {
    "month",
    "window_start",
    "status",
    "generated_at",
    "parameters",
    "inputs",
    "config",
    "package_version",
    "git_commit",
    "timings",
    "outputs",
    "headline",
}
FIXED_COLUMNS = {
    "supervision_monthly": "month,category,in_scope,due,supervised,compliance,near_miss",
    "caseload_snapshots": "snapshot,group,staff,case_holders,cases,mean_caseload,cases_per_fte",
    "nqsw_caseload": "as_at,band,staff,mean_caseload",
}
GROUP = pytest.mark.xdist_group("rendered_report")


def html(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


def visible_text(page: str) -> str:
    """The page's text, tags removed and whitespace collapsed (figures are searched in it)."""
    text = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", text)


# --------------------------------------------------------------------------- the figures
@pytest.mark.slow
@GROUP
def test_each_window_months_all_compliance_is_in_the_supervision_report(sample_report):
    monthly = pd.read_csv(sample_report / "tables" / "supervision_monthly.csv", dtype={"month": str})
    page = visible_text(html(sample_report, "supervision.html"))
    rows = monthly[monthly["category"] == "all"].set_index("month")
    assert list(rows.index) == ["2019-09", "2019-10", "2019-11", "2019-12"]
    for month, row in rows.iterrows():
        assert pct(row["compliance"]) in page, month
        assert f"{month_name(month)} {int(row['in_scope'])}" in page  # the council's All table row
    # every category's figure for the month, in the breakdown tables
    for category in ("qualified", "nqsw", "agency"):
        row = monthly[(monthly["category"] == category) & (monthly["month"] == "2019-12")].iloc[0]
        assert pct(row["compliance"]) in page
    assert "target" in page and "90%" in page


@pytest.mark.slow
@GROUP
def test_the_headline_sentence_gives_the_month_against_target_and_direction(sample_report):
    monthly = pd.read_csv(sample_report / "tables" / "supervision_monthly.csv", dtype={"month": str})
    expected = compliance_sentence(monthly, "2019-12", 0.9)
    assert expected.startswith("In December 2019, ")
    assert re.search(r"(up|down) \d+\.\d percentage points|unchanged", expected)
    assert esc(expected) in html(sample_report, "supervision.html")


@pytest.mark.slow
@GROUP
def test_the_caseload_report_quotes_the_councils_figures(sample_report):
    page = visible_text(html(sample_report, "caseload.html"))
    assert "16.16" in page
    assert "23.8" in page
    assert "In Autumn 2019 (30 September 2019) the average caseload for qualified social workers was 16.16" in page
    assert "In Autumn 2018 (30 September 2018) the average caseload for qualified social workers was 23.8" in page


@pytest.mark.slow
@GROUP
def test_the_caseload_report_gives_the_nqsw_breakdown(sample_report):
    nqsw = pd.read_csv(sample_report / "tables" / "nqsw_caseload.csv").set_index("band")
    page = visible_text(html(sample_report, "caseload.html"))
    total = int(nqsw["staff"].sum())
    assert f"Of the {total} newly qualified social workers" in page
    assert f"{int(nqsw.loc['non_case_holding', 'staff'])} are non-case holding" in page
    for band in ("months_0_6", "months_6_12"):
        assert f"average caseload of {caseload(nqsw.loc[band, 'mean_caseload'])}" in page
    # the sample is calibrated to the council: 8 NQSWs, 2 non-case holding, 2 with 8, 4 with 14
    assert "Of the 8 newly qualified social workers" in page
    assert "average caseload of 8" in page and "average caseload of 14" in page


@pytest.mark.slow
@GROUP
def test_caveats_and_sections_are_in_the_reports(sample_report):
    supervision = visible_text(html(sample_report, "supervision.html"))
    caseload = visible_text(html(sample_report, "caseload.html"))
    for heading in (
        "Comparative tables",
        "Staff not due, and near misses",
        "Agency absence data gap",
        "Teams compared fairly",
        "Types of post",
        "What to watch next month",
        "Caveats",
    ):
        assert heading in supervision
    for heading in ("Autumn against Autumn", "Newly qualified social workers", "Appropriate-work checks", "Caveats"):
        assert heading in caseload
    for page in (supervision, caseload):
        assert "not full-time equivalents" in page
        assert "not recorded for agency staff" in page
        assert "10 working days (two weeks) or more" in page


# --------------------------------------------------------------------------- self-contained pages
@pytest.mark.slow
@GROUP
@pytest.mark.parametrize("name", REPORT_HTML)
def test_the_page_is_self_contained_and_without_code(sample_report, name):
    page = html(sample_report, name)
    assert len(page.encode("utf-8")) < 2_000_000
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|//)""", page, flags=re.I)
    assert not re.search(r"url\(\s*['\"]?\s*(https?:|//)", page, flags=re.I)
    assert "http://" not in page and "https://" not in page
    assert "<script" not in page.lower()
    assert "<link" not in page.lower()
    for marker in (
        "jp-InputArea",
        "jp-InputPrompt",
        "jp-OutputPrompt",
        "input_area",
        "prompt",
        "In&nbsp;[",
        "load_report",
        "import ",
        "Traceback",
    ):
        assert marker not in page, marker
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert '<html lang="en">' in page
    assert re.search(r"<title>[^<]{10,}</title>", page)
    assert "@media print" in page and "size: A4" in page


@pytest.mark.slow
@GROUP
@pytest.mark.parametrize("name", REPORT_HTML)
def test_headings_are_in_order_and_tables_accessible(sample_report, name):
    page = html(sample_report, name)
    levels = [int(h) for h in re.findall(r"<h([1-6])[\s>]", page)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels
    tables = re.findall(r"<table.*?</table>", page, flags=re.S)
    assert tables
    for table in tables:
        assert "<caption>" in table
        assert 'scope="col"' in table
    for image in re.findall(r"<img[^>]*>", page):
        assert re.search(r'alt="[^"]{20,}"', image), image[:80]
        assert 'src="data:image/png;base64,' in image


@pytest.mark.slow
@GROUP
def test_staff_ids_appear_only_in_their_own_teams_page(sample_report):
    ids = set(pd.read_csv(SAMPLE_DATA / "staff.csv", dtype=str)["staff_id"])
    at_month_end = pd.read_csv(sample_report / "tables" / "caseload_staff.csv", dtype=str)
    in_figures = pd.read_csv(sample_report / "tables" / "supervision_staff.csv", dtype=str)
    folder = sample_report / "team_detail"
    pages = {  # the English pages (the Welsh name the same people: test_both_languages_are_written_and_recorded)
        p.name: visible_text(p.read_text(encoding="utf-8")) for p in folder.glob("*.html") if ".cy." not in p.name
    }
    teams = sorted(set(at_month_end["team"]))
    assert sorted(pages) == sorted(["index.html", *(f"{t.lower().replace(' ', '-')}.html" for t in teams)])
    for team in teams:
        named = {i for i in ids if re.search(rf"\b{re.escape(i)}\b", pages[f"{team.lower().replace(' ', '-')}.html"])}
        members = set(at_month_end.loc[at_month_end["team"] == team, "staff_id"])
        assert members <= named <= members | set(in_figures.loc[in_figures["team"] == team, "staff_id"]), team
    for name in ("supervision.html", "caseload.html", "team_detail/index.html"):
        page = visible_text(html(sample_report, name))
        leaked = [i for i in ids if re.search(rf"\b{re.escape(i)}\b", page)]
        assert leaked == [], f"{name} names staff: {leaked[:5]}"


# --------------------------------------------------------------------------- folder and manifest
@pytest.mark.slow
@GROUP
def test_the_folder_holds_every_output(sample_report):
    for name in (*REPORT_HTML, "tables.xlsx", "run.log", "manifest.json"):
        assert (sample_report / name).is_file(), name
    for stem in ("supervision", "caseload", "team_detail"):
        executed = nbformat.read(str(sample_report / "notebooks" / f"{stem}.ipynb"), as_version=4)
        tags = [c.metadata.get("tags", []) for c in executed.cells]
        assert ["injected-parameters"] in tags
        assert all(o.get("output_type") != "error" for c in executed.cells for o in c.get("outputs", []))
    for table, header in FIXED_COLUMNS.items():
        text = (sample_report / "tables" / f"{table}.csv").read_text(encoding="utf-8")
        assert text.splitlines()[0] == header
    leftovers = [p.name for p in sample_report.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []
    assert not (sample_report / CACHE_NAME).exists()
    log = (sample_report / "run.log").read_text(encoding="utf-8")
    assert "report for 2019-12" in log and "complete" in log


@pytest.mark.slow
@GROUP
def test_the_manifest_is_as_the_architecture_says(sample_report):
    manifest = json.loads((sample_report / "manifest.json").read_text(encoding="utf-8"))
    assert MANIFEST_KEYS <= set(manifest)
    assert manifest["month"] == "2019-12" and manifest["window_start"] == "2019-09"
    assert manifest["status"] == "complete"
    assert set(manifest["parameters"]) == {"month", "window_start", "data_dir", "config_path", "out_dir"}
    assert manifest["parameters"]["out_dir"] == str(sample_report)
    assert set(manifest["inputs"]) == {"staff", "absences", "supervisions", "allocations"}
    for entry in manifest["inputs"].values():
        assert entry["sha256"] == hashlib.sha256(Path(entry["path"]).read_bytes()).hexdigest()
    assert manifest["config"] == {
        "path": None,
        "sha256": hashlib.sha256(DEFAULT_CONFIG.read_bytes()).hexdigest(),
        "settings_sha256": settings_digest(load_config()),
    }
    # The notebooks were given the settings the command read, not a path to read them again.
    executed = nbformat.read(str(sample_report / "notebooks" / "supervision.ipynb"), as_version=4)
    (injected,) = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert "settings = {" in injected.source and '"target": 0.9' in injected.source
    assert re.fullmatch(r"[0-9a-f]{40}", manifest["git_commit"] or "0" * 40)
    assert manifest["timings"]["total_seconds"] > 0
    for output in manifest["outputs"]:
        assert (sample_report / output).exists(), output
    head = manifest["headline"]
    monthly = pd.read_csv(sample_report / "tables" / "supervision_monthly.csv", dtype={"month": str})
    row = monthly[(monthly["month"] == "2019-12") & (monthly["category"] == "all")].iloc[0]
    assert head["compliance"] == pytest.approx(row["compliance"])
    assert head["due"] == row["due"] and head["supervised"] == row["supervised"]
    assert head["target"] == 0.9
    assert head["mean_caseload"] == 16.16 and head["mean_caseload_last_year"] == 23.8
    assert head["snapshot"] == "2019-09-30" and head["snapshot_last_year"] == "2018-09-30"


# --------------------------------------------------------------------------- failure behaviour
def _notebook(last_cell: str) -> nbformat.NotebookNode:
    book = new_notebook()
    book.metadata["kernelspec"] = {"name": "supervision-caseload", "display_name": "Python", "language": "python"}
    params = new_code_cell(
        'month = "2019-12"\nwindow_start = None\ndata_dir = None\nconfig_path = None\nout_dir = None'
    )
    params.metadata["tags"] = ["parameters"]
    book.cells = [
        new_code_cell(
            "from analysis.presentation.html_kit import Fragment\n"
            "from analysis.report.month_inputs import load_report\n"
            "from analysis.presentation.sections import front_matter"
        ),
        params,
        new_code_cell(
            "r = load_report(month, window_start, data_dir, config_path, out_dir)\n"
            "front_matter.title_block(r.table('coverage'), r, 'Test report')"
        ),
        new_markdown_cell("## A section"),
        new_code_cell(last_cell),
    ]
    return book


def _fake_tables(data, month, window_start, config):
    months = [str(m) for m in pd.period_range(window_start, month, freq="M")]
    monthly = pd.DataFrame(
        [
            {"month": m, "category": c, "in_scope": 10, "due": 8, "supervised": 7, "compliance": 0.875, "near_miss": 1}
            for m in months
            for c in ("all", "qualified", "nqsw", "agency")
        ]
    )
    return {"supervision_monthly": monthly}


@pytest.fixture
def small_run(tmp_path, good_dir, monkeypatch):
    """A notebooks folder of tiny notebooks and fast fake tables on the small valid data folder."""
    import analysis.tables

    monkeypatch.setattr(analysis.tables, "compute_tables", _fake_tables)
    with open(good_dir / "supervisions.csv", "a", encoding="utf-8") as extract:  # an extract taken after December
        extract.write("S1,2019-12-31,group\n")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nbformat.write(_notebook("Fragment('<p>fine</p>')"), str(notebooks / "supervision.ipynb"))
    nbformat.write(_notebook("Fragment('<p>fine</p>')"), str(notebooks / "team_detail.ipynb"))
    return {"data": good_dir, "notebooks": notebooks, "out": tmp_path / "out"}


@pytest.mark.slow
@pytest.mark.xdist_group("failure")
def test_a_raising_cell_fails_the_month_and_keeps_the_executed_notebook(small_run, capsys):
    run = small_run
    nbformat.write(_notebook("x = 1\nraise ValueError('planted failure')"), str(run["notebooks"] / "caseload.ipynb"))
    previous = run["out"] / "2019-11"
    previous.mkdir(parents=True)
    (previous / "supervision.html").write_text("an older report", encoding="utf-8")
    code = report_command(
        [pd.Period("2019-11", "M"), pd.Period("2019-12", "M")],
        None,
        run["data"],
        run["out"],
        None,
        notebooks_dir=run["notebooks"],
        pool_size=2,
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "caseload.ipynb" in err and "cell 6" in err and "x = 1" in err and "ValueError: planted failure" in err
    for month in ("2019-11", "2019-12"):
        kept = run["out"] / ".failed" / month / "notebooks" / "caseload.ipynb"
        assert kept.is_file() and str(kept) in err
        executed = nbformat.read(str(kept), as_version=4)
        assert any(o.get("output_type") == "error" for c in executed.cells for o in c.get("outputs", []))
        assert f"{month}: notebook caseload.ipynb failed" in err  # the batch lists every failure at the end
    assert not (run["out"] / "2019-12").exists()  # no HTML for a failed month
    assert (previous / "supervision.html").read_text(encoding="utf-8") == "an older report"
    assert sorted(p.name for p in run["out"].iterdir()) == [".failed", "2019-11", "team_pages.json"]


@pytest.mark.slow
@pytest.mark.xdist_group("failure")
def test_a_batch_carries_on_after_a_failing_month(small_run, capsys):
    run = small_run
    nbformat.write(
        _notebook("if month == '2019-11':\n    raise RuntimeError('only November')\nFragment('<p>fine</p>')"),
        str(run["notebooks"] / "caseload.ipynb"),
    )
    code = report_command(
        [pd.Period(m, "M") for m in ("2019-10", "2019-11", "2019-12")],
        None,
        run["data"],
        run["out"],
        None,
        notebooks_dir=run["notebooks"],
        pool_size=2,
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "1 of 3 month(s) failed" in err and "RuntimeError: only November" in err
    assert (run["out"] / "2019-10" / "caseload.html").is_file()
    assert (run["out"] / "2019-12" / "manifest.json").is_file()
    assert not (run["out"] / "2019-11").exists()
    assert (run["out"] / ".failed" / "2019-11" / "run.log").is_file()
    assert "[3/3]" in err  # progress, a line per month


@pytest.mark.slow
@pytest.mark.xdist_group("failure")
def test_a_rerun_replaces_the_month_and_clears_the_failure(small_run):
    run = small_run
    nbformat.write(_notebook("Fragment('<p>fine</p>')"), str(run["notebooks"] / "caseload.ipynb"))
    stale = run["out"] / ".failed" / "2019-12"
    stale.mkdir(parents=True)
    for _ in range(2):
        assert (
            report_command(
                [pd.Period("2019-12", "M")],
                pd.Period("2019-10", "M"),
                run["data"],
                run["out"],
                None,
                notebooks_dir=run["notebooks"],
                progress=False,
            )
            == 0
        )
    manifest = json.loads((run["out"] / "2019-12" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["window_start"] == "2019-10"
    assert "<p>fine</p>" in (run["out"] / "2019-12" / "caseload.html").read_text(encoding="utf-8")
    assert not (run["out"] / ".failed").exists()
    assert sorted(p.name for p in run["out"].iterdir()) == ["2019-12", "team_pages.json"]


def test_bad_input_exits_2_and_writes_nothing(tmp_path, good_dir, capsys):
    staff = (good_dir / "staff.csv").read_text(encoding="utf-8").replace("2018-01-01", "not a date")
    (good_dir / "staff.csv").write_text(staff, encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(InputError):
        report_command([pd.Period("2019-12", "M")], None, good_dir, out, None)
    assert not out.exists() or list(out.iterdir()) == []
    code = cli_main(["report", "--month", "2019-12", "--data", str(good_dir), "--out", str(out)])
    assert code == 2
    assert "staff" in capsys.readouterr().err
    assert not out.exists() or list(out.iterdir()) == []


def test_a_window_after_the_month_is_refused(tmp_path, good_dir, capsys):
    code = report_command([pd.Period("2019-12", "M")], pd.Period("2020-01", "M"), good_dir, tmp_path / "out", None)
    assert code == 2
    assert "after the report month" in capsys.readouterr().err


def test_the_report_notebooks_are_the_three_reports():
    names = sorted(p.name for p in NOTEBOOKS_DIR.glob("*.ipynb"))
    assert {"supervision.ipynb", "caseload.ipynb", "team_detail.ipynb", "explore.ipynb"} <= set(names)


def test_headline_figures_for_the_manifest():
    from analysis.presentation.headline import select_headline

    tables = {
        "supervision_monthly": pd.DataFrame(
            {
                "month": ["2019-11", "2019-12"],
                "category": ["all", "all"],
                "in_scope": [10, 11],
                "due": [9, 10],
                "supervised": [8, 8],
                "compliance": [0.8889, 0.8],
                "near_miss": [0, 1],
            }
        ),
        "caseload_snapshots": pd.DataFrame(
            {
                "snapshot": pd.to_datetime(["2018-09-30", "2019-09-30"]),
                "group": ["headline", "headline"],
                "staff": [5, 6],
                "case_holders": [5, 6],
                "cases": [119, 97],
                "mean_caseload": [23.8, 16.16],
                "cases_per_fte": [24.0, 17.0],
            }
        ),
        "regular_supervision": pd.DataFrame(
            {
                "month": ["2019-12", "2019-12", "2019-12"],
                "scope": ["category", "category", "team"],
                "group": ["qualified", "all", "all"],
                "due_three": [5, 7, 1],
                "supervised_three": [4, 5, 1],
                "regular": [0.8, 0.71428, 1.0],
            }
        ),
        "forecast_next_month": pd.DataFrame(
            {
                "month": ["2020-01", "2020-01"],
                "scope": ["all", "team"],
                "group": ["all", "A"],
                "compliance_median": [0.8123, 0.5],
                "low_80": [0.75, 0.4],
                "high_80": [0.86, 0.6],
                "p_target": [0.0345, 0.0],
            }
        ),
    }
    head = select_headline(tables, pd.Period("2019-12", "M"), load_config().target).as_dict()
    assert head == {
        "month": "2019-12",
        "compliance": 0.8,
        "target": 0.9,
        "due": 10,
        "supervised": 8,
        "previous_compliance": 0.8889,
        "mean_caseload": 16.16,
        "mean_caseload_last_year": 23.8,
        "snapshot": "2019-09-30",
        "snapshot_last_year": "2018-09-30",
        "regular": 0.7143,
        "due_three": 7,
        "supervised_three": 5,
        "forecast": 0.8123,
        "forecast_low_80": 0.75,
        "forecast_high_80": 0.86,
        "forecast_p_target": 0.0345,
    }


@pytest.mark.slow
def test_a_large_authoritys_workbook_is_written_in_a_process_of_its_own_to_the_same_sheets(tmp_path, monkeypatch):
    """Past WORKBOOK_PROCESS_ROWS tables.xlsx is written by a spawned process: the same workbook."""
    from openpyxl import load_workbook

    from analysis.report import month_build

    monkeypatch.setattr(month_build, "WORKBOOK_PROCESS_ROWS", 0)
    assert report_command([pd.Period("2019-12", "M")], None, SAMPLE_DATA, tmp_path, None) == 0
    book = load_workbook(tmp_path / "2019-12" / "tables.xlsx")
    assert book.sheetnames[:4] == ["Cover", "Contents", "Notes", "coverage"]
    assert "supervision_monthly" in book.sheetnames and "Formal supervision" in book["supervision_monthly"]["A1"].value
    assert (tmp_path / "2019-12" / "team_detail" / "assessment.html").is_file()


def test_kernels_on_tcp_give_the_same_tables_and_pages(sample_report, tmp_path, monkeypatch):
    """The transport Windows uses (ZeroMQ has no Unix sockets there), on this machine."""
    import re

    from conftest import render_sample

    monkeypatch.setenv("ANALYSIS_KERNEL_TRANSPORT", "tcp")
    folder = render_sample(tmp_path)
    for csv in sorted((sample_report / "tables").glob("*.csv")):
        assert (folder / "tables" / csv.name).read_bytes() == csv.read_bytes(), csv.name
    # When each was made (colophon, metadata) and the code's commit differ; nothing else may.
    stamp = re.compile(
        r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?( UTC|Z|\+00:00)?|\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} UTC"
        r"|[0-9a-f]{40}(-dirty)?"
    )
    for page in ("supervision.html", "caseload.html", "team_detail/index.html"):
        ours, theirs = ((f / page).read_text(encoding="utf-8") for f in (folder, sample_report))
        assert stamp.sub("", ours) == stamp.sub("", theirs), page


def test_an_unknown_kernel_transport_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ANALYSIS_KERNEL_TRANSPORT", "udp")
    assert cli_main(["report", "--month", "2019-12", "--out", str(tmp_path / "r")]) == 2
    assert "ANALYSIS_KERNEL_TRANSPORT='udp': expected ipc or tcp" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


def _page_text(path: Path) -> str:
    """What a reader sees of a page, less the two lines that name the run (when, which commit)."""
    page = re.sub(r"<img[^>]*>", "<img>", path.read_text(encoding="utf-8"))
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    text = re.sub(r"(Generated|Cynhyrchwyd) \d+ \w+ \d{4}(,| am) \d\d:\d\d UTC", r"\1 [when]", text)
    return re.sub(r"(commit|ymrwymiad) [0-9a-f]{12}(-dirty)?", r"\1 [which]", text)


@pytest.mark.slow
@GROUP
def test_the_plain_papermill_and_nbconvert_path_writes_the_same_reports(sample_report, tmp_path):
    """``report --plain`` runs each notebook with papermill.execute_notebook and converts it with
    nbconvert, one at a time, with no pool of kernels: the fast path is an optimisation of it."""
    arguments = ["report", "--month", "2019-12", "--data", str(SAMPLE_DATA), "--out", str(tmp_path), "--plain"]
    assert cli_main([*arguments, "--lang", "both"]) == 0
    plain = tmp_path / "2019-12"
    for table in sorted((sample_report / "tables").glob("*.csv")):
        assert (plain / "tables" / table.name).read_bytes() == table.read_bytes(), table.name
    for page in REPORT_HTML + WELSH_HTML:
        assert _page_text(plain / page) == _page_text(sample_report / page), page
    executed = nbformat.read(str(plain / "notebooks" / "supervision.ipynb"), as_version=4)
    assert "papermill" in executed.metadata  # run by Papermill itself, not the pool
    assert json.loads((plain / "manifest.json").read_text(encoding="utf-8"))["status"] == "complete"


@pytest.mark.slow
@pytest.mark.xdist_group("failure")
def test_a_raising_cell_on_the_plain_path_names_the_notebook_and_the_cell(small_run, capsys):
    run = small_run
    nbformat.write(_notebook("x = 1\nraise ValueError('planted failure')"), str(run["notebooks"] / "caseload.ipynb"))
    code = report_command(
        [pd.Period("2019-12", "M")], None, run["data"], run["out"], None, notebooks_dir=run["notebooks"], plain=True
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "caseload.ipynb" in err and "cell " in err and "ValueError: planted failure" in err
    assert (run["out"] / ".failed" / "2019-12" / "notebooks" / "caseload.ipynb").is_file()
    assert not (run["out"] / "2019-12").exists()


def _one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow
@GROUP
def test_the_readme_and_the_email_guide_quote_a_run_of_the_sample(sample_report, tmp_path):
    """Figures quoted in the docs are the sample's, as a run makes them (no drift)."""
    import shutil
    from email import policy
    from email.parser import BytesParser

    from analysis.delivery.command import email_command

    readme = _one_line((PROJECT_ROOT / "README.md").read_text(encoding="utf-8"))
    quoted = re.search(r'opens with the sentence a councillor can quote \("(.+?)"\)', readme).group(1)
    assert quoted in _page_text(sample_report / "supervision.html")
    verdict = re.search(r'Making Data Count.+?on the sample, "(.+?)" Set', readme).group(1)
    assert verdict in _page_text(sample_report / "supervision.html")
    forecast = re.search(r'chance of reaching the target \("(.+?)"\)', readme).group(1)
    assert forecast in _page_text(sample_report / "supervision.html")
    held = re.search(r"teams' 80% intervals held (\d+%) of team-months and their 95% intervals (\d+%)", readme)
    assert f"held what happened in {held.group(1)} of them and the 95% intervals in {held.group(2)}" in _page_text(
        sample_report / "supervision.html"
    )
    for line in re.findall(r"^(\d{4}-\d\d(?:-\d\d)?,[a-z_]+,[\d.,]+)", (PROJECT_ROOT / "README.md").read_text(), re.M):
        table = "supervision_monthly" if line[7] == "," else "caseload_snapshots"
        assert line in (sample_report / "tables" / f"{table}.csv").read_text(encoding="utf-8").splitlines(), line
    limit = int(re.search(r"single files of under (\d+) KB", readme).group(1))
    for page in ("supervision.html", "caseload.html", "team_detail/index.html"):
        assert (sample_report / page).stat().st_size < limit * 1024, page

    reports = tmp_path / "reports"
    shutil.copytree(sample_report, reports / "2019-12")
    assert email_command(pd.Period("2019-12", "M"), reports, dry_run=True, environ={}) == 0
    message = BytesParser(policy=policy.default).parsebytes((reports / "2019-12" / "email.eml").read_bytes())
    body = _one_line(message.get_body(("plain",)).get_content())
    guide = (PROJECT_ROOT / "docs" / "email.md").read_text(encoding="utf-8")
    quotes = [q.strip() for q in re.findall(r"^\s*> (.+)$", guide, re.M)]
    assert len(quotes) == 3 and all(q in body for q in quotes), quotes
    assert (
        "83.7% against 90% is 6.3 points" in _one_line(guide) and "✗ 6.3 percentage points below the 90% target" in body
    )


def _english_fragments() -> list[str]:
    """Every stretch of 20 letters or more of the English messages (placeholders apart)."""
    from analysis.vocabulary.messages import code_messages

    fragments = []
    for message in code_messages():
        for text in [message.id] if isinstance(message.id, str) else list(message.id or ()):
            fragments += [f.strip(" .;:,()") for f in re.split(r"\{\w+\}", text) if len(f.strip(" .;:,()")) >= 20]
    return fragments


@pytest.mark.slow
@GROUP
@pytest.mark.parametrize("name", WELSH_HTML)
def test_the_welsh_pages_hold_no_english_sentence_and_the_same_figures(sample_report, name):
    welsh = _page_text(sample_report / name)
    english = _page_text(sample_report / name.replace(".cy.html", ".html"))
    assert [f for f in _english_fragments() if f in welsh] == []
    assert '<html lang="cy">' in (sample_report / name).read_text(encoding="utf-8")
    figures = re.compile(r"\d+(?:[.,]\d+)*%?")
    assert sorted(set(figures.findall(welsh))) == sorted(set(figures.findall(english))) or (
        set(f for f in figures.findall(english) if "%" in f or "." in f) <= set(figures.findall(welsh))
    )


@pytest.mark.slow
@GROUP
def test_both_languages_are_written_and_recorded(sample_report):
    manifest = json.loads((sample_report / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["languages"] == ["en", "cy"]
    for name in WELSH_HTML:
        assert name in manifest["outputs"]
    pages = sorted(p.name for p in (sample_report / "team_detail").glob("*.html"))
    english = [p for p in pages if ".cy." not in p]
    assert sorted(p.replace(".html", ".cy.html") for p in english) == [p for p in pages if ".cy." in p]
    index = (sample_report / "team_detail" / "index.cy.html").read_text(encoding="utf-8")
    assert 'href="assessment.cy.html"' in index and 'href="assessment.html"' not in index
