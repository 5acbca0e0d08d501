"""Output folders: a file in the way, no permission, a full disk, stale staging folders."""

from __future__ import annotations

import errno
import os
import subprocess

import pytest

from analysis.cli import main
from analysis.exports import output_folder
from analysis.paths import SAMPLE_DATA


def test_a_file_where_the_folder_should_be_is_refused_by_every_command(tmp_path, capsys):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    for argv in (
        ["tables", "--data", str(SAMPLE_DATA), "--month", "2019-12", "--out", str(blocker / "t")],
        ["report", "--data", str(SAMPLE_DATA), "--month", "2019-12", "--out", str(blocker)],
        ["synth", "--out", str(blocker)],
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert f"{blocker} is a file, not a folder" in err and "Traceback" not in err
    assert blocker.read_text() == "x"


def test_a_read_only_folder_is_refused(tmp_path, monkeypatch, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    if os.geteuid() == 0:  # root writes through permission bits: answer as a read-only mount would
        real = os.access
        monkeypatch.setattr(os, "access", lambda path, mode: False if str(path) == str(locked) else real(path, mode))
    try:
        assert main(["tables", "--data", str(SAMPLE_DATA), "--month", "2019-12", "--out", str(locked / "t")]) == 2
        err = capsys.readouterr().err
        assert f"cannot write to {locked / 't'}: {locked} is not writable" in err and "Traceback" not in err
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)


def test_a_full_disk_names_the_path_and_the_reason(tmp_path, monkeypatch, capsys):
    from analysis.exports import table_files as tables

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "t" / "supervision_monthly.csv"))

    monkeypatch.setattr(tables, "_write_csv", full)
    assert main(["tables", "--data", str(SAMPLE_DATA), "--month", "2019-12", "--out", str(tmp_path / "t")]) == 2
    err = capsys.readouterr().err
    assert f"cannot write to {tmp_path / 't' / 'supervision_monthly.csv'}: the disk is full" in err
    assert not (tmp_path / "t").exists() and [p.name for p in tmp_path.iterdir()] == []


def test_stale_staging_folders_of_ended_runs_are_cleared(tmp_path):
    stale = tmp_path / f".2019-12-pid{_ended_pid()}-abcd"
    (stale / "tables").mkdir(parents=True)
    mine = output_folder.staging_folder(tmp_path, "2019-12")
    other = tmp_path / ".not-a-staging-folder"
    other.mkdir()
    output_folder.prepare(tmp_path)
    assert not stale.exists() and mine.exists() and other.exists()


def _ended_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_a_reports_rerun_keeps_the_months_answer(tmp_path):
    from analysis.exports.output_folder import move_into_place

    final, staging = tmp_path / "2019-12", tmp_path / ".2019-12-pid1-x"
    (final / "answer").mkdir(parents=True)
    (final / "answer" / "answer.en.docx").write_bytes(b"docx")
    (final / "supervision.html").write_text("old", encoding="utf-8")
    staging.mkdir()
    (staging / "supervision.html").write_text("new", encoding="utf-8")
    move_into_place(staging, final)
    assert (final / "supervision.html").read_text(encoding="utf-8") == "new"
    assert (final / "answer" / "answer.en.docx").read_bytes() == b"docx"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2019-12"]


def test_a_reports_rerun_keeps_the_months_send_record_and_marker(tmp_path):
    from analysis.exports.output_folder import move_into_place

    final, staging = tmp_path / "2019-12", tmp_path / ".2019-12-pid1-x"
    final.mkdir()
    (final / "sent.json").write_text('{"month": "2019-12", "sends": []}', encoding="utf-8")
    (final / "email.sending").write_text("{}", encoding="utf-8")
    (final / "email.eml").write_text("old draft", encoding="utf-8")
    staging.mkdir()
    move_into_place(staging, final)
    assert sorted(p.name for p in final.iterdir()) == ["email.sending", "sent.json"]


def test_a_process_is_alive_until_it_ends():
    from analysis.exports.output_folder import _alive

    assert _alive(os.getpid()) and _alive(os.getppid())
    assert not _alive(_ended_pid())


class _FakeKernel32:
    """Windows' process calls, as ``_alive_on_windows`` makes them."""

    def __init__(self, handle: int, exit_code: int, last_error: int = 0):
        self.handle, self.exit_code, self.last_error, self.closed = handle, exit_code, last_error, False

    def OpenProcess(self, access, inherit, pid):  # noqa: N802 - Windows' name
        return self.handle

    def GetLastError(self):  # noqa: N802
        return self.last_error

    def GetExitCodeProcess(self, handle, code):  # noqa: N802
        code._obj.value = self.exit_code
        return 1

    def CloseHandle(self, handle):  # noqa: N802
        self.closed = True


@pytest.mark.parametrize(
    "kernel32, alive",
    [
        (_FakeKernel32(handle=7, exit_code=259), True),  # STILL_ACTIVE
        (_FakeKernel32(handle=7, exit_code=0), False),  # ended, its handle still held by someone
        (_FakeKernel32(handle=0, exit_code=0, last_error=5), True),  # another user's: access denied
        (_FakeKernel32(handle=0, exit_code=0, last_error=87), False),  # no such process
    ],
)
def test_on_windows_a_process_is_tested_without_being_killed(monkeypatch, kernel32, alive):
    import ctypes
    import types

    from analysis.exports import output_folder

    monkeypatch.setattr(ctypes, "windll", types.SimpleNamespace(kernel32=kernel32), raising=False)
    monkeypatch.setattr(output_folder.os, "name", "nt")
    monkeypatch.setattr(output_folder.os, "kill", lambda *a: pytest.fail("os.kill ends a process on Windows"))
    assert output_folder._alive(424242) is alive
    assert kernel32.closed == (kernel32.handle != 0)
