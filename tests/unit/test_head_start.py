"""Person-months worked out from the staff side while the allocations are read: the same
person-months, in the whole data set's codes, or none."""

from __future__ import annotations

import shutil

import pandas as pd
from pandas.testing import assert_frame_equal

from analysis.head_start import HeadStart
from analysis.inputs.loading import load_dataset, load_valid_dataset
from analysis.paths import SAMPLE_DATA
from analysis.tables import MonthTables, compute_tables

MONTH, START = pd.Period("2019-12", "M"), pd.Period("2019-06", "M")


def _with_first_ids_only_allocations_hold(tmp_path):
    """The sample, with allocations to staff_ids that sort before and among every staff id: the
    staff side numbers its ids differently from the whole data set."""
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, folder)
    allocations = pd.read_csv(folder / "allocations.csv", dtype=str, keep_default_na=False)
    strays = allocations.head(2).assign(staff_id=["0000", "W0001a"], case_id=["X1", "X2"])
    pd.concat([strays, allocations]).to_csv(folder / "allocations.csv", index=False)
    return folder


def test_head_start_gives_the_person_months_the_whole_data_set_would(tmp_path, config):
    folder = _with_first_ids_only_allocations_hold(tmp_path)
    head_start = HeadStart(MONTH, START, config)
    data = load_valid_dataset(folder, config, meanwhile=head_start)
    given = head_start.offers(data)["person_months"]()  # waits for the head start to finish
    assert len(data.labels["staff_id"]) > len(head_start.labels)  # the numberings differ
    expected = MonthTables(data, MONTH, config, START).value("person_months")
    assert_frame_equal(given, expected)
    assert given.attrs == expected.attrs
    assert data.decode(given)["staff_id"].tolist() == data.decode(expected)["staff_id"].tolist()


def test_tables_from_a_head_start_are_the_tables_without_one(tmp_path, config):
    folder = _with_first_ids_only_allocations_hold(tmp_path)
    head_start = HeadStart(MONTH, START, config)
    data = load_valid_dataset(folder, config, meanwhile=head_start)
    with_start = compute_tables(data, MONTH, START, config, head_start.offers(data))
    without = compute_tables(load_valid_dataset(folder, config), MONTH, START, config)
    assert list(with_start) == list(without)
    for name in without:
        assert_frame_equal(with_start[name], without[name], obj=name)


def test_no_head_start_where_the_staff_side_cannot_be_read(tmp_path, config):
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, folder)
    (folder / "absences.csv").unlink()
    calls = []
    head_start = HeadStart(MONTH, START, config)
    load_dataset(folder, config, meanwhile=lambda side: (calls.append(side), head_start(side)))
    assert calls == [None]
    assert head_start.person_months_of(load_dataset(SAMPLE_DATA, config)) is None


def test_no_head_start_where_the_history_starts_with_an_allocation(tmp_path, config):
    """With no supervision dated, the SPC history starts at the first allocation, which the staff
    side does not hold: its person-months would cover other months."""
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, folder)
    supervisions = pd.read_csv(folder / "supervisions.csv", dtype=str, keep_default_na=False)
    supervisions.head(0).to_csv(folder / "supervisions.csv", index=False)
    head_start = HeadStart(MONTH, START, config)
    data = load_dataset(folder, config, meanwhile=head_start)
    assert head_start.done.wait(60) and head_start.person_months is not None
    assert head_start.person_months_of(data) is None


def test_a_failure_on_the_staff_side_gives_nothing_and_raises_nothing(config):
    class Broken:
        labels = {}  # no staff_id labels: working out person-months fails

    head_start = HeadStart(MONTH, START, config)
    head_start(Broken())
    assert head_start.done.is_set() and head_start.person_months_of(load_dataset(SAMPLE_DATA, config)) is None


def test_the_staff_side_leaves_the_loaded_tables_as_they_would_be(config):
    sides = []
    with_side = load_valid_dataset(SAMPLE_DATA, config, meanwhile=sides.append)
    without = load_valid_dataset(SAMPLE_DATA, config)
    for name, frame in without.tables().items():
        assert_frame_equal(getattr(with_side, name), frame, obj=name)
    (side,) = sides
    assert side.allocations.empty and list(side.labels) == ["staff_id"]
    assert list(side.labels["staff_id"]) == sorted(side.labels["staff_id"])
    # The side's codes, read as text, are the loaded ids.
    assert side.text("staff")["staff_id"].tolist() == without.text("staff")["staff_id"].tolist()


def test_no_head_start_for_a_history_worked_out_one_piece_at_a_time(monkeypatch, config):
    """Above APART_PERSON_MONTHS, person-months would add their working memory to the reading of
    the allocations: no head start; the tables work them out after."""
    import analysis.tables as tables_module

    monkeypatch.setattr(tables_module, "APART_PERSON_MONTHS", 10)
    head_start = HeadStart(MONTH, START, config)
    data = load_valid_dataset(SAMPLE_DATA, config, meanwhile=head_start)
    assert head_start.person_months_of(data) is None
    tables = compute_tables(data, MONTH, START, config, head_start.offers(data))
    monkeypatch.undo()
    expected = compute_tables(data, MONTH, START, config)
    assert_frame_equal(tables["supervision_monthly"], expected["supervision_monthly"])
