"""``metadata.txt`` read once: the single source of the plugin's name and version."""

from __future__ import annotations

import configparser

from .core.paths import metadata_path


def read_metadata() -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(metadata_path(), encoding="utf-8")
    return dict(parser["general"]) if parser.has_section("general") else {}


__version__: str = read_metadata().get("version", "0.0.0")
