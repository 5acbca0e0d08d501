"""Reading files as codes into distinct texts (analysis.inputs.reading) and the ids as integer codes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.inputs import reading
from analysis.inputs.dataset import Dataset
from analysis.inputs.loading import load_dataset, load_valid_dataset
from analysis.inputs.parsing import tidy

from conftest import good_frames, write_tables

POOL = pa.system_memory_pool()


def _encoded_by_arrow(values: list[str]) -> tuple[list[int], list[str]]:
    encoded = pc.dictionary_encode(pa.array(values, pa.string()))
    return np.asarray(encoded.indices).tolist(), encoded.dictionary.to_pylist()


@pytest.mark.parametrize(
    "values",
    [
        ["C2", "C1", "C2", "C3", "C1"],  # up to 8 characters: one word
        ["CASE-000000001", "CASE-000000002", "CASE-000000001"],  # 9 to 16: two words
        ["a", "a ", "a\t", " a"],  # spaces are text like any other
        ["1001", "1001.0", "1001"],  # the Excel form is another text until it is tidied
    ],
)
def test_ids_compared_as_words_number_like_arrow(monkeypatch, values):
    monkeypatch.setattr(reading, "MANY", 0)
    assert reading._as_words(pa.array(values)) is not None
    codes, dictionary = reading.encode(pa.array(values), POOL)
    assert (codes.tolist(), dictionary.to_pylist()) == _encoded_by_arrow(values)


@pytest.mark.parametrize(
    "values",
    [["é", "e", "é"], ["a\x00", "a", "a\x00"], ["x" * 17, "y", "x" * 17], ["", ""], []],
)
def test_texts_words_cannot_tell_apart_go_to_arrow(monkeypatch, values):
    monkeypatch.setattr(reading, "MANY", 0)
    assert reading._as_words(pa.array(values, pa.string())) is None
    codes, dictionary = reading.encode(pa.array(values, pa.string()), POOL)
    assert (codes.tolist(), dictionary.to_pylist()) == _encoded_by_arrow(values)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="AB01-. é\x00", max_size=18), max_size=40))
def test_encoding_always_equals_arrows_dictionary(values):
    original = reading.MANY
    reading.MANY = 0
    try:
        codes, dictionary = reading.encode(pa.array(values, pa.string()), POOL)
    finally:
        reading.MANY = original
    assert (codes.tolist(), dictionary.to_pylist()) == _encoded_by_arrow(values)


def test_only_mostly_distinct_columns_are_compared_as_words():
    assert reading._mostly_distinct(pa.array([f"C{i}" for i in range(100)]))
    assert not reading._mostly_distinct(pa.array(["2019-01-01", "2019-01-02"] * 50))


def test_texts_at_reads_codes_of_both_kinds_of_texts():
    codes = np.array([1, -1, 0, 1])
    for texts in (np.array(["a", "b"], dtype=object), pa.array(["a", "b"])):
        assert reading.texts_at(texts, codes).tolist() == ["b", None, "a", "b"]


def test_tidy_keeps_a_clean_arrow_array_and_trims_an_untidy_one_like_python():
    clean, changed, blank = tidy(pa.array(["C1", "C2", "x-9"]), is_id=True)
    assert (list(clean), changed, blank.tolist()) == (["C1", "C2", "x-9"], False, [False] * 3)
    texts = ["C1", " C2", "1001.0", "", "C2 "]
    from_arrow, changed_a, blank_a = tidy(pa.array(texts), is_id=True)
    from_python, changed_p, blank_p = tidy(np.array(texts, dtype=object), is_id=True)
    assert list(from_arrow) == list(from_python) == ["C1", "C2", "1001", "", "C2"]
    assert changed_a and changed_p and blank_a.tolist() == blank_p.tolist() == [False, False, False, True, False]


def test_a_file_pyarrow_refuses_is_read_by_pandas_with_its_short_row_padded(tmp_path, config):
    frames = good_frames()
    text = frames["supervisions"].to_csv(index=False).replace("\nS3,2019-11-07,group\n", "\nS3,2019-11-07\n")
    assert "\nS3,2019-11-07\n" in text
    with pytest.raises(pa.ArrowInvalid):
        reading.read_csv_arrow(write_tables(tmp_path / "probe", supervisions=text) / "supervisions.csv")
    data = load_dataset(write_tables(tmp_path / "data", **{**frames, "supervisions": text}), config)
    short = data.text("supervisions").set_index("row").loc[4]
    assert (short["staff_id"], pd.isna(short["supervision_type"])) == ("S3", True)
    assert [f.code for f in data.findings if f.file == "supervisions.csv"] == ["blank_value"]


def test_a_file_wider_than_pyarrow_is_told_is_read_as_text_by_pandas(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "_MOST_COLUMNS", 2)
    path = write_tables(tmp_path, staff="a,b,7\n1,2,3\n") / "staff.csv"  # the third column reads as numbers
    with pytest.raises(pa.ArrowInvalid, match="more than 2 columns"):
        reading.read_csv_arrow(path)
    assert reading.read_file(path, "staff").row(1) == ["1", "2", "3"]


def test_pyarrow_and_pandas_read_a_csv_to_the_same_dataset(tmp_path, config, monkeypatch):
    frames = good_frames()
    staff = frames["staff"].to_csv(index=False).replace("\n", "\r\n")
    staff = "\ufeff" + staff.replace("North,", '"North",', 1).replace("S3,", " S3 ,", 1)
    folder = write_tables(tmp_path, **{**frames, "staff": staff.encode("utf-8")})
    by_arrow = load_dataset(folder, config)

    def refuse(path):
        raise pa.ArrowInvalid("read it with pandas")

    monkeypatch.setattr(reading, "read_csv_arrow", refuse)
    by_pandas = load_dataset(folder, config)
    assert by_arrow.findings == by_pandas.findings
    for name in ("staff", "absences", "supervisions", "allocations"):
        pd.testing.assert_frame_equal(by_arrow.text(name), by_pandas.text(name))
    assert by_arrow.text("staff")["staff_id"].tolist() == ["S1", "S2", "S2", "S3", "S4"]


def test_staff_codes_follow_the_ids_text_order_in_every_table(tmp_path, config):
    data = load_valid_dataset(write_tables(tmp_path, **good_frames()), config)
    labels = list(data.labels["staff_id"])
    assert labels == sorted(labels)
    for name in ("staff", "absences", "supervisions", "allocations"):
        codes = data.tables()[name]["staff_id"].to_numpy()
        assert codes.dtype == np.int64
        assert [labels[c] for c in codes] == data.text(name)["staff_id"].tolist()


def test_decode_turns_codes_into_ids_and_refuses_codes_it_does_not_know():
    data = Dataset(*(pd.DataFrame() for _ in range(4)), labels={"staff_id": pd.Index(["A", "B"])})
    frame = pd.DataFrame({"staff_id": np.array([1, 0, -1]), "n": [1, 2, 3]})
    decoded = data.decode(frame)
    assert decoded["staff_id"].tolist()[:2] == ["B", "A"] and pd.isna(decoded["staff_id"].iloc[2])
    assert frame["staff_id"].tolist() == [1, 0, -1]  # the frame given is left as it was
    text = pd.DataFrame({"staff_id": ["A"]})
    assert data.decode(text) is text
    with pytest.raises(ValueError, match="staff_id codes outside this data folder's ids"):
        data.decode(pd.DataFrame({"staff_id": [2]}))


def test_release_freed_memory_is_harmless():
    reading.release_freed_memory()


def _workbook(path, sheets):
    """A workbook of ``(title, state, frame)`` sheets."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, state, frame in sheets:
        sheet = book.create_sheet(title)
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            sheet.append(list(row))
        sheet.sheet_state = state
    book.save(path)


