"""Where a report came from: file fingerprints shared by the manifest and the email's staleness check."""

from __future__ import annotations

import hashlib
from pathlib import Path


def file_sha256(path: Path) -> str:
    """The hex SHA-256 of a file's bytes.

    Raises
    ------
    OSError
        If the file cannot be read.
    """
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
