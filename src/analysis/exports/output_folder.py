"""Output folders: checked before any work, written through hidden staging folders, never left half-written.

Every writer stages its files in a hidden folder named ``.NAME-pidPID-XXXX`` beside the final
one and moves it into place when complete. A run that was killed leaves its staging folder
behind; the next run into the same folder removes those whose process has ended.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
from pathlib import Path

from analysis.paths import MARKER_FILE, SENT_FILE

_STAGING = re.compile(r"^\..+-pid(\d+)-[^/]*$")


class OutputError(Exception):
    """An output folder that cannot be written: a file in the way, no permission, a full disk."""


def describe(path: Path, exc: OSError) -> str:
    """One sentence naming the path and the reason, e.g. for a full disk."""
    reason = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "the file system is read-only",
        errno.ENOTDIR: "a file stands where a folder is needed",
        errno.EEXIST: "a file stands where a folder is needed",
    }.get(exc.errno or 0, exc.strerror or str(exc))
    where = exc.filename if exc.filename else path
    return f"cannot write to {where}: {reason}"


def check(folder: str | Path) -> Path:
    """Refuse, before any work, an output folder that cannot be made or written; writes nothing.

    Raises
    ------
    OutputError
        If a file stands at ``folder`` or above it, or its nearest existing folder is not writable.
    """
    folder = Path(folder).absolute()
    for part in [folder, *folder.parents]:
        if part.exists() and not part.is_dir():
            raise OutputError(
                f"cannot write to {folder}: {part} is a file, not a folder; expected a folder "
                "(it is made if it does not exist)"
            )
        if part.exists():
            if not os.access(part, os.W_OK | os.X_OK):
                raise OutputError(
                    f"cannot write to {folder}: {part} is not writable (permission denied, or a read-only file system)"
                )
            break
    return folder


def prepare(folder: str | Path) -> Path:
    """Make ``folder``, prove a file can be written in it, and clear stale staging folders.

    Raises
    ------
    OutputError
        If the folder cannot be made or written (a file in the way, no permission, a full disk).
    """
    folder = check(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-check-") as probe:
            probe.write(b"x" * 4096)
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as exc:
        raise OutputError(describe(folder, exc)) from None
    clear_stale(folder)
    return folder


def staging_folder(parent: Path, name: str) -> Path:
    """A new hidden staging folder in ``parent`` for the output ``name``."""
    path = Path(tempfile.mkdtemp(prefix=f".{name}-pid{os.getpid()}-", dir=parent))
    os.chmod(path, 0o755)  # mkdtemp makes it private; a report folder is an ordinary one
    return path


def clear_stale(folder: Path) -> list[Path]:
    """Remove the staging folders in ``folder`` left by runs whose process has ended; those removed."""
    removed = []
    for entry in Path(folder).iterdir():
        match = _STAGING.match(entry.name)
        if match and entry.is_dir() and not _alive(int(match.group(1))):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _alive(pid: int) -> bool:
    """Whether process ``pid`` is running, on POSIX and on Windows.

    ``os.kill(pid, 0)`` tests a process on POSIX; on Windows it would end it, so there the process
    is opened and its exit code read.
    """
    if pid == os.getpid():
        return True
    if os.name == "nt":
        return _alive_on_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _alive_on_windows(pid: int) -> bool:
    import ctypes

    query_limited_information, still_active, access_denied = 0x1000, 259, 5
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return kernel32.GetLastError() == access_denied  # another user's process: alive
    try:
        code = ctypes.c_ulong()
        return bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == still_active
    finally:
        kernel32.CloseHandle(handle)


KEPT_ACROSS_RUNS = ("answer", SENT_FILE, MARKER_FILE)


def move_into_place(staging: Path, final: Path) -> None:
    """Replace ``final`` by ``staging`` (same file system, so each rename is atomic).

    What belongs to the month, not to one build of its report, is kept across a re-run
    (``KEPT_ACROSS_RUNS``): the council answer, made by its own command, and the record of who
    has had the month's email (``email`` compares the figures sent with the figures now).
    """
    try:
        for name in KEPT_ACROSS_RUNS:
            if (final / name).exists() and not (staging / name).exists():
                os.replace(final / name, staging / name)
        if final.exists():
            old = final.parent / f".{final.name}-pid{os.getpid()}-old"
            os.replace(final, old)
            os.replace(staging, final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, final)
    except PermissionError as exc:  # Windows: a file of the old report is open (a browser, Excel)
        raise OutputError(
            f"{final} cannot be replaced ({exc.strerror or exc}): close any of its files that are open "
            f"(a report in a browser, tables.xlsx in Excel) and run again; the new report is in {staging}"
        ) from None