def test_a_hidden_stale_sheet_is_never_read_in_place_of_the_visible_one(tmp_path, config):
    from analysis.inputs.loading import load_dataset

    from conftest import good_frames, write_tables

    frames = good_frames()
    folder = write_tables(tmp_path / "data", **{k: v for k, v in frames.items() if k != "staff"})
    stale = frames["staff"].assign(team="Old")
    _workbook(folder / "staff.xlsx", [("Staff list", "visible", frames["staff"]), ("staff", "hidden", stale)])
    [finding] = load_dataset(folder, config).errors
    assert finding.code == "wrong_sheet" and "Staff list, staff (hidden)" in finding.message

    _workbook(folder / "staff.xlsx", [("staff", "visible", frames["staff"]), ("old staff", "hidden", stale)])
    data = load_dataset(folder, config)
    assert data.errors == [] and data.sheets == {"staff": "staff"} and set(data.staff["team"]) == {"North", "South"}


def test_two_visible_sheets_named_like_the_table_are_refused(tmp_path, config):
    from analysis.inputs.loading import load_dataset

    from conftest import good_frames, write_tables

    frames = good_frames()
    folder = write_tables(tmp_path / "data", **{k: v for k, v in frames.items() if k != "staff"})
    _workbook(folder / "staff.xlsx", [("staff", "visible", frames["staff"]), ("Staff ", "visible", frames["staff"])])
    assert [f.code for f in load_dataset(folder, config).errors] == ["wrong_sheet"]


def test_a_time_of_day_in_a_workbook_date_cell_is_kept():
    import datetime

    from analysis.inputs.reading import cell_text

    assert cell_text(datetime.datetime(2019, 9, 9, 13, 0)) == "2019-09-09 13:00"
    assert cell_text(datetime.datetime(2019, 9, 9)) == "2019-09-09"
