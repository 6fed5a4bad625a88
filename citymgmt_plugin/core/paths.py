"""Where the plugin's shipped files are, in a source checkout and in the packaged zip."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    """``resources/`` inside the installed plugin, or at the top of a source checkout."""
    packaged = PACKAGE_DIR / "resources"
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def icon_path(name: str) -> Path:
    return resource("icons", name)


def metadata_path() -> Path:
    packaged = PACKAGE_DIR / "metadata.txt"
    return packaged if packaged.is_file() else PACKAGE_DIR.parent / "metadata.txt"
