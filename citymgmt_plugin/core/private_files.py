"""Files with personal data (positions, photos, collector ids): readable by their owner only.

GeoPackage workspaces, photo folders and exported reports are created as 0600 files in 0700
folders, whatever the process's umask: the mode is set explicitly after creating, not left
to the umask. Folders that already existed (a user's chosen output folder, say) are left as
they are; the files written into them are still 0600. On Windows, where POSIX modes do not
protect files, nothing is changed: the folder's ACLs decide.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
_POSIX = os.name == "posix"


def private_dir(path: str | Path) -> Path:
    """``path`` as a folder; the folders made for it (and missing parents) are 0700."""
    path = Path(path)
    missing = []
    p = path
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:  # made meanwhile by another process: keep its mode
            continue
        if _POSIX:
            os.chmod(folder, PRIVATE_DIR)
    return path


def private_file(path: str | Path) -> Path:
    """Make ``path`` an owner-only file: created empty when missing, else its mode set."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE)
    try:
        if _POSIX:
            os.fchmod(fd, PRIVATE_FILE)
    finally:
        os.close(fd)
    return path


@contextmanager
def open_private(path: str | Path, mode: str = "w", **kw: Any) -> Iterator[IO[Any]]:
    """``open(path, mode)`` for writing ("w"/"wb"), the file 0600 before anything is in it."""
    if "w" not in mode:
        raise ValueError(mode)
    fd = os.open(Path(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    if _POSIX:
        os.fchmod(fd, PRIVATE_FILE)
    with os.fdopen(fd, mode, **kw) as f:
        yield f


def write_private_bytes(path: str | Path, data: bytes) -> Path:
    with open_private(path, "wb") as f:
        f.write(data)
    return Path(path)


def write_private_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    with open_private(path, "w", encoding=encoding) as f:
        f.write(text)
    return Path(path)


def make_private(path: str | Path) -> Path:
    """An existing file written by another library (a PNG from Qt, say) made 0600."""
    if _POSIX:
        os.chmod(path, PRIVATE_FILE)
    return Path(path)
